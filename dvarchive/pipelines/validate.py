"""Pipeline 300: drop records that break the published schema, with a counted reason."""
from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from dvarchive.pipelines import as_record
from dvarchive.schema import validation_errors
from dvarchive.stats import DROPPED_INVALID

logger = logging.getLogger(__name__)


class ValidatePipeline:
    """Every exported record validates against ``article.schema.json``; the crawl goes on."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ValidatePipeline":
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        record = as_record(item)
        reasons = validation_errors(record)
        if not reasons:
            return item
        for reason in reasons:
            self.stats.inc_value(f"{DROPPED_INVALID}/{reason}")
        self.stats.inc_value(DROPPED_INVALID)
        raise DropItem(f"invalid record {record.get('url')}: {'; '.join(reasons)}")
