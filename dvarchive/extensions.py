"""Crawl-wide extensions: progress lines while a crawl runs, and the layout-coverage alarm."""
from __future__ import annotations

import logging
import sys
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

from dvarchive.stats import DISCOVERY_MODE, DROPPED_PREFIX, EXTRACTED_PREFIX, LAYOUT_SHARE, PAGES_ARTICLE

logger = logging.getLogger(__name__)


def extractor_counts(stats: dict[str, Any]) -> dict[str, int]:
    """{'danvan/v1': 290, 'generic/v1': 3} from the crawl stats."""
    return {k[len(EXTRACTED_PREFIX):]: int(v) for k, v in stats.items() if k.startswith(EXTRACTED_PREFIX)}


def layout_share(stats: dict[str, Any], generic_prefix: str = "generic/") -> float | None:
    """Share of article pages the site-layout extractor handled; None before any article."""
    pages = int(stats.get(PAGES_ARTICLE, 0))
    if not pages:
        return None
    layout = sum(n for name, n in extractor_counts(stats).items() if not name.startswith(generic_prefix))
    return layout / pages


def error_count(stats: dict[str, Any]) -> int:
    return int(stats.get("log_count/ERROR", 0))


def dropped_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Top-level drop reasons (``invalid``, ``duplicate``, ``not_article``, …)."""
    return {
        k[len(DROPPED_PREFIX):]: int(v)
        for k, v in stats.items()
        if k.startswith(DROPPED_PREFIX) and "/" not in k[len(DROPPED_PREFIX):]
    }


class ExtractorCoverage:
    """Ends a crawl with a loud warning when the site layout matched too few article pages.

    A share under ``DVARCHIVE_LAYOUT_MIN_SHARE`` means the site changed its markup and the
    archive is running on the generic fallback: still an archive, but one to look at.
    """

    def __init__(self, stats: StatsCollector, min_share: float) -> None:
        self.stats = stats
        self.min_share = min_share

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ExtractorCoverage":
        ext = cls(crawler.stats, crawler.settings.getfloat("DVARCHIVE_LAYOUT_MIN_SHARE"))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        share = layout_share(self.stats.get_stats())
        if share is None:
            return
        self.stats.set_value(LAYOUT_SHARE, round(share, 4))
        if share < self.min_share and self.stats.get_value(DISCOVERY_MODE) != "generic":
            logger.error(
                "!!! LAYOUT CHANGE? The site-layout extractor matched only %.1f%% of %d article pages "
                "(minimum %.0f%%); the rest were archived by the generic fallback: %s",
                share * 100,
                self.stats.get_value(PAGES_ARTICLE),
                self.min_share * 100,
                extractor_counts(self.stats.get_stats()),
            )


class Progress:
    """One line on stderr every ``DVARCHIVE_PROGRESS_INTERVAL`` seconds while a crawl runs, and
    a last one when it closes (a crawl shorter than the interval still shows its rate).

    Enabled by ``DVARCHIVE_PROGRESS = True`` (the CLI turns it on for terminals and the demo).
    """

    def __init__(self, stats: StatsCollector, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Progress":
        if not crawler.settings.getbool("DVARCHIVE_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler.stats, crawler.settings.getfloat("DVARCHIVE_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report()

    def report(self) -> None:
        print(progress_line(self.stats.get_stats(), time.monotonic() - self.started), file=sys.stderr, flush=True)


def dropped_total(stats: dict[str, Any]) -> int:
    """Records lost, by any reason of ``dvarchive/dropped/<reason>`` (pages that were no article,
    invalid or duplicate records); the progress line and the summary show this number."""
    return sum(dropped_counts(stats).values())


def progress_line(stats: dict[str, Any], elapsed: float) -> str:
    articles = int(stats.get("item_scraped_count", 0))
    pages = int(stats.get("response_received_count", 0))
    # The summary's "dropped": a record the state found unchanged, or one outside --since/--until, is a
    # DropItem to Scrapy but no loss, and is not counted here.
    dropped = dropped_total(stats)
    rate = articles / elapsed if elapsed > 0 else 0.0
    return (
        f"[{elapsed:6.0f}s] {pages} pages fetched · {articles} articles · {dropped} dropped · "
        f"{error_count(stats)} errors · {rate:.1f} articles/s"
    )
