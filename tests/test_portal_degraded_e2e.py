"""Never finish an empty crawl quietly: a redesigned listing is "degraded" (exit 4), names its stage,
and never marks a category complete in the crawl state (later runs would stop early on a history
never crawled)."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

from dvarchive.exitcodes import DEGRADED

pytestmark = pytest.mark.e2e


def test_redesigned_listings_degrade_the_crawl_and_leave_categories_incomplete(tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process
    from dvarchive.replica.model import CATEGORIES
    from dvarchive.state import CrawlState

    state = tmp_path / "state"
    with start_replica_process(articles=60, extra_args=("--faults", "listing-redesign")) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url + "/", "--output", str(tmp_path / "a.jsonl"),
                         "--state", str(state), "--delay", "0", "--no-progress")
    assert result.returncode == DEGRADED, result.stderr[-3000:]
    assert "DEGRADED" in result.stderr and "listing:" in result.stderr
    crawl_state = CrawlState.open(state)
    try:
        assert not any(crawl_state.backfill_complete(c.slug) for c in CATEGORIES)
    finally:
        crawl_state.close()

