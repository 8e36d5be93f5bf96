"""The ``--since`` / ``--until`` publication-date window of a crawl."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DateWindow:
    """Inclusive bounds on publication *dates* (listings show dates only, so days are compared)."""

    since: date | None = None
    until: date | None = None

    @classmethod
    def from_text(cls, since: str | None, until: str | None) -> "DateWindow":
        window = cls(parse_bound(since, "since"), parse_bound(until, "until"))
        if window.since and window.until and window.since > window.until:
            raise ValueError(f"--since {window.since} is after --until {window.until}")
        return window

    @property
    def bounded(self) -> bool:
        return self.since is not None or self.until is not None

    def admits(self, published: datetime | None) -> bool:
        """An article whose listing shows no date is admitted: the page itself may have one."""
        if published is None:
            return True
        day = published.date()
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def all_before_since(self, published: Iterable[datetime | None]) -> bool:
        """True when every dated item is older than ``since`` (listings are newest first)."""
        if self.since is None:
            return False
        days = [p.date() for p in published if p is not None]
        return bool(days) and all(day < self.since for day in days)


def parse_bound(text: str | None, name: str) -> date | None:
    """A bound from any date form ``parse_date`` knows ('2024-01-31', '31/1/2024', …)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())  # also far-future bounds, which parse_date refuses
    except ValueError:
        pass
    from dvarchive.normalize.dates import parse_date

    parsed = parse_date(text)
    if parsed is None:
        raise ValueError(f"--{name} {text!r} is not a date (try YYYY-MM-DD)")
    return parsed.date()
