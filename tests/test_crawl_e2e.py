"""End to end: the real CLI crawls the real replica over HTTP on 127.0.0.1 (issue: spine).

Checks recall of live articles, duplicates, politeness (robots.txt, no app, no print view,
no other host) and that every category stops after at most one empty listing page.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from dvarchive.pages.chrome import find_chrome
from dvarchive.schema import validation_errors
from helpers import read_jsonl, replica_get, replica_log, replica_truth, run_cli

pytestmark = pytest.mark.e2e  # real subprocesses end to end: `-m 'not e2e'` for a quick run

ADMIN_PREFIX = "/__replica__/"
ARTICLE_ID = re.compile(r"-(\d+)\.html$")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from dvarchive.replica import start_replica_process

    out = tmp_path_factory.mktemp("crawl")
    with start_replica_process(articles=300) as replica:
        base = replica.base_url
        result = run_cli(
            "crawl", "--start-url", base + "/", "--output", str(out / "articles.jsonl"),
            "--delay", "0", "--concurrency", "16", "--stats", str(out / "stats.json"), "--no-progress",
        )
        log = [entry for entry in replica_log(base) if not entry["path"].startswith(ADMIN_PREFIX)]
        truth = replica_truth(base)
        robots = replica_get(base, "/robots.txt").decode()
        slugs = {urlsplit(r["url"]).path.split("/")[1] for r in truth.values()}
        nonempty_pages = {slug: count_nonempty_listing_pages(base, slug) for slug in slugs}
    return {
        "result": result, "records": read_jsonl(out / "articles.jsonl"), "truth": truth, "log": log,
        "jsonl": (out / "articles.jsonl").read_bytes(),
        "robots": robots, "stats": json.loads((out / "stats.json").read_text()), "base": base,
        "nonempty_pages": nonempty_pages,
    }


def count_nonempty_listing_pages(base: str, slug: str) -> int:
    """An oracle independent of the spider: page through the listing until a page lists nothing."""
    page = 1
    while b'class="news-item"' in fetch_with_retries(base, f"/{slug}/?trang={page}"):
        page += 1
    return page - 1


def fetch_with_retries(base: str, path: str, attempts: int = 4) -> bytes:
    for attempt in range(attempts):
        try:
            return replica_get(base, path)
        except OSError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def test_crawl_exits_zero(crawl: dict[str, Any]) -> None:
    assert crawl["result"].returncode == 0, crawl["result"].stderr[-3000:]


def test_recall_of_live_articles_is_total(crawl: dict[str, Any]) -> None:
    archived = {r["id"].split(":", 1)[1] for r in crawl["records"]}
    assert len(crawl["truth"]) >= 290
    assert set(crawl["truth"]) - archived == set()
    assert archived - set(crawl["truth"]) == set()


def test_no_duplicate_records(crawl: dict[str, Any]) -> None:
    ids = Counter(r["id"] for r in crawl["records"])
    urls = Counter(r["url"] for r in crawl["records"])
    assert [i for i, n in ids.items() if n > 1] == []
    assert [u for u, n in urls.items() if n > 1] == []


def test_every_record_is_schema_valid_and_free_of_chrome(crawl: dict[str, Any]) -> None:
    assert [(r["id"], validation_errors(r)) for r in crawl["records"] if validation_errors(r)] == []
    assert [(r["id"], find_chrome(r["body"])) for r in crawl["records"] if find_chrome(r["body"])] == []


def test_records_carry_canonical_urls_and_menu_categories(crawl: dict[str, Any]) -> None:
    for record in crawl["records"]:
        expected = crawl["truth"][record["id"].split(":", 1)[1]]
        assert record["url"] == expected["url"]
        assert record["category"] == expected["category"]
        assert "?" not in record["url"] and "#" not in record["url"]


def test_no_request_to_robots_disallowed_paths(crawl: dict[str, Any]) -> None:
    parser = RobotFileParser()
    parser.parse(crawl["robots"].splitlines())
    disallowed = [e["path"] for e in crawl["log"] if not parser.can_fetch("dvarchive", crawl["base"] + e["path"])]
    assert disallowed == []
    assert not any(e["path"].startswith("/in-tin/") for e in crawl["log"])


def test_no_request_to_the_app_images_files_or_static_pages(crawl: dict[str, Any]) -> None:
    unwanted = re.compile(r"^/(Uploads/|gioi-thieu/|lien-he\.html|Images/|Content/|Scripts/)")
    assert [e["path"] for e in crawl["log"] if unwanted.match(e["path"])] == []


def test_no_request_left_the_replica_host(crawl: dict[str, Any]) -> None:
    # Every request the downloader sent reached the replica: none went to another host. The
    # replica drops one connection (a trap, logged with status None). On a reused connection
    # Twisted's pool re-sends the request unseen by the downloader's counter; on a fresh one the
    # downloader sees a DownloadFailedError and Scrapy retries: counted once more, never answered.
    answered = [e for e in crawl["log"] if e["status"] is not None]
    dropped = [e for e in crawl["log"] if e["status"] is None]
    failed = crawl["stats"].get("downloader/exception_count", 0)
    assert failed <= len(dropped)
    assert crawl["stats"]["downloader/request_count"] == len(answered) + failed


def test_crawl_identifies_itself(crawl: dict[str, Any]) -> None:
    agents = {e["headers"].get("User-Agent", "") for e in crawl["log"]}
    assert agents and all(a.startswith("dvarchive/") for a in agents)


def test_each_category_stops_after_at_most_one_empty_listing_page(crawl: dict[str, Any]) -> None:
    pages_requested: dict[str, set[int]] = defaultdict(set)
    for entry in crawl["log"]:
        parts = urlsplit(entry["path"])
        if re.fullmatch(r"/[a-z0-9-]+/", parts.path):
            page = int(parse_qs(parts.query).get("trang", ["1"])[0])
            pages_requested[parts.path.strip("/")].add(page)
    assert set(pages_requested) == set(crawl["nonempty_pages"])
    for slug, pages in pages_requested.items():
        # every non-empty page, plus exactly the one empty page after the last of them
        assert pages == set(range(1, crawl["nonempty_pages"][slug] + 2)), slug
    assert crawl["stats"]["dvarchive/listing/empty_page"] == len(crawl["nonempty_pages"])


def test_deleted_articles_are_counted_not_fatal(crawl: dict[str, Any]) -> None:
    assert crawl["stats"].get("dvarchive/gone", 0) >= 1
    assert "gone (404/410)" in crawl["result"].stderr


def test_transient_server_faults_were_retried(crawl: dict[str, Any]) -> None:
    reasons = [k for k in crawl["stats"] if k.startswith("retry/reason_count/")]
    assert any("500" in k for k in reasons), reasons
    archived_ids = {r["id"].split(":", 1)[1] for r in crawl["records"]}
    for fault_status in (500, None):  # None: the replica dropped the connection
        faulted = {e["path"] for e in crawl["log"] if e["status"] == fault_status}
        assert faulted, f"the replica planted no {fault_status} trap"
        recovered = {e["path"] for e in crawl["log"] if e["status"] == 200 and e["path"] in faulted}
        assert recovered == faulted
        faulted_articles = {m[1] for p in faulted if (m := ARTICLE_ID.search(p))}
        assert faulted_articles and faulted_articles <= archived_ids


def test_jsonl_is_utf8_with_real_vietnamese_letters(crawl: dict[str, Any]) -> None:
    """The exporter's own bytes (not a re-serialization): UTF-8 letters, no \\u escapes."""
    text = crawl["jsonl"].decode("utf-8")  # strict: a byte that is not UTF-8 fails here
    assert "\\u" not in text
    assert "ệ" in text and "Dân vận" in text
