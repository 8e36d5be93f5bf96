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
from pathlib import Path
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



# --- withdrawn articles --------------------------------------------------------------------------
# The article schema is a closed contract (additionalProperties: false), so a withdrawn article's
# record stays as it was captured; the withdrawal is marked in a companion JSONL listing each
# withdrawn article once: {"id", "url", "withdrawn_at", "http_status"}. `export` writes it beside
# its output (articles.jsonl -> articles.withdrawn.jsonl), `package --state` into the package.
WITHDRAWN_FIELDS = ("id", "url", "withdrawn_at", "http_status")
WITHDRAWN_FILE = "withdrawn.jsonl"


def withdrawn_bytes(entry: dict[str, Any]) -> bytes:
    """One line of a withdrawn-articles file (same form as a record line)."""
    ordered = {key: entry.get(key) for key in WITHDRAWN_FIELDS}
    return (json.dumps(ordered, ensure_ascii=False, separators=JSON_SEPARATORS) + "\n").encode("utf-8")


def withdrawn_companion(output: Path) -> Path:
    """``dir/articles.jsonl`` -> ``dir/articles.withdrawn.jsonl``."""
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    return output.with_name(f"{stem}.{WITHDRAWN_FILE}")
