"""The three sample articles must become exactly the records in shared/site/expected/.

One assertion per (page, field), for the page fetched at its canonical URL and once more at
that URL with the home page's ``?ref=home`` tracking query.
"""
from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from dvarchive.pages.chrome import find_chrome
from dvarchive.normalize.text import sha256_hex, word_count
from dvarchive.pages import extract_record
from dvarchive.schema import validation_errors
from helpers import CONTRACT

SITE = "danvan"
FETCHED_AT = "2026-11-27T09:53:39Z"
PAGES = ("1234", "987", "1240")
# Every field expected/ fixes (read from article-1234.json, which names them all).
FIELDS = ("id", "url", "category", "title", "subtitle", "published", "modified", "author",
          "source", "body", "images", "attachments")
VARIANTS = ("canonical", "ref-home")


@cache
def expected(page: str) -> dict[str, Any]:
    return json.loads((CONTRACT / "site" / "expected" / f"article-{page}.json").read_text(encoding="utf-8"))


@cache
def record(page: str, variant: str) -> dict[str, Any]:
    url = expected(page)["url"] + ("?ref=home" if variant == "ref-home" else "")
    html = (CONTRACT / "site" / "pages" / f"article-{page}.html").read_bytes()
    return extract_record(url, html, site=SITE, fetched_at=FETCHED_AT)


def test_expected_files_name_every_checked_field() -> None:
    for page in PAGES:
        assert set(expected(page)) == set(FIELDS), page


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("page", PAGES)
def test_field(page: str, field: str, variant: str) -> None:
    got = record(page, variant)[field]
    want = expected(page)[field]
    if field == "id":
        assert got == f"{SITE}:{want}"
    else:
        assert got == want


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("page", PAGES)
def test_record_is_valid(page: str, variant: str) -> None:
    assert validation_errors(record(page, variant)) == []


@pytest.mark.parametrize("page", PAGES)
def test_body_has_no_chrome(page: str) -> None:
    assert find_chrome(record(page, "canonical")["body"]) == []


@pytest.mark.parametrize("page", PAGES)
def test_derived_fields(page: str) -> None:
    rec = record(page, "canonical")
    assert rec["schema_version"] == 1
    assert rec["site"] == SITE
    assert rec["language"] == "vi"
    assert rec["extractor"] == "danvan/v1"
    assert rec["fetched_at"] == FETCHED_AT
    assert rec["word_count"] == word_count(rec["body"]) > 0
    assert rec["content_sha256"] == sha256_hex(rec["body"])
    assert "warc" not in rec and "version" not in rec


@pytest.mark.parametrize("page", PAGES)
def test_published_raw_is_the_news_date_as_shown(page: str) -> None:
    raw = {"1234": "28.2.2018 - 9:21", "987": "7.11.2016 - 15:40", "1240": "5.3.2018 - 14:05"}[page]
    assert record(page, "canonical")["published_raw"] == raw


@pytest.mark.parametrize("page", PAGES)
def test_tracking_query_changes_nothing(page: str) -> None:
    assert record(page, "canonical") == record(page, "ref-home")


@pytest.mark.parametrize("page", PAGES)
def test_body_html_is_clean_and_keeps_no_byline(page: str) -> None:
    rec = record(page, "canonical")
    html = rec["body_html"]
    assert html and "<script" not in html and "style=" not in html and "onclick" not in html
    if rec["author"]:
        assert rec["author"] not in html
    if rec["subtitle"]:
        assert rec["subtitle"] not in rec["body"]
