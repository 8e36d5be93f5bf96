"""The replica over real HTTP on 127.0.0.1: routes, pagination, traps, conditional GETs, admin."""
from __future__ import annotations

import http.client
import io
import json
import re
import signal
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from dvarchive.replica import ReplicaServer, build_site, start_replica_process
from dvarchive.replica.app import ReplicaApp
from dvarchive.replica.server import ensure_loopback
from dvarchive.replica.site import ReplicaSite
from helpers import CONTRACT
from helpers.replica import fetch, page_matches_truth


def admin(base_url: str, endpoint: str) -> Any:
    reply = fetch(base_url, f"/__replica__/{endpoint}", method="POST")
    assert reply.status == 200, reply.body
    return json.loads(reply.body)


@pytest.fixture(scope="module")
def site() -> ReplicaSite:
    return build_site(300)


@pytest.fixture(scope="module")
def base(site: ReplicaSite) -> Iterator[str]:
    with ReplicaServer(site) as server:
        yield server.base_url


def quiet_article(site: ReplicaSite, *, index: int = 0, **wanted: Any) -> int:
    """A live article with no trap and no second category (plus any attribute filters)."""
    found = [a.id for a in site.all_articles()[::-1] if a.live and a.trap is None and a.extra_category is None
             and all(getattr(a, k) == v for k, v in wanted.items())]
    return found[index]


def test_base_url_is_loopback_and_non_loopback_hosts_are_refused(base: str) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
    for host in ("0.0.0.0", "10.1.2.3", "example.org"):
        with pytest.raises(ValueError):
            ensure_loopback(host)


def test_home_has_the_menu_and_focus_links_with_ref_home(base: str, site: ReplicaSite) -> None:
    home = fetch(base, "/")
    assert home.status == 200 and home.headers["Content-Type"] == "text/html; charset=utf-8"
    tree = home.tree()
    menu = [a.text for a in tree.xpath('//ul[@id="main-menu"]/li/a')]
    assert menu == ["Trang chủ", "Giới thiệu", "Tin hoạt động", "Dân vận khéo", "Nghiên cứu - Trao đổi",
                    "Gương điển hình", "Văn bản", "Liên hệ"]
    focus = tree.xpath('//div[contains(@class,"hot-news")]//a/@href')
    assert len(focus) == 8 and all(href.endswith(".html?ref=home") for href in focus)
    quiet = [h for h in focus if site.article(re.search(r"-(\d+)\.html", h)[1]).trap is None]
    page = fetch(base, quiet[0])
    assert page.status == 200
    assert page.tree().xpath("string(//link[@rel='canonical']/@href)") == base + quiet[0].split("?")[0]


def test_every_menu_and_static_link_answers(base: str) -> None:
    tree = fetch(base, "/").tree()
    for href in tree.xpath('//ul[@id="main-menu"]//a/@href'):
        assert fetch(base, href).status == 200, href
    static = fetch(base, "/gioi-thieu/co-cau-to-chuc.html")
    assert static.tree().xpath('//div[@class="static-page"]/h1/text()') == ["Cơ cấu tổ chức"]
    assert not static.tree().xpath('//div[@class="news-detail"]')
    assert fetch(base, "/tin-hoat-dong").status == 301
    assert fetch(base, "/khong-co/").status == 404


def test_listing_pagination_is_ten_a_page_with_an_endless_next_link(base: str, site: ReplicaSite) -> None:
    pages = site.listing_pages("dan-van-kheo")
    last = len(pages)
    for number in (1, last, last + 1, last + 50):
        tree = fetch(base, f"/dan-van-kheo/?trang={number}").tree()
        items = tree.xpath('//div[@class="news-list"]/div[@class="news-item"]')
        expected = pages[number - 1] if number <= last else []
        assert [int(re.search(r"-(\d+)\.html", i.xpath("string(.//h3/a/@href)"))[1]) for i in items] == expected
        assert tree.xpath('//div[@class="pager"]/a[@class="next"]/@href') == [f"/dan-van-kheo/?trang={number + 1}"]
        assert tree.xpath('//div[@class="pager"]/a[@class="next"]/text()') == ["Sau »"]
        assert tree.xpath('//div[@class="pager"]/a[@class="last"]/@href') == [f"/dan-van-kheo/?trang={last}"]
    assert len(pages[0]) == 10
    first = fetch(base, "/dan-van-kheo/").body
    assert first == fetch(base, "/dan-van-kheo/?trang=1").body == fetch(base, "/dan-van-kheo/?trang=x").body


def test_listing_items_have_thumb_title_date_and_summary(base: str, site: ReplicaSite) -> None:
    tree = fetch(base, "/tin-hoat-dong/").tree()
    for item, entry in zip(tree.xpath('//div[@class="news-item"]'), site.listing("tin-hoat-dong")):
        assert item.xpath("string(a[@class='thumb']/@href)") == item.xpath("string(h3/a/@href)") == entry.path
        assert item.xpath("string(span[@class='date'])") == \
            f"{entry.published.day}.{entry.published.month}.{entry.published.year}"
        assert item.xpath("string(p[@class='summary'])") == entry.summary


def test_article_pages_match_truth_over_http(base: str, site: ReplicaSite) -> None:
    for article_id in [quiet_article(site, index=i) for i in range(0, 60, 6)]:
        reply = fetch(base, site.article(article_id).canonical_path)
        assert reply.status == 200
        assert page_matches_truth(reply.body, site.truth(article_id, base), site) == []


def test_absolute_urls_follow_the_host_header(base: str, site: ReplicaSite) -> None:
    article = site.article(quiet_article(site, index=1))
    page = fetch(base, article.canonical_path, headers={"Host": "danvan.example.gov.vn"}).tree()
    assert page.xpath("string(//link[@rel='canonical']/@href)") == \
        "http://danvan.example.gov.vn" + article.canonical_path
    rss = fetch(base, "/rss/tin-hoat-dong.rss", headers={"Host": "replica.test:81"}).text
    assert "<link>http://replica.test:81/tin-hoat-dong/" in rss
    truth = fetch(base, "/__replica__/truth.jsonl", headers={"Host": "h.test"}).text.splitlines()
    assert json.loads(truth[0])["url"].startswith("http://h.test/")


def test_two_category_article_is_served_under_both_paths_with_one_canonical(base: str, site: ReplicaSite) -> None:
    article = next(a for a in site.all_articles() if a.extra_category and a.live and a.trap is None)
    canonical = base + article.canonical_path
    for path in (article.canonical_path, article.path_in(article.extra_category)):
        tree = fetch(base, path).tree()
        assert tree.xpath("string(//link[@rel='canonical']/@href)") == canonical
        assert tree.xpath("string(//div[@class='breadcrumb']/a[2]/@href)") == f"/{article.category}/"
    page = next(n for n, ids in enumerate(site.listing_pages(article.extra_category), 1) if article.id in ids)
    listed = fetch(base, f"/{article.extra_category}/?trang={page}").text
    assert article.path_in(article.extra_category) in listed
    wrong = next(c.slug for c in site.categories if c.slug not in article.categories)
    assert fetch(base, article.path_in(wrong)).status == 404
    assert fetch(base, f"/{article.category}/khac-{article.id}.html").status == 404


def test_deleted_articles_are_listed_but_answer_404(base: str, site: ReplicaSite) -> None:
    stale = site.deleted_article_ids()
    assert stale
    for article_id in stale:
        article = site.article(article_id)
        assert fetch(base, article.canonical_path).status == 404
        assert fetch(base, f"/in-tin/{article_id}").status == 404
        assert any(article_id in page for page in site.listing_pages(article.category))
    truth_ids = {json.loads(line)["id"] for line in fetch(base, "/__replica__/truth.jsonl").text.splitlines()}
    assert truth_ids == {str(i) for i in site.live_article_ids()}


def test_rss_has_the_twenty_latest_items_with_rfc822_dates(base: str, site: ReplicaSite) -> None:
    reply = fetch(base, "/rss/dan-van-kheo.rss")
    assert reply.headers["Content-Type"].startswith("application/rss+xml")
    root = lxml.etree.fromstring(reply.body)
    items = root.findall("channel/item")
    assert len(items) == 20
    assert [i.findtext("link") for i in items] == [base + e.path for e in site.listing("dan-van-kheo")[:20]]
    assert all(re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:00 \+0700", i.findtext("pubDate")) for i in items)
    assert fetch(base, "/rss/khong-co.rss").status == 404


def test_robots_txt_is_the_samples_plus_the_admin_prefix(base: str) -> None:
    sample = (CONTRACT / "site/pages/robots.txt").read_text(encoding="utf-8")
    reply = fetch(base, "/robots.txt")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/plain")
    assert reply.text == sample + "Disallow: /__replica__/\n"


def test_print_view_and_files(base: str, site: ReplicaSite) -> None:
    article = next(a for a in site.all_articles() if a.live and site.body(a).attachments and site.body(a).images)
    body = site.body(article)
    printed = fetch(base, f"/in-tin/{article.id}")
    assert printed.status == 200 and 'onload="window.print()"' in printed.text
    pdf_path = next((a.path for a in body.attachments if a.path.endswith(".pdf")), None)
    for attachment in body.attachments:
        reply = fetch(base, attachment.path)
        assert reply.status == 200
        assert reply.body.startswith(b"%PDF-1.4" if attachment.path.endswith(".pdf") else b"{\\rtf1")
    if pdf_path:
        pdf = fetch(base, pdf_path).body
        xref_at = int(re.search(rb"startxref\n(\d+)", pdf)[1])
        assert pdf[xref_at:].startswith(b"xref")
        for number, offset in enumerate(re.findall(rb"(\d{10}) 00000 n", pdf), start=1):
            assert pdf[int(offset):].startswith(f"{number} 0 obj".encode())
    image = fetch(base, body.images[0].path)
    assert image.headers["Content-Type"] == "image/jpeg" and image.body[:2] == b"\xff\xd8" and image.body[-2:] == b"\xff\xd9"
    assert fetch(base, f"/Uploads/images/thumb/{article.id}.jpg").status == 200
    assert fetch(base, body.images[0].path.replace(f"-{article.id}-", "-1-")).status == 404
    assert fetch(base, "/Uploads/files/2018/01/khong-co-1-1.pdf").status == 404
    apk = fetch(base, "/Uploads/app/danvan.apk")
    assert len(apk.body) > 2_000_000 and zipfile.ZipFile(io.BytesIO(apk.body)).testzip() is None


def test_head_sends_headers_without_body(base: str, site: ReplicaSite) -> None:
    path = site.article(quiet_article(site, index=2)).canonical_path
    head, get = fetch(base, path, method="HEAD"), fetch(base, path)
    assert head.body == b"" and int(head.headers["Content-Length"]) == len(get.body)


def test_keep_alive_connection_serves_several_requests(base: str) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        sizes = []
        for path in ("/", "/tin-hoat-dong/", "/robots.txt"):
            connection.request("GET", path)
            response = connection.getresponse()
            sizes.append(len(response.read()) == int(response.headers["Content-Length"]))
        assert sizes == [True, True, True]
    finally:
        connection.close()


# ---- conditional requests ------------------------------------------------------------------------
def test_etag_and_last_modified_give_304(base: str, site: ReplicaSite) -> None:
    path = site.article(quiet_article(site, index=3)).canonical_path
    first = fetch(base, path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified
    assert fetch(base, path, headers={"If-None-Match": etag}).status == 304
    assert fetch(base, path, headers={"If-None-Match": '"other"'}).status == 200
    assert fetch(base, path, headers={"If-Modified-Since": modified}).status == 304
    assert fetch(base, path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200
    # If-None-Match wins over a matching If-Modified-Since
    assert fetch(base, path, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status == 200


# ---- traps ---------------------------------------------------------------------------------------
@pytest.fixture()
def fresh() -> Iterator[tuple[ReplicaSite, str]]:
    site = build_site(300)
    with ReplicaServer(site) as server:
        yield site, server.base_url


def trapped(site: ReplicaSite, trap: str) -> Any:
    return next(a for a in site.all_articles() if a.trap == trap)


def test_error_once_trap_answers_500_then_200(fresh: tuple[ReplicaSite, str]) -> None:
    site, base = fresh
    article = trapped(site, "error-once")
    assert fetch(base, article.canonical_path).status == 500
    assert fetch(base, article.canonical_path).status == 200
    assert fetch(base, article.canonical_path).status == 200


def test_drop_once_trap_closes_the_connection_then_answers(fresh: tuple[ReplicaSite, str]) -> None:
    site, base = fresh
    article = trapped(site, "drop-once")
    with pytest.raises(http.client.RemoteDisconnected):
        fetch(base, article.canonical_path)
    assert fetch(base, article.canonical_path).status == 200
    log = [e for e in json.loads(fetch(base, "/__replica__/log").body) if e["path"] == article.canonical_path]
    assert [(e["status"], e["outcome"]) for e in log] == [(None, "drop"), (200, "sent")]


def test_slow_pages_are_slow_but_well_under_two_seconds(fresh: tuple[ReplicaSite, str]) -> None:
    site, base = fresh
    article = trapped(site, "slow")
    assert 0 < article.slow_seconds < 1.5
    started = time.perf_counter()
    assert fetch(base, article.canonical_path, timeout=30).status == 200
    # A lower bound only: the server waited; how much longer a loaded machine takes is not asserted.
    assert time.perf_counter() - started >= article.slow_seconds


def test_faults_reset_rearms_the_traps(fresh: tuple[ReplicaSite, str]) -> None:
    site, base = fresh
    article = trapped(site, "error-once")
    assert [fetch(base, article.canonical_path).status for _ in range(2)] == [500, 200]
    admin(base, "faults/reset")
    assert [fetch(base, article.canonical_path).status for _ in range(2)] == [500, 200]


def test_no_traps_means_every_page_answers_at_once() -> None:
    site = build_site(300)
    with ReplicaServer(site, traps=False) as server:
        for trap in ("error-once", "drop-once", "slow"):
            path = trapped(site, trap).canonical_path
            assert fetch(server.base_url, path).status == 200
            # No planned delay (the handler's, not a wall clock); with traps on, the slow page has one.
            assert server.app.handle("GET", path, {}, server.base_url).delay == 0.0
    slow = trapped(site, "slow")
    assert ReplicaApp(site).handle("GET", slow.canonical_path, {}, "http://x").delay == slow.slow_seconds > 0


# ---- admin ---------------------------------------------------------------------------------------
def test_admin_mutations_show_in_listings_truth_and_validators(fresh: tuple[ReplicaSite, str]) -> None:
    site, base = fresh

    def truth() -> dict[str, dict[str, Any]]:
        lines = fetch(base, "/__replica__/truth.jsonl").text.splitlines()
        return {record["id"]: record for record in map(json.loads, lines)}

    before = truth()
    added = [entry["id"] for entry in admin(base, "add?n=3")["added"]]
    after_add = truth()
    assert set(after_add) - set(before) == {str(i) for i in added}
    home = fetch(base, "/").text
    assert all(site.article(i).canonical_path in home for i in added)
    newest = site.article(added[-1])
    assert f'href="{newest.canonical_path}"' in fetch(base, f"/{newest.category}/").text

    target = quiet_article(site, index=4)
    path = site.article(target).canonical_path
    old_etag = fetch(base, path).headers["ETag"]
    edited = admin(base, f"edit?id={target}")
    assert edited["revision"] == 1
    assert truth()[str(target)]["body"] != before[str(target)]["body"]
    assert fetch(base, path, headers={"If-None-Match": old_etag}).status == 200
    assert page_matches_truth(fetch(base, path).body, truth()[str(target)], site) == []

    admin(base, f"delete?id={target}")
    assert fetch(base, path).status == 410
    assert str(target) not in truth()
    assert fetch(base, f"/__replica__/delete?id={target}", method="POST").status == 404
    assert fetch(base, "/__replica__/edit?id=abc", method="POST").status == 400
    assert fetch(base, "/__replica__/add?n=0", method="POST").status == 400


def test_admin_endpoints_check_methods(base: str) -> None:
    assert fetch(base, "/__replica__/add?n=1").status == 405
    assert fetch(base, "/__replica__/truth.jsonl", method="POST").status == 405
    assert fetch(base, "/__replica__/nothing").status == 404
    assert fetch(base, "/", method="POST").status == 405


def test_log_records_every_request_with_headers_and_status(fresh: tuple[ReplicaSite, str]) -> None:
    site, base = fresh
    admin(base, "log/reset")
    path = site.article(quiet_article(site)).canonical_path
    etag = fetch(base, path, headers={"User-Agent": "dvarchive/0.1 (+test)"}).headers["ETag"]
    fetch(base, path, headers={"If-None-Match": etag, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    fetch(base, "/khong-co.html")
    log = json.loads(fetch(base, "/__replica__/log").body)
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", "/__replica__/log/reset", 200), ("GET", path, 200), ("GET", path, 304), ("GET", "/khong-co.html", 404),
    ]
    assert log[1]["headers"]["User-Agent"] == "dvarchive/0.1 (+test)"
    assert log[2]["headers"]["If-None-Match"] == etag
    assert log[2]["headers"]["If-Modified-Since"].startswith("Mon, 01 Jan 2001")


def test_sixteen_concurrent_clients_and_mutations_get_consistent_pages(fresh: tuple[ReplicaSite, str]) -> None:
    site, base = fresh
    paths = [f"/{c.slug}/?trang={n}" for c in site.categories for n in range(1, 6)]
    paths += [site.article(i).canonical_path for i in site.live_article_ids()[:150]
              if site.article(i).trap is None]

    def get(path: str) -> tuple[str, int, bool]:
        reply = fetch(base, path)
        return path, reply.status, len(reply.body) == int(reply.headers["Content-Length"])

    with ThreadPoolExecutor(16) as pool:
        futures = [pool.submit(get, path) for path in paths * 2]
        for _ in range(5):
            admin(base, "add?n=2")
        results = [future.result() for future in futures]
    assert [r for r in results if r[1] != 200 or not r[2]] == []
    log = json.loads(fetch(base, "/__replica__/log").body)
    assert len([e for e in log if not e["path"].startswith("/__replica__/")]) == len(paths) * 2


# ---- the process -----------------------------------------------------------------------------------
def test_process_prints_ready_serves_and_stops_on_sigterm() -> None:
    with start_replica_process(articles=40, seed=5, extra_args=["--no-traps"]) as replica:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", replica.base_url)
        assert fetch(replica.base_url, "/").status == 200
        site = build_site(40, seed=5)
        remote = fetch(replica.base_url, "/__replica__/truth.jsonl").text.splitlines()
        assert [json.loads(line) for line in remote] == site.all_truth(replica.base_url)
        for article_id in site.live_article_ids()[:10]:          # same seed, same bytes, across processes
            page = fetch(replica.base_url, site.article(article_id).canonical_path).text
            assert page == site.render_article_html(article_id, replica.base_url)
        replica.popen.send_signal(signal.SIGTERM)
        assert replica.popen.wait(10) == 0


def test_process_refuses_bad_arguments() -> None:
    from dvarchive.replica import ReplicaProcessError
    with pytest.raises(ReplicaProcessError):
        start_replica_process(articles=10, faults=["no-such-fault"])
    with pytest.raises(ReplicaProcessError):
        start_replica_process(articles=10, extra_args=["--host", "0.0.0.0"])


def test_a_twenty_thousand_article_replica_serves_deep_pages() -> None:
    """How fast it starts and answers is measured by benchmarks/bench_replica.py, not asserted here."""
    with start_replica_process(articles=20_000, extra_args=["--no-traps"]) as replica:
        for path in ("/", "/tin-hoat-dong/?trang=500", "/van-ban/?trang=3", "/rss/dan-van-kheo.rss",
                     "/guong-dien-hinh/?trang=200"):
            reply = fetch(replica.base_url, path)
            assert reply.status == 200, path
        href = reply.tree().xpath("string(//div[@class='news-item'][1]//h3/a/@href)")
        assert href, "page 200 of guong-dien-hinh lists articles"
        assert fetch(replica.base_url, href).status in (200, 404)
