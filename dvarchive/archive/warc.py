"""WARC 1.1 capture of every network exchange, and a reader for the archived responses.

Capture is a downloader middleware (:class:`WarcCaptureMiddleware`) placed at priority 900:
``process_response`` runs in decreasing priority order, so it sees each response after
:class:`~dvarchive.middlewares.FetchTimeMiddleware` (950) stamped ``meta['fetched_at']`` and
before ``HttpCompressionMiddleware`` (590) decodes the body — the payload written is the
bytes the server sent. Every record is serialized by warcio (``WARCWriter``, one gzip
member per record, ``warc_version='1.1'``); nothing here writes WARC syntax by hand.

File naming and rotation (``WARC_PATH=crawl.warc.gz``)::

    crawl.warc.gz          first file of the series
    crawl-00001.warc.gz    opened when the previous file reached WARC_MAX_SIZE
    crawl-00002.warc.gz    …

WARC files are write-once evidence: a file that already exists is never appended to or
overwritten — a new crawl with the same ``WARC_PATH`` continues with the next free name of
the series. A file is rotated before the request/response pair that would take it past
``WARC_MAX_SIZE`` (only a single pair larger than the limit makes a file exceed it), and
no record is ever split across files; every file starts with its own warcinfo record.

What is reconstructed rather than copied (Scrapy does not expose the raw wire bytes):
the status line (``<protocol> <code> <standard reason phrase>``), header-name case
(Scrapy title-cases names; values and their order per name are kept), and the request
record (method, path, ``Host`` and the headers Scrapy sent). Scrapy removes chunked
transfer coding, so a received ``Transfer-Encoding`` header is written as
``X-Archive-Orig-Transfer-Encoding`` (the pywb/Wayback convention) — otherwise readers
would try to de-chunk a payload that is no longer chunked.
"""
from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dvarchive.middlewares import fetched_at
from dvarchive.timeutil import to_utc_iso, utc_now

WARC_META = "warc"
DEFAULT_MAX_SIZE = 1024**3  # 1 GB
WARC_VERSION = "1.1"
ORIG_HEADER_PREFIX = "X-Archive-Orig-"
#: Settings recorded in the warcinfo record: they shape what the crawl fetched and how.
CRAWL_SETTINGS: tuple[str, ...] = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "RANDOMIZE_DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
    "RETRY_ENABLED",
    "RETRY_TIMES",
    "DEPTH_LIMIT",
)
_SERIES_SUFFIXES = (".warc.gz", ".warc")


# --------------------------------------------------------------------------- naming


def split_series_name(path: str | os.PathLike[str]) -> tuple[Path, str, str]:
    """``dir/crawl.warc.gz`` -> ``(dir, 'crawl', '.warc.gz')``."""
    path = Path(path)
    name = path.name
    for suffix in _SERIES_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return path.parent, name[: -len(suffix)], suffix
    return path.parent, name, ""


def series_path(path: str | os.PathLike[str], index: int) -> Path:
    """File ``index`` of the series started by ``path`` (0 is ``path`` itself)."""
    if index == 0:
        return Path(path)
    parent, stem, suffix = split_series_name(path)
    return parent / f"{stem}-{index:05d}{suffix}"


def warc_series(path: str | os.PathLike[str]) -> list[Path]:
    """The existing files of the series started by ``path``, in order."""
    parent, stem, suffix = split_series_name(path)
    pattern = re.compile(rf"^{re.escape(stem)}-(\d{{5,}}){re.escape(suffix)}$")
    found = [(0, Path(path))] if Path(path).exists() else []
    if parent.is_dir():
        for child in parent.iterdir():
            match = pattern.match(child.name)
            if match:
                found.append((int(match.group(1)), child))
    return [p for _, p in sorted(found)]


# --------------------------------------------------------------------------- writer


class RotatingWarcWriter:
    """Append whole records to a series of gzip WARC files, rotating on size.

    Records are serialized into memory first and written with one ``write`` call; if
    that fails the file is truncated back, so a file never ends in a partial record.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_size: int = DEFAULT_MAX_SIZE,
        warcinfo: Mapping[str, str] | None = None,
    ) -> None:
        self.path = Path(path)
        self.max_size = max_size
        self.warcinfo: dict[str, str] = dict(warcinfo or {})
        self.builder = WARCWriter(None, gzip=True, warc_version=WARC_VERSION)
        self.files: list[Path] = []
        self._index = -1
        self._out: IO[bytes] | None = None
        self._exchanges_in_file = 0

    @property
    def current_file(self) -> Path | None:
        return self.files[-1] if self._out is not None else None

    def open(self) -> None:
        """Open the next free file of the series and write its warcinfo record."""
        if self._out is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            self._index += 1
            candidate = series_path(self.path, self._index)
            try:
                # "x": never clobber existing evidence; unbuffered: each write reaches the file.
                self._out = open(candidate, "xb", buffering=0)
            except FileExistsError:
                continue
            break
        self.files.append(candidate)
        self._exchanges_in_file = 0
        self._write_bytes(self._serialize([self._warcinfo_record(candidate.name)]))

    def write(self, records: list[ArcWarcRecord]) -> tuple[str, int]:
        """Write ``records`` contiguously; return (file basename, offset of the first).

        Rotates first when they would take the file past ``max_size`` (a file holds at
        least one exchange, so a single exchange larger than the limit still gets written).
        """
        data = self._serialize(records)
        if self._out is None:
            self.open()
        elif self._exchanges_in_file and self._out.tell() + len(data) > self.max_size:
            self.rotate()
        offset = self._write_bytes(data)
        self._exchanges_in_file += 1
        assert self.current_file is not None
        return self.current_file.name, offset

    def rotate(self) -> None:
        self.close()
        self.open()

    def close(self) -> None:
        """fsync and close the current file (no-op when none is open)."""
        if self._out is None:
            return
        out, self._out = self._out, None
        try:
            os.fsync(out.fileno())
        finally:
            out.close()

    def make_record(self, uri: str, record_type: str, **kwargs: Any) -> ArcWarcRecord:
        return self.builder.create_warc_record(uri, record_type, **kwargs)

    def _warcinfo_record(self, filename: str) -> ArcWarcRecord:
        record = self.builder.create_warcinfo_record(filename, self.warcinfo)
        record.rec_headers.replace_header("WARC-Date", to_utc_iso(utc_now()))
        return record

    @staticmethod
    def _serialize(records: list[ArcWarcRecord]) -> bytes:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)
        for record in records:
            writer.write_record(record)
        return buffer.getvalue()

    def _write_bytes(self, data: bytes) -> int:
        """Append whole records; on failure cut the file back so it never ends mid-record."""
        assert self._out is not None
        offset = self._out.tell()
        view = memoryview(data)
        try:
            while view:
                view = view[self._out.write(view):]
        except OSError:
            self._out.truncate(offset)
            self._out.seek(offset)
            raise
        return offset


# --------------------------------------------------------------------------- records


def status_line(response: Response) -> tuple[str, str]:
    """(protocol, '<code> <reason>') — Scrapy keeps the code but not the reason phrase."""
    protocol = response.protocol or "HTTP/1.1"
    if not protocol.upper().startswith("HTTP/"):
        protocol = "HTTP/2" if protocol.lower() == "h2" else "HTTP/1.1"
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    return protocol, f"{response.status} {reason}".rstrip()


def _header_lines(headers: Any) -> list[tuple[str, str]]:
    """Scrapy ``Headers`` -> [(name, value)], one line per value, bytes read as latin-1."""
    lines = []
    for name, values in headers.items():
        text_name = name.decode("latin-1")
        if text_name.lower() == "transfer-encoding":
            text_name = ORIG_HEADER_PREFIX + text_name
        for value in values:
            lines.append((text_name, value.decode("latin-1")))
    return lines


def response_record(
    writer: RotatingWarcWriter, response: Response, warc_date: str
) -> ArcWarcRecord:
    protocol, statusline = status_line(response)
    http_headers = StatusAndHeaders(statusline, _header_lines(response.headers), protocol=protocol)
    warc_headers = {"WARC-Date": warc_date}
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    if "dataloss" in response.flags:
        warc_headers["WARC-Truncated"] = "disconnect"
    body = response.body
    return writer.make_record(
        response.url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def request_record(
    writer: RotatingWarcWriter, request: Request, url: str, warc_date: str, concurrent_to: str
) -> ArcWarcRecord:
    parsed = urlparse_cached(request)
    target = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
    lines = _header_lines(request.headers)
    if not any(name.lower() == "host" for name, _ in lines):
        lines.insert(0, ("Host", parsed.netloc))
    # warcio's convention for requests: the method is the "protocol", the rest the status line.
    http_headers = StatusAndHeaders(
        f"{request.method} {target} HTTP/1.1", lines, is_http_request=True
    )
    body = request.body or b""
    return writer.make_record(
        url,
        "request",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": warc_date, "WARC-Concurrent-To": concurrent_to},
    )


# --------------------------------------------------------------------------- middleware


def crawl_warcinfo(settings: Any, start_url: str | None = None) -> dict[str, str]:
    """The warcinfo fields: software, format, robots policy and crawl-shaping settings."""
    import scrapy

    from dvarchive import __version__

    obey = settings.getbool("ROBOTSTXT_OBEY")
    info = {
        "software": f"dvarchive/{__version__} Scrapy/{scrapy.__version__} warcio",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "robots": "classic" if obey else "ignore",
        "http-header-user-agent": str(settings.get("USER_AGENT") or ""),
        "description": "Capture of a dvarchive crawl: every network response with its request",
    }
    if start_url:
        info["start-url"] = start_url
    for name in CRAWL_SETTINGS:
        value = settings.get(name)
        if value is not None:
            # Rendered as text so falsy values (0, False) are written, not skipped by warcio.
            info[f"setting-{name}"] = str(value)
    return info


class WarcCaptureMiddleware:
    """Write a ``request`` + ``response`` record pair for every response from the network.

    Settings: ``WARC_PATH`` (required; the middleware is disabled when empty) and
    ``WARC_MAX_SIZE`` (bytes, default 1 GB; see the module docstring for rotation).
    Sets ``request.meta['warc'] = {'file', 'record_id', 'offset'}`` of the response record.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, max_size: int = DEFAULT_MAX_SIZE,
        warcinfo: Mapping[str, str] | None = None,
    ) -> None:
        self.writer = RotatingWarcWriter(path, max_size=max_size, warcinfo=warcinfo)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        path = settings.get("WARC_PATH")
        if not path:
            raise NotConfigured  # off unless a WARC is asked for: no "Disabled" warning on every crawl
        max_size = settings.getint("WARC_MAX_SIZE", DEFAULT_MAX_SIZE)
        if max_size <= 0:
            raise ValueError(f"WARC_MAX_SIZE must be positive, got {max_size}")
        middleware = cls(path, max_size=max_size, warcinfo=crawl_warcinfo(settings))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        start_url = getattr(spider, "start_url", None)
        if start_url:
            self.writer.warcinfo["start-url"] = str(start_url)
        self.writer.open()

    def spider_closed(self, spider: Spider) -> None:
        self.writer.close()

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if "cached" in response.flags or urlparse_cached(response).scheme not in ("http", "https"):
            return response  # not from the network: nothing to witness
        warc_date = fetched_at(request.meta)
        resp = response_record(self.writer, response, warc_date)
        record_id = resp.rec_headers.get_header("WARC-Record-ID")
        req = request_record(self.writer, request, response.url, warc_date, record_id)
        file, offset = self.writer.write([resp, req])
        request.meta[WARC_META] = {"file": file, "record_id": record_id, "offset": offset}
        return response


# --------------------------------------------------------------------------- reader


@dataclass(frozen=True)
class ArchivedResponse:
    """One archived ``response`` record.

    ``body`` is the entity body with any Content-Encoding removed (what the page is made
    of) unless ``iter_responses(..., decode_content=False)``, which gives the payload
    exactly as stored.
    """

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    warc_date: str
    record_id: str
    file: str
    offset: int

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of the archived Content-Type, if any."""
        return charset_from_content_type(self.content_type)

    @property
    def warc_ref(self) -> dict[str, Any]:
        """The record's ``warc`` field for this capture."""
        return {"file": self.file, "record_id": self.record_id, "offset": self.offset}


def charset_from_content_type(value: str | None) -> str | None:
    if not value:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", value, re.IGNORECASE)
    return match.group(1) if match else None


class WarcReadError(ValueError):
    """A WARC file that cannot be read completely: not a WARC, truncated or corrupt."""


def iter_responses(
    paths: Iterable[str | os.PathLike[str]], *, decode_content: bool = True
) -> Iterator[ArchivedResponse]:
    """Every ``response`` record of the given WARC files, in file then record order.

    Digests are verified while reading and a short record is an error: evidence that
    does not check out raises :class:`WarcReadError` naming the file, never passes silently.
    """
    for path in paths:
        yield from _file_responses(Path(path), decode_content)


def _file_responses(path: Path, decode_content: bool) -> Iterator[ArchivedResponse]:
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream, check_digests="raise")
        records = 0
        while True:
            try:
                record = next(iterator, None)
                if record is None:
                    break
                records += 1
                archived = _archived_response(record, iterator, path, decode_content)
            except WarcReadError:
                raise
            except Exception as exc:  # warcio reports damage with assorted exception types
                raise WarcReadError(f"{path.name}: unreadable near offset {iterator.offset}: "
                                    f"{type(exc).__name__}: {_printable(str(exc))}") from exc
            if archived is not None:
                yield archived
    if not records:
        raise WarcReadError(f"{path.name}: no WARC records")


def _printable(text: str, limit: int = 120) -> str:
    """One short ASCII line (warcio quotes binary garbage in its messages)."""
    return re.sub(r"[^\x20-\x7e]", "?", " ".join(text.split()))[:limit]


def _archived_response(
    record: ArcWarcRecord, iterator: ArchiveIterator, path: Path, decode_content: bool
) -> ArchivedResponse | None:
    if record.format != "warc":
        raise WarcReadError(f"{path.name}: not a WARC file")
    if record.rec_type != "response" or not record.http_headers:
        return None
    raw = record.raw_stream.read()  # reading to the end verifies the digests
    expected = record.length - record.http_headers.total_len
    offset = iterator.get_record_offset()
    if len(raw) < expected:
        raise WarcReadError(f"{path.name}: record at offset {offset} is truncated "
                            f"({len(raw)} of {expected} payload bytes)")
    body = _decoded(record, raw) if decode_content else raw
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=int(record.http_headers.get_statuscode() or 0),
        headers=list(record.http_headers.headers),
        body=body,
        warc_date=record.rec_headers.get_header("WARC-Date"),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        file=path.name,
        offset=offset,
    )


def _decoded(record: ArcWarcRecord, raw: bytes) -> bytes:
    """The payload without its Content-Encoding (as served, if it does not decode)."""
    record.raw_stream = io.BytesIO(raw)
    try:
        return record.content_stream().read()
    except Exception:  # a server's broken gzip is part of the evidence, not a WARC fault
        return raw


def read_record_at(path: str | os.PathLike[str], offset: int) -> tuple[ArcWarcRecord, bytes]:
    """The record starting at ``offset`` (e.g. a record's ``warc.offset``) and its raw payload."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record, record.raw_stream.read()
