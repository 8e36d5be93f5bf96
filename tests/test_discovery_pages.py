"""Table tests of what discovery reads in a page: menus, pagers, breadcrumbs, feeds, sitemaps, and
whether a page is an article — on every replica style's home, listing and article page."""
from __future__ import annotations

import pytest
from lxml import etree

from dvarchive.discovery.feeds import parse_xml_source, robots_sitemaps
from dvarchive.pages.structure import (
    breadcrumb_names,
    feed_links,
    in_chrome,
    links,
    looks_like_article,
    pick_category,
    menu_entries,
    pager_links,
)
from dvarchive.pages.base import parse_html
from dvarchive.pages.navigation import GenericNavigation, detect_layout_navigation
from dvarchive.replica import build_site, templates
from dvarchive.replica.liferay import LiferayStyle
from dvarchive.replica.sharepoint import SharePointStyle
from dvarchive.replica.wordpress import WordPressStyle

SITE = build_site(40)
H = "http://portal.test"
LIFERAY, SHAREPOINT, WORDPRESS = LiferayStyle(SITE), SharePointStyle(SITE), WordPressStyle(SITE)
ARTICLE = SITE.article(SITE.live_article_ids()[2])


def tree(html: str) -> etree._Element:
    return parse_html(html)


PAGES = {
    "liferay-home": (LIFERAY.home(), False), "liferay-listing": (LIFERAY.listing_page(LIFERAY.categories[0], 1, None), False),
    "liferay-article": (LIFERAY.article_page(ARTICLE, H), True),
    "sharepoint-home": (SHAREPOINT.page("Trang chủ", SHAREPOINT.linked(SHAREPOINT.articles()[:6]), ""), False),
    "sharepoint-listing": (SHAREPOINT.listing_page(SHAREPOINT.categories[0], 1, None, ""), False),
    "sharepoint-article": (SHAREPOINT.article_page(ARTICLE, H, ""), True),
    "wordpress-month": (WORDPRESS.month_archive("201811"), False),
    "wordpress-category": (WORDPRESS.archive("Tin", WORDPRESS.articles(), 1, "/category/tin/"), False),
    "wordpress-post": (WORDPRESS.post(ARTICLE, H), True),
    "danvan-home": (templates.home_page(SITE), False),
    "danvan-listing": (templates.listing_page(SITE, "tin-hoat-dong", 1, SITE.listing("tin-hoat-dong")), False),
    "danvan-article": (templates.render_article_html(SITE, ARTICLE.id, H), True),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_articles_are_recognised_by_what_the_page_holds(name: str) -> None:
    html, is_article = PAGES[name]
    assert looks_like_article(tree(html)) is is_article


@pytest.mark.parametrize("html, names", [
    (PAGES["liferay-home"][0], {"Tin hoạt động", "Văn bản chỉ đạo", "Tin tức - Sự kiện", "Lịch công tác"}),
    (PAGES["sharepoint-listing"][0], {"Tin hoạt động", "Gương sáng dân vận", "Liên hệ"}),
    (PAGES["wordpress-post"][0], {"Tin hoạt động", "Văn bản", "Giới thiệu"}),
    (PAGES["danvan-home"][0], {"Tin hoạt động", "Văn bản"}),
])
def test_menu_of_any_structure(html: str, names: set[str]) -> None:
    found = {name for name, _ in menu_entries(tree(html), H)}
    assert names <= found and "Trang chủ" not in found


def test_only_the_boards_menu_selects_the_boards_layout() -> None:
    assert detect_layout_navigation(PAGES["danvan-home"][0], H + "/") is not None
    for name in ("liferay-home", "sharepoint-home", "wordpress-post"):
        assert detect_layout_navigation(PAGES[name][0], H + "/") is None
    assert [c.name for c in GenericNavigation(tree(PAGES["wordpress-post"][0]), H).categories()][:2] == [
        "Tin hoạt động", "Dân vận khéo"]


@pytest.mark.parametrize("html, expected", [
    ('<a href="?trang=2">Sau »</a><a href="?trang=3">3</a>', {f"{H}/tin/?trang=2", f"{H}/tin/?trang=3"}),
    ('<link rel="next" href="/tin/page/2/"><a href="/x">Xem</a>', {f"{H}/tin/page/2/"}),
    ('<a href="?p=2">Trang sau</a><a href="?p=9">›</a>', {f"{H}/tin/?p=2", f"{H}/tin/?p=9"}),
    ('<a href="/a">Tiếp</a><a href="/b">Tiếp theo</a><a href="/c">Bài cũ hơn</a>', {f"{H}/a", f"{H}/b", f"{H}/c"}),
    ('<a href="/x">Tin hoạt động</a>', set()),
])
def test_pager_links_by_rel_text_and_number(html: str, expected: set[str]) -> None:
    assert set(pager_links(tree(f"<html><head></head><body>{html}</body></html>"), H + "/tin/")) == expected


@pytest.mark.parametrize("hidden", [
    "<script>var leaked='LEAK';</script>", "<style>.x{content:'LEAK'}</style>", "<noscript>LEAK</noscript>",
    "<template><span>LEAK</span></template>", "<svg><script>LEAK</script></svg>", "<noscript><span>LEAK</span></noscript>",
])
def test_breadcrumb_and_menu_names_are_what_a_reader_sees(hidden: str) -> None:
    """A breadcrumb or menu entry's name can become a record's category (issue 11): no source text."""
    menu = "".join(f'<li><a href="/c{i}/">Mục {i}{hidden}</a></li>' for i in range(4))
    page = (f'<html><body><ul id="main-menu">{menu}</ul><div class="breadcrumb"><a href="/">Trang chủ</a> &gt; '
            f'<a href="/c1/">Mục 1{hidden}</a>{hidden}</div><article><h1>Tiêu đề</h1></article></body></html>')
    assert breadcrumb_names(tree(page)) == ["Mục 1"]
    assert [name for name, _ in menu_entries(tree(page), H)] == [f"Mục {i}" for i in range(4)]


def test_breadcrumbs_and_chrome() -> None:
    assert breadcrumb_names(tree(PAGES["wordpress-post"][0]))[0] == WORDPRESS.category_of(ARTICLE).name
    assert breadcrumb_names(tree(PAGES["sharepoint-article"][0])) == [SHAREPOINT.category_of(ARTICLE).name]
    found = links(tree(PAGES["sharepoint-listing"][0]), H)
    menu = [link for link in found if link.text == "Tin hoạt động"]
    assert menu and all(link.chrome for link in menu)
    assert any(not link.chrome and "chi-tiet" in link.url for link in found)
    root = tree('<html><body><div id="sidebar"><p><a href="/x">x</a></p></div></body></html>')
    assert in_chrome(root.find(".//a"))


def test_feeds_and_sitemaps() -> None:
    assert feed_links(tree(PAGES["wordpress-post"][0]), H) == [f"{H}/feed/"]
    assert robots_sitemaps("User-agent: *\nsitemap: http://a/s.xml\nSitemap:   http://a/n.xml \n") == [
        "http://a/s.xml", "http://a/n.xml"]
    index = parse_xml_source(WORDPRESS.sitemap("sitemap.xml", H).encode())
    assert index.kind == "sitemapindex" and index.sitemaps == [f"{H}/post-sitemap.xml", f"{H}/category-sitemap.xml"]
    posts = parse_xml_source(WORDPRESS.sitemap("post-sitemap.xml", H).encode())
    assert posts.kind == "urlset" and len(posts.pages) == len(WORDPRESS.articles())
    rss = parse_xml_source(WORDPRESS.feed(H).encode())
    assert rss.kind == "rss" and rss.pages[0] == H + WORDPRESS.article_path(WORDPRESS.articles()[0])
    atom = parse_xml_source(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://a/1"/></entry></feed>')
    assert atom.kind == "atom" and atom.pages == ["http://a/1"]
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><urlset><url><loc>http://a/&b;</loc></url></urlset>'
    assert parse_xml_source(bomb).kind == "urlset"
    assert parse_xml_source(b"not xml at all").kind == "unknown"


@pytest.mark.parametrize("breadcrumb, found_under, own, expected", [
    (["Tin tức - Sự kiện", "Tin hoạt động", "Tiêu đề bài"], "Văn bản", None, "Tin hoạt động"),   # a menu entry wins
    (["Chuyên mục lạ"], "Văn bản", None, "Chuyên mục lạ"),                                     # else the last entry
    (["Tiêu đề bài"], "Văn bản", "Mục", "Văn bản"),                                            # the title is no category
    ([], None, "Mục trong metadata", "Mục trong metadata"),
    ([], None, None, None),
])
def test_category_from_breadcrumb_then_menu_then_metadata(breadcrumb: list[str], found_under: str | None,
                                                          own: str | None, expected: str | None) -> None:
    record = {"title": "Tiêu đề bài", "category": own}
    assert pick_category(breadcrumb, record, ["Tin hoạt động", "Văn bản", "tin tức - sự kiện"], found_under) == expected


def test_an_articles_own_header_is_no_chrome() -> None:
    """A theme that puts headline and date in ``<article><header class="entry-header">`` and writes
    no metadata: still an article; the site's own ``<header>`` stays chrome."""
    prose = "".join(f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là văn xuôi, có dấu phẩy, có chữ.</p>" for n in range(9))
    html = (f'<html><body><header class="site-header"><h1>Tên cổng thông tin điện tử</h1><span>22/01/2019</span>'
            f'</header><main><article><header class="entry-header"><h1 class="entry-title">Hội nghị giao ban công tác dân vận'
            f'</h1><span class="posted-on">05/03/2024 08:15</span></header><div class="entry-content">{prose}</div>'
            f'</article></main></body></html>')
    root = tree(html)
    assert looks_like_article(root)
    assert in_chrome(root.find(".//header[@class='site-header']/h1"))
    assert not in_chrome(root.find(".//h1[@class='entry-title']"))
