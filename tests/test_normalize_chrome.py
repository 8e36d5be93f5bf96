"""dvarchive.normalize.chrome tables and the union in dvarchive.pages.chrome: chrome is found; prose that mentions it is not."""
from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from dvarchive.normalize.chrome import PORTAL_CHROME, ChromeTable
from dvarchive.pages import DanvanV1, GenericV1
from dvarchive.pages.chrome import CHROME_STRINGS, find_chrome, is_chrome_line
from dvarchive.pages.content import extract_content
from dvarchive.pages.danvan_chrome import DANVAN_CHROME
from helpers import CONTRACT


@pytest.mark.parametrize("label", [
    "Cỡ chữ", "A+ A-", "In tin bài", "Lưu tin bài", "CÁC TIN KHÁC", "Android APK", "Hôm nay, ngày",
    "Về đầu trang", "Ghi rõ nguồn", "Lượt truy cập", "Tin liên quan", "Xem thêm tại",
])
def test_the_briefed_chrome_strings_are_known(label: str) -> None:
    assert label in CHROME_STRINGS


@pytest.mark.parametrize("text, labels", [
    ("Hôm nay, ngày 22 tháng 1 năm 2019", ["Hôm nay, ngày"]),
    ("Cỡ chữ: A+ A-", ["Cỡ chữ", "A+ A-"]),
    ("In tin bàiLưu tin bài", ["In tin bài", "Lưu tin bài"]),
    ("CÁC TIN KHÁC", ["CÁC TIN KHÁC"]),
    ("Android APK", ["Android APK"]),
    ("Về đầu trang", ["Về đầu trang"]),
    ("Ghi rõ nguồn “Ban Dân vận Tỉnh ủy” khi phát hành lại thông tin từ website này.", ["Ghi rõ nguồn"]),
    ("Lượt truy cập: 1.204.877", ["Lượt truy cập"]),
    ("Tin liên quan:", ["Tin liên quan"]),
    ("Đoạn cuối.\n\nTIN LIÊN QUAN", ["Tin liên quan"]),
    ("Xem thêm tại: baoquangnam.vn", ["Xem thêm tại"]),
    ("BAN DÂN VẬN TỈNH ỦY | TIN HOẠT ĐỘNG", ["BAN DÂN VẬN TỈNH ỦY |"]),
])
def test_find_chrome(text: str, labels: list[str]) -> None:
    assert find_chrome(text) == labels


@pytest.mark.parametrize("prose", [
    "Hôm nay, ngày 22 tháng 1 năm 2019, Ban Dân vận Tỉnh ủy tổ chức hội nghị.",
    "Các thông tin liên quan đến dự án được công khai.",
    "Người dân có thể xem thêm tại bộ phận một cửa.",
    "Tài liệu cần ghi rõ nguồn gốc xuất xứ.",
    "Quyết định số 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị.",
    "Tăng cỡ chữ trên văn bản hành chính cho người cao tuổi.",
    "",
])
def test_prose_is_not_chrome(prose: str) -> None:
    assert find_chrome(prose) == []


def test_seed_page_text_is_full_of_chrome_but_its_body_is_not() -> None:
    seed = (CONTRACT / "seed" / "seed-page.txt").read_text(encoding="utf-8")
    found = find_chrome(seed)
    for label in ("Hôm nay, ngày", "Cỡ chữ", "A+ A-", "In tin bài", "Lưu tin bài", "CÁC TIN KHÁC", "Android APK"):
        assert label in found
    paragraphs = [p.strip() for p in seed.split("\n\n") if len(p.strip()) > 200]
    assert len(paragraphs) >= 6
    assert all(find_chrome(p) == [] for p in paragraphs)


@pytest.mark.parametrize("page", ["home.html", "article-1234.html", "listing-tin-hoat-dong-page-1.html"])
def test_every_page_frame_is_chrome(page: str) -> None:
    tree = lxml_html.fromstring((CONTRACT / "site" / "pages" / page).read_bytes())
    footer = tree.get_element_by_id("footer").text_content()
    assert {"Ghi rõ nguồn", "Về đầu trang", "Android APK"} <= set(find_chrome(footer))


def test_is_chrome_line() -> None:
    assert is_chrome_line("In tin bài Lưu tin bài")
    assert not is_chrome_line("Đoạn văn bình thường.")
    assert not is_chrome_line("Về đầu trang " + "rất dài " * 40)


# --- the mechanism (ChromeTable) and the layouts' tables ---------------------------------------
_TABLE = ChromeTable((
    ("Beta", r"^beta$", re.M, "beta"),
    ("Alpha", r"alpha\s*:", re.I, "alpha"),
))


@pytest.mark.parametrize("text, labels", [
    ("", []),
    (None, []),
    ("ALPHA: x\nbeta", ["Beta", "Alpha"]),        # table order, not text order
    ("alpha without colon", []),                   # needle present, pattern not
    ("betamax", []),
])
def test_chrome_table_find(text: str | None, labels: list[str]) -> None:
    assert _TABLE.find(text) == labels


def test_chrome_table_is_line_is_short_and_matching() -> None:
    assert _TABLE.is_line("beta")
    assert not _TABLE.is_line("gamma")
    assert not _TABLE.is_line("Alpha: " + "x" * 200)


def test_chrome_tables_add_keeps_each_label_once_in_order() -> None:
    both = _TABLE + ChromeTable((("Gamma", "gamma", 0, "gamma"), ("Alpha", "other", 0, "other")))
    assert both.labels == ("Beta", "Alpha", "Gamma")
    assert both.find("alpha: gamma") == ["Alpha", "Gamma"]


def test_a_needle_must_be_lower_case() -> None:
    with pytest.raises(ValueError, match="lower case"):
        ChromeTable((("X", "X", 0, "X"),))


_BOARD = ("Cỡ chữ", "A+ A-", "In tin bài", "Lưu tin bài", "CÁC TIN KHÁC", "Android APK", "Hôm nay, ngày",
          "BAN DÂN VẬN TỈNH ỦY |")
_PORTAL = ("Tin liên quan", "Xem thêm tại", "Tệp đính kèm", "Sau »")


def test_each_layout_owns_its_table_and_the_union_holds_them_all() -> None:
    assert set(_BOARD) <= set(DANVAN_CHROME.labels) and not set(_BOARD) & set(PORTAL_CHROME.labels)
    assert set(PORTAL_CHROME.labels) == set(_PORTAL)
    # the generic layout (a redesign, a sibling board's portal) drops the board's frame words too
    assert set(GenericV1.CHROME.labels) == set(DanvanV1.CHROME.labels)
    assert set(DanvanV1.CHROME.labels) == set(DANVAN_CHROME.labels) | set(_PORTAL)
    assert set(CHROME_STRINGS) == set(DanvanV1.CHROME.labels) | set(GenericV1.CHROME.labels)
    assert len(CHROME_STRINGS) == len(set(CHROME_STRINGS))


def _body(chrome: ChromeTable) -> list[str]:
    root = lxml_html.fromstring("<div><p>In tin bài Lưu tin bài</p><p>Tin liên quan:</p>"
                                "<p>Đoạn văn của bài báo, đủ dài để là một đoạn.</p></div>")
    return [p.text for p in extract_content(root, "http://example.vn/a.html", chrome=chrome).paragraphs]


def test_extraction_drops_the_chrome_of_the_layouts_table_only() -> None:
    prose = "Đoạn văn của bài báo, đủ dài để là một đoạn."
    assert _body(DanvanV1.CHROME) == [prose]
    assert _body(PORTAL_CHROME) == ["In tin bài Lưu tin bài", prose]   # another site's words for it
