"""The replica's other portal styles: every truth URL answers its article, traps are where they say."""
from __future__ import annotations

import json
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator

import lxml.html
import pytest

from dvarchive.replica import ReplicaServer, build_site
from dvarchive.replica.styles import STYLE_CLASSES, STYLES, make_style

SITE = build_site(40)


def get(base: str, target: str) -> tuple[int, str, str]:
    """(status, body, final URL) without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(base + target, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), response.url
    except urllib.error.HTTPError as exc:
        return exc.code, "", exc.headers.get("Location") or ""


def visible_text(html: str) -> str:
    return " ".join(unicodedata.normalize("NFC", lxml.html.fromstring(html).text_content()).split())


@pytest.fixture(scope="module", params=sorted(STYLE_CLASSES))
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    with ReplicaServer(SITE, style=request.param) as server:
        yield request.param, server.base_url


def test_styles_are_listed_and_unknown_ones_refused() -> None:
    assert STYLES[0] == "danvan" and {"liferay", "sharepoint", "wordpress"} <= set(STYLES)
    assert make_style("danvan", SITE) is None
    with pytest.raises(ValueError, match="unknown style"):
        make_style("joomla", SITE)


def test_every_truth_url_serves_its_article_and_is_no_trap(served: tuple[str, str]) -> None:
    style, base = served
    truth = [json.loads(line) for line in get(base, "/__replica__/truth.jsonl")[1].splitlines()]
    assert len(truth) == len(SITE.live_article_ids())
    assert len({t["url"] for t in truth}) == len(truth)
    portal = make_style(style, SITE)
    assert portal is not None
    for record in truth[::4]:
        target = record["url"][len(base):]
        status, html, _ = get(base, target)
        assert status == 200, target
        assert record["category"] in html and not portal.is_trap(target)
        assert " ".join(record["body"].split("\n\n")[0].split()[:6]) in visible_text(html)


@pytest.mark.parametrize("style", sorted(STYLE_CLASSES))
def test_article_urls_are_unique_even_when_titles_repeat(style: str) -> None:
    portal = make_style(style, build_site(300))
    assert portal is not None
    urls = [record["url"] for record in portal.truth("http://h")]
    assert len(urls) == len(set(urls)) == 293


def test_robots_disallows_something_and_home_has_a_menu(served: tuple[str, str]) -> None:
    _, base = served
    status, robots, _ = get(base, "/robots.txt")
    assert status == 200 and "Disallow: /" in robots.replace("Disallow: /__replica__/", "")
    status, home, location = get(base, "/")
    if status == 302:
        status, home, _ = get(base, location)
    assert status == 200 and "Tin hoạt động" in home


TRAPS = {
    "liferay": ["/web/guest/lich-cong-tac?_calendar_date=2019-01-22"],
    "sharepoint": ["/Pages/tim-kiem.aspx?k=x&Page=7", "/(S(abcdefabcdefabcdefabcdef))/Pages/tin-tuc.aspx?CateID=1",
                   "/Pages/tin-tuc.aspx?CateID=1&Page=99", "/Pages/Pages/Pages/so-do-trang.aspx"],
    "wordpress": ["/?m=199901", "/?s=x", "/category/tin-hoat-dong/page/2/?s=1"],
}


def test_trap_urls_answer_forever_and_are_counted_as_traps(served: tuple[str, str]) -> None:
    style, base = served
    portal = make_style(style, SITE)
    assert portal is not None
    for target in TRAPS[style]:
        assert portal.is_trap(target), target
        assert get(base, target)[0] == 200, target


def test_sharepoint_session_pages_link_under_their_session() -> None:
    with ReplicaServer(SITE, style="sharepoint") as server:
        _, html, _ = get(server.base_url, "/(S(abcdefabcdefabcdefabcdef))/Pages/tin-tuc.aspx?CateID=1")
    assert 'href="/(S(abcdefabcdefabcdefabcdef))/Pages/tin-tuc.aspx?CateID=2"' in html


def test_wordpress_shortlink_redirects_and_sitemap_lists_every_post() -> None:
    portal = make_style("wordpress", SITE)
    assert portal is not None
    with ReplicaServer(SITE, style="wordpress") as server:
        base = server.base_url
        article = portal.articles()[3]
        status, _, location = get(base, f"/?p={article.id}")
        assert status == 301 and location == portal.article_path(article)
        assert f"Sitemap: {base}/sitemap.xml" in get(base, "/robots.txt")[1]
        posts = get(base, "/post-sitemap.xml")[1]
    assert posts.count("<loc>") == len(portal.articles())


@pytest.mark.parametrize("style", sorted(STYLE_CLASSES))
def test_article_pages_answer_conditional_requests_and_edits_change_the_validators(style: str) -> None:
    """ETag/Last-Modified on the style's article pages, 304 while they match, 200 again after an edit;
    the admin endpoints speak the style's URLs (an added article's path answers, a deleted one 404s)."""
    from email.utils import parsedate_to_datetime

    from helpers.replica import fetch

    site = build_site(40)
    with ReplicaServer(site, style=style) as server:
        base = server.base_url
        truth = [json.loads(line) for line in get(base, "/__replica__/truth.jsonl")[1].splitlines()]
        record = truth[2]
        path = record["url"][len(base):]
        first = fetch(base, path)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert first.status == 200 and etag and modified
        assert fetch(base, "/robots.txt").headers["ETag"] is None       # only article pages carry validators
        unchanged = fetch(base, path, headers={"If-None-Match": etag})
        assert (unchanged.status, unchanged.body, unchanged.headers["ETag"]) == (304, b"", etag)
        assert fetch(base, path, headers={"If-None-Match": '"other"'}).status == 200
        assert fetch(base, path, headers={"If-Modified-Since": modified}).status == 304
        assert fetch(base, path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200

        edited = json.loads(fetch(base, f"/__replica__/edit?id={record['id']}", method="POST").body)
        assert edited["revision"] == 1
        after = fetch(base, path, headers={"If-None-Match": etag})
        assert after.status == 200 and after.headers["ETag"] != etag
        assert parsedate_to_datetime(after.headers["Last-Modified"]) > parsedate_to_datetime(modified)
        assert fetch(base, path, headers={"If-Modified-Since": modified}).status == 200
        assert fetch(base, path, headers={"If-None-Match": after.headers["ETag"]}).status == 304

        added = json.loads(fetch(base, "/__replica__/add?n=1", method="POST").body)["added"][0]
        assert fetch(base, added["path"]).status == 200
        assert base + added["path"] in get(base, "/__replica__/truth.jsonl")[1]
        fetch(base, f"/__replica__/delete?id={record['id']}", method="POST")
        assert fetch(base, path, headers={"If-None-Match": after.headers["ETag"]}).status == 404
