"""Small URL helpers shared by extraction and sanitizing: the one URL resolver of the project."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

__all__ = ["origin", "resolve_url"]

# C0 controls and DEL: a browser removes them from a URL wherever they are ('jav\tascript:').
_URL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")


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
    """True for URLs of the start URL's origin (scheme, host, port; default ports made explicit,
    host case ignored) — nothing else is ever requested, no canonical elsewhere is believed."""
    base = origin(start_url)
    if base is not None and url.startswith(base) and url[len(base):len(base) + 1] in ("/", "?", "#", ""):
        return "@" not in url[: len(base)]  # the common case: the same origin written the same way
    here = url_origin(url)
    return here is not None and here == url_origin(start_url)


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def resolve_url(href: str | None, base_url: str) -> str | None:
    """``href`` resolved against ``base_url`` when it is an http(s) URL, else None.

    As a browser does, C0 controls (tab, newline, NUL …) are removed wherever they are and
    spaces trimmed; inner spaces (file names on old sites) are percent-encoded. Root-relative
    paths (every link the site writes) are joined to the base's origin without ``urljoin``.
    Both ``pages.urls.absolute_url`` (links, images, canonicals) and ``normalize.html.safe_url``
    (the body sanitizer, which adds its own refusals) resolve through this one function.
    """
    if not href:
        return None
    href = href.strip()
    if not href.isprintable() and _URL_CONTROLS.search(href):
        href = _URL_CONTROLS.sub("", href).strip()
    if " " in href:
        href = href.replace(" ", "%20")
    if not href:
        return None
    if href[:1] == "/" and href[1:2] != "/" and "/." not in href and (base := origin(base_url)):
        return base + href
    if href.startswith(("https://", "http://")) and "/." not in href and "\\" not in href:
        host = href.split("//", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        if host and "@" not in host:
            return href  # already absolute: nothing to resolve
    try:
        own = urlsplit(href)
        if own.scheme and (own.scheme not in ("http", "https") or not own.netloc):
            return None
        url = urljoin(base_url, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url
