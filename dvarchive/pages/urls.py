"""URL helpers shared by the layouts: article ids, canonical URLs, document links."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from dvarchive.normalize.urlparts import origin

__all__ = [
    "DOCUMENT_EXTENSIONS",
    "absolute_url",
    "origin",
    "article_id_from_url",
    "canonical_url",
    "is_document_url",
]

# '/<category>/<slug>-<id>.html' (the site), also '/<id>.html' and '.htm' (sibling sites).
_ARTICLE_ID = re.compile(r"(?:-|/)(\d{1,12})\.html?$", re.I)
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar")
# Query parameters that only say where a reader came from.
_TRACKING = re.compile(r"^(?:ref|utm_\w+|fbclid|gclid|zarsrc|zalo_\w+|_ga|mc_\w+|source|src)$", re.I)


def article_id_from_url(url: str) -> str | None:
    """The site's numeric article id: ``'/x/slug-1234.html' -> '1234'``; None for other pages.

    Also ``/1234.html`` and ``.htm``; query and fragment are ignored. (String slicing, not a
    regex scan: it runs on every URL the crawler and the extractor see.)
    """
    path = url.split("#", 1)[0].split("?", 1)[0]
    tail = path[-5:].lower()
    if tail == ".html":
        stem = path[:-5]
    elif tail[1:] == ".htm":
        stem = path[:-4]
    else:
        return None
    digits = stem.rsplit("-", 1)[-1].rsplit("/", 1)[-1]
    if not (0 < len(digits) <= 12 and digits.isdigit() and digits.isascii()):
        return None
    if len(stem) == len(digits) or stem[-len(digits) - 1] not in "-/":
        return None
    return digits


def absolute_url(href: str | None, base_url: str) -> str | None:
    """``href`` resolved against ``base_url`` when it is an http(s) URL, else None.

    Tabs and newlines inside are dropped (as browsers do), inner spaces (file names on old sites)
    percent-encoded. Root-relative paths (every
    link the site writes) are joined to the base's origin without ``urljoin``.
    """
    if not href:
        return None
    href = href.strip()
    if "\t" in href or "\n" in href or "\r" in href:
        href = href.replace("\t", "").replace("\n", "").replace("\r", "")
    if " " in href:
        href = href.replace(" ", "%20")
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


def canonical_url(url: str) -> str:
    """``url`` without fragment and tracking query; an article URL (``-<id>.html``) loses its
    whole query, since the path alone names the article. Scheme and host are lower-cased."""
    if "?" not in url and "#" not in url and url.startswith(("https://", "http://")):
        host_end = url.find("/", url.index("//") + 2)
        head = url if host_end == -1 else url[:host_end]
        if head == head.lower():
            return url if host_end != -1 else url + "/"  # already canonical (the common case)
    parts = urlsplit(url)
    query = parts.query
    if query:
        if _ARTICLE_ID.search(parts.path):
            query = ""
        else:
            pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.match(k)]
            query = urlencode(pairs)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def is_document_url(url: str) -> bool:
    """True when ``url``'s path names a pdf/doc/docx/xls/xlsx/ppt/zip/rar file (works on hrefs too)."""
    path = url.split("#", 1)[0].split("?", 1)[0].rstrip()
    return path.lower().endswith(DOCUMENT_EXTENSIONS)
