"""Generic-discovery crawls with ``--state`` that do not run cleanly to their end, per replica style: a
crawl SIGKILLed mid-way and run again completes the set; ``--revisit`` re-fetches conditionally and
records edits and withdrawals; a crawl cut by ``--max-articles`` marks no listing complete."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import read_jsonl, replica_get, replica_post, run_cli
from helpers.portal_runs import ARTICLES, STYLES, conditional, crawl, crawl_args, truth_urls
from helpers.state import kill_when_stored

pytestmark = pytest.mark.e2e


# One style: the kill and the resumption are the state's and the spider's, not a style's.
@pytest.mark.parametrize("style", ["wordpress"])
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
