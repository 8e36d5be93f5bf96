"""The three serializations of a dataset (JSONL, CSV, Parquet), their schemas and row counts.

* JSONL is the reference form: one record per line, keys in the order of the JSON Schema's
  ``properties`` (optional keys a record lacks are left out, never invented), UTF-8,
  ``ensure_ascii=False``, compact separators, ``\\n`` endings — identical records give
  identical bytes.
* CSV has one column per schema property (all of them, in schema order), UTF-8 with a BOM
  so spreadsheet programs detect the encoding, RFC 4180 quoting and ``\\r\\n`` row ends.
  Null is the empty cell. Lists and objects (images, attachments, tags, warc) are written
  as compact JSON in the cell — lossless and unambiguous, unlike ad-hoc ``url|caption``
  joins that break on captions containing the separator; Table Schema's ``array`` and
  ``object`` types mean exactly "JSON in the cell".
* Parquet is a typed view: timestamps are ``timestamp[ms]`` holding whole seconds
  (published/modified in ``+07:00``, fetched_at in UTC; Parquet has no seconds unit, and
  sub-second fractions, which the project never writes, are truncated),
  images/attachments ``list<struct>``, counts integers.

SQLite (``dvarchive.archive.sqlite``) builds on these column types; ``dvarchive.archive.formats``
lists every format a package can hold.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from dvarchive.records import JSON_SEPARATORS, field_order, ordered_record, record_line  # noqa: F401 (re-exported)
from dvarchive.schema import article_schema

CSV_ENCODING = "utf-8-sig"
TIMESTAMP_FIELDS = {"published": "+07:00", "modified": "+07:00", "fetched_at": "UTC"}


def jsonl_line(record: dict[str, Any]) -> str:
    return record_line(record)


# --------------------------------------------------------------------------- writers


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(jsonl_line(record))
            count += 1
    return count


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=JSON_SEPARATORS)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(records: Iterable[dict[str, Any]], path: Path) -> int:
    columns = field_order()
    count = 0
    with open(path, "w", encoding=CSV_ENCODING, newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([csv_cell(record.get(column)) for column in columns])
            count += 1
    return count


def arrow_schema() -> Any:
    """The Parquet column types (pyarrow imported lazily: it is heavy)."""
    import pyarrow as pa

    image = pa.struct([("url", pa.string()), ("caption", pa.string())])
    attachment = pa.struct([("url", pa.string()), ("name", pa.string()),
                            ("media_type", pa.string()), ("sha256", pa.string())])
    warc = pa.struct([("file", pa.string()), ("record_id", pa.string()), ("offset", pa.int64())])
    special = {
        "schema_version": pa.int16(),
        # Parquet's coarsest unit is the millisecond ('s' would be stored, and read back, as ms).
        "published": pa.timestamp("ms", tz="+07:00"),
        "modified": pa.timestamp("ms", tz="+07:00"),
        "fetched_at": pa.timestamp("ms", tz="UTC"),
        "images": pa.list_(image),
        "attachments": pa.list_(attachment),
        "tags": pa.list_(pa.string()),
        "word_count": pa.int32(),
        "warc": warc,
        "version": pa.int32(),
    }
    return pa.schema([(name, special.get(name, pa.string())) for name in field_order()])


def _parquet_value(name: str, value: Any) -> Any:
    if name in TIMESTAMP_FIELDS and value is not None:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return instant.replace(microsecond=0)
    return value


def write_parquet(records: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    for record in records:
        for name in schema.names:
            columns[name].append(_parquet_value(name, record.get(name)))
    table = pa.table({name: pa.array(values, type=schema.field(name).type)
                      for name, values in columns.items()}, schema=schema)
    pq.write_table(table, path, compression="zstd")
    return table.num_rows


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
FILE_NAMES = {"jsonl": "articles.jsonl", "csv": "articles.csv", "parquet": "articles.parquet"}
MEDIA_TYPES = {"jsonl": "application/jsonl", "csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


# --------------------------------------------------------------------------- counting


def count_jsonl(path: Path) -> int:
    with open(path, "rb") as stream:
        return sum(1 for line in stream if line.strip())


def count_csv(path: Path) -> int:
    with open(path, encoding=CSV_ENCODING, newline="") as stream:
        rows = sum(1 for _ in csv.reader(stream))
    return max(rows - 1, 0)


def count_parquet(path: Path) -> int:
    """Rows after reading every column (a footer-only count would miss corrupt pages)."""
    import pyarrow.parquet as pq

    return pq.read_table(path).num_rows


COUNTERS = {"jsonl": count_jsonl, "csv": count_csv, "parquet": count_parquet}


# --------------------------------------------------------------------------- table schema


_TABLE_TYPES = {"integer": "integer", "array": "array", "object": "object", "string": "string"}


def table_schema() -> dict[str, Any]:
    """A Frictionless Table Schema for the CSV, derived from the JSON Schema."""
    properties = article_schema()["properties"]
    required = set(article_schema()["required"])
    fields = []
    for name in field_order():
        spec = properties[name]
        field: dict[str, Any] = {"name": name, "type": _table_type(name, spec)}
        if spec.get("description"):
            field["description"] = spec["description"]
        if name in ("published", "modified", "fetched_at"):
            field["format"] = "default"
        if name == "url":
            field["format"] = "uri"
        if name in required and not _nullable(spec):
            field["constraints"] = {"required": True}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def _nullable(spec: dict[str, Any]) -> bool:
    kinds = spec.get("type")
    return isinstance(kinds, list) and "null" in kinds


def _table_type(name: str, spec: dict[str, Any]) -> str:
    if name in TIMESTAMP_FIELDS:
        return "datetime"
    if "const" in spec:
        return "integer" if isinstance(spec["const"], int) else "string"
    kinds = spec.get("type")
    kind = next((k for k in kinds if k != "null"), "string") if isinstance(kinds, list) else kinds
    return _TABLE_TYPES.get(kind or "string", "string")

