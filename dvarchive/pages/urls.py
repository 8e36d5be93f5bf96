"""URL helpers shared by the layouts: article ids, canonical URLs, document links."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from dvarchive.normalize.urlparts import is_same_site as same_origin, origin, resolve_url

__all__ = [
    "DOCUMENT_EXTENSIONS",
    "absolute_url",
    "origin",
    "article_id_from_url",
    "canonical_url",
    "is_document_url",
    "record_id_for",
    "same_origin",
    "url_article_id",
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
    """``href`` resolved against ``base_url`` when it is an http(s) URL, else None (see
    :func:`dvarchive.normalize.urlparts.resolve_url`, the one resolver)."""
    return resolve_url(href, base_url)


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


# --- record identity for any URL ------------------------------------------------------------
# The last path segment's id: '<slug>-<digits>', '<digits>', '<slug>-d<digits>', '<a>_<b>',
# '!<digits>', 'slug-1.38487954', with or without a page suffix.
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|chn|aspx?|php\d?|jsp|cfm)$", re.I)
_SEGMENT_ID = re.compile(r"(?:^|[-_!.~,]|(?<=[-_])d)(\d+(?:[._]\d+)*)$")
_SEGMENT_ID_BARE = re.compile(r"(?:^|[-_!~,])(\d{5,}(?:[._]\d+)*)$")  # no page suffix: >= 5 digits
_DIGITS_SEGMENT = re.compile(r"^\d{5,}$")
_ID_KEY = re.compile(r"^(?:\w*id|p|nid|seq\w*|\w*_?code|no|num|aid|pid|tid)$", re.I)
_ID_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_NAVIGATION = re.compile(
    r"^(?:page|trang|p_p_\w+|redirect|inheritRedirect|back\w*|return\w*|lang|hl|amp|print|view|"
    r"output|format|sort|order|from|cat|category|tab|s|q|query|search|keyword|start|offset|limit|"
    r"tabid|mid|moduleid|portalid|catid|cateid|cat_id|categoryid|category_id|menuid|zoneid|"
    r"sectionid|channelid|pageid|langid|languageid)$", re.I)
# Keys that name the article itself, tried first.
_ARTICLE_KEYS = ("newsid", "news_id", "articleid", "article_id", "itemid", "postid", "post_id",
                 "contentid", "nid", "id", "p")
_LIFERAY = re.compile(r"/-/asset_publisher/[^/]+/content/([^/?#]+)", re.I)
_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]")



def _path_id(path: str) -> str | None:
    """The id the path carries: in its last segment, else a digits-only segment (>= 5 digits,
    so '/2023/11/08/' date folders are not ids)."""
    segments = [unquote(s) for s in path.split("/") if s]
    if not segments:
        return None
    last = segments[-1]
    stem = _PAGE_SUFFIX.sub("", last)
    regex = _SEGMENT_ID if stem != last else _SEGMENT_ID_BARE
    if (m := regex.search(stem)) and m.group(1).isascii():
        return m.group(1)
    for segment in reversed(segments[:-1]):
        if _DIGITS_SEGMENT.match(segment) and segment.isascii():
            return segment
    return None


def _query_id(query: str) -> str | None:
    """An id parameter's value (``?ItemID=``, ``?id=``, ``?nid=``, ``?NewsID=``, ``?p=`` …): the
    keys that name an article first, then other keys ending in 'id', then other id-like keys
    (never a navigation key such as ``tabid`` or ``catid``); the value holds a digit."""
    found = [(k, v) for k, v in parse_qsl(query) if _ID_KEY.match(k) and _ID_VALUE.match(v)
             and any(c.isdigit() for c in v) and not _NAVIGATION.match(k) and not _TRACKING.match(k)]
    def rank(kv: tuple[str, str]) -> tuple[int, int]:
        key = kv[0].lower()
        return (_ARTICLE_KEYS.index(key) if key in _ARTICLE_KEYS else len(_ARTICLE_KEYS),
                0 if key.endswith("id") else 1)

    found.sort(key=rank)
    return found[0][1] if found else None


def url_article_id(url: str) -> str | None:
    """The article id ``url`` itself carries, or None: the home site's ``-1234.html`` first
    (fast path), then any path id, a Liferay ``/content/<slug>``, an id query parameter."""
    if (found := article_id_from_url(url)) is not None:
        return found
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if m := _LIFERAY.search(parts.path):
        return "s" + hashlib.sha256(unquote(m.group(1)).lower().encode()).hexdigest()[:16]
    return _path_id(parts.path) or (_query_id(parts.query) if parts.query else None)


def normalized_url(url: str) -> str:
    """The form two URLs of one page share: http(s) and ``www.`` folded, host lower-cased,
    default port, fragment, trailing slash, tracking and navigation parameters dropped, the
    remaining parameters sorted."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    pairs = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _TRACKING.match(k) and not _NAVIGATION.match(k))
    path = unquote(parts.path).rstrip("/") or "/"
    return f"{host}{port}{path}" + (f"?{urlencode(pairs)}" if pairs else "")


def record_id_for(url: str, response_url: str | None = None) -> str:
    """The record's article id (the part after ``<site>:``) for any article URL.

    ``url`` is the record's canonical URL, ``response_url`` the URL the page was fetched from:
    the id either carries (:func:`url_article_id`, canonical first), else ``u`` + 16 hex digits
    of the sha256 of the canonical URL's normalized form — stable, and independent of the
    tracking or navigation parameters that reached the page.
    """
    for candidate in (url, response_url):
        if candidate and (found := url_article_id(candidate)) is not None:
            return _ID_CHARS.sub("-", found)[:80]
    return "u" + hashlib.sha256(normalized_url(url).encode("utf-8")).hexdigest()[:16]
