"""The ``portal`` spider's recurring-crawl routes on real replica pages (``HtmlResponse``, no network):
known articles not requested, pagers of listings walked before stopped, walked listings reported only
by a crawl that ran to its end."""
from __future__ import annotations

from typing import Any

import pytest
from scrapy.http import Request
from helpers.portal import H, SP, response, spider

from dvarchive.discovery.recurrence import Recurrence
from dvarchive.spiders.portal import PortalSpider
from dvarchive.state.extension import category_exhausted

CATEGORY = SP.categories[0]
FIRST = H + SP.listing_url(CATEGORY).replace("&amp;", "&")
LISTED = {H + SP.article_path(a) for a in SP.page_of(SP.listing(CATEGORY), 1)}


def first_page(crawl: PortalSpider) -> list[Request]:
    crawl.requested.add(crawl.normalize(FIRST))
    page = SP.listing_page(CATEGORY, 1, None, "")
    return [r for r in crawl.parse_page(response(FIRST, page), "Tin hoạt động", 1) if isinstance(r, Request)]


def pager(requests: list[Request]) -> list[Request]:
    return [r for r in requests if r.cb_kwargs.get("chain")]


@pytest.mark.parametrize("complete, pages", [(False, True), (True, False)])
def test_known_articles_are_not_requested_and_a_walked_listing_stops(complete: bool, pages: bool) -> None:
    crawl = spider()
    first = crawl.normalize(FIRST)
    crawl.memory = Recurrence(known={crawl.normalize(u) for u in LISTED}, complete={first} if complete else set())
    requests = first_page(crawl)
    assert not {r.url for r in requests} & LISTED
    assert crawl.memory.skipped == len(LISTED)
    assert bool(pager(requests)) is pages            # a listing not walked before is paged on


def test_an_unknown_article_leads_to_the_next_page_only() -> None:
    crawl = spider()
    first = crawl.normalize(FIRST)
    newest, *rest = sorted(LISTED)
    crawl.memory = Recurrence(known={crawl.normalize(u) for u in rest}, complete={first})
    requests = first_page(crawl)
    assert [r.url for r in requests if r.url in LISTED] == [newest]
    assert len(pager(requests)) == 1 and pager(requests)[0].cb_kwargs["chain"] == first


@pytest.mark.parametrize("reason, limit, reported", [
    ("finished", 0, True), ("shutdown", 0, False), ("finished", 3, False),
])
def test_walked_listings_are_reported_only_by_a_crawl_that_ran_to_its_end(reason: str, limit: int,
                                                                          reported: bool) -> None:
    crawl = spider()
    first_page(crawl)                                                # starts the listing's chain
    crawl.max_articles, crawl.archived = limit or None, 3
    sent: list[dict[str, Any]] = []
    crawl.crawler.signals.connect(lambda **kw: sent.append(kw), signal=category_exhausted, weak=False)
    crawl.report_walked(reason)
    assert [s["slug"] for s in sent] == ([crawl.normalize(FIRST)] if reported else [])
