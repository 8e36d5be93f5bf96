"""`dvarchive status` and `dvarchive export` as a researcher runs them (real subprocesses)."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from dvarchive.state import CrawlState
from helpers import read_jsonl, run_cli
from helpers.state import make_record, start_child, wait_for_line

START = "https://danvan.example.gov.vn/"


@pytest.fixture
def populated(tmp_path: Path) -> Path:
    """Two finished runs: 4 articles (one undated, one in another category), one edited, one withdrawn."""
    directory = tmp_path / "state"
    with CrawlState.open(directory) as state:
        run = state.begin_run("full", START, "2026-11-27T01:00:00Z")
        state.store(make_record(3, "Ba.", published="2024-03-01T08:00:00+07:00"), run)
        state.store(make_record(1, "Một.", published="2023-01-01T08:00:00+07:00"), run)
        state.store(make_record(2, "Hai.", published=None, category="Văn bản"), run)
        state.store(make_record(4, "Bốn.", published="2025-06-01T08:00:00+07:00"), run)
        state.end_run(run, ended_at="2026-11-27T01:03:30Z", requests=57, errors=0, finish_reason="finished")
        run = state.begin_run("revisit", START, "2026-11-28T01:00:00Z")
        state.store(make_record(1, "Một, đã sửa.", published="2023-01-01T08:00:00+07:00"), run)
        state.store(make_record(3, "Ba.", published="2024-03-01T08:00:00+07:00"), run)
        state.mark_withdrawn("danvan:4", 404, "2026-11-28T01:00:05Z")
        state.end_run(run, ended_at="2026-11-28T01:00:10Z", requests=6, errors=2, finish_reason="finished")
    return directory


def test_status_json(populated: Path) -> None:
    result = run_cli("status", "--state", str(populated), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["articles"], summary["versions"], summary["withdrawn"], summary["runs"]) == (4, 5, 1, 2)
    categories = {c["name"]: c for c in summary["categories"]}
    assert categories["Tin hoạt động"] == {"name": "Tin hoạt động", "articles": 3, "withdrawn": 1,
                                            "newest_published": "2025-06-01T08:00:00+07:00"}
    assert categories["Văn bản"]["newest_published"] is None
    last = summary["last_run"]
    assert (last["mode"], last["requests"], last["new"], last["changed"], last["unchanged"], last["withdrawn"],
            last["errors"], last["finish_reason"], last["duration_seconds"]) == (
        "revisit", 6, 0, 1, 1, 1, 2, "finished", 10.0)
    assert [r["run_id"] for r in summary["recent_runs"]] == [2, 1]
    assert summary["running"] is None


def test_status_text(populated: Path) -> None:
    result = run_cli("status", "--state", str(populated))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "articles  : 4 (3 live)" in text
    assert "versions  : 5" in text and "withdrawn : 1" in text
    assert "Tin hoạt động" in text and "Văn bản" in text and "2025-06-01T08:00:00+07:00" in text
    assert "Last run #2 (revisit)" in text and "duration  : 10s" in text and "errors    : 2" in text
    assert "3m30s" in text  # the first run, in the runs table


def test_status_works_while_a_crawl_holds_the_lock(populated: Path) -> None:
    holder = start_child(f"""
        from dvarchive.state import CrawlState
        state = CrawlState.open({str(populated)!r})
        state.begin_run("incremental", {START!r}, "2026-11-29T01:00:00Z")
        print("RUNNING", flush=True)
        time.sleep(600)
    """)
    try:
        wait_for_line(holder, "RUNNING")
        result = run_cli("status", "--state", str(populated))
        as_json = json.loads(run_cli("status", "--state", str(populated), "--json").stdout)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert f"a crawl is running now (pid {holder.pid}" in result.stdout
    assert "finished  : running" in result.stdout and " so far" in result.stdout
    assert as_json["running"]["pid"] == holder.pid
    # Once the holder is dead its open run reads as interrupted.
    after = run_cli("status", "--state", str(populated)).stdout
    assert "interrupted" in after and "running now" not in after


def test_export_latest_versions_sorted(populated: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "archive.jsonl"
    result = run_cli("export", "--state", str(populated), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "exported 4 records" in result.stdout
    records = read_jsonl(output)
    assert [(r["id"], r["version"]) for r in records] == [
        ("danvan:1", 2), ("danvan:3", 1), ("danvan:4", 1), ("danvan:2", 1)]  # by published, undated last
    assert records[0]["body"] == "Một, đã sửa."
    raw = output.read_bytes()
    assert "Tin hoạt động".encode("utf-8") in raw and b"\\u" not in raw  # UTF-8, not \\u escapes
    # no temp file left; the withdrawn article marked beside
    assert sorted(p.name for p in output.parent.iterdir()) == ["archive.jsonl", "archive.withdrawn.jsonl"]
    assert [(w["id"], w["http_status"]) for w in read_jsonl(output.parent / "archive.withdrawn.jsonl")] == [
        ("danvan:4", 404)]


def test_export_all_versions(populated: Path, tmp_path: Path) -> None:
    output = tmp_path / "history.jsonl"
    result = run_cli("export", "--state", str(populated), "--output", str(output), "--all-versions")
    assert result.returncode == 0, result.stderr
    assert "exported 5 versions of 4 articles" in result.stdout
    assert [(r["id"], r["version"]) for r in read_jsonl(output)] == [
        ("danvan:1", 1), ("danvan:1", 2), ("danvan:3", 1), ("danvan:4", 1), ("danvan:2", 1)]


def test_export_can_leave_out_withdrawn(populated: Path, tmp_path: Path) -> None:
    output = tmp_path / "live.jsonl"
    result = run_cli("export", "--state", str(populated), "--output", str(output), "--exclude-withdrawn")
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in read_jsonl(output)] == ["danvan:1", "danvan:3", "danvan:2"]


def test_export_replaces_the_previous_file(populated: Path, tmp_path: Path) -> None:
    output = tmp_path / "archive.jsonl"
    output.write_text("old content\n" * 100, encoding="utf-8")
    assert run_cli("export", "--state", str(populated), "-o", str(output)).returncode == 0
    assert len(read_jsonl(output)) == 4


@pytest.mark.parametrize("command", ["status", "export"])
def test_corrupt_state_is_one_line_and_exit_1(command: str, populated: Path, tmp_path: Path) -> None:
    for leftover in populated.glob("state.sqlite-*"):
        leftover.unlink()
    (populated / "state.sqlite").write_bytes(os.urandom(64) + b"junk" * 4096)
    extra = ["--output", str(tmp_path / "x.jsonl")] if command == "export" else []
    result = run_cli(command, "--state", str(populated), *extra)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"dvarchive {command}: error: ") and "corrupt" in lines[0]
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("command", ["status", "export"])
def test_missing_state_is_one_line_and_exit_1(command: str, tmp_path: Path) -> None:
    extra = ["--output", str(tmp_path / "x.jsonl")] if command == "export" else []
    result = run_cli(command, "--state", str(tmp_path / "none"), *extra)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no crawl state" in result.stderr
    assert not (tmp_path / "none").exists()  # reading never creates a state


@pytest.mark.parametrize("command", ["status", "export"])
def test_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "--state DIR" in result.stdout and "Exit codes" in result.stdout
