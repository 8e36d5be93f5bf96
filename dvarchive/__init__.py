"""dvarchive: the archiver of the provincial mass-mobilization board's news site."""
from __future__ import annotations

from datetime import datetime

__version__ = "0.1.0"
__all__ = ["__version__", "parse_date"]


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """Parse a Vietnamese date string into an aware datetime in UTC+07:00, or None.

    Thin re-export so ``dvarchive.parse_date`` stays stable while the
    implementation lives in :mod:`dvarchive.normalize.dates`.
    """
    from dvarchive.normalize.dates import parse_date as _parse_date

    return _parse_date(text, now=now)
