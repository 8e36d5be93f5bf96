"""Recurring crawls of portals the crawler has never seen (generic discovery + ``--state``), per replica
style, counted in the replica's request log: an unchanged re-run requests no article page and a
handful of pages; two articles added are exactly what the next run finds; a crawl SIGKILLed mid-way
and run again completes the set."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import read_jsonl, replica_get, replica_log, replica_post, run_cli
from test_incremental_e2e import kill_when_stored

pytestmark = pytest.mark.e2e

ARTICLES = 40
STYLES = ["sharepoint", "liferay", "wordpress"]


def truth_urls(base: str) -> set[str]:
    lines = replica_get(base, "/__replica__/truth.jsonl").decode("utf-8").splitlines()
    return {json.loads(line)["url"] for line in lines if line}


def crawl_args(base: str, state: Path, output: Path, stats: Path) -> list[str]:
    return ["crawl", "--start-url", base + "/", "--state", str(state), "--output", str(output), "--stats", str(stats),
            "--delay", "0", "--concurrency", "4", "--no-progress"]


def crawl(base: str, tmp: Path, run: str, *extra: str) -> dict[str, Any]:
    """One run on the shared state; its exit code, records, stats and the site requests it made."""
    replica_post(base, "/__replica__/log/reset")
    output, stats = tmp / f"{run}.jsonl", tmp / f"{run}.stats.json"
    result = run_cli(*crawl_args(base, tmp / "state", output, stats), *extra, timeout=300)
    requests = [e for e in replica_log(base) if not e["path"].startswith("/__replica__/")]
    return {"result": result, "records": read_jsonl(output) if output.exists() else [],
            "log": [e["path"] for e in requests], "requests": requests,
            "stats": json.loads(stats.read_text()) if stats.exists() else {}}


def conditional(entry: dict[str, Any]) -> bool:
    """The logged request carried the validators the crawl kept."""
    names = {name.lower() for name in entry["headers"]}
    return {"if-none-match", "if-modified-since"} <= names


@pytest.mark.parametrize("style", [*STYLES, "danvan"])
def test_recurring_crawl_fetches_only_what_is_new(style: str, tmp_path: Path) -> None:
    """(``danvan``: the board's own site through generic discovery, ``--discovery generic``.)"""
    from dvarchive.replica import start_replica_process

    extra = ("--discovery", "generic") if style == "danvan" else ()
    with start_replica_process(articles=ARTICLES, style=style) as replica:
        base = replica.base_url
        before = truth_urls(base)
        first = crawl(base, tmp_path, "first", *extra)
        second = crawl(base, tmp_path, "second", *extra)
        replica_post(base, "/__replica__/add?n=2")
        added = truth_urls(base) - before
        third = crawl(base, tmp_path, "third", *extra)
    assert first["result"].returncode == 0, first["result"].stderr[-2000:]
    assert before <= {r["url"] for r in first["records"]}

    assert second["result"].returncode == 0, second["result"].stderr[-2000:]   # unchanged is not degraded
    assert "DEGRADED" not in second["result"].stderr
    assert second["records"] == []
    assert [p for p in second["log"] if base + p in before] == []              # no article page requested
    menu = second["stats"]["dvarchive/discovery/menu"]
    # home + robots.txt (once: discovery takes its Sitemap: lines from the robots middleware) +
    # sitemaps/feed (<= 4) + one page per menu entry + <= 2 others; measured: liferay 12, sharepoint 11,
    # wordpress 12, danvan 12 (run 1: 56-69).
    assert all(run["log"].count("/robots.txt") == 1 for run in (first, second, third))
    assert len(second["log"]) <= len(menu) + 8, second["log"]
    assert second["stats"]["dvarchive/discovery/known_skipped"] >= 1

    assert len(added) == 2
    assert third["result"].returncode == 0, third["result"].stderr[-2000:]
    assert {r["url"] for r in third["records"]} == added
    assert {p for p in third["log"] if base + p in before | added} == {u[len(base):] for u in added}


@pytest.mark.parametrize("style", STYLES)
def test_crawl_killed_midway_then_rerun_completes_the_set(style: str, tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process

    state = tmp_path / "state"
    with start_replica_process(articles=ARTICLES, style=style) as replica:
        base = replica.base_url
        truth = truth_urls(base)
        args = crawl_args(base, state, tmp_path / "run.jsonl", tmp_path / "run.stats.json")
        args[args.index("--concurrency") + 1] = "1"
        stored = kill_when_stored(args, state, 12)
        rerun = crawl(base, tmp_path, "rerun")
    assert 12 <= stored < len(truth)
    assert rerun["result"].returncode == 0, rerun["result"].stderr[-2000:]
    exported = tmp_path / "export.jsonl"
    assert run_cli("export", "--state", str(state), "--output", str(exported)).returncode == 0
    urls = [r["url"] for r in read_jsonl(exported)]
    assert truth <= set(urls) and len(urls) == len(set(urls))
    # the re-run fetched what the killed run had not stored, not what it had
    assert len([p for p in rerun["log"] if base + p in truth]) <= len(truth) - stored + 4


@pytest.mark.parametrize("style", STYLES)
def test_revisit_recaptures_edits_and_withdrawals_of_a_generic_crawl(style: str, tmp_path: Path) -> None:
    """``--revisit`` on a portal generic discovery archived: on the unchanged site every article page is
    asked conditionally and answered 304 (nothing re-downloaded, nothing exported); after one edit and
    one deletion the edited article is a version 2, the deleted one withdrawn, the others 304 and
    unchanged with the category they were archived under; exit 0."""
    from dvarchive.replica import start_replica_process
    from dvarchive.state import CrawlState

    with start_replica_process(articles=ARTICLES, style=style) as replica:
        base = replica.base_url
        lines = replica_get(base, "/__replica__/truth.jsonl").decode("utf-8").splitlines()
        truth = sorted((json.loads(line) for line in lines if line), key=lambda t: int(t["id"]))
        first = crawl(base, tmp_path, "first")
        unchanged = crawl(base, tmp_path, "unchanged", "--revisit")
        edited, deleted = truth[3], truth[5]
        replica_post(base, f"/__replica__/edit?id={edited['id']}")
        replica_post(base, f"/__replica__/delete?id={deleted['id']}")
        revisit = crawl(base, tmp_path, "revisit", "--revisit")
    archived = {r["url"] for r in first["records"]}
    assert archived == {t["url"] for t in truth}

    assert unchanged["result"].returncode == 0, unchanged["result"].stderr[-2000:]
    assert "DEGRADED" not in unchanged["result"].stderr
    assert unchanged["records"] == []
    assert unchanged["stats"]["dvarchive/revisit/not_modified"] == len(truth)
    articles = [e for e in unchanged["requests"] if base + e["path"] in archived]
    assert sorted(base + e["path"] for e in articles) == sorted(archived)       # each once
    assert all(conditional(e) and e["status"] == 304 for e in articles), articles

    result = revisit["result"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "DEGRADED" not in result.stderr
    assert [(r["url"], r["version"]) for r in revisit["records"]] == [(edited["url"], 2)]
    assert {base + p for p in revisit["log"] if p != "/robots.txt"} == archived
    assert revisit["stats"]["dvarchive/revisit/not_modified"] == len(truth) - 2
    statuses = {base + e["path"]: e["status"] for e in revisit["requests"] if base + e["path"] in archived}
    assert statuses[edited["url"]] == 200 and statuses[deleted["url"]] in (404, 410)
    with CrawlState.open(tmp_path / "state", read_only=True) as state:
        assert [w["url"] for w in state.withdrawn_articles()] == [deleted["url"]]
        categories = {r["url"]: r["category"] for r in state.latest_records()}
    assert categories == {r["url"]: r["category"] for r in first["records"]}


def test_a_crawl_cut_by_max_articles_marks_no_listing_complete(tmp_path: Path) -> None:
    """Only a crawl that ran to its end reports its listings walked; the next run pages them fully."""
    from dvarchive.replica import start_replica_process
    from dvarchive.state import CrawlState

    with start_replica_process(articles=ARTICLES, style="wordpress") as replica:
        base = replica.base_url
        truth = truth_urls(base)
        args = crawl_args(base, tmp_path / "state", tmp_path / "cut.jsonl", tmp_path / "cut.stats.json")
        cut = run_cli(*args, "--max-articles", "8", timeout=300)
        with CrawlState.open(tmp_path / "state", read_only=True) as state:
            complete_after_cut = state.complete_categories()
        full = crawl(base, tmp_path, "full")
        again = crawl(base, tmp_path, "again")
    assert cut.returncode == 0, cut.stderr[-2000:]
    assert len(read_jsonl(tmp_path / "cut.jsonl")) == 8
    assert complete_after_cut == set()
    assert full["result"].returncode == 0, full["result"].stderr[-2000:]
    assert {r["url"] for r in full["records"]} == truth - {r["url"] for r in read_jsonl(tmp_path / "cut.jsonl")}
    assert again["records"] == [] and [p for p in again["log"] if base + p in truth] == []
    with CrawlState.open(tmp_path / "state", read_only=True) as state:
        assert {base + "/category/tin-hoat-dong/", base + "/"} <= state.complete_categories()
