"""Small URL helpers shared by extraction and sanitizing."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit


@lru_cache(maxsize=64)
def origin(base_url: str) -> str | None:
    """'https://host:port' of an http(s) URL (cached: every link of a page shares it)."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"
