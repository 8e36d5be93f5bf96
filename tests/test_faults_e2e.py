"""Everything a real government server and hostile pages throw at a crawl (issue: survive faults).

One crawl of a replica with every compatible fault mode switched on, then per fault: the crawl
completed, kept every live article, counted the fault in its stats and wrote nothing partial.
robots.txt faults exclude each other and get crawls of their own.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from helpers import read_jsonl, replica_get, replica_log, replica_truth, run_cli

pytestmark = pytest.mark.e2e  # real subprocesses end to end: `-m 'not e2e'` for a quick run

FAULTS = ("stall,short-body,redirect-loop,offsite-redirect,huge-page,cp1258,malformed,"
          "empty-200,listing-500,rss-bomb,xss")
COMPARED_FIELDS = ("url", "category", "title", "subtitle", "published", "modified", "author", "source",
                   "body", "images", "attachments")
# Nothing of an XSS vector may survive in body_html (case-insensitive).
XSS_MARKERS = re.compile(
    r"<script|javascript:|vbscript:|data:|\bon[a-z]+\s*=|<iframe|<object|<embed|<svg|<style|<link|<meta|"
    r"<form|<input|<body|expression\(|background=",
    re.IGNORECASE,
)


def crawl_replica(tmp: Path, faults: str, *flags: str, articles: int = 300, stall: str = "4") -> dict[str, Any]:
    from dvarchive.replica import start_replica_process

    extra = ("--faults", faults, "--stall-seconds", stall) if faults else ()
    with start_replica_process(articles=articles, extra_args=extra) as replica:
        base = replica.base_url
        result = run_cli("crawl", "--start-url", base + "/", "--output", str(tmp / "articles.jsonl"),
                         "--delay", "0", "--concurrency", "16", "--no-progress", "--stats", str(tmp / "stats.json"),
                         "-s", "DOWNLOAD_TIMEOUT=2", *flags)
        log = [e for e in replica_log(base) if not e["path"].startswith("/__replica__/")]
        plan = json.loads(replica_get(base, "/__replica__/faults")) if faults else {}
        truth = replica_truth(base)
    output = tmp / "articles.jsonl"
    return {
        "result": result, "truth": truth, "log": log, "plan": plan, "dir": tmp,
        "records": {r["id"].split(":", 1)[1]: r for r in read_jsonl(output)} if output.exists() else {},
        "stats": json.loads((tmp / "stats.json").read_text()) if (tmp / "stats.json").exists() else {},
    }


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return crawl_replica(tmp_path_factory.mktemp("faults"), FAULTS)


def assert_record_equals_truth(crawl: dict[str, Any], article_id: int | str) -> None:
    record, truth = crawl["records"][str(article_id)], crawl["truth"][str(article_id)]
    assert {f: record[f] for f in COMPARED_FIELDS} == {f: truth[f] for f in COMPARED_FIELDS}


def stat(crawl: dict[str, Any], key: str) -> int:
    return int(crawl["stats"].get(key, 0))


def test_crawl_completes_and_keeps_every_live_article(faulty: dict[str, Any]) -> None:
    assert faulty["result"].returncode == 0, faulty["result"].stderr[-3000:]
    assert set(faulty["records"]) == set(faulty["truth"])
    assert faulty["stats"]["finish_reason"] == "finished"


def test_nothing_partial_is_written(faulty: dict[str, Any]) -> None:
    read_jsonl(faulty["dir"] / "articles.jsonl")
    assert sorted(p.name for p in faulty["dir"].iterdir()) == ["articles.jsonl", "stats.json"]


def test_stalled_response_times_out_and_is_retried(faulty: dict[str, Any]) -> None:
    assert stat(faulty, "retry/reason_count/scrapy.exceptions.DownloadTimeoutError") >= 1
    assert_record_equals_truth(faulty, faulty["plan"]["articles"]["stall"])


def test_body_shorter_than_content_length_is_retried(faulty: dict[str, Any]) -> None:
    assert stat(faulty, "retry/reason_count/scrapy.exceptions.ResponseDataLossError") >= 1
    assert_record_equals_truth(faulty, faulty["plan"]["articles"]["short-body"])


def test_redirect_loop_ends_without_a_record(faulty: dict[str, Any]) -> None:
    decoy = faulty["plan"]["decoys"]["redirect-loop"]["path"]
    hits = [e for e in faulty["log"] if urlsplit(e["path"]).path == decoy]
    assert 2 <= len(hits) <= 6
    assert stat(faulty, "downloader/response_status_count/302") >= 2
    assert stat(faulty, "dupefilter/filtered") + stat(faulty, "dvarchive/article_failed") >= 1
    assert str(faulty["plan"]["decoys"]["redirect-loop"]["id"]) not in faulty["records"]


def test_redirect_to_another_host_is_not_followed(faulty: dict[str, Any]) -> None:
    assert stat(faulty, "dvarchive/offsite/redirect") >= 1  # refused by the origin scope, before DNS
    assert not any("DNSLookupError" in k or "offsite.invalid" in k for k in faulty["stats"])
    assert str(faulty["plan"]["decoys"]["offsite-redirect"]["id"]) not in faulty["records"]


def test_huge_page_is_refused_by_the_size_cap(faulty: dict[str, Any]) -> None:
    assert stat(faulty, "downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError") >= 1
    assert stat(faulty, "dvarchive/article_failed") >= 1
    assert faulty["stats"]["memusage/max"] < 300 * 1024 * 1024
    assert str(faulty["plan"]["decoys"]["huge-page"]["id"]) not in faulty["records"]


def test_windows_1258_page_is_decoded_and_stored_nfc(faulty: dict[str, Any]) -> None:
    article_id = faulty["plan"]["articles"]["cp1258"]
    served = [e for e in faulty["log"] if e["path"].endswith(f"-{article_id}.html") and e["status"] == 200]
    assert served, "the cp1258 article was not fetched"
    assert_record_equals_truth(faulty, article_id)


def test_malformed_html_still_gives_the_exact_record(faulty: dict[str, Any]) -> None:
    assert_record_equals_truth(faulty, faulty["plan"]["articles"]["malformed"])


def test_empty_200_is_a_counted_drop(faulty: dict[str, Any]) -> None:
    assert stat(faulty, "dvarchive/dropped/not_article") >= 1
    assert str(faulty["plan"]["decoys"]["empty-200"]["id"]) not in faulty["records"]


def test_listing_page_failing_every_time_is_skipped_and_its_articles_found(faulty: dict[str, Any]) -> None:
    failing = faulty["plan"]["listing-500"]
    assert stat(faulty, "dvarchive/listing/failed_page") == 1
    assert [e["status"] for e in faulty["log"] if e["path"] == failing] == [500] * 4  # 1 + 3 retries
    slug = failing.split("/")[1]
    # the category went on paging past the failed page, to its end
    assert any(e["path"] == f"/{slug}/?trang=3" for e in faulty["log"])
    in_category = {i for i, t in faulty["truth"].items() if urlsplit(t["url"]).path.startswith(f"/{slug}/")}
    assert in_category <= set(faulty["records"])


def test_rss_entity_bomb_is_defused_and_its_items_kept(faulty: dict[str, Any]) -> None:
    assert stat(faulty, "dvarchive/rss/doctype_removed") == 1
    assert stat(faulty, "dvarchive/rss/unusable") == 0
    assert faulty["stats"]["memusage/max"] < 300 * 1024 * 1024


def test_planted_xss_vectors_are_gone_from_body_html(faulty: dict[str, Any]) -> None:
    xss_ids = [str(i) for i in faulty["plan"]["articles"]["xss"]]
    assert len(xss_ids) >= 3
    for article_id in xss_ids:
        assert_record_equals_truth(faulty, article_id)
    offending = {i: XSS_MARKERS.findall(r["body_html"] or "") for i, r in faulty["records"].items()}
    assert {i: found for i, found in offending.items() if found} == {}


def test_no_request_left_the_start_host(faulty: dict[str, Any]) -> None:
    # Every downloader request reached the replica. A request the downloader gave up on (the stall
    # fault's timeout) may be logged by the replica only when its stalled answer ends, after the
    # log was read; a request on a connection the replica dropped (logged with status None) is
    # counted by the downloader and never answered: those are the only requests allowed to be
    # missing from the answered ones.
    answered = [e for e in faulty["log"] if e["status"] is not None]
    dropped = [e for e in faulty["log"] if e["status"] is None]
    unlogged = faulty["stats"]["downloader/request_count"] - len(answered)
    timeouts = stat(faulty, "downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError")
    failed = stat(faulty, "downloader/exception_type_count/scrapy.exceptions.DownloadFailedError")
    assert 0 <= unlogged <= timeouts + min(failed, len(dropped))


@pytest.mark.parametrize("policy", ["default", "allow"])
def test_robots_txt_answering_500(policy: str, tmp_path: Path) -> None:
    flags = ("--robots-unreachable", "allow") if policy == "allow" else ()
    crawl = crawl_replica(tmp_path, "robots-500", *flags, articles=60)
    assert stat(crawl, "dvarchive/robots/unreachable") == 1
    assert "Traceback" not in crawl["result"].stderr
    if policy == "default":
        # RFC 9309: unreachable robots.txt = complete disallow; a clear error, nothing crawled.
        assert crawl["result"].returncode == 1
        assert "RFC 9309" in crawl["result"].stderr
        assert [e["path"] for e in crawl["log"]] == ["/robots.txt"] * 4
        assert crawl["records"] == {}
    else:
        assert crawl["result"].returncode == 0, crawl["result"].stderr[-2000:]
        assert set(crawl["records"]) == set(crawl["truth"])


def test_robots_txt_answering_404_means_no_rules(tmp_path: Path) -> None:
    crawl = crawl_replica(tmp_path, "robots-404", articles=60)
    assert crawl["result"].returncode == 0, crawl["result"].stderr[-2000:]
    assert stat(crawl, "dvarchive/robots/unavailable") == 1
    assert set(crawl["records"]) == set(crawl["truth"])
