"""The crawl state's one owner in a crawl: a Scrapy extension.

``STATE_DIR`` (the one channel: ``--state``, ``-s STATE_DIR=…`` or a Scrapyd job's
``state_dir`` argument, which the spider copies into the setting) names the state. The extension
opens and locks it once, when the crawler is built; begins a run when the spider opens and ends
it when the spider closes. Components reach it as ``crawler.crawl_state`` (see
:func:`crawl_state_of`): the state pipeline stores records, the conditional-request middleware
keeps validators and gone pages, and the spider only *reads* what is known. The one thing the
spider learns that the state keeps — a category paged to its end — arrives as the
:data:`category_exhausted` signal.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from dvarchive import stats as names
from dvarchive.state.models import StateError, StateLocked
from dvarchive.state.store import CrawlState
from dvarchive.timeutil import to_utc_iso, utc_now

logger = logging.getLogger(__name__)

CRAWL_STATE_ATTR = "crawl_state"
category_exhausted = object()
"""Signal: ``send_catch_log(category_exhausted, slug=..., name=...)`` — listing paged to its end."""
article_urls_seen = object()
"""Signal: ``send_catch_log(article_urls_seen, article_id=..., urls=[...])`` — URLs (normalized) that
reached an article (generic discovery recognises a known article by its link on the next run)."""
dead_link_seen = object()
"""Signal: ``send_catch_log(dead_link_seen, article_id=..., url=..., status=...)`` — a link shaped like
the site's articles answered 404/410 before it was captured (generic discovery: not requested again)."""
article_validators_seen = object()
"""Signal: ``send_catch_log(article_validators_seen, url=..., etag=..., last_modified=...)`` — the
validators of a page generic discovery recognised as an article only after it was fetched (its request
was not marked an article, so the conditional-request middleware did not keep them): a ``--revisit``
then asks "changed since?" for it too."""
params_learned = object()
"""Signal: ``send_catch_log(params_learned, params=[...])`` — navigation parameters learned on the site."""


def crawl_state_of(crawler: Crawler) -> CrawlState | None:
    """The state the extension opened for this crawler, or None (no ``STATE_DIR``)."""
    state = getattr(crawler, CRAWL_STATE_ATTR, None)
    return state if isinstance(state, CrawlState) else None


class CrawlStateError(RuntimeError):
    """The state named by STATE_DIR could not be opened; the crawl does not start."""


class CrawlStateExtension:
    """Open/lock ``STATE_DIR`` once, run bookkeeping on spider open/close, release on close."""

    def __init__(self, crawler: Crawler, state: CrawlState, mode: str) -> None:
        self.crawler = crawler
        self.state = state
        self.mode = mode
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlStateExtension":
        directory = crawler.settings.get("STATE_DIR")
        if not directory:
            raise NotConfigured  # no STATE_DIR: off without a "Disabled" warning on every crawl
        state = open_state(crawler, Path(directory))
        mode = "revisit" if crawler.settings.getbool("DVARCHIVE_REVISIT") else (
            "incremental" if state.known_numeric_ids() else "full")
        ext = cls(crawler, state, mode)
        setattr(crawler, CRAWL_STATE_ATTR, state)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.category_exhausted, signal=category_exhausted)
        crawler.signals.connect(ext.article_urls_seen, signal=article_urls_seen)
        crawler.signals.connect(ext.params_learned, signal=params_learned)
        crawler.signals.connect(ext.dead_link_seen, signal=dead_link_seen)
        crawler.signals.connect(ext.article_validators_seen, signal=article_validators_seen)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        start_url = str(getattr(spider, "start_url", "") or "")
        try:
            self.run_id = self.state.begin_run(self.mode, start_url, to_utc_iso(utc_now()))
        except StateError as exc:  # a damaged state (e.g. a table missing): no crawl without its state
            from dvarchive.feedstorage import stop_crawl

            record_state_error(self.crawler, exc)
            logger.info("Cannot begin a run in the crawl state: %s", exc)
            stop_crawl(self.crawler, "state_error")
            return
        logger.info("Crawl state %s: run %d (%s)", self.state.directory, self.run_id, self.mode)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            if self.run_id is not None:
                stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
                self.state.end_run(
                    self.run_id, ended_at=to_utc_iso(utc_now()),
                    requests=int(stats.get("downloader/request_count", 0)),
                    errors=int(stats.get("log_count/ERROR", 0)), finish_reason=reason,
                )
        finally:
            self.state.close()

    def category_exhausted(self, slug: str, name: str, **_: Any) -> None:
        self.state.mark_backfill_complete(slug, name, to_utc_iso(utc_now()))

    def article_urls_seen(self, article_id: str, urls: list[str], **_: Any) -> None:
        self.state.remember_article_urls(article_id, urls)

    def dead_link_seen(self, article_id: str, url: str, status: int, **_: Any) -> None:
        self.state.remember_dead_link(article_id, url, status, to_utc_iso(utc_now()))

    def article_validators_seen(self, url: str, etag: str | None, last_modified: str | None, **_: Any) -> None:
        if etag or last_modified:
            self.state.set_validators(url, etag, last_modified)
            self.crawler.stats.inc_value(names.STATE_VALIDATORS)

    def params_learned(self, params: list[str], **_: Any) -> None:
        self.state.remember_learned_params(params, to_utc_iso(utc_now()))


def open_state(crawler: Crawler, directory: Path) -> CrawlState:
    """Open and lock; a failure is recorded in the stats (the runner maps it) and stops the crawl."""
    try:
        return CrawlState.open(directory)
    except StateError as exc:
        record_state_error(crawler, exc)
        # INFO: `dvarchive crawl` prints the one error line itself (from the stats); under
        # `scrapy crawl` the failed crawl's CrawlStateError says it too.
        logger.info("Cannot open the crawl state: %s", exc)
        raise CrawlStateError(str(exc)) from exc


def record_state_error(crawler: Crawler, exc: StateError) -> None:
    """In the stats, for the runner: the state's message (exit 1, or 75 when it is locked)."""
    if crawler.stats is not None:
        crawler.stats.set_value(names.STATE_ERROR, str(exc))
        crawler.stats.set_value(names.FATAL, str(exc))
        if isinstance(exc, StateLocked):
            crawler.stats.set_value(names.STATE_LOCKED, 1)
