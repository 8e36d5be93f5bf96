"""CrawlState in one process: versions, withdrawals, ordering, runs, validators, schema."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dvarchive.state import SCHEMA_VERSION, CrawlState, StateError, StoreResult
from helpers.state import make_record

T0, T1 = "2026-11-27T09:00:00Z", "2026-11-28T09:00:00Z"


@pytest.fixture
def state(tmp_path: Path) -> CrawlState:
    with CrawlState.open(tmp_path / "state") as opened:
        yield opened


def begin(state: CrawlState, mode: str = "full") -> int:
    return state.begin_run(mode, "https://danvan.example.gov.vn/", T0)


def test_open_creates_the_directory_and_a_wal_database(tmp_path: Path) -> None:
    directory = tmp_path / "a" / "b" / "state"
    with CrawlState.open(directory) as state:
        assert state.schema_version == SCHEMA_VERSION
    assert (directory / "state.sqlite").is_file() and (directory / "lock").is_file()
    with sqlite3.connect(directory / "state.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "versions", "http_validators", "categories", "runs"} <= tables


def test_new_unchanged_changed_versions(state: CrawlState) -> None:
    run = begin(state)
    first = make_record(1, "Bản đầu.")
    assert state.store(first, run) == StoreResult("new", 1)
    assert state.store(make_record(1, "Bản đầu.", fetched_at=T1), run) == StoreResult("unchanged", 1)
    assert state.store(make_record(1, "Bản sửa."), run) == StoreResult("changed", 2)
    assert state.store(make_record(1, "Bản sửa lần hai."), run) == StoreResult("changed", 3)
    assert state.store(make_record(1, "Bản sửa lần hai."), run) == StoreResult("unchanged", 3)
    assert "version" not in first  # the caller's dict is not modified

    versions = list(state.all_versions())
    assert [(r["version"], r["body"]) for r in versions] == [(1, "Bản đầu."), (2, "Bản sửa."), (3, "Bản sửa lần hai.")]
    assert [r["version"] for r in state.latest_records()] == [3]
    counts = state.run(run)
    assert (counts.new, counts.changed, counts.unchanged) == (1, 2, 2)


def test_stored_record_is_the_record_plus_its_version(state: CrawlState) -> None:
    record = make_record(7, "Văn bản tiếng Việt: Ban Dân vận Tỉnh ủy.")
    state.store(record, begin(state))
    assert list(state.latest_records()) == [record | {"version": 1}]


def test_unchanged_refreshes_url_category_and_last_seen(state: CrawlState) -> None:
    run = begin(state)
    state.store(make_record(3, "Giữ nguyên."), run)
    moved = make_record(3, "Giữ nguyên.", category="Tin tức", fetched_at=T1) | {"url": "https://x.example/moi-3.html"}
    assert state.store(moved, run).status == "unchanged"
    target, = state.revisit_targets()
    assert target.url == "https://x.example/moi-3.html"
    assert state.summary().categories[0].name == "Tin tức"
    row = state.db.execute("SELECT first_seen, last_seen FROM articles").fetchone()
    assert tuple(row) == (T0, T1)


def test_withdrawn_keeps_data_and_clears_on_reappearance(state: CrawlState) -> None:
    run = begin(state)
    state.store(make_record(1, "Một."), run)
    state.store(make_record(2, "Hai."), run)
    assert state.mark_withdrawn("danvan:2", 404, T1) is True
    assert state.mark_withdrawn("danvan:2", 410, "2026-11-29T00:00:00Z") is False  # counted once
    assert state.mark_withdrawn("danvan:999", 404, T1) is False  # unknown: ignored

    assert state.knows("danvan:2") and state.knows_site_id("2")
    assert [r["id"] for r in state.latest_records()] == ["danvan:1", "danvan:2"]
    assert [r["id"] for r in state.latest_records(include_withdrawn=False)] == ["danvan:1"]
    assert state.known_numeric_ids(include_withdrawn=False) == {"1"}
    assert state.db.execute("SELECT withdrawn_at, withdrawn_status FROM articles WHERE id = 'danvan:2'"
                            ).fetchone() == (T1, 410)  # first withdrawal time, last status
    summary = state.summary()
    assert (summary.articles, summary.withdrawn, summary.versions) == (2, 1, 2)
    assert state.run(run).withdrawn == 1

    targets = {t.id: t for t in state.revisit_targets()}
    assert targets["danvan:2"].withdrawn  # withdrawn articles are re-checked: they may come back
    assert [t.id for t in state.revisit_targets(include_withdrawn=False)] == ["danvan:1"]

    assert state.store(make_record(2, "Hai."), run).status == "unchanged"  # restored as it was
    assert state.summary().withdrawn == 0


def test_touch_clears_withdrawal_and_counts_unchanged(state: CrawlState) -> None:
    run = begin(state)
    state.store(make_record(5, "Năm."), run)
    state.mark_withdrawn("danvan:5", 410, T1)
    assert state.touch("danvan:5", T1) is True  # the run begun on this instance by default
    assert state.touch("danvan:6", T1) is False
    assert state.summary().withdrawn == 0
    assert state.run(run).unchanged == 1


def test_latest_records_by_published_nulls_last_then_id(state: CrawlState) -> None:
    run = begin(state)
    for number, published in [(30, None), (12, "2021-05-01T10:00:00+07:00"), (11, "2021-05-01T10:00:00+07:00"),
                              (20, "2019-01-01T00:00:00+07:00"), (10, None), (40, "2025-12-31T23:59:00+07:00")]:
        state.store(make_record(number, f"Bài {number}.", published=published), run)
    state.store(make_record(20, "Bài 20, sửa.", published="2019-01-01T00:00:00+07:00"), run)
    expected = ["danvan:20", "danvan:11", "danvan:12", "danvan:40", "danvan:10", "danvan:30"]
    assert [r["id"] for r in state.latest_records()] == expected
    assert [(r["id"], r["version"]) for r in state.all_versions()] == [
        ("danvan:20", 1), ("danvan:20", 2), *((i, 1) for i in expected[1:])]


def test_known_ids_and_site_ids(state: CrawlState) -> None:
    run = begin(state)
    state.store(make_record(1234, "A."), run)
    state.store(make_record(77, "B.", site="demo"), run)
    assert state.knows("danvan:1234") and not state.knows("demo:1234")
    assert state.knows_site_id("77") and state.knows_site_id("1234") and not state.knows_site_id("1")
    assert state.known_numeric_ids() == {"1234", "77"}


def test_validators(state: CrawlState) -> None:
    url = "https://danvan.example.gov.vn/a-1.html"
    assert state.validators(url) == (None, None)
    state.set_validators(url, '"abc"', "Wed, 21 Oct 2015 07:28:00 GMT")
    assert state.validators(url) == ('"abc"', "Wed, 21 Oct 2015 07:28:00 GMT")
    state.set_validators(url, '"def"', None)
    assert state.validators(url) == ('"def"', None)
    state.store(make_record(1, "A.") | {"url": url}, begin(state))
    assert state.revisit_targets()[0].etag == '"def"'
    state.set_validators(url, None, None)
    assert state.validators(url) == (None, None)


def test_backfill_flags(state: CrawlState) -> None:
    assert not state.backfill_complete("tin-hoat-dong")
    state.mark_backfill_complete("tin-hoat-dong", "Tin hoạt động", T0)
    state.mark_backfill_complete("tin-hoat-dong", "Tin hoạt động", T1)  # the first completion is kept
    assert state.backfill_complete("tin-hoat-dong") and not state.backfill_complete("other")
    assert state.db.execute("SELECT backfill_complete_at FROM categories").fetchone()[0] == T0


def test_runs_are_recorded_and_counted(state: CrawlState) -> None:
    first = begin(state)
    state.store(make_record(1, "A."), first)
    state.end_run(first, ended_at="2026-11-27T09:02:05Z", requests=42, errors=1, finish_reason="finished")
    second = begin(state, "incremental")
    assert second == first + 1
    summary = state.summary()
    assert summary.runs == 2 and summary.last_run.run_id == second and summary.last_run.ended_at is None
    done = state.run(first)
    assert (done.requests, done.errors, done.new, done.finish_reason) == (42, 1, 1, "finished")
    assert done.duration_seconds == 125
    assert [r.run_id for r in state.recent_runs(5)] == [second, first]
    with pytest.raises(ValueError):
        state.begin_run("weekly", "https://x/", T0)
    with pytest.raises(StateError, match="unknown run"):
        state.store(make_record(2, "B."), 999)
    assert not state.knows("danvan:2")  # the failed store left nothing behind


def test_an_open_run_of_a_dead_process_is_marked_interrupted(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "s") as state:
        abandoned = begin(state)
    with CrawlState.open(tmp_path / "s") as state:
        begin(state)
        assert state.run(abandoned).finish_reason == "interrupted"


def test_read_only_state_refuses_writes_and_takes_no_lock(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "s") as writer:
        writer.store(make_record(1, "A."), begin(writer))
        with CrawlState.open(tmp_path / "s", read_only=True) as reader:
            assert not reader.locked and writer.locked
            assert [r["id"] for r in reader.latest_records()] == ["danvan:1"]
            with pytest.raises(StateError, match="read-only"):
                reader.store(make_record(2, "B."), 1)


def test_read_only_on_a_missing_state_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="no crawl state"):
        CrawlState.open(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


def test_the_lock_is_shared_within_one_process(tmp_path: Path) -> None:
    outer = CrawlState.open(tmp_path / "s")
    with CrawlState.open(tmp_path / "s") as inner:
        assert inner.locked
    assert outer.locked  # closing the inner one did not release the outer one's lock
    outer.close()
    outer.close()  # idempotent


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    with sqlite3.connect(tmp_path / "s" / "state.sqlite") as db:
        db.execute("CREATE TABLE something (x)")
    with pytest.raises(StateError, match="not a dvarchive crawl state"):
        CrawlState.open(tmp_path / "s")


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    CrawlState.open(tmp_path / "s").close()
    with sqlite3.connect(tmp_path / "s" / "state.sqlite") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StateError, match="newer dvarchive"):
        CrawlState.open(tmp_path / "s")


def test_junk_bytes_are_a_clear_state_error(tmp_path: Path) -> None:
    CrawlState.open(tmp_path / "s").close()
    (tmp_path / "s" / "state.sqlite").write_bytes(b"\x00junk\xff" * 2048)
    with pytest.raises(StateError, match="corrupt or not a database") as caught:
        CrawlState.open(tmp_path / "s")
    assert "\n" not in str(caught.value)
    with pytest.raises(StateError, match="corrupt or not a database"):
        CrawlState.open(tmp_path / "s", read_only=True)
    # The failed open released the lock: a fresh state can be started once the junk is moved away.
    (tmp_path / "s" / "state.sqlite").unlink()
    CrawlState.open(tmp_path / "s").close()


def test_damaged_pages_are_found_on_open(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "s") as state:
        run = begin(state)
        for number in range(300):
            state.store(make_record(number, f"Bài {number}. " * 50), run)
    path = tmp_path / "s" / "state.sqlite"
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 3: page * 12] = b"\xa5" * (page * 9)  # scribble over b-tree pages, keep the header
    path.write_bytes(bytes(data))
    with pytest.raises(StateError, match="corrupt"):
        CrawlState.open(tmp_path / "s")


def test_state_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "s").write_text("x")
    with pytest.raises(StateError, match="is a file"):
        CrawlState.open(tmp_path / "s")


def test_dead_links_are_known_until_their_article_appears(tmp_path) -> None:
    from dvarchive.state import CrawlState

    with CrawlState.open(tmp_path / "state") as state:
        state.remember_dead_link("danvan:77", "https://h/tin-hoat-dong/x-77.html", 404, "2026-11-01T00:00:00Z")
        assert "77" in state.known_numeric_ids()
        assert [t.id for t in state.revisit_targets()] == ["danvan:77"]
        assert state.summary().dead_links == 1
        record = {"id": "danvan:77", "url": "https://h/tin-hoat-dong/x-77.html", "content_sha256": "a" * 64,
                  "fetched_at": "2026-11-02T00:00:00Z", "published": None, "category": None}
        assert state.store(record, None).status == "new"
        assert state.summary().dead_links == 0
        assert [t.id for t in state.revisit_targets()] == ["danvan:77"]
