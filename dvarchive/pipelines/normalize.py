"""Pipeline 100: every string of a record in NFC with folded spaces — a safety net after extraction."""
from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from dvarchive.items import Record
from dvarchive.normalize.record import normalize_record
from dvarchive.normalize.text import looks_like_tcvn3_mojibake
from dvarchive.pipelines import as_record
from dvarchive.stats import NORMALIZE_MOJIBAKE_PREFIX, NORMALIZE_NFC_FIXED

logger = logging.getLogger(__name__)

# Fields whose text a reader sees; checked for legacy-encoding mojibake.
TEXT_FIELDS = ("title", "subtitle", "body", "author", "source")


def mojibake_fields(record: Record) -> list[str]:
    """Names of text fields that look like TCVN3/VNI text decoded with the wrong charset."""
    return [f for f in TEXT_FIELDS if isinstance(record.get(f), str) and looks_like_tcvn3_mojibake(record[f])]


class NormalizePipeline:
    """Counts what it had to fix (``dvarchive/normalize/nfc_fixed``) and mojibake it will not fix."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "NormalizePipeline":
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Record:
        record = as_record(item)
        normalized = normalize_record(record)
        if normalized != record:
            self.stats.inc_value(NORMALIZE_NFC_FIXED)
        for field in mojibake_fields(normalized):
            self.stats.inc_value(f"{NORMALIZE_MOJIBAKE_PREFIX}{field}")
            logger.warning("Legacy-encoding mojibake in %s of %s (kept as is)", field, normalized.get("url"))
        return normalized
