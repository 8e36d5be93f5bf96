"""The project's published record format (vendored copy of shared/spec/article.schema.json).

Two validators read the same vendored schema. ``jsonschema-rs`` (compiled) answers "is this
record valid?" on the hot path — 0.004 ms a record against 0.32 ms for ``jsonschema``, which
was a sixth of dvarchive's own cost per article in a crawl (docs/performance.md). ``jsonschema``
(the reference implementation) explains why a record is invalid, so the reasons keep one
format; ``tests/test_schema_vendored.py`` holds the two to the same verdicts. ``jsonschema`` is
imported only when a record is invalid (importing it costs a crawl ~0.1 s).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    import jsonschema

SCHEMA_FILE = "article.schema.json"


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    """The JSON Schema of one JSONL record."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def article_validator() -> jsonschema.Draft202012Validator:
    """The reference validator (explains errors); also checks ``format: uri``."""
    import jsonschema

    schema = article_schema()
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@lru_cache(maxsize=1)
def fast_article_validator() -> jsonschema_rs.Draft202012Validator:
    """The compiled validator of the hot path; also checks ``format: uri``."""
    return jsonschema_rs.Draft202012Validator(article_schema(), validate_formats=True)


def validation_errors(record: dict[str, Any]) -> list[str]:
    """Short reasons why ``record`` is not a valid article; empty when it is.

    Each reason is ``<field>: <rule>`` so it can key a crawl stat.
    """
    try:
        if fast_article_validator().is_valid(record):
            return []
    except (ValueError, TypeError):  # jsonschema-rs refuses values JSON has no type for (bytes, …)
        pass
    return reference_reasons(record) or ["record: schema"]  # the last: should the validators disagree


def reference_reasons(record: dict[str, Any]) -> list[str]:
    """The reasons ``jsonschema`` gives, sorted by field."""
    reasons = []
    for error in sorted(article_validator().iter_errors(record), key=lambda e: list(e.path)):
        field = ".".join(str(p) for p in error.absolute_path) or (
            error.message.split("'")[1] if error.validator == "required" else "record"
        )
        reasons.append(f"{field}: {error.validator}")
    return reasons
