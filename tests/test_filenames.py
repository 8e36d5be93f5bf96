"""Attachment file names from the web can't escape the output folder."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from dvarchive.normalize.filenames import contained_path, distinct_name, filename_from_url, is_portable, safe_filename

HOSTILE = [
    "../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fx.pdf", "/etc/shadow", "..", ".",
    "a/../../b.doc", "C:\\boot.ini", "x\x00.pdf", "....//....//y", ".hidden", "   ", "%00", "a" * 500 + ".pdf",
    "con:stream", "dir/sub\\file.doc",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_inside_the_folder(name: str, tmp_path: Path) -> None:
    target = contained_path(tmp_path, "1234", name)
    assert target.parent == (tmp_path / "1234").resolve()
    assert "/" not in safe_filename(name) and "\\" not in safe_filename(name)
    assert safe_filename(name) not in ("", ".", "..")
    assert len(safe_filename(name).encode()) <= 200


def test_ordinary_names_are_kept() -> None:
    assert safe_filename("qd-217-qd-tw.pdf") == "qd-217-qd-tw.pdf"
    assert filename_from_url("https://h/Uploads/files/2018/03/Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.doc") == "Quyết định.doc"
    assert safe_filename("a" * 500 + ".pdf").endswith(".pdf")


# Windows device names: any case, any extension (several), trailing spaces, superscript digits.
DEVICE_NAMES = [
    "CON", "con", "Con.pdf", "NUL.txt", "nul.tar.gz", "AUX", "aux.", "PRN.doc", "prn ", "COM1", "com9.xls",
    "Com5.PDF", "LPT1", "lpt9.zip", "LPT¹.doc", "COM³", "CON .txt", "%43%4F%4E.pdf", "dir/NUL.pdf",
]


@pytest.mark.parametrize("name", DEVICE_NAMES)
def test_windows_device_names_are_neutralised(name: str) -> None:
    safe = safe_filename(name)
    stem = safe.split(".", 1)[0].strip().upper()
    assert stem not in {"CON", "PRN", "AUX", "NUL"} and not re.fullmatch(r"(COM|LPT)[0-9¹²³]", stem)
    assert is_portable(safe)


@pytest.mark.parametrize("name", ["CONSOLE.pdf", "com10.pdf", "lpt.doc", "auxiliary.doc", "null.txt", "icon.pdf"])
def test_names_that_only_resemble_devices_are_kept(name: str) -> None:
    assert safe_filename(name) == name


INVISIBLE = [
    ("invoice\u202efdp.exe", "invoice_fdp.exe"),  # right-to-left override: shows as 'invoiceexe.pdf'
    ("\u202aa\u202bb\u202cc\u202dd.pdf", "_a_b_c_d.pdf"),
    ("\u2066x\u2067y\u2068z\u2069.doc", "_x_y_z_.doc"),
    ("a\u200eb\u200fc.pdf", "a_b_c.pdf"),  # LRM / RLM
    ("a\u200bb\ufeffc.pdf", "a_b_c.pdf"),  # zero-width space / BOM
    ("a\x01b\x1fc\x7fd.pdf", "a_b_c_d.pdf"),  # C0 controls and DEL
    ("a\x85b\x9fc.pdf", "a_b_c.pdf"),  # C1 controls
    ("a%E2%80%AEb.pdf", "a_b.pdf"),  # percent-encoded override
    ("a\u2028b\u2029c.pdf", "a_b_c.pdf"),  # line / paragraph separators
]


@pytest.mark.parametrize(("name", "expected"), INVISIBLE)
def test_bidi_and_control_characters_are_replaced(name: str, expected: str) -> None:
    safe = safe_filename(name)
    assert safe == expected
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in safe)


def test_vietnamese_names_stay_readable_and_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Quyết định số 12.pdf")
    assert safe_filename(decomposed) == "Quyết định số 12.pdf"


@pytest.mark.parametrize("name", ["report.pdf", "Báo cáo.docx", "noext", "a" * 199 + ".pdf", "archive.tar.gz"])
def test_distinct_names_differ_keep_the_extension_and_stay_portable(name: str) -> None:
    one, other = "1" * 64, "2" * 64
    first, second = distinct_name(safe_filename(name), one), distinct_name(safe_filename(name), other)
    assert first != second and first.casefold() != second.casefold()
    assert first == distinct_name(safe_filename(name), one)  # the same bytes, the same name
    assert is_portable(first) and len(first.encode()) <= 200
    if "." in name:
        assert first.rsplit(".", 1)[1] == name.rsplit(".", 1)[1]
