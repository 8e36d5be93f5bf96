"""Each opt-in fault mode of the replica behaves as ``dvarchive/replica/faults.py`` documents."""
from __future__ import annotations

import http.client
import json
import socket
import time
import unicodedata
from collections.abc import Iterator
from html import escape
from typing import Any

import defusedxml.ElementTree
import lxml.etree
import lxml.html
import pytest
from scrapy.selector import Selector

from dvarchive.replica import FAULTS, XSS_VECTORS, ReplicaServer, build_site
from dvarchive.replica.app import ReplicaApp
from dvarchive.replica.faults import DECOYS, HUGE_PAGE_BYTES, OFFSITE_HOST, validate
from dvarchive.replica.site import ReplicaSite
from helpers.replica import fetch, page_matches_truth, visible_text

# Every fault at once, but robots-404 (excludes robots-500) and redesign (replaces the old layout
# that the other faults are planted in; tested on its own below).
ALL_BUT_ROBOTS_404 = frozenset(FAULTS) - {"robots-404", "redesign", "listing-redesign"}
STALL_SECONDS = 1.5


@pytest.fixture(scope="module")
def site() -> ReplicaSite:
    return build_site(300)


@pytest.fixture()
def faulty(site: ReplicaSite) -> Iterator[str]:
    """A fresh server (one-shot faults armed) with every fault on except robots-404, no traps."""
    with ReplicaServer(site, faults=ALL_BUT_ROBOTS_404, traps=False, stall_seconds=STALL_SECONDS) as server:
        yield server.base_url


def plan(base: str) -> dict[str, Any]:
    return json.loads(fetch(base, "/__replica__/faults").body)


def test_plan_names_every_fault_target(faulty: str, site: ReplicaSite) -> None:
    described = plan(faulty)
    assert set(described["enabled"]) == ALL_BUT_ROBOTS_404
    articles = described["articles"]
    singles = [articles[name] for name in ("stall", "short-body", "cp1258", "malformed")]
    assert all(isinstance(i, int) for i in singles) and len(set(singles + articles["xss"])) == 9
    assert len(articles["xss"]) == 5
    assert all(site.article(i).live and site.article(i).trap is None for i in singles + articles["xss"])
    assert described["listing-500"] == "/guong-dien-hinh/?trang=2"


def test_unknown_or_contradictory_faults_are_refused() -> None:
    with pytest.raises(ValueError):
        validate({"stall", "nope"})
    with pytest.raises(ValueError):
        validate({"robots-500", "robots-404"})


def test_stall_holds_the_first_response_then_answers(faulty: str, site: ReplicaSite) -> None:
    path = site.article(site.fault_plan.stall).canonical_path
    with pytest.raises((socket.timeout, TimeoutError)):
        fetch(faulty, path, timeout=0.5)
    assert fetch(faulty, path, timeout=STALL_SECONDS * 3).status == 200
    # Only the first answer is held (the handler's planned delay, not a wall clock: no flake under load).
    app = ReplicaApp(site, faults=frozenset({"stall"}), traps=False, stall_seconds=STALL_SECONDS)
    assert [app.handle("GET", path, {}, faulty).delay for _ in range(2)] == [STALL_SECONDS, 0.0]


def test_stalled_response_arrives_after_stall_seconds_for_a_patient_client(site: ReplicaSite) -> None:
    with ReplicaServer(site, faults={"stall"}, traps=False, stall_seconds=0.6) as server:
        started = time.perf_counter()
        reply = fetch(server.base_url, site.article(site.fault_plan.stall).canonical_path, timeout=5)
        # A lower bound: the server cannot answer before it has waited; a loaded machine only adds time.
        assert reply.status == 200 and time.perf_counter() - started >= 0.6


def test_short_body_first_then_whole(faulty: str, site: ReplicaSite) -> None:
    path = site.article(site.fault_plan.short_body).canonical_path
    with pytest.raises(http.client.IncompleteRead):
        fetch(faulty, path)
    whole = fetch(faulty, path)
    assert whole.status == 200 and len(whole.body) == int(whole.headers["Content-Length"])
    assert page_matches_truth(whole.body, site.truth(site.fault_plan.short_body, faulty), site) == []


def decoy(fault: str) -> Any:
    return next(d for d in DECOYS if d.fault == fault)


def test_decoys_are_listed_with_normal_titles_but_are_not_in_truth(faulty: str, site: ReplicaSite) -> None:
    truth_urls = {json.loads(line)["url"] for line in fetch(faulty, "/__replica__/truth.jsonl").text.splitlines()}
    for item in DECOYS:
        listing = fetch(faulty, f"/{item.category}/").tree()
        titles = listing.xpath(f'//div[@class="news-item"]/h3/a[@href="{item.path}"]/text()')
        assert titles == [item.title]
        assert listing.xpath(f'//div[@class="news-item"]/a[@class="thumb"][@href="{item.path}"]')
        assert faulty + item.path not in truth_urls
    with ReplicaServer(site, traps=False) as plain:
        for item in DECOYS:
            assert item.path not in fetch(plain.base_url, f"/{item.category}/").text
            assert fetch(plain.base_url, item.path).status == 404


def test_redirect_loop_alternates_forever(faulty: str) -> None:
    path = decoy("redirect-loop").path
    hops = []
    for _ in range(6):
        reply = fetch(faulty, path)
        assert reply.status == 302
        path = reply.headers["Location"]
        hops.append(path)
    assert hops[0::2] == [decoy("redirect-loop").path + "?vong=1"] * 3
    assert hops[1::2] == [decoy("redirect-loop").path] * 3


def test_offsite_redirect_points_at_an_invalid_host(faulty: str) -> None:
    reply = fetch(faulty, decoy("offsite-redirect").path)
    assert reply.status == 302
    assert reply.headers["Location"] == f"http://{OFFSITE_HOST}{decoy('offsite-redirect').path}"


def test_huge_page_sends_thirty_mebibytes_of_html(faulty: str) -> None:
    reply = fetch(faulty, decoy("huge-page").path, timeout=30)
    assert reply.status == 200 and int(reply.headers["Content-Length"]) == HUGE_PAGE_BYTES
    assert len(reply.body) == HUGE_PAGE_BYTES
    assert reply.body.endswith(b"</html>") and reply.body.count(b"<p>") > 100_000


def test_empty_200(faulty: str) -> None:
    reply = fetch(faulty, decoy("empty-200").path)
    assert reply.status == 200 and reply.body == b"" and reply.headers["Content-Length"] == "0"


def test_cp1258_article_is_windows_1258_and_still_matches_truth(faulty: str, site: ReplicaSite) -> None:
    article_id = site.fault_plan.cp1258
    reply = fetch(faulty, site.article(article_id).canonical_path)
    assert reply.headers["Content-Type"] == "text/html; charset=windows-1258"
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258" />' in reply.body
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    text = unicodedata.normalize("NFC", reply.body.decode("cp1258"))
    assert page_matches_truth(text, site.truth(article_id, faulty), site) == []
    assert site.truth(article_id, faulty)["title"] in text


def test_malformed_article_keeps_its_text_recoverable(faulty: str, site: ReplicaSite) -> None:
    article_id = site.fault_plan.malformed
    html = fetch(faulty, site.article(article_id).canonical_path).text
    content = html[html.index('id="news-content"'):html.index('<div class="news-tools">')]
    paragraphs = site.truth(article_id, faulty)["body"].split("\n\n")
    assert content.count("<P align=justify>") == len(paragraphs) and content.count("<b>") == 1
    assert not any(escape(text, quote=True).replace("&#x27;", "'") + "</p>" in content for text in paragraphs)
    assert content.count("</div>") >= 2                               # the stray one and the real one
    assert page_matches_truth(html, site.truth(article_id, faulty), site) == []


def test_listing_500_every_time_but_its_articles_are_in_the_feed(faulty: str, site: ReplicaSite) -> None:
    assert [fetch(faulty, "/guong-dien-hinh/?trang=2").status for _ in range(3)] == [500, 500, 500]
    assert fetch(faulty, "/guong-dien-hinh/?trang=3").status == 200
    page_two = site.listing_pages("guong-dien-hinh")[1]
    assert len(page_two) == 10
    feed = lxml.etree.fromstring(fetch(faulty, "/rss/guong-dien-hinh.rss").body)
    links = {link.text for link in feed.iter("link")}
    assert all(faulty + site.article(i).path_in("guong-dien-hinh") in links for i in page_two)


@pytest.mark.parametrize(("fault", "status"), [("robots-500", 500), ("robots-404", 404)])
def test_robots_faults(site: ReplicaSite, fault: str, status: int) -> None:
    with ReplicaServer(site, faults={fault}, traps=False) as server:
        assert fetch(server.base_url, "/robots.txt").status == status
        assert fetch(server.base_url, "/").status == 200


def test_rss_bomb_is_refused_by_safe_parsers_and_usable_without_expansion(faulty: str, site: ReplicaSite) -> None:
    body = fetch(faulty, "/rss/van-ban.rss").body
    assert b"<!ENTITY lol9" in body and b"&lol9;" in body
    with pytest.raises(defusedxml.EntitiesForbidden):
        defusedxml.ElementTree.fromstring(body)
    expected = [faulty + e.path for e in site.listing("van-ban")[:20]]
    parser = lxml.etree.XMLParser(resolve_entities=False, recover=True, no_network=True)
    items = lxml.etree.fromstring(body, parser).findall("channel/item")
    assert [i.findtext("link") for i in items] == expected
    assert Selector(text=body.decode("utf-8"), type="xml").xpath("//item/link/text()").getall() == expected
    assert b"<!ENTITY" not in fetch(faulty, "/rss/tin-hoat-dong.rss").body


def test_xss_vectors_are_planted_but_show_no_text(faulty: str, site: ReplicaSite) -> None:
    assert len(XSS_VECTORS) >= 20
    for article_id in site.fault_plan.xss:
        path = site.article(article_id).canonical_path
        planted = fetch(faulty, path).text
        content = planted[planted.index('id="news-content"'):planted.index('<div class="news-tools">')]
        assert all(vector in content for vector in XSS_VECTORS), article_id
        clean = site.render_article_html(article_id, faulty)
        [planted_content] = lxml.html.fromstring(planted).xpath('//div[@id="news-content"]')
        [clean_content] = lxml.html.fromstring(clean).xpath('//div[@id="news-content"]')
        assert visible_text(planted_content) == visible_text(clean_content)
        assert page_matches_truth(planted, site.truth(article_id, faulty), site) == []


def test_fault_variants_are_absent_without_their_fault(site: ReplicaSite) -> None:
    with ReplicaServer(site, traps=False) as server:
        for article_id in (site.fault_plan.cp1258, site.fault_plan.malformed, *site.fault_plan.xss):
            reply = fetch(server.base_url, site.article(article_id).canonical_path)
            assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
            assert "<script>alert" not in reply.text and "<P align=justify>" not in reply.text
        assert fetch(server.base_url, "/guong-dien-hinh/?trang=2").status == 200


def test_redesign_serves_even_ids_in_a_new_layout_with_standard_metadata(site: ReplicaSite) -> None:
    from dvarchive.replica.faults import is_redesigned

    with ReplicaServer(site, faults=frozenset({"redesign"}), traps=False) as server:
        for article_id in site.live_article_ids()[:6]:
            page = fetch(server.base_url, site.article(article_id).canonical_path).text
            if is_redesigned(article_id):
                assert 'class="news-detail"' not in page and "<article" in page
                assert '"@type": "NewsArticle"' in page and "<time" in page
            else:
                assert 'class="news-detail"' in page
