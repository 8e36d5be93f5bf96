"""Every known layout's chrome at once: the proof that no body holds any page frame.

:func:`find_chrome` is what tests, the validate/quality gate, the demo summary and the
benchmarks use; extraction itself drops only its own layout's table (``ArticleParser.CHROME``).
"""
from __future__ import annotations

from dvarchive.normalize.chrome import ChromeTable
from dvarchive.pages.danvan import DanvanV1
from dvarchive.pages.danvan_chrome import DANVAN_CHROME
from dvarchive.pages.generic import GenericV1

__all__ = ["ALL_CHROME", "CHROME_PATTERNS", "CHROME_STRINGS", "find_chrome", "is_chrome_line"]

ALL_CHROME: ChromeTable = DANVAN_CHROME + DanvanV1.CHROME + GenericV1.CHROME
"""The union of the layouts' tables (each label once; the board's frame first)."""

CHROME_PATTERNS = ALL_CHROME.patterns
CHROME_STRINGS = ALL_CHROME.labels
find_chrome = ALL_CHROME.find
is_chrome_line = ALL_CHROME.is_line
