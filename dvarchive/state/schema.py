"""The state database's schema and its migrations.

``PRAGMA user_version`` holds the schema version; ``PRAGMA application_id`` marks the file as
a dvarchive state so that a stray SQLite file is refused instead of being "migrated".
Each migration runs in one transaction together with the ``user_version`` bump, so a crash
mid-migration leaves the previous version intact. Add a migration by appending to
``MIGRATIONS``; never edit a released one.
"""
from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x64766172  # 'dvar'

_V1 = (
    """CREATE TABLE runs (
        run_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at    TEXT NOT NULL,
        ended_at      TEXT,
        mode          TEXT NOT NULL CHECK (mode IN ('full', 'incremental', 'revisit')),
        start_url     TEXT NOT NULL,
        requests      INTEGER NOT NULL DEFAULT 0,
        new           INTEGER NOT NULL DEFAULT 0,
        changed       INTEGER NOT NULL DEFAULT 0,
        unchanged     INTEGER NOT NULL DEFAULT 0,
        withdrawn     INTEGER NOT NULL DEFAULT 0,
        errors        INTEGER NOT NULL DEFAULT 0,
        finish_reason TEXT
    )""",
    """CREATE TABLE articles (
        id               TEXT PRIMARY KEY,
        local_id         TEXT NOT NULL,
        url              TEXT NOT NULL,
        category         TEXT,
        published        TEXT,
        content_sha256   TEXT NOT NULL,
        version          INTEGER NOT NULL CHECK (version >= 1),
        first_seen       TEXT NOT NULL,
        last_seen        TEXT NOT NULL,
        withdrawn_at     TEXT,
        withdrawn_status INTEGER
    )""",
    "CREATE INDEX articles_local_id ON articles (local_id)",
    "CREATE INDEX articles_order ON articles (published IS NULL, published, id)",
    """CREATE TABLE versions (
        id             TEXT NOT NULL REFERENCES articles (id),
        version        INTEGER NOT NULL CHECK (version >= 1),
        content_sha256 TEXT NOT NULL,
        fetched_at     TEXT,
        record_json    TEXT NOT NULL,
        run_id         INTEGER REFERENCES runs (run_id),
        PRIMARY KEY (id, version)
    )""",
    """CREATE TABLE http_validators (
        url           TEXT PRIMARY KEY,
        etag          TEXT,
        last_modified TEXT
    )""",
    """CREATE TABLE categories (
        slug                 TEXT PRIMARY KEY,
        name                 TEXT,
        backfill_complete_at TEXT
    )""",
    f"PRAGMA application_id = {APPLICATION_ID}",
)

# Listed links that answered 404/410 before their article was ever captured: without them an
# incremental run would re-request every such link, and page past it, night after night.
_V2 = (
    """CREATE TABLE dead_links (
        id         TEXT PRIMARY KEY,
        local_id   TEXT NOT NULL,
        url        TEXT NOT NULL,
        status     INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen  TEXT NOT NULL
    )""",
)

# Generic discovery (sites whose article URLs carry no id the listings show): every normalized URL
# that reached a stored article, and the navigation parameters learned on the site, so that a
# recurring crawl recognises a known article by its link without fetching it again.
_V3 = (
    """CREATE TABLE article_urls (
        url TEXT PRIMARY KEY,
        id  TEXT NOT NULL
    )""",
    "CREATE INDEX article_urls_id ON article_urls (id)",
    """CREATE TABLE learned_params (
        name       TEXT PRIMARY KEY,
        first_seen TEXT NOT NULL
    )""",
)

# MIGRATIONS[n] takes the schema from version n to n + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection, current: int) -> int:
    """Apply every migration above ``current``, each in its own transaction; returns the new version.

    ``connection`` must be in autocommit mode (``isolation_level=None``).
    """
    for version in range(current, SCHEMA_VERSION):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    return SCHEMA_VERSION
