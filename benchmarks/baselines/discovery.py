"""Shared discovery of the comparison spiders: the same crawl plan as dvarchive's ``articles`` spider.

Home page -> top-level categories of ``ul#main-menu`` -> each category's listing pages
(``?trang=N``, stopping at the first page that lists no article) -> article pages, each
article requested once by its numeric site id (an article listed under two categories has two
URLs). Request priorities mirror dvarchive's (articles 1000, listing page N has priority N), so
the three crawlers walk the site in the same order. No RSS feeds (dvarchive reads six more
requests' worth of them; their articles are all duplicates of listed ones).

Subclasses implement :meth:`parse_article`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Request, Response

CATEGORY_PATH = re.compile(r"^/([a-z0-9-]+)/$")
ARTICLE_ID = re.compile(r"(?:-|/)(\d{1,12})\.html?$")
ARTICLE_PRIORITY = 1000


def article_id(url: str) -> str | None:
    """``'/x/slug-1234.html' -> '1234'``; None for other URLs.

    Its own twin of ``dvarchive.pages.urls.article_id_from_url`` on purpose: importing that loads
    ``dvarchive.pages`` (~50 ms), a cost the baseline crawler must not be charged.
    """
    match = ARTICLE_ID.search(urlsplit(url).path)
    return match.group(1) if match else None


def without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class DiscoverySpider(scrapy.Spider):
    """Home -> categories -> listings until empty -> articles (deduplicated by site id)."""

    name = "discovery"

    def __init__(self, start_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.allowed_domains = [urlsplit(start_url).hostname or ""]
        self.scheduled_ids: set[str] = set()

    async def start(self) -> Any:
        yield Request(self.start_url, callback=self.parse_home, priority=100)

    def parse_home(self, response: Response) -> Iterator[Request]:
        for li in response.css("ul#main-menu > li"):
            if li.css("ul, ol"):
                continue
            href = li.css("a::attr(href)").get()
            url = urljoin(response.url, href) if href else None
            if url and CATEGORY_PATH.match(urlsplit(url).path):
                yield self.listing_request(url, 1)

    def listing_request(self, category_url: str, page: int) -> Request:
        url = category_url if page == 1 else urljoin(category_url, f"?trang={page}")
        return Request(url, callback=self.parse_listing, priority=page,
                       cb_kwargs={"category_url": category_url, "page": page})

    def parse_listing(self, response: Response, category_url: str, page: int) -> Iterator[Request]:
        hrefs = response.css("div.news-item h3 a::attr(href)").getall()
        if not hrefs:
            return
        for href in hrefs:
            request = self.article_request(urljoin(response.url, href))
            if request is not None:
                yield request
        yield self.listing_request(category_url, page + 1)

    def article_request(self, url: str) -> Request | None:
        site_id = article_id(url)
        if site_id is None or site_id in self.scheduled_ids:
            return None
        self.scheduled_ids.add(site_id)
        return Request(without_query(url), callback=self.parse_article, priority=ARTICLE_PRIORITY)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        raise NotImplementedError
