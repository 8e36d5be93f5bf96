"""Pipeline 100: every string of a record in NFC with folded spaces — a safety net after extraction."""
from __future__ import annotations

import logging
import unicodedata
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from dvarchive.items import Record
from dvarchive.normalize.text import looks_like_tcvn3_mojibake
from dvarchive.pipelines import as_record
from dvarchive.stats import NORMALIZE_MOJIBAKE_PREFIX, NORMALIZE_NFC_FIXED

logger = logging.getLogger(__name__)

# Fields whose text a reader sees; checked for legacy-encoding mojibake.
TEXT_FIELDS = ("title", "subtitle", "body", "author", "source")


def nfc_value(value: Any) -> Any:
    """``value`` with every string inside it in NFC (lists and dicts walked)."""
    if isinstance(value, str):
        return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc_value(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc_value(v) for k, v in value.items()}
    return value


def normalize_record(record: Record) -> Record:
    """A copy of ``record`` with every string in NFC. Pure; extraction already does this."""
    return {key: nfc_value(value) for key, value in record.items()}


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
