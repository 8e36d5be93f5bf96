"""Record identity for any URL (issue 12) and canonical scope (issue 11): table tests."""
from __future__ import annotations

import re

import pytest

from dvarchive.pages.urls import article_id_from_url, normalized_url, record_id_for, same_origin, url_article_id

HASH = re.compile(r"^u[0-9a-f]{16}$")


@pytest.mark.parametrize("url, expected", [
    # the home site: unchanged
    ("https://danvan.example.gov.vn/tin-hoat-dong/tam-quan-trong-1234.html", "1234"),
    ("https://danvan.example.gov.vn/tin-hoat-dong/tam-quan-trong-1234.html?ref=home#top", "1234"),
    ("https://danvan.example.gov.vn/tin-tuc/106.htm", "106"),
    # long numeric ids and other suffixes
    ("https://baochinhphu.vn/chinh-sach-moi-co-hieu-luc-102260228093004191.htm", "102260228093004191"),
    ("https://cafef.vn/thoi-diem-nang-hang-18826030622484142.chn", "18826030622484142"),
    ("https://x.gov.vn/tin-tuc/bai-viet-123456.aspx", "123456"),
    ("https://x.gov.vn/news/view-98765.php", "98765"),
    ("https://x.vn/tin/bai-viet-12345.shtml", "12345"),
    ("https://baodautu.vn/xu-phat-giam-doc-d538952.html", "538952"),
    ("https://elpais.com/elpais/2020/02/18/ciencia/1582045946_459487.html", "1582045946_459487"),
    ("http://www.banyuetan.org/jmcs/detail/20200102/100020003313617_1.html", "100020003313617_1"),
    # path segments
    ("https://lapresse.tn/48915/parite-hommes-femmes/", "48915"),
    ("https://www.ledevoir.com/politique/montreal/573258/la-fin-des-trottinettes", "573258"),
    ("https://taz.de/Siemens-und-die-Kohlemine-Adani/!5655255/", "5655255"),
    ("https://yle.fi/uutiset/3-11212601", "11212601"),
    # query ids
    ("https://x.gov.vn/Pages/chi-tiet.aspx?ItemID=4521", "4521"),
    ("https://x.gov.vn/news.php?id=77", "77"),
    ("https://x.gov.vn/index.php?option=com_content&nid=3102&trang=2", "3102"),
    ("https://x.gov.vn/default.aspx?tabid=83&NewsID=9981", "9981"),
    ("https://x.gov.vn/default.aspx?newsid=9981&utm_source=fb", "9981"),
    ("https://x.com/read?articleId=A77-2", "A77-2"),
    ("https://blog.example.org/?p=4411", "4411"),
    ("https://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=181595", "181595"),
    ("https://www.be.ch/de/medienmitteilungen.html?newsID=c3aa546f-24d3-4b47", "c3aa546f-24d3-4b47"),
])
def test_record_id_from_the_url(url: str, expected: str) -> None:
    assert record_id_for(url) == expected


@pytest.mark.parametrize("url", [
    "https://www.bostonherald.com/2023/11/08/brothel-catering-busted-in-boston/",
    "https://www.arbeitsagentur.de/news/arbeitsmarkt-2022",
    "https://www.timesofisrael.com/state-of-washington-swears-in/",
    "https://x.gov.vn/gioi-thieu/chuc-nang-nhiem-vu.html",
])
def test_record_id_without_one_in_the_url_is_a_stable_hash(url: str) -> None:
    assert HASH.match(record_id_for(url))
    assert record_id_for(url) == record_id_for(url)


@pytest.mark.parametrize("a, b", [
    ("https://www.x.com/a/b/", "http://x.com/a/b?utm_source=fb&fbclid=1#c"),
    ("https://x.com/a/b?page=2&ref=home", "https://X.COM:443/a/b"),
    ("https://x.com/post?b=2&a=1", "https://x.com/post?a=1&b=2&utm_medium=mail"),
])
def test_hash_ignores_tracking_and_navigation(a: str, b: str) -> None:
    assert normalized_url(a) == normalized_url(b)
    assert record_id_for(a) == record_id_for(b)


def test_different_pages_get_different_hashes() -> None:
    assert record_id_for("https://x.com/a/one") != record_id_for("https://x.com/a/two")


def test_liferay_content_slug_is_the_identity_whatever_portlet_reached_it() -> None:
    a = "https://x.gov.vn/web/guest/-/asset_publisher/AbC1/content/hoi-nghi-tong-ket?redirect=%2Fweb"
    b = "https://x.gov.vn/tin-tuc/-/asset_publisher/ZZ9/content/hoi-nghi-tong-ket"
    assert record_id_for(a) == record_id_for(b)
    assert re.match(r"^s[0-9a-f]{16}$", record_id_for(a))


def test_canonical_wins_over_the_response_url() -> None:
    assert record_id_for("https://x.vn/a-555.html", "https://x.vn/print.aspx?id=9") == "555"
    assert record_id_for("https://x.vn/about/story", "https://x.vn/read?id=9") == "9"


def test_ids_fit_the_schema_pattern() -> None:
    pattern = re.compile(r"^[A-Za-z0-9._-]+$")
    for url in ("https://x.vn/read?id=a%2Fb", "https://x.vn/bài-viết-123.html", "https://x.vn/?p=1%20"):
        assert pattern.match(record_id_for(url)), url


def test_crawler_contract_is_unchanged() -> None:
    """``article_id_from_url`` still says None for pages that are not the home site's articles."""
    assert article_id_from_url("https://x.vn/tin-hoat-dong/") is None
    assert article_id_from_url("https://x.vn/news.php?id=77") is None
    assert url_article_id("https://x.vn/tin-hoat-dong/") is None


@pytest.mark.parametrize("url, other, same", [
    ("https://x.vn/a", "https://x.vn/b", True),
    ("https://x.vn/a", "https://X.VN:443/b", True),
    ("http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a", False),
    ("https://x.vn/a", "http://x.vn/a", False),
    ("https://x.vn/a", "https://evil.example/a", False),
    ("https://x.vn/a", "https://x.vn.evil.example/a", False),
    ("https://x.vn/a", "javascript:alert(1)", False),
])
def test_same_origin(url: str, other: str, same: bool) -> None:
    assert same_origin(url, other) is same
