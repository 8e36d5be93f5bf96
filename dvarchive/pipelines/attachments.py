"""Pipeline 200: download each record's documents through the engine; digest them; save them.

Built on Scrapy's :class:`~scrapy.pipelines.media.MediaPipeline`: requests go through
``crawler.engine.download`` and so through every downloader middleware — the origin scope
(an off-site document or redirect hop is refused), robots.txt, retries and the WARC writer, which
captures the bytes. Each URL is fetched once per crawl (a document shared by two articles is
digested once). With ``DVARCHIVE_ATTACHMENTS_DIR`` each article's documents are saved under
``DIR/<article id>/<portable name>``; two different files under one name are both kept
(:func:`~dvarchive.normalize.filenames.distinct_name`). A record's ``sha256`` always names
bytes that were kept — on disk when a folder is given, else in the crawl's WARC — or is null
(``attachments/not_kept``: with neither a folder nor a WARC the bytes are kept nowhere).
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, cast

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.pipelines.media import FileInfo, FileInfoOrError, MediaPipeline
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from dvarchive import stats as names
from dvarchive.archive.warc import WARC_META
from dvarchive.atomic import AtomicFile
from dvarchive.normalize.filenames import distinct_name, filename_from_url, safe_filename
from dvarchive.pipelines import as_record
from dvarchive.normalize.urlparts import is_same_site

logger = logging.getLogger(__name__)


class AttachmentInfo(FileInfo):
    """What one download gave: Scrapy's file info (``checksum`` = sha256) plus the media type."""

    media_type: str | None
    in_warc: bool


class AttachmentFailed(Exception):
    """A document that could not be had (status, network, size limit): its digests stay null."""


class AttachmentsPipeline(MediaPipeline):
    """Enabled by ``DVARCHIVE_ATTACHMENTS`` or ``DVARCHIVE_ATTACHMENTS_DIR`` (``--attachments[-dir]``)."""

    LOG_FAILED_RESULTS = False  # a failed document is counted and logged once, as a warning

    def __init__(self, *, crawler: Crawler, folder: Path | None, start_url: str, maxsize: int) -> None:
        super().__init__(crawler=crawler)
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats
        self.folder = folder
        self.start_url = start_url
        self.maxsize = maxsize

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AttachmentsPipeline":
        settings = crawler.settings
        folder = settings.get("DVARCHIVE_ATTACHMENTS_DIR") or None
        if not (settings.getbool("DVARCHIVE_ATTACHMENTS") or folder):
            raise NotConfigured  # attachments are not downloaded (no argument: no "Disabled" warning)
        if not folder and not settings.get("WARC_PATH"):
            logger.warning("Attachments are downloaded but kept nowhere (no WARC, no attachments folder): "
                           "their sha256 stays null; add --warc FILE or --attachments-dir DIR")
        return cls(crawler=crawler, folder=Path(folder) if folder else None,
                   start_url=settings.get("DVARCHIVE_START_URL", ""),
                   maxsize=settings.getint("DVARCHIVE_ATTACHMENT_MAXSIZE"))

    # --- MediaPipeline hooks ---------------------------------------------------------------------
    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        requests = []
        for attachment in as_record(item).get("attachments") or []:
            attachment.update(sha256=None, media_type=None)
            if is_same_site(attachment["url"], self.start_url):
                requests.append(Request(attachment["url"], meta={"download_maxsize": self.maxsize}))
            else:
                self.stats.inc_value(names.ATTACHMENTS_OFFSITE)
        return requests

    def media_to_download(self, request: Request, info: MediaPipeline.SpiderInfo, *,
                          item: Any = None) -> None:
        return None

    def media_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo, *,
                         item: Any = None) -> AttachmentInfo:
        if response.status != 200:
            raise AttachmentFailed(f"answered {response.status}")
        digest = hashlib.sha256(response.body).hexdigest()
        content_type = response.headers.get("Content-Type")
        media_type = content_type.decode("latin-1").split(";", 1)[0].strip().lower() if content_type else None
        self.stats.inc_value(names.ATTACHMENTS_FETCHED)
        path = self.save(as_record(item), request.url, digest, response.body) if self.folder else ""
        return AttachmentInfo(url=request.url, checksum=digest, path=path, status="downloaded",
                              media_type=media_type, in_warc=WARC_META in response.meta)

    def media_failed(self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo) -> Failure:
        self.stats.inc_value(names.ATTACHMENTS_FAILED)
        logger.warning("Attachment not fetched: %s (%s)", request.url, failure.getErrorMessage())
        failure.raiseException()
        return failure  # not reached: raiseException raises

    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:
        return filename_from_url(request.url)

    def item_completed(self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        record = as_record(item)
        by_url: dict[str, AttachmentInfo] = {
            value["url"]: cast(AttachmentInfo, value) for ok, value in results
            if ok and isinstance(value, dict) and "media_type" in value
        }
        for attachment in record.get("attachments") or []:
            if (found := by_url.get(attachment["url"])) is not None:
                self.apply(record, attachment, found)
        return item

    # --- saving --------------------------------------------------------------------------------------
    def apply(self, record: dict[str, Any], attachment: dict[str, Any], found: AttachmentInfo) -> None:
        """Digests onto the record — only when the bytes are where the record says."""
        digest = found["checksum"]
        if digest is None:
            return
        if self.folder is None and not found["in_warc"]:
            self.stats.inc_value(names.ATTACHMENTS_NOT_KEPT)
            attachment.update(media_type=found["media_type"])
            return
        if self.folder is not None:
            source = Path(found["path"]) if found["path"] else None
            if source is None or not source.is_file():
                return
            if source.parent != self.article_folder(record):  # fetched for another article
                body = source.read_bytes()
                if not self.save(record, attachment["url"], digest, body):
                    return
        attachment.update(sha256=digest, media_type=found["media_type"])

    def article_folder(self, record: dict[str, Any]) -> Path:
        assert self.folder is not None
        return self.folder.resolve() / safe_filename(str(record["id"]).split(":", 1)[-1])

    def save(self, record: dict[str, Any], url: str, digest: str, body: bytes) -> str:
        """Write ``body`` into the article's folder under a free portable name; '' on failure."""
        name = filename_from_url(url)
        try:
            target = free_target(self.article_folder(record), name, digest)
            if target.exists():
                return str(target)  # these very bytes are there already
            if target.name != name:
                self.stats.inc_value(names.ATTACHMENTS_RENAMED)
            with AtomicFile(target) as file:
                file.write(body)
        except OSError as exc:
            self.stats.inc_value(names.ATTACHMENTS_WRITE_FAILED)
            logger.error("Attachment %s not saved: %s", url, exc)
            return ""
        self.stats.inc_value(names.ATTACHMENTS_SAVED)
        self.stats.inc_value(names.ATTACHMENTS_SAVED_BYTES, len(body))
        return str(target)


def free_target(folder: Path, name: str, digest: str) -> Path:
    """Where bytes with ``digest`` go in ``folder``: ``name``, unless a file with other bytes has it.

    Names are compared case-insensitively (Windows and macOS folders are); an existing file with
    the same bytes is reused. The digest-tagged name of other bytes is unique by construction.
    """
    folder.mkdir(parents=True, exist_ok=True)
    taken = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    for candidate in (name, distinct_name(name, digest)):
        existing = taken.get(candidate.casefold())
        if existing is None:
            return folder / candidate
        if file_sha256(existing) == digest:
            return existing
    return folder / distinct_name(name, digest, chars=len(digest))  # only on a 48-bit tag collision


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
