"""The project's published record format (vendored copy of shared/spec/article.schema.json)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

SCHEMA_FILE = "article.schema.json"


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    """The JSON Schema of one JSONL record."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def article_validator() -> jsonschema.Draft202012Validator:
    """A validator that also checks ``format: uri``."""
    schema = article_schema()
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validation_errors(record: dict[str, Any]) -> list[str]:
    """Short reasons why ``record`` is not a valid article; empty when it is.

    Each reason is ``<field>: <rule>`` so it can key a crawl stat.
    """
    reasons = []
    for error in sorted(article_validator().iter_errors(record), key=lambda e: list(e.path)):
        field = ".".join(str(p) for p in error.absolute_path) or (
            error.message.split("'")[1] if error.validator == "required" else "record"
        )
        reasons.append(f"{field}: {error.validator}")
    return reasons
