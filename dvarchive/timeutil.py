"""Instants as the project writes them."""
from __future__ import annotations

from datetime import datetime, timezone

VIETNAM_OFFSET_TEXT = "+07:00"


def utc_now() -> datetime:
    """Now in UTC, truncated to whole seconds (WARC-Date and fetched_at share it)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def to_utc_iso(instant: datetime) -> str:
    """'2026-11-27T09:53:39Z' — the ``fetched_at`` and WARC-Date form."""
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc_iso(text: str) -> datetime:
    """Inverse of :func:`to_utc_iso` (also accepts '+00:00' and fractions)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
