"""Pipeline 500: store each record in the crawl state; only new and changed ones go on to the feed."""
from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from dvarchive import stats as names
from dvarchive.items import Record
from dvarchive.pipelines import as_record
from dvarchive.state import CrawlState
from dvarchive.state.extension import crawl_state_of


class StatePipeline:
    """With ``--state``, the state keeps everything and ``--output`` gets what this run captured.

    The state is the one :class:`~dvarchive.state.extension.CrawlStateExtension` opened (off
    without ``STATE_DIR``). The record is committed to SQLite (one transaction, in the run the
    extension began) before the feed sees it, so a crawl killed at any instant loses nothing it
    already reported as stored.
    """

    def __init__(self, stats: StatsCollector, state: CrawlState) -> None:
        self.stats = stats
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StatePipeline":
        state = crawl_state_of(crawler)
        if state is None or crawler.stats is None:
            raise NotConfigured  # no crawl state (no argument: Scrapy logs no "Disabled" warning)
        return cls(crawler.stats, state)

    def process_item(self, item: Any, spider: Any = None) -> Record:
        record = as_record(item)
        result = self.state.store(record, None)
        self.stats.inc_value(f"{names.STATE_PREFIX}{result.status}")
        if result.status == "unchanged":
            raise DropItem(f"unchanged since the last capture: {record['id']}", log_level="INFO")
        record["version"] = result.version
        return record
