"""Pipeline 150: the ``--since``/``--until`` window, applied to the record's own ``published``.

Listing and feed dates already keep most out-of-window articles from being fetched; this is the
final filter, whatever source found the article (listing, RSS, a revisit). A record without a
date is kept: the window cannot say it is outside.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from dvarchive import stats as names
from dvarchive.pipelines import as_record
from dvarchive.spiders.window import DateWindow

logger = logging.getLogger(__name__)


def published_at(record: dict[str, Any]) -> datetime | None:
    """The record's ``published`` instant (its own UTC offset kept: the site's calendar day)."""
    value = record.get("published")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class WindowPipeline:
    """Drops (counted as ``dvarchive/window/dropped``) a record published outside the window."""

    def __init__(self, stats: StatsCollector, window: DateWindow) -> None:
        self.stats = stats
        self.window = window

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "WindowPipeline":
        settings = crawler.settings
        window = DateWindow.from_text(settings.get("DVARCHIVE_SINCE") or None, settings.get("DVARCHIVE_UNTIL") or None)
        if not window.bounded or crawler.stats is None:
            raise NotConfigured  # no --since/--until (no argument: Scrapy logs no "Disabled" warning)
        return cls(crawler.stats, window)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        record = as_record(item)
        if self.window.admits(published_at(record)):
            return item
        self.stats.inc_value(names.WINDOW_DROPPED)
        raise DropItem(f"published {record.get('published')}, outside the window: {record.get('id')}",
                       log_level="INFO")
