"""Table tests of generic discovery's URL rules: normal form, learned parameters, shapes, pages, traps."""
from __future__ import annotations

import pytest

from dvarchive.discovery import TrapGuard, UrlNormalizer, normalize_url, page_number, trap_kind, url_pattern
from dvarchive.discovery.urls import dropped_params, strip_session, without_page

H = "http://portal.test"


@pytest.mark.parametrize("url, expected", [
    (f"{H}/web/guest/-/asset_publisher/Ab12Cd34/content/hoi-nghi?redirect=%2Fweb%2Fguest%2Ftin&inheritRedirect=true",
     f"{H}/web/guest/-/asset_publisher/Ab12Cd34/content/hoi-nghi"),
    (f"{H}/(S(abcdefabcdefabcdefabcdef))/Pages/chi-tiet.aspx?ItemID=12", f"{H}/Pages/chi-tiet.aspx?ItemID=12"),
    (f"{H}/(A(x1)S(y2))/Pages/a.aspx", f"{H}/Pages/a.aspx"),
    (f"{H}/news;jsessionid=ABC123?id=4", f"{H}/news?id=4"),
    (f"{H}/2018/11/bai-viet/?replytocom=2011#respond", f"{H}/2018/11/bai-viet/"),
    (f"{H}/a?utm_source=fb&utm_medium=x&b=2&a=1", f"{H}/a?a=1&b=2"),
    ("HTTP://Portal.TEST/Tin-Tuc?Page=2", f"{H}/Tin-Tuc?Page=2"),
])
def test_normal_form_drops_sessions_navigation_and_tracking(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_parameters_a_canonical_url_drops_are_learned_for_the_site() -> None:
    normalize = UrlNormalizer()
    assert normalize(f"{H}/a.aspx?id=3&from=home") == f"{H}/a.aspx?from=home&id=3"
    assert normalize.learn(f"{H}/a.aspx?id=3&from=home", f"{H}/a.aspx?id=3") == {"from"}
    assert normalize(f"{H}/b.aspx?id=4&from=menu") == f"{H}/b.aspx?id=4"
    assert normalize.learn(f"{H}/x?page=2", f"{H}/x") == set()            # a page number is never navigation
    assert dropped_params(f"{H}/a?x=1", f"{H}/other") == set()               # another page: nothing learned


@pytest.mark.parametrize("a, b", [
    (f"{H}/2018/11/hieu-qua-tu-mo-hinh-dan-van/", f"{H}/2012/01/huyen-nong-son-so-ket-35-nam/"),
    (f"{H}/Pages/chi-tiet.aspx?ItemID=209", f"{H}/Pages/chi-tiet.aspx?ItemID=7"),
    (f"{H}/web/guest/-/asset_publisher/71dD1702/content/tap-huan-ky-nang-van-dong",
     f"{H}/web/guest/-/asset_publisher/F3b17d52/content/hoi-nghi-giao-ban-khoi-dan-van"),
    (f"{H}/tin-tuc/bai-so-mot-12.html", f"{H}/tin-tuc/bai-thu-hai-345.html"),
])
def test_urls_of_one_page_type_share_a_pattern(a: str, b: str) -> None:
    assert url_pattern(a) == url_pattern(b)


def test_different_page_types_have_different_patterns() -> None:
    assert url_pattern(f"{H}/Pages/tin-tuc.aspx?CateID=1") != url_pattern(f"{H}/Pages/chi-tiet.aspx?ItemID=1")
    assert url_pattern(f"{H}/category/van-ban/") != url_pattern(f"{H}/2018/11/hieu-qua-tu-mo-hinh-dan-van/")


@pytest.mark.parametrize("url, number", [
    (f"{H}/tin/?trang=3", 3), (f"{H}/Pages/tin-tuc.aspx?CateID=1&Page=4", 4), (f"{H}/category/x/page/5/", 5),
    (f"{H}/web/guest/x?p_p_id=101_INSTANCE_a&_101_INSTANCE_a_cur=6", 6), (f"{H}/list?start=20", 20),
    (f"{H}/tin/", None), (f"{H}/a?id=3", None),
])
def test_page_numbers_of_any_name(url: str, number: int | None) -> None:
    assert page_number(url) == number


def test_first_page_of_a_listing() -> None:
    assert without_page(f"{H}/category/x/page/5/") == f"{H}/category/x/"
    assert without_page(f"{H}/Pages/tin-tuc.aspx?CateID=1&Page=4") == f"{H}/Pages/tin-tuc.aspx?CateID=1"


@pytest.mark.parametrize("url, kind", [
    (f"{H}/?s=d%C3%A2n+v%E1%BA%ADn", "search"), (f"{H}/Pages/tim-kiem.aspx?k=x&Page=3", "search"),
    (f"{H}/web/guest/tim-kiem?_3_keywords=a", "search"), (f"{H}/?m=201901", "calendar"),
    (f"{H}/web/guest/lich-cong-tac?_calendar_date=2019-01-22", "calendar"),
    (f"{H}/Pages/tin-tuc.aspx?CateID=1&Sort=asc", "sort"), (f"{H}/x?_101_INSTANCE_a_orderByCol=title", "sort"),
    (f"{H}/in-tin/1234", "print"), (f"{H}/wp-login.php", "login"), (f"{H}/app/danvan.apk", "file"),
    (f"{H}/Uploads/a.pdf", "file"), ("/".join([H] + ["a", "b"] * 3), "path-loop"),
    (H + "/x" * 12, "depth"),
    (f"{H}/2018/11/bai-viet/", None), (f"{H}/Pages/chi-tiet.aspx?ItemID=1", None), (f"{H}/category/x/page/2/", None),
    (f"{H}/a?p=12", None), (f"{H}/lich-su-dang-bo/", None),
])
def test_trap_kinds(url: str, kind: str | None) -> None:
    assert trap_kind(url) == kind


def test_session_segments_only() -> None:
    assert strip_session("/(S(x))/a/(b)/c") == "/a/(b)/c"


def test_budgets_close_unproductive_patterns_and_repeated_pages() -> None:
    guard = TrapGuard(max_unproductive=2, max_per_pattern=3, max_hops=2)
    assert guard.admit(f"{H}/?s=x") == "search" and guard.admit(f"{H}/?s=x") == "search"
    assert guard.cut["search"] == 1                                     # counted once per URL
    assert guard.admit(f"{H}/a/b", hops=3) == "depth"
    pages = [f"{H}/Pages/tin-tuc.aspx?CateID=1&Page={n}" for n in range(1, 6)]
    assert [guard.admit(u) for u in pages[:3]] == [None, None, None]
    assert guard.admit(pages[3]) == "pattern-budget"
    assert guard.observe(pages[0], ["/a", "/b"], new_links=2) is None
    assert guard.observe(pages[1], ["/b", "/a"], new_links=0) == "repeated-content"
    assert guard.observe(pages[2], [], new_links=0) is None
    assert guard.admit(pages[4]) == "unproductive-pattern"
    assert guard.admit(pages[4], article_pattern=True) is None           # a known article pattern is never closed
