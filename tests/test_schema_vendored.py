"""The record format is published by the project: its vendored copy must equal the shared spec."""
from __future__ import annotations

from pathlib import Path

from dvarchive.schema import SCHEMA_FILE, article_schema, validation_errors

VENDORED = Path(__file__).resolve().parents[1] / "dvarchive" / "schema" / SCHEMA_FILE


def test_vendored_schema_equals_shared_spec(shared: Path) -> None:
    assert VENDORED.read_bytes() == (shared / "spec" / "article.schema.json").read_bytes()


def test_loaded_schema_is_the_vendored_file() -> None:
    assert article_schema()["$id"] == "dvarchive/article/1"


def test_validation_reasons_name_the_field() -> None:
    reasons = validation_errors({"schema_version": 1, "url": "x", "language": "en"})
    assert "id: required" in reasons
    assert "language: const" in reasons
