"""One byte form of an article record, used by every writer of JSONL.

A record's line is: keys in the order of the JSON Schema's ``properties`` (optional keys a
record lacks are left out, never invented; unknown keys, if any, after them, sorted),
compact separators, UTF-8 with Vietnamese text as is (no ``\\u`` escapes), ``\\n`` ending.
The crawl's feed (``dvarchive.feedstorage.RecordLinesExporter``, the ``jsonlines`` format),
``export``, ``reextract`` and ``package`` all write :func:`record_bytes`, so the same record
is the same bytes in every file dvarchive writes.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from dvarchive.schema import article_schema

JSON_SEPARATORS = (",", ":")


@lru_cache(maxsize=1)
def field_order() -> tuple[str, ...]:
    """Schema property order: the key order of JSONL lines and the CSV/Parquet columns."""
    return tuple(article_schema()["properties"])


def ordered_record(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with its keys in schema order (unknown keys, if any, after them, sorted)."""
    order = field_order()
    known = {key: record[key] for key in order if key in record}
    extra = {key: record[key] for key in sorted(set(record) - set(order))}
    return {**known, **extra}


def record_line(record: dict[str, Any]) -> str:
    """The record as one JSON line (text, ``\\n``-terminated)."""
    return json.dumps(ordered_record(record), ensure_ascii=False, separators=JSON_SEPARATORS) + "\n"


def record_bytes(record: dict[str, Any]) -> bytes:
    """The record's bytes in a JSONL file."""
    return record_line(record).encode("utf-8")

