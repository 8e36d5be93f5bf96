"""Chrome tables: strings that belong to a page frame, never to an article's text.

The mechanism is :class:`ChromeTable`, built from (label, pattern, flags, needle) rows; each
site layout owns its table (``pages/danvan_chrome.py`` for the board's site) and adds it to
:data:`PORTAL_CHROME`, the phrases common to Vietnamese portals that every layout (and the
generic one alone) drops. The union of every layout's table — what tests, the quality gate and
the demo check use — is :mod:`dvarchive.pages.chrome` (this package does not import ``pages``).

Each entry is a label (what the site shows) and a pattern precise enough not to fire on
ordinary prose: "Tin liên quan" / "Xem thêm tại" only count at the start of a line, where the
portals' boxes put them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PORTAL_CHROME", "ChromeRow", "ChromeTable"]

ChromeRow = tuple[str, str, int, str]
"""label, pattern, re flags, needle: a lower-case substring every match contains (a cheap
prefilter, so clean text — the common case — costs one lower() and a few ``in`` tests)."""

# Anything longer is prose that happens to mention a chrome phrase, not a chrome line.
MAX_CHROME_LINE = 160


class ChromeTable:
    """An ordered set of chrome patterns; ``a + b`` is both tables (labels kept once, in order)."""

    __slots__ = ("_entries",)

    def __init__(self, rows: Iterable[ChromeRow]) -> None:
        entries: dict[str, tuple[str, re.Pattern[str]]] = {}
        for label, pattern, flags, needle in rows:
            if needle != needle.lower() or not needle:
                raise ValueError(f"chrome needle of {label!r} must be non-empty lower case: {needle!r}")
            entries.setdefault(label, (needle, re.compile(pattern, flags)))
        self._entries = tuple((needle, label, compiled) for label, (needle, compiled) in entries.items())

    def __add__(self, other: ChromeTable) -> ChromeTable:
        return ChromeTable(self.rows() + other.rows())

    def rows(self) -> tuple[ChromeRow, ...]:
        return tuple((label, p.pattern, p.flags, needle) for needle, label, p in self._entries)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, label, _ in self._entries)

    @property
    def patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((label, pattern) for _, label, pattern in self._entries)

    def find(self, text: str | None) -> list[str]:
        """Labels of the chrome found in ``text``, in table order, each once; empty when clean."""
        if not text:
            return []
        lowered = text.lower()
        return [label for needle, label, pattern in self._entries if needle in lowered and pattern.search(text)]

    def is_line(self, text: str) -> bool:
        """True for a short paragraph that is (or carries) chrome and should leave the body."""
        if len(text) > MAX_CHROME_LINE:
            return False
        lowered = text.lower()
        return any(needle in lowered and pattern.search(text) for needle, _, pattern in self._entries)


PORTAL_CHROME = ChromeTable((
    ("Tin liên quan", r"^\s*Tin liên quan\s*(?::|$)", re.M | re.I, "tin liên quan"),
    ("Xem thêm tại", r"^\s*Xem thêm tại\b", re.M | re.I, "xem thêm tại"),
    ("Tệp đính kèm", r"^\s*Tệp đính kèm\s*:", re.M, "tệp đính kèm"),
    ("Sau »", r"Sau\s*»", 0, "»"),
))
"""Phrases of Vietnamese portals' article frames in general: the generic layout's table."""
