"""The crawl path's downloader middlewares on real Scrapy requests and responses.

ConditionalRequestMiddleware over a real SQLite crawl state; OriginScopeMiddleware's origin rule.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from dvarchive.middlewares import OriginScopeMiddleware, OutsideOrigin
from dvarchive.state import CrawlState
from dvarchive.state.extension import CRAWL_STATE_ATTR
from dvarchive.state.middleware import ARTICLE_META, KNOWN_ID_META, ConditionalRequestMiddleware, PageHandled

URL = "http://site.test/tin-hoat-dong/bai-viet-1234.html"


def record(article_id: str = "1234") -> dict[str, Any]:
    return {"id": f"danvan:{article_id}", "url": URL, "title": "t", "body": "b", "content_sha256": "0" * 64}


@pytest.fixture()
def state(tmp_path: Path) -> Any:
    with CrawlState.open(tmp_path / "state") as opened:
        opened.begin_run("full", "http://site.test/", "2026-01-01T00:00:00Z")
        yield opened


def middleware(state: CrawlState | None) -> ConditionalRequestMiddleware:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    if state is not None:
        setattr(crawler, CRAWL_STATE_ATTR, state)
    return ConditionalRequestMiddleware.from_crawler(crawler)


def answer(request: Request, status: int, **headers: str) -> Response:
    return HtmlResponse(url=request.url, status=status, body=b"<html></html>", headers=headers, request=request)


def test_validators_of_a_200_are_kept_and_sent_next_time(state: CrawlState) -> None:
    mw = middleware(state)
    first = Request(URL, meta={ARTICLE_META: True})
    mw.process_response(first, answer(first, 200, ETag='"v1"', **{"Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}))
    assert state.validators(URL) == ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    revisit = Request(URL, meta={ARTICLE_META: True, KNOWN_ID_META: "danvan:1234"})
    mw.process_request(revisit)
    assert revisit.headers["If-None-Match"] == b'"v1"'
    assert revisit.headers["If-Modified-Since"] == b"Mon, 01 Jan 2024 00:00:00 GMT"
    discovery = Request(URL, meta={ARTICLE_META: True})  # not known: nothing to ask "changed since?"
    mw.process_request(discovery)
    assert b"If-None-Match" not in discovery.headers


def test_304_touches_the_known_article_and_ends_there(state: CrawlState) -> None:
    state.store(record(), None)
    mw = middleware(state)
    request = Request(URL, meta={ARTICLE_META: True, KNOWN_ID_META: "danvan:1234"})
    with pytest.raises(PageHandled):
        mw.process_response(request, answer(request, 304))
    assert mw.stats.get_value("dvarchive/revisit/not_modified") == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_known_article_gone_is_withdrawn(state: CrawlState, status: int) -> None:
    state.store(record(), None)
    mw = middleware(state)
    request = Request(URL, meta={ARTICLE_META: True, KNOWN_ID_META: "danvan:1234"})
    with pytest.raises(PageHandled):
        mw.process_response(request, answer(request, status))
    assert mw.stats.get_value("dvarchive/state/withdrawn") == 1
    assert state.summary().withdrawn == 1


def test_a_listed_link_that_is_dead_is_remembered(state: CrawlState) -> None:
    mw = middleware(state)
    request = Request(URL, meta={ARTICLE_META: True})
    with pytest.raises(PageHandled):
        mw.process_response(request, answer(request, 404))
    assert mw.stats.get_value("dvarchive/state/dead_link") == 1
    assert [t.id for t in state.revisit_targets()] == ["danvan:1234"]


def test_without_a_state_gone_pages_are_still_counted_and_ended() -> None:
    mw = middleware(None)
    request = Request(URL, meta={ARTICLE_META: True})
    with pytest.raises(PageHandled):
        mw.process_response(request, answer(request, 410))
    assert mw.stats.get_value("dvarchive/gone") == 1


def test_other_requests_pass_untouched(state: CrawlState) -> None:
    mw = middleware(state)
    listing = Request("http://site.test/tin-hoat-dong/?trang=99")
    response = answer(listing, 404)
    assert mw.process_response(listing, response) is response


@pytest.mark.parametrize(("url", "inside"), [
    ("http://site.test/a", True),
    ("http://SITE.test:80/a?b#c", True),  # default port written out, host in another case
    ("http://site.test:8080/a", False),  # another port on the same host: another server
    ("https://site.test/a", False),  # another scheme
    ("http://other.test/a", False),
    ("http://site.test.evil/a", False),
    ("ftp://site.test/a", False),
    ("http://[::1]:80/a", False),
])
def test_the_origin_scope(url: str, inside: bool) -> None:
    crawler = get_crawler(Spider, {"DVARCHIVE_START_URL": "http://site.test/"})
    crawler.stats.open_spider()
    mw = OriginScopeMiddleware.from_crawler(crawler)
    if inside:
        assert mw.process_request(Request(url)) is None
    else:
        with pytest.raises(OutsideOrigin):
            mw.process_request(Request(url, meta={"redirect_times": 1}))
        assert crawler.stats.get_value("dvarchive/offsite/refused") == 1
        assert crawler.stats.get_value("dvarchive/offsite/redirect") == 1
