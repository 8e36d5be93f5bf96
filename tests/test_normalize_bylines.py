"""dvarchive.normalize.bylines: who wrote it, where it came from, and what is neither."""
from __future__ import annotations

import pytest

from dvarchive.normalize.bylines import (
    clean_name,
    is_photo_credit,
    looks_like_name,
    parse_byline,
    parse_credit_line,
    parse_source,
)


@pytest.mark.parametrize("text, author", [
    ("Tin, ảnh: Phan Vinh", "Phan Vinh"),
    ("Tin và ảnh: Phan Vinh", "Phan Vinh"),
    ("Bài, ảnh: Minh Châu", "Minh Châu"),
    ("Bài và ảnh: T.XUÂN - H.BIN", "T.XUÂN - H.BIN"),
    ("Tin/ảnh: Đ.ĐẠO", "Đ.ĐẠO"),
    ("Tin: Duy Nghi.", "Duy Nghi"),
    ("Bài: Minh Khoa", "Minh Khoa"),
    ("(Tin, ảnh: Phan Vinh)", "Phan Vinh"),
    ("TIN, ẢNH: PHAN VINH", "PHAN VINH"),
])
def test_credit_lines(text: str, author: str) -> None:
    assert parse_credit_line(text) == author
    assert parse_byline(text) == author  # a credit line needs no style


@pytest.mark.parametrize("text", ["Ảnh: Văn Sự", "(Ảnh: Văn Sự)", "Ảnh minh họa", "Hình ảnh: Minh Châu"])
def test_photo_credits_are_not_bylines(text: str) -> None:
    assert is_photo_credit(text)
    assert parse_credit_line(text) is None
    assert parse_byline(text, right_aligned=True, emphasized=True) is None


@pytest.mark.parametrize("text, right, emph, author", [
    ("Duy Nghi", True, False, "Duy Nghi"),
    ("Duy Nghi", False, True, "Duy Nghi"),
    ("Duy Nghi", False, False, None),          # a bare name without a style is just text
    ("T.XUÂN - H.BIN", True, True, "T.XUÂN - H.BIN"),
    ("Đ.ĐẠO", True, True, "Đ.ĐẠO"),
    ("Minh Châu.", True, False, "Minh Châu"),
    ("Ban Dân vận Huyện ủy Quế Sơn", True, False, "Ban Dân vận Huyện ủy Quế Sơn"),
    ("Tam Kỳ, ngày 5 tháng 3 năm 2018", True, False, None),
    ("Đây là một câu kết bình thường.", True, True, None),
    ("Xin cảm ơn!", True, True, None),
    ("Quyết định số 217-QĐ/TW", True, True, None),
])
def test_styled_bylines(text: str, right: bool, emph: bool, author: str | None) -> None:
    assert parse_byline(text, right_aligned=right, emphasized=emph) == author


@pytest.mark.parametrize("text, source", [
    ("(Nguồn: Báo Quảng Nam)", "Báo Quảng Nam"),
    ("Nguồn: Báo Quảng Nam", "Báo Quảng Nam"),
    ("Nguồn: Ban Dân vận Trung ương", "Ban Dân vận Trung ương"),
    ("Nguồn: baoquangnam.vn.", "baoquangnam.vn"),
    ("NGUỒN: TTXVN", "TTXVN"),
    ("Theo Báo Quảng Nam", "Báo Quảng Nam"),
    ("(Theo Báo Quảng Nam)", "Báo Quảng Nam"),
    ("Theo baoquangnam.vn", "baoquangnam.vn"),
    ("Theo dangcongsan.vn.", "dangcongsan.vn"),
])
def test_sources(text: str, source: str) -> None:
    assert parse_source(text) == source


@pytest.mark.parametrize("text", [
    "Theo đó, mỗi hộ gia đình đăng ký thực hiện “ngày chủ nhật xanh”.",
    "Theo kế hoạch, mỗi tối thứ Bảy tổ công nghệ số có mặt tại nhà văn hóa.",
    "Theo Quyết định số 217-QĐ/TW, Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội "
    "có quyền giám sát và phản biện xã hội đối với các chủ trương lớn",
    "Duy Nghi",
    "",
])
def test_not_sources(text: str) -> None:
    assert parse_source(text) is None


def test_clean_name_keeps_initials() -> None:
    assert clean_name(" (Minh Châu.) ") == "Minh Châu"
    assert clean_name("Đ.ĐẠO") == "Đ.ĐẠO"
    assert clean_name("Nguyễn Văn A.") == "Nguyễn Văn A."


def test_looks_like_name() -> None:
    assert looks_like_name("Phan Vinh")
    assert not looks_like_name("phan vinh")
    assert not looks_like_name("Phan Vinh 2018")
    assert not looks_like_name("A" * 80)


@pytest.mark.parametrize("text, name", [
    ("Hà Thu (tổng hợp)", "Hà Thu"),
    ("Minh Khoa (theo Reuters)", "Minh Khoa"),
    ("Hà Thu (Theo Reuters, Bloomberg)", "Hà Thu"),
    ("Thanh Tâm (lược dịch)", "Thanh Tâm"),
    ("(tổng hợp)", None),
])
def test_styled_byline_with_a_compilers_note(text: str, name: str | None) -> None:
    assert parse_byline(text, right_aligned=True) == name
