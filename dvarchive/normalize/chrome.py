"""The site's chrome: strings that belong to the page frame, never to an article's text.

:func:`find_chrome` is the proof used by tests, the validate/quality gate and the demo summary
that no body holds chrome; :func:`is_chrome_line` lets extractors drop a chrome paragraph.

Each entry is a label (what the site shows) and a pattern precise enough not to fire on
ordinary prose: e.g. "Hôm nay, ngày 22 tháng 1 năm 2019" only counts as the render-date banner
when it stands alone (or runs into "Cỡ chữ"), not when a sentence goes on after it; "Tin liên
quan" / "Xem thêm tại" only count at the start of a line, where the site's boxes put them.
"""
from __future__ import annotations

import re

__all__ = ["CHROME_PATTERNS", "CHROME_STRINGS", "find_chrome", "is_chrome_line"]

_BANNER = r"Hôm nay,? ngày \d{1,2} tháng \d{1,2} năm \d{4}"

_CHROME_TABLE = (
    # label, pattern, flags, needle: a lower-case substring every match contains (a cheap
    # prefilter, so clean text — the common case — costs one lower() and a few ``in`` tests)
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
    ("Tin liên quan", r"^\s*Tin liên quan\s*(?::|$)", re.M | re.I, "tin liên quan"),
    ("Xem thêm tại", r"^\s*Xem thêm tại\b", re.M | re.I, "xem thêm tại"),
    ("Tệp đính kèm", r"^\s*Tệp đính kèm\s*:", re.M, "tệp đính kèm"),
    ("BAN DÂN VẬN TỈNH ỦY |", r"BAN DÂN VẬN TỈNH ỦY\s*\|", 0, "ban dân vận tỉnh ủy"),
    ("Sau »", r"Sau\s*»", 0, "»"),
)

CHROME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, flags)) for label, pattern, flags, _ in _CHROME_TABLE
)
"""(label, pattern) for every piece of chrome the site (or its siblings) puts around articles."""

CHROME_STRINGS: tuple[str, ...] = tuple(label for label, _ in CHROME_PATTERNS)

_NEEDLES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (needle, label, pattern) for (label, pattern), (*_, needle) in zip(CHROME_PATTERNS, _CHROME_TABLE)
)

# Anything longer is prose that happens to mention a chrome phrase, not a chrome line.
_MAX_CHROME_LINE = 160


def find_chrome(text: str | None) -> list[str]:
    """Labels of the chrome found in ``text``, in table order, each once; empty when clean."""
    if not text:
        return []
    lowered = text.lower()
    return [label for needle, label, pattern in _NEEDLES if needle in lowered and pattern.search(text)]


def is_chrome_line(text: str) -> bool:
    """True for a short paragraph that is (or carries) site chrome and should leave the body."""
    return len(text) <= _MAX_CHROME_LINE and bool(find_chrome(text))
