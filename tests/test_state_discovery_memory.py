"""What the crawl state keeps for recurring generic crawls: URLs that reached an article, learned
navigation parameters, completed pager chains, revisit targets' category and extractor — and the
v2 -> v3 migration that adds them to an existing state."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from dvarchive.state import SCHEMA_VERSION, CrawlState
from dvarchive.state.schema import MIGRATIONS
from helpers.state import make_record

URL = "https://danvan.example.gov.vn/tin-hoat-dong/bai-1.html"
ALIAS = "https://danvan.example.gov.vn/web/guest/tin?id=1"


def test_an_alias_counts_only_once_its_article_is_stored(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "state") as state:
        state.remember_article_urls("danvan:1", [ALIAS, URL])
        assert state.known_article_urls() == set()          # killed before the record was stored
        state.store(make_record(1), None)
        assert state.known_article_urls() == {URL, ALIAS}
        state.remember_article_urls("danvan:1", [ALIAS])    # seen again: no error, no duplicate
        assert state.known_article_urls() == {URL, ALIAS}


def test_dead_links_are_known_urls(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "state") as state:
        state.remember_dead_link("danvan:9", "https://h/x-9.html", 404, "2026-11-01T00:00:00Z")
        assert state.known_article_urls() == {"https://h/x-9.html"}


def test_learned_params_and_complete_chains_persist(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "state") as state:
        state.remember_learned_params(["redirect", "p_p_id"], "2026-11-01T00:00:00Z")
        state.remember_learned_params(["p_p_id"], "2026-11-02T00:00:00Z")
        state.mark_backfill_complete("https://h/web/guest/tin", "Tin", "2026-11-01T00:00:00Z")
    with CrawlState.open(tmp_path / "state") as state:
        assert state.learned_params() == {"redirect", "p_p_id"}
        assert state.complete_categories() == {"https://h/web/guest/tin"}


def test_revisit_targets_carry_the_stored_category_and_extractor(tmp_path: Path) -> None:
    with CrawlState.open(tmp_path / "state") as state:
        state.store({**make_record(1, category="Tin"), "extractor": "generic/v1"}, None)
        state.store({**make_record(1, "Sửa lại.", category="Tin"), "extractor": "generic/v1"}, None)
        state.store(make_record(2, category=None), None)
        state.remember_dead_link("danvan:3", "https://h/x-3.html", 404, "2026-11-01T00:00:00Z")
        targets = {t.id: (t.category, t.extractor) for t in state.revisit_targets()}
    assert targets == {"danvan:1": ("Tin", "generic/v1"), "danvan:2": (None, "danvan/v1"), "danvan:3": (None, None)}


def test_a_version_2_state_is_migrated_and_keeps_its_articles(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    directory.mkdir()
    connection = sqlite3.connect(directory / "state.sqlite", isolation_level=None)
    assert len(MIGRATIONS) == SCHEMA_VERSION == 3
    for version, statements in enumerate(MIGRATIONS[:2]):          # a state written by schema 2
        for statement in statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {version + 1}")
    connection.execute("INSERT INTO articles (id, local_id, url, content_sha256, version, first_seen, last_seen)"
                       " VALUES ('danvan:1', '1', ?, 'x', 1, 't', 't')", (URL,))
    connection.close()
    with CrawlState.open(directory) as state:
        assert state.schema_version == 3
        assert state.known_article_urls() == {URL}
        assert state.learned_params() == set()
