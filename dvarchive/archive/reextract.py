"""Re-extraction: rebuild article records from archived responses, without the network.

Each archived 200 ``text/html`` response whose URL path ends in ``-<digits>.html``, or that
reads as an article (``pages.structure.looks_like_article``, as the ``portal`` spider's generic
discovery decided during the crawl; its category chosen from the breadcrumb and the menu of the
WARC's first page), goes through the same steps as during the crawl: ``extract_record`` (with ``fetched_at`` = the
capture's WARC-Date, which the crawl stamped from the same instant), ``normalize_record``,
schema validation; ``warc`` points at the capture. The page is decoded as Scrapy decoded it
during the crawl: the charset of the archived Content-Type, resolved by Scrapy's own rules
(so ``iso-8859-1`` means ``cp1252``, as in browsers), else the page's declared charset.
When an article was captured several times, the latest capture wins. Attachments get the
``sha256`` and ``media_type`` of their captured bytes (the crawl's ``--attachments`` put them
in the WARC), following a captured redirect; a failed fetch gives nulls, as during the crawl.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from dvarchive.archive.warc import ArchivedResponse, iter_responses, warc_series
from dvarchive.timeutil import parse_utc_iso

ARTICLE_PATH = re.compile(r"-\d+\.html$")
WARC_SUFFIXES = (".warc.gz", ".warc")


@dataclass
class ReextractResult:
    captures: int = 0  # response records read
    article_captures: int = 0  # of which 200 text/html article pages
    superseded: int = 0  # older captures of an article captured again later
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> records

    @property
    def records(self) -> int:
        return self.article_captures - self.superseded - sum(self.dropped.values())


def expand_warc_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Each file with its rotated continuations (``crawl-00001.warc.gz`` …, as ``package --warc``
    takes them); a directory stands for its ``*.warc.gz`` / ``*.warc`` files, sorted; each once."""
    expanded: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            expanded += sorted(p for p in path.iterdir() if p.name.endswith(WARC_SUFFIXES))
        elif path.is_file():
            expanded += warc_series(path)
        else:
            expanded.append(path)  # missing: the command names it
    return list(dict.fromkeys(expanded))


HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_article_capture(capture: ArchivedResponse) -> bool:
    """A 200 HTML response for an article URL (``/<category>/<slug>-<id>.html``)."""
    if capture.status != 200 or not ARTICLE_PATH.search(urlsplit(capture.url).path):
        return False
    return is_html_capture(capture)


def is_html_capture(capture: ArchivedResponse) -> bool:
    content_type = capture.content_type
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_TYPES
    from scrapy.http import HtmlResponse
    from scrapy.responsetypes import responsetypes

    return issubclass(responsetypes.from_args(url=capture.url, body=capture.body), HtmlResponse)


def capture_encoding(capture: ArchivedResponse) -> str | None:
    """The encoding the crawl passed to ``extract_record``: Scrapy's reading of this page."""
    from scrapy.http import Headers, HtmlResponse

    headers = Headers()
    for name, value in capture.headers:
        headers.appendlist(name, value.encode("latin-1", "replace"))
    return HtmlResponse(url=capture.url, headers=headers, body=capture.body).encoding


def generic_article_root(capture: ArchivedResponse) -> Any | None:
    """The parsed page of a 200 HTML capture at any URL that reads as an article (what the
    ``portal`` spider's generic discovery archived: ``pages.structure.looks_like_article``)."""
    from dvarchive.pages import NotAnArticle
    from dvarchive.pages.base import parse_html
    from dvarchive.pages.structure import looks_like_article

    if capture.status != 200 or not is_html_capture(capture):
        return None
    try:
        root = parse_html(capture.body, capture_encoding(capture))
    except NotAnArticle:
        return None
    return root if looks_like_article(root) else None


def menu_names(capture: ArchivedResponse) -> list[str]:
    """The main menu's entries on a page (the crawl's first page, its start URL)."""
    from dvarchive.pages import NotAnArticle
    from dvarchive.pages.base import parse_html
    from dvarchive.pages.structure import menu_entries

    try:
        return [name for name, _ in menu_entries(parse_html(capture.body, capture_encoding(capture)), capture.url)]
    except NotAnArticle:
        return []


def record_from_capture(capture: ArchivedResponse, *, site: str, root: Any | None = None,
                        menu: Iterable[str] = ()) -> dict[str, Any]:
    """Extract + normalize one capture (raises ``NotAnArticle``); ``warc`` set, not validated.

    ``root``: the page of a capture found by what it holds (generic discovery), whose category
    is chosen as the crawl chose it (breadcrumb entry in the ``menu``, else the page's own)."""
    from dvarchive.pages import extract_record
    from dvarchive.pages.structure import breadcrumb_names, pick_category
    from dvarchive.normalize.record import normalize_record

    record = extract_record(capture.url, capture.body, site=site, fetched_at=capture.warc_date,
                            encoding=capture_encoding(capture))
    if root is not None and str(record.get("extractor", "")).startswith("generic/"):
        record["category"] = pick_category(breadcrumb_names(root), record, menu, None)
    record = normalize_record(record)
    record["warc"] = capture.warc_ref
    return record


def media_type_of(content_type: str | None) -> str | None:
    """An attachment's ``media_type``: the Content-Type without parameters, lower case (as the crawl)."""
    return content_type.split(";", 1)[0].strip().lower() or None if content_type else None


@dataclass
class AttachmentCaptures:
    """What the WARC holds for documents: digests of 200 responses, redirects, failed fetches."""

    digests: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)

    def add(self, capture: ArchivedResponse) -> None:
        if capture.status == 200:
            self.digests[capture.url] = (hashlib.sha256(capture.body).hexdigest(),
                                         media_type_of(capture.content_type))
        elif 300 <= capture.status < 400 and capture.header("Location"):
            self.redirects[capture.url] = urljoin(capture.url, capture.header("Location") or "")
        else:
            self.digests.setdefault(capture.url, (None, None))  # fetched, failed: null, as the crawl

    def lookup(self, url: str) -> tuple[str | None, str | None] | None:
        seen = set()
        while url in self.redirects and url not in self.digests and url not in seen:
            seen.add(url)
            url = self.redirects[url]
        return self.digests.get(url)

    def fill(self, record: dict[str, Any]) -> None:
        """Give the record's attachments the sha256 and media type of their captured bytes."""
        for attachment in record.get("attachments") or []:
            found = self.lookup(attachment["url"])
            if found is not None:
                attachment["sha256"], attachment["media_type"] = found


def iter_reextracted(
    paths: Iterable[str | os.PathLike[str]], *, site: str, result: ReextractResult,
    attachments: AttachmentCaptures | None = None,
) -> Iterator[tuple[ArchivedResponse, dict[str, Any]]]:
    """Valid records of every article capture, in WARC order; drops counted in ``result``.

    Every other capture goes into ``attachments`` (documents are fetched after their article).
    """
    from dvarchive.pages import NotAnArticle
    from dvarchive.schema import validation_errors

    menu: list[str] | None = None
    for capture in iter_responses(paths):
        result.captures += 1
        root = None
        if menu is None and capture.status == 200 and is_html_capture(capture):
            menu = menu_names(capture)  # the crawl's first page: its start URL
        if not is_article_capture(capture) and (root := generic_article_root(capture)) is None:
            if attachments is not None:
                attachments.add(capture)
            continue
        result.article_captures += 1
        try:
            record = record_from_capture(capture, site=site, root=root, menu=menu or ())
        except NotAnArticle:
            result.dropped["not an article"] += 1
            continue
        except Exception as exc:  # an extractor bug costs one page, as during the crawl
            result.dropped[f"extraction error: {type(exc).__name__}"] += 1
            continue
        reasons = validation_errors(record)
        if reasons:
            result.dropped[f"invalid: {reasons[0]}"] += 1
            continue
        yield capture, record


def reextract(
    paths: Iterable[str | os.PathLike[str]], *, site: str = "danvan"
) -> tuple[list[dict[str, Any]], ReextractResult]:
    """Records rebuilt from the WARC files, one per article id (latest capture), sorted."""
    from dvarchive.archive.package import sort_key

    result = ReextractResult()
    documents = AttachmentCaptures()
    latest: dict[str, tuple[Any, dict[str, Any]]] = {}
    for order, (capture, record) in enumerate(iter_reextracted(expand_warc_paths(paths), site=site,
                                                               result=result, attachments=documents)):
        recency = (parse_utc_iso(capture.warc_date), order)
        if record["id"] in latest:
            result.superseded += 1
            if recency < latest[record["id"]][0]:
                continue
        latest[record["id"]] = (recency, record)
    for _, record in latest.values():
        documents.fill(record)
    return sorted((record for _, record in latest.values()), key=sort_key), result


def write_jsonl_atomic(records: Iterable[dict[str, Any]], output: Path) -> int:
    """Write the records (their one byte form, :mod:`dvarchive.records`) atomically to ``output``."""
    from dvarchive.atomic import write_atomic
    from dvarchive.records import record_bytes

    return write_atomic(output, (record_bytes(record) for record in records))
