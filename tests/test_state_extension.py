"""The crawl state's one owner: CrawlStateExtension (opened and locked once, runs begun and ended).

Unit checks on a real Scrapy crawler and a real SQLite state, then the runner's mapping of the
extension's failures: a lock taken between the runner's look and the crawl is exit 75, a corrupt
state exit 1 — each one line, no traceback.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli
from scrapy import Spider
from scrapy.utils.test import get_crawler

from dvarchive.replica import ReplicaServer, build_site
from dvarchive.state import CrawlState
from dvarchive.state.extension import CrawlStateExtension, category_exhausted, crawl_state_of
from dvarchive.state.lock import LOCK_FILE


def extension_for(directory: Path, **settings: object) -> CrawlStateExtension:
    crawler = get_crawler(Spider, {"STATE_DIR": str(directory), **settings})
    return CrawlStateExtension.from_crawler(crawler)


def test_the_extension_owns_the_state_for_the_crawl(tmp_path: Path) -> None:
    ext = extension_for(tmp_path / "state")
    assert crawl_state_of(ext.crawler) is ext.state and ext.state.locked
    spider = Spider(name="s", start_url="http://site.test/")
    ext.spider_opened(spider)
    assert ext.run_id is not None and ext.mode == "full"
    ext.crawler.signals.send_catch_log(category_exhausted, slug="tin-hoat-dong", name="Tin hoạt động")
    ext.spider_closed(spider, "finished")
    with CrawlState.open(tmp_path / "state") as reopened:  # the lock was released on close
        assert reopened.backfill_complete("tin-hoat-dong")
        run = reopened.run(ext.run_id)
        assert run is not None and run.finish_reason == "finished" and run.start_url == "http://site.test/"


def test_without_state_dir_the_extension_is_off() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        CrawlStateExtension.from_crawler(get_crawler(Spider, {}))


def test_a_lock_taken_after_the_runners_look_is_exit_75(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    with CrawlState.open(directory):
        # The holder's pid is not alive: the runner's look-only check lets the crawl start, and
        # the extension's own lock attempt is what refuses it.
        (directory / LOCK_FILE).write_text(json.dumps({"pid": 2 ** 22 + 17, "started": "earlier"}))
        with ReplicaServer(build_site(5, seed=1), traps=False) as server:  # a start URL that answers
            result = run_cli("crawl", "--start-url", server.base_url + "/", "--state", str(directory),
                             "--output", str(tmp_path / "x.jsonl"), "--delay", "0")
    assert result.returncode == 75, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "another crawl" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_a_corrupt_state_is_one_line_and_exit_1(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    directory.mkdir()
    (directory / "state.sqlite").write_bytes(b"junk" * 4096)
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--state", str(directory),
                     "--output", str(tmp_path / "x.jsonl"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "corrupt" in result.stderr
