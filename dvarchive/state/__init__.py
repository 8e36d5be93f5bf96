"""The crawl state of scheduled, incremental, resumable crawls (SQLite in ``DIR/state.sqlite``).

    with CrawlState.open(Path("state")) as state:          # takes DIR/lock, or StateLocked
        run_id = state.begin_run("incremental", start_url, started_at)
        result = state.store(record, run_id)                # StoreResult('new' | 'changed' | 'unchanged', version)
        state.end_run(run_id, ended_at=..., requests=..., errors=..., finish_reason="finished")

    with CrawlState.open(Path("state"), read_only=True) as state:   # no lock: status/export while a crawl runs
        for record in state.latest_records(): ...
"""
from __future__ import annotations

from dvarchive.state.models import (
    RUN_MODES,
    CategorySummary,
    RevisitTarget,
    RunSummary,
    StateError,
    StateLocked,
    StateSummary,
    StoreResult,
)
from dvarchive.state.schema import SCHEMA_VERSION
from dvarchive.state.store import DB_FILE, CrawlState

__all__ = [
    "DB_FILE",
    "RUN_MODES",
    "SCHEMA_VERSION",
    "CategorySummary",
    "CrawlState",
    "RevisitTarget",
    "RunSummary",
    "StateError",
    "StateLocked",
    "StateSummary",
    "StoreResult",
]
