"""dvarchive.pages.chrome: the known layouts' chrome is found; prose that mentions it is not."""
from __future__ import annotations

import pytest
from lxml import html as lxml_html

from dvarchive.pages.chrome import CHROME_STRINGS, find_chrome, is_chrome_line
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
