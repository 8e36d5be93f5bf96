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


def url_origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL, default ports made explicit; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or default_port(parts.scheme)


def is_same_site(url: str, start_url: str) -> bool:
    """True for URLs of the start URL's origin (scheme, host, port) — nothing else is ever requested."""
    here = url_origin(url)
    return here is not None and here == url_origin(start_url)


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80
