"""Sitemaps and feeds of a generic crawl: robots.txt ``Sitemap:`` lines (else ``/sitemap.xml``),
sitemap indexes, RSS/Atom; every page URL they list goes through the spider's ``follow`` (so a
recurring crawl requests only the unknown ones)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from dvarchive.discovery.feeds import parse_xml_source, robots_sitemaps
from dvarchive.normalize.urlparts import is_same_site

MAX_SITEMAPS = 50


class SourcesMixin:
    """Routes of the ``portal`` spider for robots.txt, sitemaps and feeds."""

    crawler: Any
    start_url: str
    sitemaps: int

    follow: Callable[..., Iterator[Request]]  # the spider's: normalize, skip known or trapped, request

    robots_seen: list[str] | None = None  # the Sitemap: lines robots.txt gave the robots middleware

    def robots_was_read(self, netloc: str, status: int, sitemaps: list[str]) -> None:
        """Handler of ``dvarchive.robots.robots_read``: keep the start host's Sitemap: lines."""
        if netloc == urlsplit(self.start_url).netloc:
            self.robots_seen = sitemaps

    def sitemap_sources(self, home_url: str) -> Iterator[Request]:
        """robots.txt's sitemaps as the robots middleware read them (one fetch of the file per
        crawl), else ``/sitemap.xml``; robots.txt is fetched here only when nothing obeys it."""
        if self.robots_seen is None:
            yield Request(urljoin(home_url, "/robots.txt"), callback=self.parse_robots, errback=self.source_failed)
            return
        for url in self.robots_seen or [urljoin(home_url, "/sitemap.xml")]:
            yield from self.source(url)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        text = response.text if isinstance(response, TextResponse) and response.status == 200 else ""
        for url in robots_sitemaps(text) or [urljoin(response.url, "/sitemap.xml")]:
            yield from self.source(url)

    def source(self, url: str) -> Iterator[Request]:
        if self.sitemaps < MAX_SITEMAPS and is_same_site(url, self.start_url):
            self.sitemaps += 1
            yield Request(url, callback=self.parse_source, errback=self.source_failed, priority=20)

    def parse_source(self, response: Response) -> Iterator[Request]:
        found = parse_xml_source(response.body) if response.status == 200 else None
        if found is None or found.kind == "unknown":
            self.crawler.stats.inc_value("dvarchive/discovery/source_unusable")
            return
        self.crawler.stats.inc_value(f"dvarchive/discovery/source/{found.kind}")
        for url in found.sitemaps:
            yield from self.source(url)
        for url in found.pages:
            yield from self.follow(url, None, hops=1, priority=40)

    def source_failed(self, failure: Failure) -> None:
        self.crawler.stats.inc_value("dvarchive/discovery/source_failed")
