"""The ``portal`` spider's callbacks on real replica pages (``HtmlResponse``, no network)."""
from __future__ import annotations


import pytest
from helpers.portal import H, SITE, SP, response, spider

from dvarchive.replica import templates

def test_generic_home_requests_robots_menu_and_content_links_but_no_trap() -> None:
    crawl = spider()
    home = SP.page("Trang chủ", SP.linked(SP.articles()[:6]), "")
    out = list(crawl.parse_home(response(H + "/", home)))
    urls = [r.url for r in out]
    assert urls[0] == H + "/robots.txt"
    assert H + "/Pages/tin-tuc.aspx?CateID=1" in urls
    assert crawl.menu[H + "/Pages/tin-tuc.aspx?CateID=1"] == "Tin hoạt động"
    assert not [u for u in urls if "tim-kiem" in u or "(S(" in u or u.endswith(".apk")]
    assert crawl.crawler.stats.get_value("dvarchive/discovery/mode") == "generic"


def test_the_boards_home_keeps_the_boards_routes() -> None:
    crawl = spider()
    out = list(crawl.parse_home(response(H + "/", templates.home_page(SITE))))
    assert out and all(r.callback == crawl.parse_listing_page or "rss" in r.url for r in out)
    assert crawl.crawler.stats.get_value("dvarchive/discovery/mode") is None


def test_listing_page_passes_its_category_and_stops_its_pager_when_nothing_is_new() -> None:
    crawl = spider()
    category = SP.categories[0]
    page1 = list(crawl.parse_page(response(H + SP.listing_url(category).replace("&amp;", "&"),
                                           SP.listing_page(category, 1, None, "")), "Tin hoạt động", 1))
    listed = {H + SP.article_path(a) for a in SP.page_of(SP.listing(category), 1)}
    articles = {r.url: r.cb_kwargs["category"] for r in page1 if r.url in listed}
    assert set(articles) == listed and set(articles.values()) == {"Tin hoạt động"}
    assert any("Page=2" in r.url for r in page1)
    past_end = SP.listing_page(category, 9, None, "")
    out = list(crawl.parse_page(response(H + "/Pages/tin-tuc.aspx?CateID=1&Page=9", past_end), "Tin hoạt động", 1))
    assert not [r for r in out if "Page=10" in r.url]
    assert crawl.guard.cut["pager-end"] >= 1


def test_an_article_gives_one_record_whatever_url_reached_it() -> None:
    crawl = spider()
    article = SP.articles()[1]
    html = SP.article_page(article, H, "")
    first = [x for x in crawl.parse_page(response(H + SP.article_path(article), html), None, 2) if isinstance(x, dict)]
    again = [x for x in crawl.parse_page(response(H + f"/(S(abcdefabcdefabcdefabcdef)){SP.article_path(article)}", html),
                                         None, 2) if isinstance(x, dict)]
    assert len(first) == 1 and again == []
    record = first[0]
    assert record["url"] == H + SP.article_path(article) and record["id"] == f"t:{article.id}"
    assert record["category"] == SP.category_of(article).name and record["title"] == article.title
    assert crawl.crawler.stats.get_value("dvarchive/dropped/duplicate") == 1


@pytest.mark.parametrize("bad", ["sideways", ""])
def test_unknown_discovery_mode_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="discovery must be"):
        spider(discovery=bad)
