"""``CrawlState``: what scheduled, incremental, resumable crawls remember between runs.

One SQLite file, ``DIR/state.sqlite``, written by one crawl at a time (see
:mod:`dvarchive.state.lock`) and readable by anyone at any time (``status``, ``export``).

Durability choices:

* ``journal_mode=WAL``: readers (``status``, ``export``, tests polling the file) never block
  the crawl and always see the last committed snapshot.
* ``synchronous=FULL``: every commit is fsync'ed to the WAL before ``store()`` returns.
  A process kill (SIGKILL, OOM) loses nothing even with NORMAL, but on power loss NORMAL may
  roll back the last commits — and a version the site has since overwritten can never be
  fetched again, so the state is the only copy of an article's history. The cost, one fsync
  per stored article, is invisible next to a polite crawl's one request per second.
* One transaction per call that writes: a record is either fully stored (article row,
  version row and run counter together) or not at all.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from dvarchive.state.lock import StateLock, running_holder
from dvarchive.state.models import (
    RUN_MODES,
    CategorySummary,
    RevisitTarget,
    RunSummary,
    StateError,
    StateSummary,
    StoreResult,
    StoreStatus,
)
from dvarchive.state.schema import APPLICATION_ID, SCHEMA_VERSION, migrate
from dvarchive.timeutil import to_utc_iso, utc_now

DB_FILE = "state.sqlite"
BUSY_TIMEOUT_SECONDS = 30.0
ORDER_BY_PUBLISHED = "a.published IS NULL, a.published, a.id"
RUN_COLUMNS = ("run_id, mode, start_url, started_at, ended_at, requests, new, changed, "
               "unchanged, withdrawn, errors, finish_reason")
INTERRUPTED = "interrupted"  # finish_reason of a run whose process died before end_run()


class CrawlState:
    """The crawl state of one schedule. Create it with :meth:`open`; use it as a context manager."""

    def __init__(self, directory: Path, connection: sqlite3.Connection, *, schema_version: int,
                 lock: StateLock | None, read_only: bool) -> None:
        self.directory = directory
        self.path = directory / DB_FILE
        self.schema_version = schema_version
        self.read_only = read_only
        self._connection: sqlite3.Connection | None = connection
        self._lock = lock
        self._current_run: int | None = None

    # --- opening and closing ----------------------------------------------------------------------
    @classmethod
    def open(cls, directory: Path | str, *, lock: bool = True, read_only: bool = False) -> "CrawlState":
        """Open (and create, unless ``read_only``) the state in ``directory``.

        ``lock=True`` takes the crawl lock first and raises :class:`StateLocked` if another
        process holds it. ``read_only=True`` never takes the lock, never creates or migrates
        anything and opens SQLite with ``mode=ro``: for ``status``/``export`` while a crawl runs.
        Raises :class:`StateError` for a missing (read-only), corrupt or foreign database.
        """
        directory = Path(directory)
        if read_only:
            return cls._open_read_only(directory)
        make_directory(directory)
        held = StateLock.acquire(directory) if lock else None
        try:
            connection = connect(directory / DB_FILE, read_only=False)
            try:
                version = prepare_writable(connection, directory / DB_FILE)
            except BaseException:
                connection.close()
                raise
        except BaseException:
            if held:
                held.release()
            raise
        return cls(directory, connection, schema_version=version, lock=held, read_only=False)

    @classmethod
    def _open_read_only(cls, directory: Path) -> "CrawlState":
        path = directory / DB_FILE
        if not path.is_file():
            raise StateError(f"no crawl state in {directory} ({DB_FILE} not found); "
                             f"a crawl with --state {directory} creates it")
        connection = connect(path, read_only=True)
        try:
            version = check_database(connection, path)
            if version == 0:
                raise StateError(f"{path} is empty: no crawl has written to this state yet")
            if version < SCHEMA_VERSION:
                raise StateError(f"{path} has schema version {version}, older than this dvarchive's "
                                 f"{SCHEMA_VERSION}; the next crawl with this state upgrades it")
            connection.execute("PRAGMA query_only = ON")
        except BaseException:
            connection.close()
            raise
        return cls(directory, connection, schema_version=version, lock=None, read_only=True)

    def close(self) -> None:
        """Close the database, then release the lock (idempotent)."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "CrawlState":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def locked(self) -> bool:
        """Whether this instance holds the crawl lock."""
        return self._lock is not None and self._lock.held

    # --- plumbing -------------------------------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StateError(f"the crawl state {self.directory} is closed")
        return self._connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: everything in the block is stored, or nothing is."""
        if self.read_only:
            raise StateError(f"the crawl state {self.directory} is open read-only")
        db = self.db
        with self._errors():
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """sqlite3 errors (disk full, corruption found late, …) as one-line StateErrors."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StateError(f"crawl state {self.path}: {exc}") from exc

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._errors():
            return self.db.execute(sql, params).fetchall()

    def _iterate(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[sqlite3.Row]:
        # One statement = one read snapshot in WAL mode, even while a crawl commits.
        with self._errors():
            yield from self.db.execute(sql, params)

    def _count(self, db: sqlite3.Connection, run_id: int | None, column: str) -> None:
        """Add one to a run's counter; the run must exist (checked before anything is written)."""
        run_id = self._current_run if run_id is None else run_id
        if run_id is None:
            return
        assert column in ("new", "changed", "unchanged", "withdrawn")
        cursor = db.execute(f"UPDATE runs SET {column} = {column} + 1 WHERE run_id = ?", (run_id,))
        if cursor.rowcount != 1:
            raise StateError(f"unknown run {run_id} in {self.path}: begin_run() first")

    # --- what is known ----------------------------------------------------------------------------
    def knows(self, article_id: str) -> bool:
        """Whether the article ('<site>:<id>') was ever stored (withdrawn ones included)."""
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def knows_site_id(self, numeric_id: str) -> bool:
        """Whether an article with this id on the site (under any site key) was ever stored."""
        return bool(self._query("SELECT 1 FROM articles WHERE local_id = ? LIMIT 1", (str(numeric_id),)))

    def known_numeric_ids(self, *, include_withdrawn: bool = True) -> set[str]:
        """Every known site id ('1234'), loaded at once for the spider's listing checks."""
        where = "" if include_withdrawn else " WHERE withdrawn_at IS NULL"
        known = {row[0] for row in self._query(f"SELECT local_id FROM articles{where}")}
        return known | {row[0] for row in self._query("SELECT local_id FROM dead_links")}

    def known_article_urls(self) -> set[str]:
        """Every URL a known article was stored under or reached by (generic discovery's aliases:
        only those of articles actually stored), and every dead link's URL."""
        rows = self._query(
            "SELECT url FROM articles UNION SELECT u.url FROM article_urls u JOIN articles a ON a.id = u.id"
            " UNION SELECT url FROM dead_links")
        return {row[0] for row in rows}

    def remember_article_urls(self, article_id: str, urls: Iterable[str]) -> None:
        """URLs (normalized by the crawler) that lead to the article ``article_id``. Written before
        the record is stored; :meth:`known_article_urls` counts them once it is."""
        with self._write() as db:
            db.executemany("INSERT INTO article_urls (url, id) VALUES (?, ?) ON CONFLICT (url) DO UPDATE SET id = excluded.id",
                           [(url, article_id) for url in sorted(set(urls)) if url])

    def learned_params(self) -> set[str]:
        """Navigation parameters generic discovery learned on this site (two URLs, one page)."""
        return {row[0] for row in self._query("SELECT name FROM learned_params")}

    def remember_learned_params(self, params: Iterable[str], when: str) -> None:
        with self._write() as db:
            db.executemany("INSERT INTO learned_params (name, first_seen) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                           [(name, when) for name in sorted(set(params))])

    # --- storing ------------------------------------------------------------------------------------
    def store(self, record: dict[str, Any], run_id: int | None) -> StoreResult:
        """Store a record as a new article, a new version of a changed one, or a sighting.

        New id → version 1; same ``content_sha256`` as the latest version → 'unchanged'
        (``last_seen``, url, category and published refreshed, withdrawal cleared; no new
        version); different → latest version + 1, 'changed'. The stored ``record_json`` has
        ``version`` set; ``record`` itself is not modified. ``run_id`` (``None``: the run begun
        on this instance, if any) gets its new/changed/unchanged counter bumped — in the same
        transaction.
        """
        article_id, sha = record_key(record)
        seen = record.get("fetched_at") or to_utc_iso(utc_now())
        with self._write() as db:
            row = db.execute("SELECT version, content_sha256 FROM articles WHERE id = ?",
                             (article_id,)).fetchone()
            status, version = classify(row, sha)
            self._count(db, run_id, status)
            if status == "new":
                db.execute("DELETE FROM dead_links WHERE id = ?", (article_id,))
                db.execute(
                    "INSERT INTO articles (id, local_id, url, category, published, content_sha256, version,"
                    " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article_id, local_id(article_id), record.get("url") or "", record.get("category"),
                     record.get("published"), sha, version, seen, seen),
                )
            else:
                db.execute(
                    "UPDATE articles SET url = ?, category = ?, published = ?, content_sha256 = ?, version = ?,"
                    " last_seen = ?, withdrawn_at = NULL, withdrawn_status = NULL WHERE id = ?",
                    (record.get("url") or "", record.get("category"), record.get("published"), sha, version,
                     seen, article_id),
                )
            if status != "unchanged":
                self._insert_version(db, record, version, run_id)
        return StoreResult(status=status, version=version)

    def _insert_version(self, db: sqlite3.Connection, record: dict[str, Any], version: int,
                        run_id: int | None) -> None:
        stored = {**record, "version": version}
        db.execute(
            "INSERT INTO versions (id, version, content_sha256, fetched_at, record_json, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (record["id"], version, record["content_sha256"], record.get("fetched_at"),
             json.dumps(stored, ensure_ascii=False), self._current_run if run_id is None else run_id),
        )

    def mark_withdrawn(self, article_id: str, status: int, when: str, *, run_id: int | None = None) -> bool:
        """Record that a known article is gone (404/410/…); all its versions are kept.

        Returns True when it was live until now (counted once, as 'withdrawn', in the run);
        an article already withdrawn keeps its first ``withdrawn_at`` (the status is updated);
        an unknown article is ignored (False).
        """
        with self._write() as db:
            row = db.execute("SELECT withdrawn_at FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return False
            if row[0] is not None:
                db.execute("UPDATE articles SET withdrawn_status = ? WHERE id = ?", (status, article_id))
                return False
            self._count(db, run_id, "withdrawn")
            db.execute("UPDATE articles SET withdrawn_at = ?, withdrawn_status = ? WHERE id = ?",
                       (when, status, article_id))
        return True

    def remember_dead_link(self, article_id: str, url: str, status: int, when: str) -> None:
        """A listed article that answered 404/410 before it was ever captured.

        Incremental runs treat it as known (not requested again); revisit runs re-check it, and
        storing its record later (the site restored it) forgets the dead link.
        """
        with self._write() as db:
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None:
                return
            db.execute(
                "INSERT INTO dead_links (id, local_id, url, status, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET status = excluded.status, last_seen = excluded.last_seen",
                (article_id, local_id(article_id), url, status, when, when),
            )

    def touch(self, article_id: str, when: str, *, run_id: int | None = None) -> bool:
        """Seen unchanged without a body (e.g. 304 Not Modified): refresh ``last_seen``, clear a
        withdrawal, count 'unchanged' in the run. Returns whether the article is known."""
        with self._write() as db:
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
                return False
            self._count(db, run_id, "unchanged")
            db.execute("UPDATE articles SET last_seen = ?, withdrawn_at = NULL, withdrawn_status = NULL"
                       " WHERE id = ?", (when, article_id))
        return True

    # --- HTTP validators -----------------------------------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the last response from ``url``, for a conditional request."""
        rows = self._query("SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,))
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of ``url``'s response (both ``None`` forgets them)."""
        with self._write() as db:
            if etag is None and last_modified is None:
                db.execute("DELETE FROM http_validators WHERE url = ?", (url,))
            else:
                db.execute(
                    "INSERT INTO http_validators (url, etag, last_modified) VALUES (?, ?, ?) ON CONFLICT (url)"
                    " DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified",
                    (url, etag, last_modified),
                )

    def revisit_targets(self, *, include_withdrawn: bool = True) -> list[RevisitTarget]:
        """Every known article to re-fetch in a revisit run, by id, with its URL's validators.

        Withdrawn articles are included by default: re-checking them is how an article the
        site restores comes back (its next ``store()``/``touch()`` clears the withdrawal).
        """
        where = "" if include_withdrawn else " WHERE a.withdrawn_at IS NULL"
        dead = (
            " UNION ALL SELECT d.id, d.url, NULL, NULL, 1, NULL, NULL FROM dead_links d"
            " WHERE d.id NOT IN (SELECT id FROM articles)"
        ) if include_withdrawn else ""
        rows = self._query(
            "SELECT a.id, a.url, v.etag, v.last_modified, a.withdrawn_at IS NOT NULL, a.category,"
            " json_extract(r.record_json, '$.extractor')"
            " FROM articles a LEFT JOIN http_validators v ON v.url = a.url"
            f" LEFT JOIN versions r ON r.id = a.id AND r.version = a.version{where}{dead} ORDER BY 1"
        )
        return [RevisitTarget(id=r[0], url=r[1], etag=r[2], last_modified=r[3], withdrawn=bool(r[4]), category=r[5],
                              extractor=r[6]) for r in rows]

    # --- categories ------------------------------------------------------------------------------------
    def mark_backfill_complete(self, category_slug: str, name: str, when: str) -> None:
        """The category's listing was paged to its end once: later runs may stop early."""
        with self._write() as db:
            db.execute(
                "INSERT INTO categories (slug, name, backfill_complete_at) VALUES (?, ?, ?) ON CONFLICT (slug)"
                " DO UPDATE SET name = excluded.name,"
                " backfill_complete_at = coalesce(categories.backfill_complete_at, excluded.backfill_complete_at)",
                (category_slug, name, when),
            )

    def complete_categories(self) -> set[str]:
        """Slugs (generic discovery: first-page URLs of pager chains) paged to their end once."""
        return {row[0] for row in self._query("SELECT slug FROM categories WHERE backfill_complete_at IS NOT NULL")}

    def backfill_complete(self, category_slug: str) -> bool:
        rows = self._query("SELECT backfill_complete_at FROM categories WHERE slug = ?", (category_slug,))
        return bool(rows and rows[0][0])

    # --- runs -------------------------------------------------------------------------------------------
    def begin_run(self, mode: str, start_url: str, started_at: str) -> int:
        """Record the start of a run; returns its id (also the default run of later calls)."""
        if mode not in RUN_MODES:
            raise ValueError(f"run mode must be one of {', '.join(RUN_MODES)}, not {mode!r}")
        with self._write() as db:
            if self.locked:
                # We hold the lock, so any run still open belongs to a process that died.
                db.execute("UPDATE runs SET finish_reason = ? WHERE ended_at IS NULL AND finish_reason IS NULL",
                           (INTERRUPTED,))
            cursor = db.execute("INSERT INTO runs (mode, start_url, started_at) VALUES (?, ?, ?)",
                                (mode, start_url, started_at))
        self._current_run = int(cursor.lastrowid or 0)
        return self._current_run

    def end_run(self, run_id: int, *, ended_at: str, requests: int, errors: int, finish_reason: str) -> None:
        """Record the end of a run (its new/changed/unchanged/withdrawn were counted as they happened)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE runs SET ended_at = ?, requests = ?, errors = ?, finish_reason = ? WHERE run_id = ?",
                (ended_at, int(requests), int(errors), finish_reason, run_id),
            )
            if cursor.rowcount != 1:
                raise StateError(f"unknown run {run_id} in {self.path}")
        if self._current_run == run_id:
            self._current_run = None

    def run(self, run_id: int) -> RunSummary | None:
        rows = self._query(f"SELECT {RUN_COLUMNS} FROM runs WHERE run_id = ?", (run_id,))
        return RunSummary(*rows[0]) if rows else None

    def recent_runs(self, limit: int = 10) -> list[RunSummary]:
        """The last ``limit`` runs, newest first."""
        rows = self._query(f"SELECT {RUN_COLUMNS} FROM runs ORDER BY run_id DESC LIMIT ?", (limit,))
        return [RunSummary(*row) for row in rows]

    def running_holder(self) -> dict[str, Any] | None:
        """pid/start of the crawl holding this state's lock, if one is (probably) running now."""
        return running_holder(self.directory)

    # --- reading out --------------------------------------------------------------------------------
    def latest_records(self, *, include_withdrawn: bool = True) -> Iterator[dict[str, Any]]:
        """The latest version of each article, by published (undated last), then id."""
        where = "" if include_withdrawn else " WHERE a.withdrawn_at IS NULL"
        for row in self._iterate(
            "SELECT v.record_json FROM articles a JOIN versions v ON v.id = a.id AND v.version = a.version"
            f"{where} ORDER BY {ORDER_BY_PUBLISHED}"
        ):
            yield json.loads(row[0])

    def withdrawn_articles(self) -> list[dict[str, Any]]:
        """Articles the site has withdrawn: id, url, withdrawn_at, http_status (by id)."""
        rows = self._query("SELECT id, url, withdrawn_at, withdrawn_status FROM articles"
                           " WHERE withdrawn_at IS NOT NULL ORDER BY id")
        return [{"id": r[0], "url": r[1], "withdrawn_at": r[2], "http_status": r[3]} for r in rows]

    def all_versions(self) -> Iterator[dict[str, Any]]:
        """Every stored version: articles in the order of :meth:`latest_records`, then by version."""
        for row in self._iterate(
            f"SELECT v.record_json FROM articles a JOIN versions v ON v.id = a.id ORDER BY {ORDER_BY_PUBLISHED},"
            " v.version"
        ):
            yield json.loads(row[0])

    def summary(self) -> StateSummary:
        """Counts for ``dvarchive status``, read in one snapshot."""
        with self._errors():
            db = self.db
            db.execute("BEGIN")
            try:
                articles, withdrawn = db.execute("SELECT count(*), count(withdrawn_at) FROM articles").fetchone()
                versions = db.execute("SELECT count(*) FROM versions").fetchone()[0]
                runs = db.execute("SELECT count(*) FROM runs").fetchone()[0]
                dead_links = db.execute("SELECT count(*) FROM dead_links").fetchone()[0]
                categories = [CategorySummary(*row) for row in db.execute(
                    "SELECT category, count(*), count(withdrawn_at), max(published) FROM articles"
                    " GROUP BY category ORDER BY category IS NULL, category")]
                last = db.execute(f"SELECT {RUN_COLUMNS} FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
            finally:
                db.execute("COMMIT")
        return StateSummary(
            path=str(self.path), schema_version=self.schema_version, articles=articles, versions=versions,
            withdrawn=withdrawn, runs=runs, categories=categories, last_run=RunSummary(*last) if last else None,
            dead_links=dead_links,
        )


# --- helpers ----------------------------------------------------------------------------------------
def record_key(record: dict[str, Any]) -> tuple[str, str]:
    try:
        return str(record["id"]), str(record["content_sha256"])
    except KeyError as exc:
        raise ValueError(f"a record to store needs {exc.args[0]!r}") from None


def local_id(article_id: str) -> str:
    """'danvan:1234' -> '1234' (the id on the site, as listings show it)."""
    return article_id.split(":", 1)[1] if ":" in article_id else article_id


def classify(row: sqlite3.Row | tuple[Any, ...] | None, sha: str) -> tuple[StoreStatus, int]:
    if row is None:
        return "new", 1
    if row[1] == sha:
        return "unchanged", int(row[0])
    return "changed", int(row[0]) + 1


def make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StateError(f"{directory} is a file, not a state directory") from None
    except OSError as exc:
        raise StateError(f"cannot create the state directory {directory}: {exc.strerror}") from exc


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit); ``mode=ro`` when ``read_only``."""
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    try:
        return sqlite3.connect(target, uri=read_only, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise StateError(f"cannot open the crawl state {path}: {exc}") from exc


def check_database(connection: sqlite3.Connection, path: Path) -> int:
    """The schema version of a healthy dvarchive state (0 = empty file); StateError otherwise."""
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        objects = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise StateError(corrupt_message(path, str(exc))) from exc
    if problems != ["ok"]:
        raise StateError(corrupt_message(path, "; ".join(problems)))
    if app_id == 0 and version == 0 and objects == 0:
        return 0
    if app_id != APPLICATION_ID:
        raise StateError(f"{path} is an SQLite database but not a dvarchive crawl state; "
                         "point --state at another directory")
    if version > SCHEMA_VERSION:
        raise StateError(f"{path} was written by a newer dvarchive (state schema {version}, this one knows "
                         f"up to {SCHEMA_VERSION}); upgrade dvarchive")
    return int(version)


def corrupt_message(path: Path, detail: str) -> str:
    return (f"the crawl state {path} is corrupt or not a database ({detail}); restore it from a backup, "
            "or move it away to start a new state")


def prepare_writable(connection: sqlite3.Connection, path: Path) -> int:
    """Check, configure (WAL, FULL sync, foreign keys) and migrate a writer's connection."""
    version = check_database(connection, path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        return migrate(connection, version)
    except sqlite3.Error as exc:
        raise StateError(f"cannot prepare the crawl state {path}: {exc}") from exc
