"""The crawl's feed: records in their one byte form, into a file the user never loses.

* :class:`RecordLinesExporter` (``FEED_EXPORTERS['jsonlines']``) writes
  :func:`dvarchive.records.record_bytes`, the form ``export``/``reextract``/``package`` write.
* :class:`AtomicFileFeedStorage` (``FEED_STORAGES`` for local files) writes to a temp file
  beside the target (:class:`dvarchive.atomic.AtomicFile`) and, when the spider closes:
  renames it over the target if the crawl ran to its end; otherwise (interrupted, could not
  run) leaves the target as it was and keeps what it got beside it as
  ``<stem>.partial-<UTC time><suffix>``. A write that fails (disk full, file too large) is
  reported once, stops the crawl, and leaves no temp file.
* :class:`GuardedStdoutFeedStorage` writes to stdout; a reader that goes away (``| head``)
  stops the crawl quietly.

Outcomes go into the crawl stats (``OUTPUT_*``) for the runner's summary and exit code.
"""
from __future__ import annotations

import errno
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exporters import BaseItemExporter
from scrapy.extensions.feedexport import FileFeedStorage

from dvarchive.atomic import AtomicFile
from dvarchive.cli import silence_stdout
from dvarchive.records import record_bytes

logger = logging.getLogger(__name__)

OUTPUT_FAILED = "dvarchive/output/failed"  # one line: why the output could not be written
OUTPUT_PARTIAL = "dvarchive/output/partial"  # where an unfinished crawl's records were kept
OUTPUT_KEPT = "dvarchive/output/kept"  # the user's file left as it was (the crawl did not finish)
OUTPUT_COMMITTED = "dvarchive/output/committed"  # the target replaced with the complete output
OUTPUT_READER_GONE = "dvarchive/output/reader_gone"  # stdout's reader closed the pipe
CLEAN_FINISH = ("finished", "closespider_itemcount")


class RecordLinesExporter(BaseItemExporter):
    """One record per line in :func:`record_bytes` form (the ``jsonlines`` feed format)."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        kwargs.pop("encoding", None)  # always UTF-8
        super().__init__(dont_fail=True, **kwargs)
        self.file = file

    def export_item(self, item: Any) -> None:
        record = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        self.file.write(record_bytes(record))


def partial_path(target: Path, when: datetime | None = None) -> Path:
    """``articles.jsonl`` -> ``articles.partial-20260102T030405Z.jsonl`` (never an existing file)."""
    stamp = (when or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    suffix = "".join(target.suffixes[-1:])
    stem = target.name[: len(target.name) - len(suffix)] if suffix else target.name
    candidate = target.with_name(f"{stem}.partial-{stamp}{suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{stem}.partial-{stamp}-{n}{suffix}")
    return candidate


def crawl_finished_cleanly(stats: dict[str, Any]) -> bool:
    """Whether the crawl ran to its end (so its output may replace the user's file)."""
    return (stats.get("finish_reason") in CLEAN_FINISH and not stats.get("dvarchive/fatal")
            and not stats.get(OUTPUT_FAILED) and not found_nothing(stats))


def found_nothing(stats: dict[str, Any]) -> bool:
    """A degraded crawl (exit 4) that got no record: an empty file must not replace the user's."""
    return bool(stats.get("dvarchive/degraded")) and not stats.get("item_scraped_count")


def describe_os_error(exc: OSError) -> str:
    return exc.strerror or str(exc)


def stop_crawl(crawler: Crawler, reason: str) -> None:
    """Ask the engine to close the spider (from a synchronous signal handler)."""
    from scrapy.utils.defer import deferred_from_coro

    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=reason))


class _FeedFile(AtomicFile):
    """An :class:`AtomicFile` whose first failed write stops the crawl instead of raising per item."""

    storage: AtomicFileFeedStorage

    def write(self, data: bytes) -> int:
        if self.storage.error:
            return 0
        try:
            return super().write(data)
        except OSError as exc:
            self.storage.fail(exc)
            return 0

    def flush(self) -> None:
        if not self.storage.error:
            try:
                super().flush()
            except OSError as exc:
                self.storage.fail(exc)

    def close(self) -> None:
        """Scrapy may close the file; the outcome (commit / keep / discard) is decided in ``store``."""


class AtomicFileFeedStorage(FileFeedStorage):
    """``FEED_STORAGES`` entry for local files: temp file, committed only by a finished crawl."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.target = Path(self.path)
        self.crawler = crawler
        self.file: _FeedFile | None = None
        self.error: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *,
                     feed_options: dict[str, Any] | None = None) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        try:
            file = _FeedFile(self.target, append=self.write_mode == "ab")
        except OSError as exc:
            self.fail(exc)
            return _NullFile()  # type: ignore[return-value]
        file.storage = self
        self.file = file
        return file  # type: ignore[return-value]

    def fail(self, exc: OSError) -> None:
        """Record the first write failure, say it once, and stop the crawl."""
        if self.error:
            return
        self.error = f"cannot write {self.target}: {describe_os_error(exc)}"
        logger.error("%s — stopping the crawl", self.error)
        if self.crawler is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.set_value(OUTPUT_FAILED, self.error)
            stop_crawl(self.crawler, "output_failed")

    def store(self, file: IO[bytes]) -> None:
        feed = self.file
        if feed is None:
            return
        if not self.error:
            try:
                feed._sync_and_close()
            except OSError as exc:
                self.fail(exc)
        if self.error:
            feed.discard()
            return
        stats = self.crawler.stats.get_stats() if self.crawler and self.crawler.stats else {}
        # No finish_reason yet: a batch (FEED_EXPORT_BATCH_ITEM_COUNT) completed mid-crawl. At the
        # end, CoreStats (connected before the FeedExporter) has set it by the time we store.
        if self.crawler is None or "finish_reason" not in stats or crawl_finished_cleanly(stats):
            self._commit(feed)
        else:
            self._keep_partial(feed)
        return

    def _commit(self, feed: _FeedFile) -> None:
        try:
            feed.commit()
        except OSError as exc:
            self.fail(exc)
            return
        self._stat(OUTPUT_COMMITTED, str(self.target))

    def _keep_partial(self, feed: _FeedFile) -> None:
        """The crawl did not finish: the user's file stays; what we got goes beside it."""
        if self.target.exists():
            self._stat(OUTPUT_KEPT, str(self.target))
        if feed.size() == 0:
            feed.discard()
            return
        partial = partial_path(self.target)
        try:
            feed.keep_as(partial)
        except OSError as exc:
            self.fail(exc)
            return
        self._stat(OUTPUT_PARTIAL, str(partial))

    def _stat(self, key: str, value: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value(key, value)


class _NullFile:
    """Where records go once the output could not even be opened (the crawl is stopping)."""

    closed = False

    def write(self, data: bytes) -> int:
        return 0

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class GuardedStdoutFeedStorage:
    """``stdout:`` feed: records to standard output; a closed pipe stops the crawl quietly."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self.reader_gone = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *,
                     feed_options: dict[str, Any] | None = None) -> GuardedStdoutFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        return _StdoutFile(self)  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> None:
        file.flush()

    def pipe_closed(self) -> None:
        if self.reader_gone:
            return
        self.reader_gone = True
        silence_stdout()
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value(OUTPUT_READER_GONE, True)
            stop_crawl(self.crawler, "output_closed")


class _StdoutFile:
    closed = False

    def __init__(self, storage: GuardedStdoutFeedStorage) -> None:
        self.storage = storage
        self.stream = sys.stdout.buffer

    def write(self, data: bytes) -> int:
        if self.storage.reader_gone:
            return 0
        try:
            return self.stream.write(data)
        except BrokenPipeError:
            self.storage.pipe_closed()
            return 0

    def flush(self) -> None:
        if self.storage.reader_gone:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            self.storage.pipe_closed()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            self.storage.pipe_closed()

    def close(self) -> None:
        self.flush()

