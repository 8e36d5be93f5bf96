"""The ``portal`` spider on replica pages without a network: a spider with real stats, a response."""
from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from dvarchive.replica import build_site
from dvarchive.replica.sharepoint import SharePointStyle
from dvarchive.spiders.portal import PortalSpider

H = "http://portal.test"
SITE = build_site(40)
SP = SharePointStyle(SITE)


def spider(**kwargs: Any) -> PortalSpider:
    crawler = Crawler(PortalSpider, Settings({"DVARCHIVE_SITE": "t"}))
    found = PortalSpider.from_crawler(crawler, start_url=H + "/", **kwargs)  # spider arguments may become settings
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.stats.open_spider()
    return found


def response(url: str, html: str, **meta: Any) -> HtmlResponse:
    request = Request(url, meta={"fetched_at": "2026-01-01T00:00:00Z", **meta})
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=request)
