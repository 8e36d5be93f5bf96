"""Attachment file names from the web can't escape the output folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from dvarchive.normalize.filenames import contained_path, filename_from_url, safe_filename

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
