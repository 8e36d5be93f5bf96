"""Pipeline 500: store each record in the crawl state; only new and changed ones go on to the feed."""
from __future__ import annotations

from typing import Any

from dvarchive.pipelines import as_record
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from dvarchive.items import Record


class StatePipeline:
    """With ``--state``, the state keeps everything and ``--output`` gets what this run captured.

    The record is committed to SQLite (one transaction) before the feed sees it, so a crawl
    killed at any instant loses nothing it already reported as stored.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StatePipeline":
        return cls(crawler)

    def process_item(self, item: Any, spider: Spider | None = None) -> Record:
        # Scrapy >= 2.13 passes no spider to an optional argument: ask the crawler.
        spider = self.crawler.spider
        record = as_record(item)
        crawl_state = getattr(spider, "crawl_state", None)
        if crawl_state is None:
            return record
        result = crawl_state.store(record, spider.run_id)
        self.stats.inc_value(f"dvarchive/state/{result.status}")
        if result.status == "unchanged":
            raise DropItem(f"unchanged since the last capture: {record['id']}", log_level="INFO")
        record["version"] = result.version
        return record
