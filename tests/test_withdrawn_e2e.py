"""A revisit run finds articles the site withdrew (issue 11): the crawl summary and `status`
agree, and `export` / `package --state` mark the withdrawn articles.

Real replica, real CLI: a full crawl into a state, two articles deleted and one edited on the
replica, then `crawl --revisit`.
"""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
from helpers import read_jsonl, replica_post, replica_truth, run_cli


@pytest.fixture(scope="module")
def revisit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from dvarchive.replica import start_replica_process

    out = tmp_path_factory.mktemp("withdrawn")
    state = out / "state"
    with start_replica_process(articles=60) as replica:
        base = replica.base_url
        first = run_cli("crawl", "--start-url", base + "/", "--state", str(state), "--delay", "0", "--no-progress")
        assert first.returncode == 0, first.stderr[-3000:]
        truth = sorted(replica_truth(base), key=int)
        deleted = truth[:2]
        for article in deleted:
            replica_post(base, f"/__replica__/delete?id={article}")
        replica_post(base, f"/__replica__/edit?id={truth[5]}")
        second = run_cli("crawl", "--start-url", base + "/", "--state", str(state), "--revisit", "--delay", "0",
                         "-s", "DVARCHIVE_PROGRESS_INTERVAL=60")
    assert second.returncode == 0, second.stderr[-3000:]
    return {"out": out, "state": state, "deleted": {f"danvan:{i}" for i in deleted}, "stderr": second.stderr}


def summary_value(stderr: str, label: str) -> str:
    [line] = [line for line in stderr.splitlines() if line.startswith(f"  {label}")]
    return line.split(":", 1)[1].strip()


def test_the_crawl_summary_and_status_agree_on_the_revisit_run(revisit: dict[str, Any]) -> None:
    status = run_cli("status", "--state", str(revisit["state"]), "--json")
    assert status.returncode == 0, status.stderr
    last = json.loads(status.stdout)["last_run"]
    assert last["withdrawn"] == len(revisit["deleted"]) and last["changed"] == 1
    shown = summary_value(revisit["stderr"], "crawl state")
    assert shown.startswith(f"run #{last['run_id']} (revisit): new {last['new']}, changed {last['changed']}, "
                            f"unchanged {last['unchanged']}, withdrawn {last['withdrawn']} ")
    assert f"({last['withdrawn']} newly withdrawn)" in summary_value(revisit["stderr"], "gone (404/410)")


def test_the_summary_counts_the_drops_the_progress_line_counted(revisit: dict[str, Any]) -> None:
    progress = re.findall(r"· (\d+) dropped ·", revisit["stderr"])
    assert progress  # the last progress line, printed when the crawl closed
    dropped = summary_value(revisit["stderr"], "dropped")
    assert (dropped.split()[0] if dropped != "none" else "0") == progress[-1]
    # unchanged records are no loss: not among the drops, counted on the crawl-state line
    assert "unchanged" not in dropped
    assert re.search(r"unchanged [1-9]", summary_value(revisit["stderr"], "crawl state"))


def test_export_marks_the_withdrawn_articles(revisit: dict[str, Any]) -> None:
    output = revisit["out"] / "export.jsonl"
    result = run_cli("export", "--state", str(revisit["state"]), "--output", str(output))
    assert result.returncode == 0, result.stderr
    companion = revisit["out"] / "export.withdrawn.jsonl"
    listed = read_jsonl(companion)
    assert {entry["id"] for entry in listed} == revisit["deleted"]
    assert all(entry["http_status"] in (404, 410) and entry["withdrawn_at"] for entry in listed)
    assert revisit["deleted"] <= {r["id"] for r in read_jsonl(output)}  # their records are kept
    assert f"2 articles of them withdrawn by the site, listed in {companion}" in result.stdout


def test_package_of_the_state_marks_the_withdrawn_articles(revisit: dict[str, Any]) -> None:
    package = revisit["out"] / "package"
    result = run_cli("package", "--state", str(revisit["state"]), "--out", str(package), "--formats", "jsonl")
    assert result.returncode == 0, result.stderr
    assert {entry["id"] for entry in read_jsonl(package / "withdrawn.jsonl")} == revisit["deleted"]
    verified = run_cli("verify", str(package))
    assert verified.returncode == 0, verified.stdout
    assert "withdrawn.jsonl" in (package / "manifest-sha256.txt").read_text()
