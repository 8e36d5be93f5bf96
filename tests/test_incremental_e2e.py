"""Scheduled, incremental, resumable crawls against the real replica (issue: incremental crawls)."""
from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from helpers import read_jsonl, replica_log, replica_post, replica_truth, run_cli
from helpers.state import kill_when_stored

pytestmark = pytest.mark.e2e  # real subprocesses end to end: `-m 'not e2e'` for a quick run

ARTICLE_PATH = re.compile(r"^/[a-z0-9-]+/[^/?]+-\d+\.html")
LISTING_PATH = re.compile(r"^/(?P<slug>[a-z0-9-]+)/(\?trang=\d+)?$")


def crawl_args(base: str, state: Path, output: Path, *extra: str) -> list[str]:
    return ["crawl", "--start-url", base + "/", "--state", str(state), "--output", str(output),
            "--delay", "0", "--concurrency", "8", "--no-progress", *extra]


def crawl(base: str, state: Path, output: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = run_cli(*crawl_args(base, state, output, *extra))
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def site_log(base: str) -> list[dict[str, Any]]:
    return [e for e in replica_log(base) if not e["path"].startswith("/__replica__/")]


def request_kinds(log: list[dict[str, Any]]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for entry in log:
        path = entry["path"]
        if ARTICLE_PATH.match(path):
            kinds["article"] += 1
        elif match := LISTING_PATH.match(path):
            kinds[f"listing:{match['slug']}"] += 1
        elif path == "/":
            kinds["home"] += 1
        elif path == "/robots.txt":
            kinds["robots"] += 1
        else:
            kinds[f"other:{path}"] += 1
    return kinds


def ids_in(path: Path) -> list[str]:
    return [r["id"].split(":", 1)[1] for r in read_jsonl(path)]


# Two sizes three times apart (every category has more than two listing pages at the smaller one).
@pytest.mark.parametrize("articles", [200, 600])
def test_unchanged_site_costs_a_constant_handful_of_requests(articles: int, tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=articles) as replica:
        base = replica.base_url
        crawl(base, tmp_path / "state", tmp_path / "first.jsonl")
        assert sorted(ids_in(tmp_path / "first.jsonl")) == sorted(replica_truth(base))
        walked = {k: n for k, n in request_kinds(site_log(base)).items() if k.startswith("listing:")}
        replica_post(base, "/__replica__/log/reset")
        crawl(base, tmp_path / "state", tmp_path / "second.jsonl")
        kinds = request_kinds(site_log(base))
    assert read_jsonl(tmp_path / "second.jsonl") == []
    assert kinds["article"] == 0
    listing = {k: n for k, n in kinds.items() if k.startswith("listing:")}
    assert len(listing) == 5 and all(n <= 2 for n in listing.values()), kinds
    assert set(kinds) <= {"home", "robots", *listing}, kinds
    assert kinds["home"] == 1 and kinds["robots"] == 1
    # The same small, constant number of requests at 200 and at 600 articles, where the first crawl
    # walked more than two listing pages of every category (so stopping at two is the incremental rule).
    assert sum(kinds.values()) <= 2 + 2 * 5
    assert walked.keys() == listing.keys() and min(walked.values()) > 2, walked


def test_new_edited_and_deleted_articles(tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process

    state = tmp_path / "state"
    with start_replica_process(articles=300) as replica:
        base = replica.base_url
        crawl(base, state, tmp_path / "full.jsonl")
        before = replica_truth(base)
        old_ids = sorted(before, key=int)
        edited, deleted = old_ids[5], old_ids[7]
        replica_post(base, "/__replica__/add?n=3")
        replica_post(base, f"/__replica__/edit?id={edited}")
        replica_post(base, f"/__replica__/delete?id={deleted}")
        after = replica_truth(base)
        new_ids = set(after) - set(before)

        crawl(base, state, tmp_path / "incremental.jsonl")
        assert sorted(ids_in(tmp_path / "incremental.jsonl")) == sorted(new_ids)
        assert len(new_ids) == 3

        audit = crawl(base, state, tmp_path / "revisit.jsonl", "--revisit")
    assert "withdrawn 1" in audit.stderr  # the summary's "crawl state" line agrees with `status`
    revisit = read_jsonl(tmp_path / "revisit.jsonl")
    assert [r["id"].split(":", 1)[1] for r in revisit] == [edited]
    assert revisit[0]["version"] == 2
    assert revisit[0]["body"] == after[edited]["body"] != before[edited]["body"]

    status = run_cli("status", "--state", str(state), "--json")
    assert status.returncode == 0, status.stderr
    summary = json.loads(status.stdout)
    assert summary["articles"] == len(after) + 1  # the withdrawn one is kept
    assert summary["withdrawn"] == 1
    assert summary["versions"] == len(after) + 1 + 1  # one article has two versions
    text = run_cli("status", "--state", str(state)).stdout
    assert "withdrawn" in text.lower()

    exported = tmp_path / "export.jsonl"
    assert run_cli("export", "--state", str(state), "--output", str(exported)).returncode == 0
    records = {r["id"].split(":", 1)[1]: r for r in read_jsonl(exported)}
    assert set(records) == set(after) | {deleted}
    assert records[edited]["version"] == 2


def test_sigkill_three_times_then_resume(tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process

    state, out = tmp_path / "state", tmp_path / "out"
    with start_replica_process(articles=150) as replica:
        base = replica.base_url
        truth = replica_truth(base)
        counts = []
        args = crawl_args(base, state, out / "articles.jsonl")  # the same command every time
        args[args.index("--concurrency") + 1] = "2"
        for kill_point in (10, 55, 110):  # each SIGKILL lands wherever the crawl is (mid-write included)
            counts.append(kill_when_stored(args, state, kill_point))
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr[-3000:]
    assert counts == sorted(counts) and counts[0] < len(truth)
    exported = tmp_path / "export.jsonl"
    assert run_cli("export", "--state", str(state), "--output", str(exported)).returncode == 0
    ids = Counter(ids_in(exported))
    assert set(ids) == set(truth)
    assert all(n == 1 for n in ids.values())
    for jsonl in [*out.glob("*.jsonl"), exported]:
        read_jsonl(jsonl)  # every line of every JSONL file on disk parses
    assert [p.name for p in out.iterdir()] == ["articles.jsonl"]  # killed runs' temp files are gone


def test_second_crawl_on_a_locked_state_exits_75(tmp_path: Path) -> None:
    from dvarchive.state import CrawlState

    state = tmp_path / "state"
    with CrawlState.open(state):
        result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--state", str(state),
                         "--output", str(tmp_path / "x.jsonl"))
    assert result.returncode == 75
    assert "Traceback" not in result.stderr
    assert "state" in result.stderr.lower()
