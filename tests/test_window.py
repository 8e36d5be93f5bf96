"""--since / --until: the publication-date window of a crawl."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from dvarchive.normalize.dates import VIETNAM_TZ
from dvarchive.spiders.window import DateWindow


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=VIETNAM_TZ)


def test_bounds_accept_iso_vietnamese_and_far_future_dates() -> None:
    window = DateWindow.from_text("28/2/2018", "2030-12-31")
    assert window == DateWindow(date(2018, 2, 28), date(2030, 12, 31))


@pytest.mark.parametrize("since,until", [("yesterday-ish", None), (None, "31/02/2018"), ("2019-01-02", "2019-01-01")])
def test_bad_bounds_are_refused(since: str | None, until: str | None) -> None:
    with pytest.raises(ValueError):
        DateWindow.from_text(since, until)


def test_admits_inclusive_days_and_undated_items() -> None:
    window = DateWindow.from_text("2018-02-01", "2018-02-28")
    assert window.admits(at("2018-02-28T23:59"))
    assert window.admits(at("2018-02-01T00:00"))
    assert not window.admits(at("2018-03-01T00:00"))
    assert not window.admits(at("2018-01-31T23:59"))
    assert window.admits(None)


def test_paging_stops_only_when_every_dated_item_is_older_than_since() -> None:
    window = DateWindow.from_text("2018-02-01", None)
    assert window.all_before_since([at("2018-01-30"), at("2018-01-02"), None])
    assert not window.all_before_since([at("2018-02-01"), at("2018-01-02")])
    assert not window.all_before_since([None])
    assert not DateWindow().all_before_since([at("2000-01-01")])


def test_a_crawl_exports_exactly_the_window_whatever_source_found_the_article(tmp_path) -> None:
    """Listings and RSS (on by default; a feed's 20 newest items are outside this window) alike."""
    import json

    from helpers import read_jsonl, replica_truth, run_cli

    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=150) as replica:
        truth = replica_truth(replica.base_url)
        days = sorted(record["published"][:10] for record in truth.values())
        since, until = days[len(days) // 4], days[len(days) // 2]
        result = run_cli("crawl", "--start-url", replica.base_url + "/", "--output", str(tmp_path / "w.jsonl"),
                         "--since", since, "--until", until, "--delay", "0", "--no-progress",
                         "--stats", str(tmp_path / "stats.json"))
    assert result.returncode == 0, result.stderr[-3000:]
    expected = {i for i, record in truth.items() if since <= record["published"][:10] <= until}
    records = read_jsonl(tmp_path / "w.jsonl")
    assert {r["id"].split(":", 1)[1] for r in records} == expected
    assert all(since <= r["published"][:10] <= until for r in records)
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["dvarchive/window/skipped"] >= 20  # feed items and listed articles outside the window


def test_the_summary_accounts_for_articles_a_generic_crawl_read_outside_the_window(tmp_path: Path) -> None:
    """Generic discovery reads every article page and the window pipeline leaves most out: the
    summary says so, so that 'article pages' and 'articles exported' agree."""
    import re

    from helpers import read_jsonl, replica_truth, run_cli

    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=30, style="wordpress") as replica:
        truth = replica_truth(replica.base_url)
        days = sorted(record["published"][:10] for record in truth.values())
        result = run_cli("crawl", "--start-url", replica.base_url, "--output", str(tmp_path / "w.jsonl"),
                         "--since", days[len(days) // 2], "--delay", "0", "--no-progress")
    assert result.returncode == 0, result.stderr[-3000:]
    read = re.search(r"article pages\s+: (\d+)", result.stderr)
    outside = re.search(r"outside window\s+: (\d+) article", result.stderr)
    assert read and outside, result.stderr
    pages = int(read.group(1))
    assert pages - int(outside.group(1)) == len(read_jsonl(tmp_path / "w.jsonl")) > 0
