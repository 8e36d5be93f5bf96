"""What every layout shares: decoding, parsing, the parser base class and record assembly."""
from __future__ import annotations

import codecs
import re
import threading
from datetime import datetime
from functools import cached_property
from collections.abc import Iterator
from typing import Any, ClassVar

from lxml import etree

from dvarchive.normalize.chrome import PORTAL_CHROME, ChromeTable
from dvarchive.normalize.dates import format_iso, parse_date
from dvarchive.normalize.text import clean_text, nfc, sha256_hex
from dvarchive.pages import selectors as S
from dvarchive.pages.content import Content, visible_text
from dvarchive.pages.urls import absolute_url, article_id_from_url, canonical_url, record_id_for, same_origin

__all__ = ["ArticleParser", "NotAnArticle", "decode_html", "iso_date", "parse_html", "text_of"]

SCHEMA_VERSION = 1
LANGUAGE = "vi"


class NotAnArticle(ValueError):
    """The page is no article: empty, a listing, a static page, a print view, …"""


# --- bytes -> str -> tree ----------------------------------------------------------------------
_CHARSET_VALUE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Codecs that read pure-ASCII bytes exactly as UTF-8 does (then libxml2 may parse the bytes).
_ASCII_SUPERSETS = frozenset(("utf-8", "cp1252", "cp1258", "latin-1", "iso8859-1", "ascii"))
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# WHATWG: these labels mean windows-1252 in a browser (iso-8859-1 pages use cp1252 punctuation).
_LABEL_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                  "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
                  "x-user-defined": "cp1252"}


def _codec(label: str | None, *, from_meta: bool = False) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    if from_meta and label.startswith("utf-16"):  # a meta tag readable as ASCII is not UTF-16
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _meta_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` in the first 4 KB declares (a find, then one anchored match)."""
    at = data.find(b"charset", 0, 4096)
    while at != -1:
        tag_start = data.rfind(b"<", 0, at)
        if tag_start != -1 and data[tag_start:tag_start + 5].lower() == b"<meta":
            if m := _CHARSET_VALUE.match(data, at):
                return m.group(1).decode("ascii")
        at = data.find(b"charset", at + 7, 4096)
    return None


def _candidates(data: bytes, header: str | None) -> Iterator[str]:
    """Codecs to try, lazily: the HTTP charset, the page's meta charset, UTF-8."""
    if header:
        yield header
    if meta := _codec(_meta_charset(data), from_meta=True):
        yield meta
    yield "utf-8"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, encoding: str | None) -> tuple[str | None, str]:
    """(text or None, codec): None when the bytes may go to libxml2 as UTF-8 as they are.

    The common case — UTF-8 by header and/or meta, or no declaration at all — is not decoded
    in Python (libxml2 decodes anyway, and turns a stray invalid byte into U+FFFD as Python's
    "replace" would). Only a conflict (header UTF-8, meta windows-1258) costs a validation.
    """
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or data[:3] == codecs.BOM_UTF8:
        for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
            if data.startswith(bom):
                return data.decode(name, "replace"), name
    header = _codec(encoding)
    if header in (None, "utf-8"):
        meta = _codec(_meta_charset(data), from_meta=True)
        if meta in (None, "utf-8") or (meta in _ASCII_SUPERSETS and data.isascii()):
            return None, "utf-8"
        if header == "utf-8" and _is_utf8(data):
            return None, "utf-8"  # the server's UTF-8 is right, the meta tag is stale
        header = None             # the page's own charset decides
    first_choice = None
    for name in _candidates(data, header):
        first_choice = first_choice or name
        if name in _ASCII_SUPERSETS and data.isascii():
            return None, "utf-8"  # pure ASCII reads the same in all of them
        if name == "utf-8":
            if _is_utf8(data):
                return None, "utf-8"
            continue
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    fallback = first_choice or "utf-8"
    return data.decode(fallback, "replace"), fallback


def decode_html(data: str | bytes, encoding: str | None = None) -> str:
    """The page as text: BOM, then ``encoding`` (the HTTP charset), then ``<meta charset>``, then UTF-8.

    A charset that cannot decode the bytes strictly is skipped for the next one (a server that
    claims UTF-8 for a windows-1258 page still gets the page's own meta charset); the last resort
    decodes with replacement characters. windows-1258 writes tones as combining marks, so the
    text is NFC'd.
    """
    if isinstance(data, str):
        return nfc(data)
    text, name = _decode(data, encoding)
    return nfc(data.decode(name, "replace") if text is None else text)


_local = threading.local()


def _parser(encoding: str | None = None) -> etree.HTMLParser:
    # lxml parsers must not be shared between threads: one per thread (and input encoding).
    parsers = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    parser = parsers.get(encoding)
    if parser is None:
        parser = parsers[encoding] = etree.HTMLParser(remove_pis=True, no_network=True, encoding=encoding)
    return parser


def parse_html(data: str | bytes, encoding: str | None = None) -> etree._Element:
    """Decode and parse a page once; raises NotAnArticle for an empty or unparseable page.

    UTF-8 bytes go to libxml2 as they are (told they are UTF-8, whatever a meta tag says);
    anything else is decoded in Python first. Text is NFC'd field by field, not here (NFC of a
    whole page costs more than a parse; only the fields that need it pay for it).
    """
    if isinstance(data, bytes):
        text, _ = _decode(data, encoding)
        if text is None:
            if not data.strip():
                raise NotAnArticle("empty page")
            return _fromstring(data, "utf-8")
    else:
        text = data
    if text.lstrip().startswith("<?xml"):
        text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise NotAnArticle("empty page")
    return _fromstring(text, None)


def _fromstring(data: str | bytes, encoding: str | None) -> etree._Element:
    try:
        root = etree.fromstring(data, _parser(encoding))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NotAnArticle(f"unparseable page: {exc}") from None
    if root is None:
        raise NotAnArticle("empty page")
    return root


def text_of(el: etree._Element | None) -> str:
    """Clean text of an element (all descendants), '' for None."""
    if el is None:
        return ""
    return clean_text(visible_text(el))


def first(xpath: etree.XPath, node: etree._Element) -> Any:
    """First result of a compiled XPath, or None."""
    found = xpath(node)
    return found[0] if found else None


def iso_date(text: str | None, now: datetime | None = None) -> str | None:
    """'28.2.2018 - 9:21' -> '2018-02-28T09:21:00+07:00' via normalize.dates; None if unparseable.

    ``now`` (the fetch time) anchors relative dates ("2 giờ trước"), so a re-extraction of an
    old capture gives the date the crawl gave."""
    if not text:
        return None
    dt = parse_date(text, now=now)
    return format_iso(dt) if dt is not None else None


def fetch_time(fetched_at: str) -> datetime | None:
    """The fetch instant of a record's ``fetched_at`` ('2026-03-08T00:00:00+00:00' or '…Z'), None
    when it is no ISO instant."""
    try:
        return datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None


# --- the parser base ----------------------------------------------------------------------------
class ArticleParser:
    """One site layout. Subclasses define ``matches`` and one short method per field.

    Each field method is pure over ``self.root`` (the parsed page) and ``self.response_url``;
    ``content`` (the body walk) is computed once and shared by body/author/source/images/html.
    """

    extractor: ClassVar[str] = "base/v0"
    CHROME: ClassVar[ChromeTable] = PORTAL_CHROME
    """Chrome lines this layout drops from a body: the portal-common table, plus its own."""

    def __init__(self, root: etree._Element, response_url: str) -> None:
        self.root = root
        self.response_url = response_url
        self.now: datetime | None = None   # the fetch time, set by ``record``

    @classmethod
    def matches(cls, root: etree._Element) -> bool:
        """True when the page has this layout."""
        raise NotImplementedError

    @classmethod
    def detect(cls, root: etree._Element, response_url: str) -> "ArticleParser | None":
        """A parser for the page when it has this layout (what ``matches`` found is reused)."""
        return cls(root, response_url) if cls.matches(root) else None

    # -- fields every layout has the same way --
    def url(self) -> str:
        """Canonical URL: ``<link rel=canonical>`` resolved against the response URL, else the
        response URL; fragment and tracking query dropped. A canonical of another origin is
        ignored (the record's ``url`` stays on the site). A canonical that names no article
        (CMSs that point every page at the home page) loses to a response URL that does."""
        response = canonical_url(self.response_url)
        href = first(S.CANONICAL_HREF, self.root)
        if href is None:
            href = first(S.CANONICAL_HREF_ANYWHERE, self.root)
        canonical = absolute_url(href, self.response_url) if href else None
        if canonical is None or not same_origin(canonical, self.response_url):
            return response  # a canonical off the site (another host, port or scheme) is ignored
        canonical = canonical_url(canonical)
        if article_id_from_url(canonical) is None and article_id_from_url(response) is not None:
            return response
        return canonical

    def title(self) -> str | None:
        raise NotImplementedError

    def subtitle(self) -> str | None:
        return None

    def category(self) -> str | None:
        return None

    def published_raw(self) -> str | None:
        return None

    def published(self) -> str | None:
        return iso_date(self.published_raw(), self.now)

    def modified(self) -> str | None:
        return None

    @cached_property
    def content(self) -> Content:
        raise NotImplementedError

    def body(self) -> str:
        return self.content.body

    def word_count(self) -> int:
        """== ``normalize.text.word_count(self.body())``, counted on the clean paragraphs (a layout
        whose ``body`` is not ``content.body`` overrides this too)."""
        return self.content.word_count

    def author(self) -> str | None:
        return self.content.author

    def source(self) -> str | None:
        return self.content.source

    def body_html(self) -> str | None:
        return None

    def images(self) -> list[dict[str, str | None]]:
        return self.content.images

    def attachments(self) -> list[dict[str, str]]:
        return []

    def article_id(self, url: str) -> str | None:
        """The id the canonical (else the response) URL carries, else a hash of the canonical."""
        return record_id_for(url, self.response_url)

    def record(self, *, site: str, fetched_at: str) -> dict[str, Any]:
        """The record (every schema field but ``warc``/``version``); NotAnArticle if it has none."""
        self.now = fetch_time(fetched_at)
        title = self.title()
        if not title:
            raise NotAnArticle(f"{self.extractor}: no title")
        body = self.body()
        if not body:
            raise NotAnArticle(f"{self.extractor}: empty body")
        url = self.url()
        article_id = self.article_id(url)
        if article_id is None:
            raise NotAnArticle(f"{self.extractor}: no article id in {url}")
        return {
            "schema_version": SCHEMA_VERSION,
            "id": f"{site}:{article_id}",
            "url": url,
            "site": site,
            "category": self.category(),
            "title": title,
            "subtitle": self.subtitle(),
            "published": self.published(),
            "published_raw": self.published_raw(),
            "modified": self.modified(),
            "author": self.author(),
            "source": self.source(),
            "body": body,
            "body_html": self.body_html(),
            "images": self.images(),
            "attachments": self.attachments(),
            "language": LANGUAGE,
            "word_count": self.word_count(),
            "content_sha256": sha256_hex(body),
            "fetched_at": fetched_at,
            "extractor": self.extractor,
        }
