"""URL rules of generic discovery: normal form, shape (pattern), page numbers, trap kinds.

Pure functions over strings; the spider holds the per-site state (:class:`UrlNormalizer`).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only say where a reader came from or which session they are in.
NAVIGATION_PARAMS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|zarsrc|_ga|ref|redirect|inheritredirect|backurl|returnurl|replytocom|"
    r"jsessionid|phpsessid|aspsessionid\w*|sid|sessionid|share|amp)$", re.I)
# ASP.NET cookieless sessions '/(S(x))/', '/(A(x)S(y))/'; Java ';jsessionid=x'.
SESSION_SEGMENT = re.compile(r"/\((?:[A-Z]\([A-Za-z0-9_-]*\))+\)(?=/|$)")
PATH_SESSION = re.compile(r";(?:jsessionid|sid)=[^/?#]*", re.I)
PAGE_PARAMS = re.compile(r"^(?:trang|page|pageindex|pagenum|pagenumber|pg|p|start|offset|\w*_cur|cur|paged)$", re.I)
PAGE_PATH = re.compile(r"/(?:page|trang)/(\d{1,6})/?$", re.I)
SEARCH_PARAMS = re.compile(r"^(?:s|q|k|kw|keyword|keywords|tukhoa|tu-khoa|search|searchtext|query|\w*_keywords)$", re.I)
SEARCH_PATH = re.compile(r"/(?:search|tim-kiem|timkiem|tim_kiem|ket-qua-tim-kiem)\b", re.I)
SORT_PARAMS = re.compile(r"(?:sort|order|orderby|orderbycol|orderbytype|sap-?xep|filter|view|display)$", re.I)
CALENDAR_PARAMS = re.compile(r"(?:date|ngay|calendar|day|month|year|thang|nam)$", re.I)
CALENDAR_VALUE = re.compile(r"^\d{6}(?:\d{2})?$|^\d{4}-\d{2}(?:-\d{2})?$")
PRINT_PATH = re.compile(r"/(?:print|in-tin|in-bai|inbai|printpreview)\b|[?&](?:print|in)=", re.I)
LOGIN_PATH = re.compile(r"/(?:wp-login|wp-admin|login|dang-nhap|dangnhap|signin|c/portal/login)\b", re.I)
SKIPPED_EXTENSIONS = frozenset((
    "apk", "ipa", "exe", "msi", "dmg", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "7z",
    "gz", "jpg", "jpeg", "png", "gif", "webp", "svg", "bmp", "ico", "tif", "tiff", "mp3", "mp4", "avi", "wmv",
    "flv", "mov", "webm", "css", "js", "woff", "woff2", "ttf", "eot", "swf", "json",
))
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){2,}$", re.I)
_TOKEN = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_]{6,}$")


def strip_session(path: str) -> str:
    """``/(S(abc))/Pages/x.aspx`` -> ``/Pages/x.aspx``; ``/a;jsessionid=1`` -> ``/a``."""
    return PATH_SESSION.sub("", SESSION_SEGMENT.sub("", path)) or "/"


def normalize_url(url: str, dropped: frozenset[str] = frozenset()) -> str:
    """The one form a URL is requested and remembered in: no fragment, no session, no
    navigation/tracking parameter (nor any learned for the site in ``dropped``), parameters
    sorted, scheme and host lower-cased. HTML escapes (``&amp;``) in hrefs are already decoded."""
    parts = urlsplit(url.strip())
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not NAVIGATION_PARAMS.match(k) and k.lower() not in dropped]
    query = urlencode(sorted(pairs))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), strip_session(parts.path) or "/", query, ""))


def dropped_params(requested: str, canonical: str) -> set[str]:
    """Parameters of ``requested`` that its canonical URL (same path) does without: navigation
    parameters this site uses, learned from two URLs of one page."""
    req, can = urlsplit(requested), urlsplit(canonical)
    if strip_session(req.path) != strip_session(can.path):
        return set()
    kept = {k for k, _ in parse_qsl(can.query, keep_blank_values=True)}
    return {k.lower() for k, _ in parse_qsl(req.query, keep_blank_values=True) if k not in kept}


def _segment_shape(segment: str) -> str:
    if segment.isdigit():
        return "{n}"
    if _SLUG.match(segment) and len(segment) > 15:
        return "{slug}"
    if _TOKEN.match(segment):
        return "{id}"
    stem, dot, ext = segment.rpartition(".")
    if dot and re.search(r"-\d+$", stem):
        return "{slug-n}." + ext
    return segment


def url_pattern(url: str) -> str:
    """The shape of a URL: ``/2018/11/some-long-slug/`` -> ``/{n}/{n}/{slug}/``; query keys kept,
    values replaced (``?ItemID=12`` -> ``?ItemID={n}``). URLs of one page type share it."""
    parts = urlsplit(url)
    path = "/".join(_segment_shape(s) if s else "" for s in strip_session(parts.path).split("/"))
    keys = sorted({(k, "{n}" if v.isdigit() else "{v}") for k, v in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in keys) if keys else "")


def page_number(url: str) -> int | None:
    """The listing page a URL names (``?trang=3``, ``?Page=3``, ``_x_cur=3``, ``/page/3/``), else None."""
    parts = urlsplit(url)
    if match := PAGE_PATH.search(parts.path):
        return int(match[1])
    for key, value in parse_qsl(parts.query):
        if PAGE_PARAMS.match(key) and value.isdigit():
            return int(value)
    return None


def without_page(url: str) -> str:
    """The URL of a listing's first page: the page parameter / ``/page/N/`` removed (a pager's key)."""
    parts = urlsplit(url)
    path = PAGE_PATH.sub("/", parts.path)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not (PAGE_PARAMS.match(k) and v.isdigit())])
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def trap_kind(url: str) -> str | None:
    """Why a URL is not worth a request, whatever the site: search, calendar, sort/filter,
    print, login, a file or app download; None for an ordinary page."""
    parts = urlsplit(url)
    path = parts.path
    extension = path.rsplit("/", 1)[-1].rpartition(".")[2].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if extension in SKIPPED_EXTENSIONS:
        return "file"
    if SEARCH_PATH.search(path):
        return "search"
    if LOGIN_PATH.search(path):
        return "login"
    if PRINT_PATH.search(path + ("?" + parts.query if parts.query else "")):
        return "print"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if SEARCH_PARAMS.match(key):
            return "search"
        if SORT_PARAMS.search(key):
            return "sort"
        if CALENDAR_PARAMS.search(key) or (key.lower() == "m" and CALENDAR_VALUE.match(value)):
            return "calendar"
    segments = [s for s in path.split("/") if s]
    if len(segments) > 10:
        return "depth"
    if len(segments) != len(set(segments)) and any(segments.count(s) >= 3 for s in segments):
        return "path-loop"
    return None


def path_matches(url: str, pattern: re.Pattern[str] | None) -> bool:
    """``pattern`` (a profile's regex) found in the URL's path and query."""
    parts = urlsplit(url)
    return bool(pattern and pattern.search(parts.path + ("?" + parts.query if parts.query else "")))


class UrlNormalizer:
    """``normalize_url`` plus the navigation parameters learned on this site."""

    def __init__(self) -> None:
        self.dropped: set[str] = set()

    def __call__(self, url: str) -> str:
        return normalize_url(url, frozenset(self.dropped))

    def learn(self, requested: str, canonical: str) -> set[str]:
        """Remember parameters an article's canonical URL drops; returns the new ones."""
        new = {k for k in dropped_params(requested, canonical) if not PAGE_PARAMS.match(k)} - self.dropped
        self.dropped |= new
        return new
