"""CrawlState across processes: the lock, and what survives SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from dvarchive.state import CrawlState, StateLocked
from helpers.state import make_record, start_child, state_article_count, wait_for_line

HOLD_LOCK = """
from dvarchive.state import CrawlState
state = CrawlState.open({directory!r})
print("LOCKED", flush=True)
time.sleep(600)
"""


def kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def test_a_second_process_is_refused_and_the_lock_frees_on_sigkill(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    holder = start_child(HOLD_LOCK.format(directory=str(directory)))
    try:
        wait_for_line(holder, "LOCKED")
        with pytest.raises(StateLocked) as refused:
            CrawlState.open(directory)
        message = str(refused.value)
        assert f"pid {holder.pid}" in message and str(directory) in message and "started" in message
        # Readers need no lock: status/export work while the crawl runs.
        with CrawlState.open(directory, read_only=True) as reader:
            assert reader.running_holder()["pid"] == holder.pid
    finally:
        kill(holder)
    assert holder.returncode == -signal.SIGKILL
    with CrawlState.open(directory) as state:  # no stale lock after SIGKILL
        assert state.locked


def test_a_child_is_refused_while_this_process_holds_the_lock(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    with CrawlState.open(directory):
        child = start_child(f"""
            from dvarchive.state import CrawlState, StateLocked
            try:
                CrawlState.open({str(directory)!r})
            except StateLocked as exc:
                print("REFUSED", exc, flush=True)
        """)
        line = wait_for_line(child, "REFUSED")
        child.wait(timeout=30)
    assert f"pid {os.getpid()}" in line


def test_a_record_stored_just_before_sigkill_is_there(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    record = make_record(4321, "Bài viết được lưu ngay trước khi tiến trình bị giết.")
    child = start_child(f"""
        from dvarchive.state import CrawlState
        from helpers.state import make_record
        state = CrawlState.open({str(directory)!r})
        run = state.begin_run("full", "https://danvan.example.gov.vn/", "2026-11-27T09:00:00Z")
        result = state.store(make_record(4321, {record['body']!r}), run)
        print("STORED", result.status, result.version, flush=True)
        time.sleep(600)
    """)
    try:
        assert wait_for_line(child, "STORED") == "STORED new 1"
    finally:
        kill(child)  # SIGKILL the instant store() has returned: no close(), no checkpoint
    with CrawlState.open(directory) as state:
        assert list(state.latest_records()) == [record | {"version": 1}]
        last = state.summary().last_run
        assert last.new == 1 and last.ended_at is None


def test_sigkill_during_a_burst_of_stores_leaves_only_whole_records(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    child = start_child(f"""
        from dvarchive.state import CrawlState
        from helpers.state import make_record
        state = CrawlState.open({str(directory)!r})
        run = state.begin_run("full", "https://danvan.example.gov.vn/", "2026-11-27T09:00:00Z")
        print("RUN", run, flush=True)
        for number in range(100000):
            state.store(make_record(number, "Thân bài %d. " % number * 40), run)
            if number % 50 == 49:  # some edits too: 'changed' versions in the same run
                state.store(make_record(number - 10, "Bản sửa %d." % number), run)
    """)
    try:
        wait_for_line(child, "RUN")
        deadline = time.monotonic() + 60
        while state_article_count(directory) < 150:
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        kill(child)
    with CrawlState.open(directory) as state:
        db = state.db
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles, versions = (db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "versions"))
        # Every article has all its versions, the latest one matching the article row.
        assert db.execute("SELECT count(*) FROM articles a LEFT JOIN versions v ON v.id = a.id AND"
                          " v.version = a.version AND v.content_sha256 = a.content_sha256"
                          " WHERE v.id IS NULL").fetchone()[0] == 0
        assert db.execute("SELECT coalesce(sum(version), 0) FROM articles").fetchone()[0] == versions
        # The run's counters were committed with the records they count.
        run = state.summary().last_run
        assert (run.new, run.new + run.changed) == (articles, versions)
        assert articles >= 150

