"""Downloader middlewares of the project that are not about archiving or the crawl state."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from dvarchive import stats as names
from dvarchive.normalize.urlparts import url_origin
from dvarchive.timeutil import to_utc_iso, utc_now

logger = logging.getLogger(__name__)

FETCHED_AT_META = "fetched_at"


def fetched_at(meta: Mapping[str, Any]) -> str:
    """The receipt time :class:`FetchTimeMiddleware` stamped in ``meta``, else now (UTC ISO)."""
    return meta.get(FETCHED_AT_META) or to_utc_iso(utc_now())


class FetchTimeMiddleware:
    """Stamp ``meta['fetched_at']`` when a response arrives from the network.

    Sits next to the downloader so the stamp is the receipt time; the WARC writer
    and the article record both read this one value, which is what lets
    ``reextract`` reproduce ``fetched_at`` exactly.
    """

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        request.meta[FETCHED_AT_META] = to_utc_iso(utc_now())
        return response


class OutsideOrigin(IgnoreRequest):
    """A request (or redirect hop) outside the start URL's origin, refused before any contact."""


class OriginScopeMiddleware:
    """Refuse every request outside the start URL's origin (scheme, host, port).

    Placed before robots.txt handling (a refused origin's robots.txt is never fetched) and run
    for every request the engine downloads — links, feeds, attachments fetched by the pipeline,
    and each redirect hop, which re-enters the middleware chain as a new request. Scrapy's own
    offsite middleware compares host *names*; another port on the same host is another server.
    """

    def __init__(self, stats: StatsCollector, start_url: str) -> None:
        self.stats = stats
        self.start_url = start_url
        self.origin = url_origin(start_url)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "OriginScopeMiddleware":
        start_url = crawler.settings.get("DVARCHIVE_START_URL")
        if not start_url or crawler.stats is None:
            raise NotConfigured("no DVARCHIVE_START_URL")
        return cls(crawler.stats, start_url)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if url_origin(request.url) == self.origin:
            return
        redirected = bool(request.meta.get("redirect_times"))
        self.stats.inc_value(names.OFFSITE_REFUSED)
        if redirected:
            self.stats.inc_value(names.OFFSITE_REDIRECT)
        logger.warning("Refused %s%s: outside the start origin %s",
                       request.url, " (a redirect)" if redirected else "", self.start_url)
        raise OutsideOrigin(f"outside the start origin: {request.url}")
