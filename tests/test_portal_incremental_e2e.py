"""Recurring crawls of portals the crawler has never seen (generic discovery + ``--state``), per replica
style, counted in the replica's request log: an unchanged re-run requests no article page and a
handful of pages; two articles added are exactly what the next run finds."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import replica_post
from helpers.portal_runs import ARTICLES, STYLES, crawl, truth_urls

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("style", [*STYLES, "danvan"])
def test_recurring_crawl_fetches_only_what_is_new(style: str, tmp_path: Path) -> None:
    """(``danvan``: the board's own site through generic discovery, ``--discovery generic``.)"""
    from dvarchive.replica import start_replica_process

    extra = ("--discovery", "generic") if style == "danvan" else ()
    with start_replica_process(articles=ARTICLES, style=style) as replica:
        base = replica.base_url
        before = truth_urls(base)
        first = crawl(base, tmp_path, "first", *extra)
        second = crawl(base, tmp_path, "second", *extra)
        replica_post(base, "/__replica__/add?n=2")
        added = truth_urls(base) - before
        third = crawl(base, tmp_path, "third", *extra)
    assert first["result"].returncode == 0, first["result"].stderr[-2000:]
    assert before <= {r["url"] for r in first["records"]}

    assert second["result"].returncode == 0, second["result"].stderr[-2000:]   # unchanged is not degraded
    assert "DEGRADED" not in second["result"].stderr
    assert second["records"] == []
    assert [p for p in second["log"] if base + p in before] == []              # no article page requested
    menu = second["stats"]["dvarchive/discovery/menu"]
    # home + robots.txt (once: discovery takes its Sitemap: lines from the robots middleware) +
    # sitemaps/feed (<= 4) + one page per menu entry + <= 2 others; measured: liferay 12, sharepoint 11,
    # wordpress 12, danvan 12 (run 1: 56-69).
    assert all(run["log"].count("/robots.txt") == 1 for run in (first, second, third))
    assert len(second["log"]) <= len(menu) + 8, second["log"]
    assert second["stats"]["dvarchive/discovery/known_skipped"] >= 1

    assert len(added) == 2
    assert third["result"].returncode == 0, third["result"].stderr[-2000:]
    assert {r["url"] for r in third["records"]} == added
    assert {p for p in third["log"] if base + p in before | added} == {u[len(base):] for u in added}
