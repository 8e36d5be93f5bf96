"""``articles.sqlite`` + ``metadata.json``: the records as a database Datasette opens with no setup.

* Table ``articles``: one row per record, one column per schema property in schema order, typed
  as in the Parquet file (integers as INTEGER; timestamps as the records' ISO 8601 text, which
  sorts and compares in SQLite; lists and objects as compact JSON text, which Datasette shows
  and SQLite's ``json_*`` functions read), plus ``month`` (``YYYY-MM`` of publication in
  Vietnam time) to facet on.
* ``articles_fts``: an FTS5 index over title, subtitle and body made by sqlite-utils'
  ``enable_fts`` (an external-content table Datasette recognises, so the table page gets a
  search box and ``?_search=`` works). ``remove_diacritics 2`` lets ``dan van`` find
  ``dân vận`` (``đ`` is a letter of its own, not a d with a diacritic).
* ``metadata.json`` (Datasette's metadata file): title, description, source and licence as
  in the dataset card, a description of every column, and facets by category, author and
  month on the table page. ``datasette articles.sqlite -m metadata.json`` — or ``datasette .``
  in the package folder — shows it.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dvarchive.archive import tables
from dvarchive.records import JSON_SEPARATORS

SQLITE_NAME = "articles.sqlite"
METADATA_NAME = "metadata.json"
TABLE = "articles"
FTS_COLUMNS = ("title", "subtitle", "body")
FACETS = ("category", "author", "month")
INDEXED = ("published", "category", "author", "month")
TOKENIZE = "unicode61 remove_diacritics 2"
MEDIA_TYPE = "application/vnd.sqlite3"
_EXTRA_DESCRIPTIONS = {
    "schema_version": "Version of the record schema.",
    "title": "Headline of the article.",
    "images": "Images of the article: JSON list of {url, caption}.",
    "tags": "Keywords the page lists: JSON list of strings.",
    "language": "Language of the text (BCP 47), 'vi'.",
    "word_count": "Words in body.",
    "month": "Month of publication in Vietnam time, YYYY-MM (derived from published; empty when undated).",
}


def column_types() -> dict[str, type]:
    """SQLite affinity of each column: the Parquet integer columns are INTEGER, the rest TEXT."""
    import pyarrow as pa

    schema = tables.arrow_schema()
    types: dict[str, type] = {name: int if pa.types.is_integer(schema.field(name).type) else str
                              for name in schema.names}
    return types | {"month": str}


def sqlite_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=JSON_SEPARATORS)
    return value


def row(record: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    published = record.get("published")
    values = {name: sqlite_value(record.get(name)) for name in columns if name != "month"}
    return values | {"month": published[:7] if published else None}


def write_sqlite(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write the table, its indexes and the full-text index; returns the number of rows."""
    import sqlite_utils

    types = column_types()
    columns = list(types)
    db = sqlite_utils.Database(path)
    try:
        table = db.table(TABLE)
        table.create(types, pk="id", column_order=columns)
        table.insert_all((row(r, columns) for r in records), batch_size=500)
        for column in INDEXED:
            table.create_index([column])
        table.enable_fts(list(FTS_COLUMNS), tokenize=TOKENIZE)
        db.execute("ANALYZE")
        count = table.count
    finally:
        db.close()
    return count


def count_sqlite(path: Path) -> int:
    """Rows of ``articles`` after SQLite's integrity check (read-only; the file is not touched)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        problems = [r[0] for r in connection.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("integrity check: " + "; ".join(problems[:3]))
        return int(connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0])
    finally:
        connection.close()


def column_descriptions() -> dict[str, str]:
    described = {f["name"]: f.get("description", "") for f in tables.table_schema()["fields"]}
    return {name: described.get(name) or _EXTRA_DESCRIPTIONS.get(name, "") for name in column_types()}


def datasette_metadata(*, title: str, description: str, source: str | None, source_url: str | None,
                       licence: str, licence_url: str | None = None) -> dict[str, Any]:
    """Datasette's ``metadata.json`` for ``articles.sqlite`` (database name = the file's stem)."""
    table = {
        "title": "Articles",
        "description": "One row per archived article. Search title, subtitle and body with the "
                       "search box (diacritics optional); facet by category, author or month.",
        "columns": column_descriptions(),
        "facets": list(FACETS),
        "sort_desc": "published",
        "label_column": "title",
        "fts_table": f"{TABLE}_fts",
        "fts_pk": "rowid",
    }
    metadata: dict[str, Any] = {"title": title, "description": description, "license": licence}
    if licence_url:
        metadata["license_url"] = licence_url
    if source:
        metadata["source"] = source
    if source_url:
        metadata["source_url"] = source_url
    metadata["databases"] = {Path(SQLITE_NAME).stem: {"tables": {TABLE: table}}}
    return metadata
