"""Menu, category listings, article ids, and pages that are not articles."""
from __future__ import annotations

from datetime import datetime

import pytest

from dvarchive.normalize.dates import VIETNAM_TZ
from dvarchive.pages import (
    Category,
    ListingItem,
    NotAnArticle,
    article_id_from_url,
    extract_record,
    parse_listing,
    parse_menu,
)
from helpers import CONTRACT

PAGES = CONTRACT / "site" / "pages"
HOST = "https://danvan.example.gov.vn"


def read(name: str) -> bytes:
    return (PAGES / name).read_bytes()


# --- menu -------------------------------------------------------------------------------------
def test_menu_has_the_five_categories_with_their_names() -> None:
    assert parse_menu(read("home.html"), f"{HOST}/") == [
        Category("tin-hoat-dong", "Tin hoạt động", f"{HOST}/tin-hoat-dong/"),
        Category("dan-van-kheo", "Dân vận khéo", f"{HOST}/dan-van-kheo/"),
        Category("nghien-cuu-trao-doi", "Nghiên cứu - Trao đổi", f"{HOST}/nghien-cuu-trao-doi/"),
        Category("guong-dien-hinh", "Gương điển hình", f"{HOST}/guong-dien-hinh/"),
        Category("van-ban", "Văn bản", f"{HOST}/van-ban/"),
    ]


def test_menu_excludes_home_section_with_submenu_and_pages() -> None:
    names = {c.name for c in parse_menu(read("home.html"), f"{HOST}/")}
    assert not names & {"Trang chủ", "Giới thiệu", "Liên hệ", "Chức năng, nhiệm vụ"}


def test_menu_follows_the_host_it_is_given() -> None:
    categories = parse_menu(read("article-1234.html"), "http://127.0.0.1:8765/tin-hoat-dong/x-1234.html")
    assert categories[0].url == "http://127.0.0.1:8765/tin-hoat-dong/"
    assert len(categories) == 5


def test_menu_of_a_page_without_menu_is_empty() -> None:
    assert parse_menu(b"", f"{HOST}/") == []
    assert parse_menu("<html><body><p>x</p></body></html>", f"{HOST}/") == []


# --- listings ---------------------------------------------------------------------------------
def test_listing_page_1() -> None:
    items = parse_listing(read("listing-tin-hoat-dong-page-1.html"), f"{HOST}/tin-hoat-dong/")
    assert len(items) == 10
    assert [i.article_id for i in items] == ["1234", "1200", "1197", "1194", "1191", "1188", "1185",
                                             "1182", "1179", "1176"]
    assert items[0] == ListingItem(
        url=f"{HOST}/tin-hoat-dong/tam-quan-trong-cua-cong-tac-dan-van-chinh-quyen-trong-tinh-hinh-moi-1234.html",
        article_id="1234",
        title="Tầm quan trọng của công tác dân vận chính quyền trong tình hình mới",
        published=datetime(2018, 2, 28, tzinfo=VIETNAM_TZ),
    )
    assert items[-1].published == datetime(2018, 2, 11, tzinfo=VIETNAM_TZ)
    assert all(i.published is not None and i.published.utcoffset().total_seconds() == 7 * 3600 for i in items)


def test_listing_page_2_is_the_last_with_items() -> None:
    items = parse_listing(read("listing-tin-hoat-dong-page-2.html"), f"{HOST}/tin-hoat-dong/?trang=2")
    assert [i.article_id for i in items] == ["1173", "1170", "1167"]
    assert [i.published.date().isoformat() for i in items] == ["2018-02-09", "2018-02-07", "2018-02-05"]


def test_listing_page_past_the_end_is_empty_despite_next_link() -> None:
    html = read("listing-tin-hoat-dong-page-3.html")
    assert "Sau »".encode() in html
    assert parse_listing(html, f"{HOST}/tin-hoat-dong/?trang=3") == []


def test_listing_urls_lose_tracking_query_and_are_unique() -> None:
    html = read("listing-tin-hoat-dong-page-1.html").replace(b'1234.html"', b'1234.html?ref=home"')
    items = parse_listing(html, f"{HOST}/tin-hoat-dong/")
    assert items[0].url.endswith("-1234.html")
    assert len({i.url for i in items}) == len(items) == 10


def test_listing_of_non_listing_pages_is_empty() -> None:
    assert parse_listing(read("article-1234.html"), f"{HOST}/tin-hoat-dong/x-1234.html") == []
    assert parse_listing(b"", f"{HOST}/") == []


# --- article ids -----------------------------------------------------------------------------
@pytest.mark.parametrize("url, article_id", [
    ("/x/slug-1234.html", "1234"),
    (f"{HOST}/tin-hoat-dong/tam-quan-trong-1234.html?ref=home", "1234"),
    (f"{HOST}/van-ban/quy-che-217-qd-tw-1240.html#top", "1240"),
    (f"{HOST}/tin-tuc/9876.htm", "9876"),
    (f"{HOST}/tin-hoat-dong/", None),
    (f"{HOST}/tin-hoat-dong/?trang=2", None),
    (f"{HOST}/in-tin/1234", None),
    (f"{HOST}/gioi-thieu/chuc-nang-nhiem-vu.html", None),
    (f"{HOST}/lien-he.html", None),
    (f"{HOST}/Uploads/files/2018/03/qd-217-qd-tw.pdf", None),
    ("", None),
])
def test_article_id_from_url(url: str, article_id: str | None) -> None:
    assert article_id_from_url(url) == article_id


# --- not articles ------------------------------------------------------------------------------
@pytest.mark.parametrize("name, path", [
    ("home.html", "/"),
    ("listing-tin-hoat-dong-page-1.html", "/tin-hoat-dong/"),
    ("listing-tin-hoat-dong-page-2.html", "/tin-hoat-dong/?trang=2"),
    ("listing-tin-hoat-dong-page-3.html", "/tin-hoat-dong/?trang=3"),
    ("static-chuc-nang-nhiem-vu.html", "/gioi-thieu/chuc-nang-nhiem-vu.html"),
    ("print-1234.html", "/in-tin/1234"),
    ("rss-tin-hoat-dong.xml", "/rss/tin-hoat-dong.rss"),
    ("robots.txt", "/robots.txt"),
])
def test_not_an_article(name: str, path: str) -> None:
    with pytest.raises(NotAnArticle):
        extract_record(HOST + path, read(name), site="danvan", fetched_at="2026-11-27T09:53:39Z")


@pytest.mark.parametrize("data", [b"", b"  \r\n\t", "\ufeff".encode(), "", b"<html></html>",
                                  b"<html><body></body></html>", b"\x00\x01\x02", b"not html at all"])
def test_empty_pages_are_not_articles(data: bytes | str) -> None:
    with pytest.raises(NotAnArticle):
        extract_record(f"{HOST}/tin-hoat-dong/x-1234.html", data, site="danvan", fetched_at="x")


def test_article_layout_with_empty_body_is_not_an_article() -> None:
    html = read("article-1234.html").decode("utf-8")
    start = html.index('<div class="news-content" id="news-content">') + len('<div class="news-content" id="news-content">')
    end = html.index("</div>\n<div class=\"news-tools\">")
    empty = html[:start] + "<p>&nbsp;</p><p style=\"text-align: right;\"><strong>Duy Nghi</strong></p>" + html[end:]
    with pytest.raises(NotAnArticle, match="empty body"):
        extract_record(f"{HOST}/tin-hoat-dong/x-1234.html", empty, site="danvan", fetched_at="x")


def test_not_an_article_is_a_value_error() -> None:
    assert issubclass(NotAnArticle, ValueError)
