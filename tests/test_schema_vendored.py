"""The record format is published by the project (its vendored copy equals the shared spec: see
``test_contract_vendored.py``): the schema loads, names fields, and both validators agree."""
from __future__ import annotations

from pathlib import Path

from dvarchive.schema import article_schema, validation_errors


def test_loaded_schema_is_the_vendored_file() -> None:
    assert article_schema()["$id"] == "dvarchive/article/1"


def test_validation_reasons_name_the_field() -> None:
    reasons = validation_errors({"schema_version": 1, "url": "x", "language": "en"})
    assert "id: required" in reasons
    assert "language: const" in reasons


# --- the compiled hot-path validator and the reference one give the same verdicts -------------
import copy  # noqa: E402
import json  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from dvarchive.pages import extract_record  # noqa: E402
from dvarchive.schema import article_validator, fast_article_validator  # noqa: E402
from helpers import CONTRACT  # noqa: E402

URL_EDGES = [
    "http://danvan.example/tin-tuc/a-1.html", "https://x.vn/a?b=c#d", "http://x/a b", "http://x/tin-tức",
    "//x/a", "/relative/path", "mailto:bdv@example.vn", "http://[::1]:8080/", "http://x/%zz", "", "x",
    "javascript:alert(1)", "http://x:99999/", "ftp://x/y.pdf", "http://x/a%20b",
]
BAD_VALUES: list[Any] = [None, 12345, "", "x", [], {}, True, -1, "2018-02-31T00:00:00+07:00"]


def expected_records(contract: Path) -> list[dict[str, Any]]:
    """The records dvarchive makes of the three sample pages (expected/ holds only some fields)."""
    records = []
    for path in sorted((contract / "site" / "expected").glob("article-*.json")):
        url = json.loads(path.read_text(encoding="utf-8"))["url"]
        html = (contract / "site" / "pages" / path.with_suffix(".html").name).read_bytes()
        records.append(extract_record(url, html, site="danvan", fetched_at="2026-11-27T13:00:00Z"))
    return records


def mutations(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every field removed, replaced by each bad value, every URL field by each edge case, plus extras."""
    variants = []
    for field in record:
        removed = copy.deepcopy(record)
        del removed[field]
        variants.append(removed)
        for value in BAD_VALUES:
            variants.append({**copy.deepcopy(record), field: value})
    for url in URL_EDGES:
        variants.append({**copy.deepcopy(record), "url": url})
        if record.get("images"):
            images = copy.deepcopy(record["images"])
            images[0]["url"] = url
            variants.append({**copy.deepcopy(record), "images": images})
    variants.append({**copy.deepcopy(record), "unexpected": 1})
    return variants


def reference_valid(record: dict[str, Any]) -> bool:
    return next(iter(article_validator().iter_errors(record)), None) is None


def test_expected_records_are_valid_for_both_validators() -> None:
    for record in expected_records(CONTRACT):
        assert fast_article_validator().is_valid(record)
        assert reference_valid(record)


def test_both_validators_agree_on_every_mutation() -> None:
    records = expected_records(CONTRACT)
    variants = [variant for record in records for variant in mutations(record)]
    disagreements = [json.dumps(v, ensure_ascii=False)[:200] for v in variants
                     if fast_article_validator().is_valid(v) != reference_valid(v)]
    assert len(variants) > 300
    assert disagreements == []


@pytest.mark.parametrize("url", URL_EDGES)
def test_a_bad_url_is_reported_with_its_field(url: str) -> None:
    record = {**expected_records(CONTRACT)[0], "url": url}
    reasons = validation_errors(record)
    assert (reasons == []) == reference_valid(record)
    if reasons:
        assert any(reason.startswith("url: ") for reason in reasons)


@pytest.mark.parametrize("value", [b"bytes", object(), ("a", "tuple"), float("nan")],
                         ids=["bytes", "object", "tuple", "nan"])
@pytest.mark.parametrize("field", ["title", "word_count", "images"])
def test_a_value_json_cannot_hold_is_a_reason_not_a_crash(field: str, value: Any) -> None:
    record = {**expected_records(CONTRACT)[0], field: value}
    assert validation_errors(record) == [f"{field}: type"]
