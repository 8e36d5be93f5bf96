"""The board's own site frame (danvan/v1): its chrome table, beside the layout that drops it.

"Hôm nay, ngày 22 tháng 1 năm 2019" only counts as the render-date banner when it stands alone
(or runs into "Cỡ chữ"), not when a sentence goes on after it.
"""
from __future__ import annotations

import re

from dvarchive.normalize.chrome import ChromeTable

__all__ = ["DANVAN_CHROME"]

_BANNER = r"Hôm nay,? ngày \d{1,2} tháng \d{1,2} năm \d{4}"

DANVAN_CHROME = ChromeTable((
    ("Cỡ chữ", r"Cỡ chữ\s*:?\s*(?:A\+|$)", re.M, "cỡ chữ"),
    ("A+ A-", r"(?<!\w)A\+\s*A-(?!\w)", 0, "a+"),
    ("In tin bài", r"In tin bài", 0, "in tin bài"),
    ("Lưu tin bài", r"Lưu tin bài", 0, "lưu tin bài"),
    ("CÁC TIN KHÁC", r"CÁC TIN KHÁC|^\s*Các tin khác\s*:?\s*$", re.M, "các tin khác"),
    ("TIN MỚI", r"^\s*TIN MỚI\s*$", re.M, "tin mới"),
    ("TIN TIÊU ĐIỂM", r"TIN TIÊU ĐIỂM", 0, "tin tiêu điểm"),
    ("LIÊN KẾT WEBSITE", r"LIÊN KẾT WEBSITE|-- Chọn liên kết --", 0, "liên kết"),
    ("Android APK", r"Android APK", 0, "android apk"),
    ("Hôm nay, ngày", rf"^\s*{_BANNER}\s*(?:$|Cỡ chữ)", re.M, "hôm nay"),
    ("Về đầu trang", r"Về đầu trang", 0, "về đầu trang"),
    ("Ghi rõ nguồn", r"Ghi rõ nguồn\s*[“\"«]", 0, "ghi rõ nguồn"),
    ("Lượt truy cập", r"Lượt truy cập\s*:", 0, "lượt truy cập"),
    ("BAN DÂN VẬN TỈNH ỦY |", r"BAN DÂN VẬN TỈNH ỦY\s*\|", 0, "ban dân vận tỉnh ủy"),
))
"""Strings of the board's page frame (header, tools bar, boxes, footer)."""
