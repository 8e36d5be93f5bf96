"""WARC capture of a real `dvarchive crawl --warc` of the bundled replica (with its traps).

Complements test_warc_capture.py (a tiny server with every status and encoding): here the
project's own settings, spider and pipelines run, and the replica's request log is the
oracle of what was fetched.
"""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from dvarchive.archive.reextract import reextract
from dvarchive.archive.warc import iter_responses, read_record_at
from helpers import read_jsonl, replica_log, run_cli

pytestmark = pytest.mark.e2e  # real subprocesses end to end: `-m 'not e2e'` for a quick run

replica = pytest.importorskip("dvarchive.replica")
ADMIN_PREFIX = "/__replica__/"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("warc-replica")
    with replica.start_replica_process(articles=40, faults=("cp1258",)) as site:
        result = run_cli("crawl", "--start-url", site.base_url + "/", "--output", str(out / "articles.jsonl"),
                         "--delay", "0", "--warc", str(out / "crawl.warc.gz"), "--no-progress")
        log = [e for e in replica_log(site.base_url) if not e["path"].startswith(ADMIN_PREFIX)]
        captures = list(iter_responses([out / "crawl.warc.gz"], decode_content=False))
        served = {c.url: refetch(c.url, c.status) for c in captures if c.status == 200}
    assert result.returncode == 0, result.stderr[-3000:]
    return {"dir": out, "warc": out / "crawl.warc.gz", "log": log, "captures": captures, "served": served,
            "records": read_jsonl(out / "articles.jsonl")}


def refetch(url: str, status: int, attempts: int = 6) -> bytes | None:
    """The body the replica serves for ``url`` now (retrying through its one-off faults)."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == status:
                    return response.read()
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    return None


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_warcio_check_and_index(crawl: dict[str, Any]) -> None:
    for command in (["check", "-v"], ["index"]):
        result = subprocess.run([sys.executable, "-m", "warcio.cli", *command, str(crawl["warc"])],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "digest fail" not in result.stdout


def test_one_response_record_per_response_sent(crawl: dict[str, Any]) -> None:
    sent = Counter((e["path"], e["status"]) for e in crawl["log"] if e["outcome"] == "sent")
    archived = Counter((path_of(c.url), c.status) for c in crawl["captures"])
    assert archived == sent
    assert ("/robots.txt", 200) in archived
    assert any(status == 404 for _, status in archived) and any(status == 500 for _, status in archived)


def test_payloads_are_the_bytes_served(crawl: dict[str, Any]) -> None:
    compared = 0
    for capture in crawl["captures"]:
        if capture.status == 200 and crawl["served"].get(capture.url) is not None:
            assert capture.body == crawl["served"][capture.url], capture.url
            compared += 1
    assert compared >= 40
    cp1258 = [c for c in crawl["captures"] if "windows-1258" in (c.content_type or "")]
    assert cp1258, "the cp1258 page was captured with its charset"


def test_records_point_at_their_capture(crawl: dict[str, Any]) -> None:
    assert len(crawl["records"]) >= 35
    for record in crawl["records"]:
        ref = record["warc"]
        archived, _ = read_record_at(crawl["dir"] / ref["file"], ref["offset"])
        assert archived.rec_type == "response"
        assert archived.rec_headers.get_header("WARC-Record-ID") == ref["record_id"]
        assert archived.rec_headers.get_header("WARC-Date") == record["fetched_at"]


def test_reextract_reproduces_the_crawl(crawl: dict[str, Any]) -> None:
    records, _ = reextract([crawl["warc"]], site="danvan")
    assert {r["id"]: r for r in records} == {r["id"]: r for r in crawl["records"]}


def test_warc_and_records_survive_packaging(crawl: dict[str, Any], tmp_path: Path) -> None:
    result = run_cli("package", "--from", str(crawl["dir"] / "articles.jsonl"), "--out", str(tmp_path / "pkg"))
    assert result.returncode == 0, result.stderr
    assert run_cli("verify", str(tmp_path / "pkg")).returncode == 0
