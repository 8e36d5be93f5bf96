"""Pipeline 400: one record per article id, whatever URL reached it."""
from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from dvarchive.pipelines import as_record
from dvarchive.stats import DROPPED_DUPLICATE


class DedupePipeline:
    """Drops a second record with an id already exported in this run (counted)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen_ids: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DedupePipeline":
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        record_id = as_record(item)["id"]
        if record_id in self.seen_ids:
            self.stats.inc_value(DROPPED_DUPLICATE)
            raise DropItem(f"duplicate article {record_id}", log_level="INFO")
        self.seen_ids.add(record_id)
        return item
