"""A layout change degrades the archive instead of emptying it (issue: exact extraction).

The replica's ``redesign`` fault serves every even-numbered article in a new CMS layout with none
of the old markup. The crawl must still archive every live article — the old layout by
``danvan/v1``, the new one by the generic extractor — count both in its stats and end with a
loud alarm because the site layout matched under 90% of article pages.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import read_jsonl, replica_truth, run_cli

pytestmark = pytest.mark.e2e  # real subprocesses end to end: `-m 'not e2e'` for a quick run

EXACT_ON_NEW_LAYOUT = ("url", "title", "published", "category", "body")


def test_redesigned_half_of_the_site_is_archived_by_the_generic_extractor(tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process
    from dvarchive.replica.faults import is_redesigned

    with start_replica_process(articles=120, extra_args=("--faults", "redesign")) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url + "/", "--output", str(tmp_path / "a.jsonl"),
                         "--delay", "0", "--concurrency", "16", "--no-progress", "--stats", str(tmp_path / "s.json"))
        truth = replica_truth(replica.base_url)
    assert result.returncode == 4, result.stderr[-3000:]     # degraded: mostly generic extraction
    assert "DEGRADED" in result.stderr and "extraction" in result.stderr
    records = {r["id"].split(":", 1)[1]: r for r in read_jsonl(tmp_path / "a.jsonl")}
    assert set(records) == set(truth)
    redesigned = {i for i in truth if is_redesigned(int(i))}
    assert redesigned and redesigned != set(truth)
    for article_id, record in records.items():
        expected_extractor = "generic/v1" if article_id in redesigned else "danvan/v1"
        assert record["extractor"] == expected_extractor, article_id
        assert {f: record[f] for f in EXACT_ON_NEW_LAYOUT} == {f: truth[article_id][f] for f in EXACT_ON_NEW_LAYOUT}
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["dvarchive/extracted/generic/v1"] == len(redesigned)
    assert stats["dvarchive/extracted/danvan/v1"] == len(truth) - len(redesigned)
    assert stats["dvarchive/layout_share"] < 0.9
    assert "LAYOUT CHANGE" in result.stderr
