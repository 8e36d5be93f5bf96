"""Load the evaluation set: ``manifest.json`` lists every page, where its bytes and truth live.

Replica pages live here (``pages/<id>.html`` + ``truth/<id>.json``); the three sample pages are
read from the vendored contract (``tests/contract/``, a byte-for-byte copy of ``shared/``). A page
whose ``expected`` is None is a negative page (a deleted article's 404 answer): the extractor must
refuse it (``NotAnArticle``).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from helpers import CONTRACT

EVAL_DIR = Path(__file__).resolve().parent
MANIFEST = EVAL_DIR / "manifest.json"
FLOORS = EVAL_DIR / "floors.json"
SITE = "danvan"
FETCHED_AT = "2026-11-27T09:53:39Z"
CONTRACT_PREFIX = "contract:"


def resolve(ref: str) -> Path:
    """A manifest file reference: ``contract:site/...`` (in ``tests/contract``) or relative to ``tests/eval``."""
    if ref.startswith(CONTRACT_PREFIX):
        return CONTRACT / ref[len(CONTRACT_PREFIX):]
    return EVAL_DIR / ref


@dataclass(frozen=True)
class Case:
    """One evaluation page: the bytes as served, how it was served, and what it must become."""

    page: str
    kind: str                       # sample | replica | fault | deleted
    url: str                        # the response URL (what a crawler would pass in)
    http_charset: str | None        # the Content-Type charset (None: saved file, no header)
    html: bytes
    expected: dict[str, Any] | None  # None: not an article (the extractor must refuse it)
    variations: tuple[str, ...] = ()
    faults: tuple[str, ...] = ()

    @property
    def is_article(self) -> bool:
        return self.expected is not None


def load_manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def _expected(entry: dict[str, Any]) -> dict[str, Any] | None:
    """A sample's truth is the contract's expected record itself; ours wrap it as ``expected``."""
    data = json.loads(resolve(entry["truth"]).read_text(encoding="utf-8"))
    return data if entry["kind"] == "sample" else data["expected"]


def _case(entry: dict[str, Any]) -> Case:
    return Case(
        page=entry["page"], kind=entry["kind"], url=entry["url"], http_charset=entry.get("http_charset"),
        html=resolve(entry["html"]).read_bytes(), expected=_expected(entry),
        variations=tuple(entry.get("variations", ())), faults=tuple(entry.get("faults", ())),
    )


@cache
def load_cases() -> tuple[Case, ...]:
    """Every page of the set, in manifest order."""
    return tuple(_case(entry) for entry in load_manifest()["pages"])


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extract(case: Case) -> dict[str, Any] | None:
    """dvarchive's record for the page, or None when it refuses the page (``NotAnArticle``)."""
    from dvarchive.pages import NotAnArticle, extract_record

    try:
        return extract_record(case.url, case.html, site=SITE, fetched_at=FETCHED_AT,
                              encoding=case.http_charset)
    except NotAnArticle:
        return None
