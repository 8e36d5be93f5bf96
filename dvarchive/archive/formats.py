"""Every table format a package can hold: its file name, media type, writer and row counter.

JSONL, CSV and Parquet live in :mod:`dvarchive.archive.tables`; SQLite, which builds on their
column types, in :mod:`dvarchive.archive.sqlite`. This registry joins them so that neither of
those two modules imports the other's dependents (no import cycle).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dvarchive.archive import sqlite, tables

Writer = Callable[[Iterable[dict[str, Any]], Path], int]

FILE_NAMES: dict[str, str] = {**tables.FILE_NAMES, "sqlite": sqlite.SQLITE_NAME}
MEDIA_TYPES: dict[str, str] = {**tables.MEDIA_TYPES, "sqlite": sqlite.MEDIA_TYPE}
WRITERS: dict[str, Writer] = {**tables.WRITERS, "sqlite": sqlite.write_sqlite}
COUNTERS: dict[str, Callable[[Path], int]] = {**tables.COUNTERS, "sqlite": sqlite.count_sqlite}
