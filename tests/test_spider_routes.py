"""The spider's callbacks on real pages, one response at a time (``scrapy.http.HtmlResponse``).

Pages are rendered by the replica's own app in this process (the markup a crawl of the replica
gets), so each route is checked without a server: what it requests next, what it counts.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.utils.test import get_crawler

from dvarchive.pages import parse_listing, parse_menu
from dvarchive.replica import build_site
from dvarchive.replica.app import ReplicaApp
from dvarchive.spiders.articles import ArticlesSpider
from dvarchive.normalize.urlparts import is_same_site
from dvarchive.spiders.discovery import ListingCursor
from dvarchive.state.middleware import ARTICLE_META

BASE = "http://danvan.test"
CATEGORY = "tin-hoat-dong"


@pytest.fixture(scope="module")
def app() -> ReplicaApp:
    return ReplicaApp(build_site(120), traps=False)


def fetch(app: ReplicaApp, path: str) -> Response:
    reply = app.handle("GET", path, {}, BASE)
    assert reply.status == 200, path
    cls = XmlResponse if path.endswith(".rss") else HtmlResponse
    return cls(url=BASE + path, body=reply.body, status=reply.status, request=Request(BASE + path),
               headers={"Content-Type": reply.content_type or "text/html; charset=utf-8"})


def spider_with(**settings: Any) -> ArticlesSpider:
    crawler = get_crawler(ArticlesSpider, {"DVARCHIVE_START_URL": BASE + "/", **settings})
    spider = ArticlesSpider.from_crawler(crawler)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return spider


def stat(spider: ArticlesSpider, key: str) -> Any:
    return spider.crawler.stats.get_value(key) if spider.crawler.stats else None


def cursor_for(app: ReplicaApp, page: int = 1, **kwargs: Any) -> ListingCursor:
    category = next(c for c in parse_menu(fetch(app, "/").body, BASE + "/") if c.slug == CATEGORY)
    return ListingCursor(category=category, page=page, **kwargs)


def by_callback(requests: list[Request]) -> dict[str, list[Request]]:
    found: dict[str, list[Request]] = {}
    for request in requests:
        found.setdefault(getattr(request.callback, "__name__", "?"), []).append(request)
    return found


# --- home ---------------------------------------------------------------------------------------
def test_home_requests_each_category_listing_and_feed(app: ReplicaApp) -> None:
    spider = spider_with()
    routed = by_callback(list(spider.parse_home(fetch(app, "/"))))
    assert len(routed["parse_listing_page"]) == len(routed["parse_rss_feed"]) == 5
    assert stat(spider, "dvarchive/categories") == 5
    assert all(is_same_site(r.url, BASE + "/") for rs in routed.values() for r in rs)
    assert {r.cb_kwargs["cursor"].page for r in routed["parse_listing_page"]} == {1}


def test_home_without_rss_requests_only_listings(app: ReplicaApp) -> None:
    routed = by_callback(list(spider_with(DVARCHIVE_RSS=False).parse_home(fetch(app, "/"))))
    assert set(routed) == {"parse_listing_page"}


def test_a_home_page_without_a_menu_is_degraded(app: ReplicaApp) -> None:
    """The crawl ran and found no category: exit 4 naming the stage (README), not 'could not run'."""
    spider = spider_with()
    not_home = HtmlResponse(url=BASE + "/", body=b"<html><body><p>Maintenance</p></body></html>")
    assert list(spider.parse_home(not_home)) == []
    assert "navigation: no category" in stat(spider, "dvarchive/degraded")
    assert not stat(spider, "dvarchive/fatal")


def test_a_home_page_answering_500_is_fatal() -> None:
    spider = spider_with()
    assert list(spider.parse_home(HtmlResponse(url=BASE + "/", status=500, body=b"error"))) == []
    assert "500" in stat(spider, "dvarchive/fatal")


# --- listings -----------------------------------------------------------------------------------
def test_listing_page_requests_its_articles_and_the_next_page(app: ReplicaApp) -> None:
    spider = spider_with()
    page = fetch(app, f"/{CATEGORY}/")
    routed = by_callback(list(spider.parse_listing_page(page, cursor_for(app))))
    listed = parse_listing(page.body, page.url)
    assert len(routed["parse_article"]) == len(listed) > 0
    assert all(r.meta[ARTICLE_META] for r in routed["parse_article"])
    (next_page,) = routed["parse_listing_page"]
    assert next_page.url.endswith("?trang=2")
    assert next_page.cb_kwargs["cursor"].previous == frozenset(item.article_id for item in listed)


def test_a_page_repeating_the_page_before_ends_the_category(app: ReplicaApp) -> None:
    spider = spider_with()
    page = fetch(app, f"/{CATEGORY}/?trang=2")
    listed = frozenset(item.article_id or item.url for item in parse_listing(page.body, page.url))
    assert list(spider.parse_listing_page(page, cursor_for(app, page=3, previous=listed))) == []
    assert stat(spider, "dvarchive/listing/repeated_stop") == 1


def test_links_per_listing_page_are_capped_and_counted(app: ReplicaApp) -> None:
    spider = spider_with(DVARCHIVE_LISTING_MAX_LINKS=3)
    page = fetch(app, f"/{CATEGORY}/")
    routed = by_callback(list(spider.parse_listing_page(page, cursor_for(app))))
    assert len(routed["parse_article"]) == 3
    assert stat(spider, "dvarchive/listing/links_capped") == 1
    assert stat(spider, "dvarchive/listing/links_dropped") == len(parse_listing(page.body, page.url)) - 3


def test_max_articles_stops_paging(app: ReplicaApp) -> None:
    spider = spider_with(DVARCHIVE_MAX_ARTICLES=2)
    routed = by_callback(list(spider.parse_listing_page(fetch(app, f"/{CATEGORY}/"), cursor_for(app))))
    assert set(routed) == {"parse_article"} and len(routed["parse_article"]) == 2
    assert stat(spider, "dvarchive/listing/max_articles_stop") == 1


def test_a_page_past_the_end_stops_paging(app: ReplicaApp) -> None:
    spider = spider_with()
    assert list(spider.parse_listing_page(fetch(app, f"/{CATEGORY}/?trang=999"), cursor_for(app, page=999))) == []
    assert stat(spider, "dvarchive/listing/empty_page") == 1


def test_the_window_skips_listed_articles_outside_it(app: ReplicaApp) -> None:
    spider = spider_with(DVARCHIVE_SINCE=str(date.today().replace(year=date.today().year + 5)))
    page = fetch(app, f"/{CATEGORY}/")
    routed = by_callback(list(spider.parse_listing_page(page, cursor_for(app))))
    assert "parse_article" not in routed and "parse_listing_page" not in routed
    assert stat(spider, "dvarchive/window/skipped") == len(parse_listing(page.body, page.url))
    assert stat(spider, "dvarchive/listing/since_stop") == 1


# --- RSS ----------------------------------------------------------------------------------------
def test_feed_items_become_article_requests(app: ReplicaApp) -> None:
    spider = spider_with()
    routed = by_callback(list(spider.parse_rss_feed(fetch(app, f"/rss/{CATEGORY}.rss"), cursor_for(app).category)))
    assert len(routed["parse_article"]) == 20
    assert stat(spider, "dvarchive/pages/rss") == 1


def test_the_window_applies_to_feed_items(app: ReplicaApp) -> None:
    feed = fetch(app, f"/rss/{CATEGORY}.rss")
    everything = list(spider_with().parse_rss_feed(feed, cursor_for(app).category))
    spider = spider_with(DVARCHIVE_UNTIL="2000-01-01")
    assert list(spider.parse_rss_feed(feed, cursor_for(app).category)) == []
    assert stat(spider, "dvarchive/window/skipped") == len(everything) == 20


def test_an_article_already_scheduled_is_not_requested_twice(app: ReplicaApp) -> None:
    spider = spider_with()
    list(spider.parse_listing_page(fetch(app, f"/{CATEGORY}/"), cursor_for(app)))
    again = by_callback(list(spider.parse_rss_feed(fetch(app, f"/rss/{CATEGORY}.rss"), cursor_for(app).category)))
    listed_on_page_1 = len(parse_listing(fetch(app, f"/{CATEGORY}/").body, BASE))
    assert len(again.get("parse_article", [])) == 20 - listed_on_page_1


def test_off_origin_links_are_skipped_and_counted() -> None:
    spider = spider_with()
    feed = XmlResponse(url=BASE + "/rss/x.rss", body=(
        b"<rss><channel><item><title>a</title><link>http://danvan.test:8080/tin-hoat-dong/a-123.html</link></item>"
        b"<item><title>b</title><link>https://danvan.test/tin-hoat-dong/b-124.html</link></item>"
        b"<item><title>c</title><link>http://danvan.test/tin-hoat-dong/c-125.html</link></item></channel></rss>"))
    requests = list(spider.parse_rss_feed(feed, None))  # type: ignore[arg-type]
    assert [r.url for r in requests] == [BASE + "/tin-hoat-dong/c-125.html"]
    assert stat(spider, "dvarchive/links/skipped") == 2


# --- articles -----------------------------------------------------------------------------------
def test_an_article_page_gives_one_record(app: ReplicaApp) -> None:
    spider = spider_with()
    page = fetch(app, f"/{CATEGORY}/")
    article_url = parse_listing(page.body, page.url)[0].url
    (record,) = list(spider.parse_article(fetch(app, article_url.removeprefix(BASE))))
    assert record["url"] == article_url and record["id"].startswith("danvan:")
    assert stat(spider, "dvarchive/pages/article") == 1


def test_a_page_that_is_no_article_is_a_counted_drop(app: ReplicaApp) -> None:
    spider = spider_with()
    empty = HtmlResponse(url=BASE + "/x-1.html", body=b"", request=Request(BASE + "/x-1.html"))
    assert list(spider.parse_article(empty)) == []
    assert stat(spider, "dvarchive/dropped/not_article") == 1


def test_spider_arguments_become_settings_and_others_stay_attributes() -> None:
    from scrapy.crawler import Crawler

    crawler = Crawler(ArticlesSpider, {})  # its settings not yet applied (frozen), as when Scrapy builds a spider
    spider = ArticlesSpider.from_crawler(crawler, start_url=BASE + "/", state_dir="/tmp/s", site="demo",
                                         rss="0", max_articles="3", _job="abc")
    settings = crawler.settings
    assert (settings["STATE_DIR"], settings["DVARCHIVE_SITE"], settings["DVARCHIVE_START_URL"]) == (
        "/tmp/s", "demo", BASE + "/")
    assert settings.getbool("DVARCHIVE_RSS") is False and settings.getint("DVARCHIVE_MAX_ARTICLES") == 3
    assert (spider.site_key, spider.use_rss, spider.plan.max_articles) == ("demo", False, 3)
    assert spider._job == "abc"  # Scrapyd's job id, as Scrapy keeps unknown arguments
