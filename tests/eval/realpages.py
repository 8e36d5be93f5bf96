"""Scoring on the real pages of ``../shared/realpages`` (issue 12): one module for the benchmark
(``benchmarks/bench_realpages.py``) and the gate (``tests/test_realpages_gate.py``).

The pages are read in place from the shared contract folder (``$DVARCHIVE_SHARED`` or
``../shared`` beside the clone) and never copied into the repository. Each page is extracted
with its own URL; fields are scored as issue 12's table:

* ``record`` — a record came back (no ``NotAnArticle``, no exception);
* ``body_found`` / ``body_leaked`` — ``body_with`` snippets found in the body, ``body_without``
  snippets found in it (whitespace folded, NFC, both sides);
* ``date`` — the calendar day of ``published`` in the site's local time (the truth's explicit
  offset, else ``site_utc_offset``) equals the truth's; ``time`` — also its hour and minute,
  counted only on pages whose truth shows a time of day;
* ``title`` — equal to ``title`` or ``title_alt`` (whitespace folded);
* ``author`` — on pages whose truth names one: the same names (order-free, case-folded, split on
  ``;``/``,``/"and"/"và"); ``author_invented`` — a name where the truth has none;
* ``lead`` — on pages whose truth has one: the same text (case-folded, whitespace and a closing
  ellipsis/full stop ignored).
"""
from __future__ import annotations

import json
import os
import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

EVAL_DIR = Path(__file__).resolve().parent
REPO = EVAL_DIR.parents[1]
FLOORS = EVAL_DIR / "realpages_floors.json"
FETCHED_AT = "2026-03-08T00:00:00+00:00"  # after every page's date: anchors relative dates
FIELDS = ("record", "body_found", "body_leaked", "date", "time", "title", "author",
          "author_invented", "lead")
LOWER_IS_BETTER = frozenset(("body_leaked", "author_invented"))

Record = dict[str, Any]
Extractor = Callable[["Page"], Record | None]


def realpages_dir() -> Path:
    """``$DVARCHIVE_SHARED/realpages`` or ``../shared/realpages`` beside the clone."""
    return Path(os.environ.get("DVARCHIVE_SHARED", REPO.parent / "shared")) / "realpages"


def missing_reason() -> str | None:
    """One line saying why the pages cannot be read, or None when they can."""
    folder = realpages_dir()
    if not (folder / "truth.jsonl").is_file():
        return f"real pages not found at {folder} (set DVARCHIVE_SHARED): real-page scoring skipped"
    return None


@dataclass(frozen=True)
class Page:
    """One real page: its bytes and its hand-made truth."""

    number: int
    truth: dict[str, Any]
    html: bytes

    @property
    def url(self) -> str:
        return self.truth["url"]

    @property
    def language(self) -> str:
        return "vi" if self.truth["language"] == "vi" else "other"

    @property
    def site(self) -> str:
        return self.truth["site"]


def load_pages() -> list[Page]:
    folder = realpages_dir()
    pages = []
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            truth = json.loads(line)
            number = int(re.sub(r"\D", "", Path(truth["file"]).stem))
            pages.append(Page(number, truth, (folder / truth["file"]).read_bytes()))
    return sorted(pages, key=lambda p: p.number)


# --- extractors --------------------------------------------------------------------------------
def dvarchive_record(page: Page) -> Record | None:
    """dvarchive's record, None when it refuses the page."""
    from dvarchive.pages import NotAnArticle, extract_record

    try:
        return extract_record(page.url, page.html, site="real", fetched_at=FETCHED_AT)
    except NotAnArticle:
        return None


def trafilatura_record(page: Page) -> Record | None:
    """trafilatura's ``bare_extraction(with_metadata=True)`` mapped onto our fields."""
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {"title": data.get("title"), "published": data.get("date"), "author": data.get("author"),
            "subtitle": data.get("description"), "body": data.get("text") or ""}


# --- scoring -----------------------------------------------------------------------------------
def fold(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _offset(text: str) -> timezone:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = text[1:].split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _truth_when(truth: dict[str, Any]) -> tuple[str, str | None, timezone]:
    """(day, 'HH:MM' or None, zone) of the truth's ``published``."""
    value = truth["published"]
    zone = _offset(truth["site_utc_offset"])
    if m := re.search(r"([+-]\d\d:\d\d)$", value):
        zone = _offset(m.group(1))
        value = value[: m.start()]
    day, _, clock = value.partition("T")
    return day, clock or None, zone


def _when(value: str | None, zone: timezone) -> tuple[str | None, str | None]:
    """(day, 'HH:MM' or None) of an extracted date in ``zone`` (a date-only value has no time)."""
    if not value:
        return None, None
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return value, None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None, None
    if dt.tzinfo is None:
        return dt.date().isoformat(), dt.strftime("%H:%M")
    local = dt.astimezone(zone)
    return local.date().isoformat(), local.strftime("%H:%M")


_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bvà\b|\bet\b|\by\b)\s*", re.I)


def _names(text: str | None) -> frozenset[str]:
    return frozenset(n.casefold() for n in _NAME_SPLIT.split(fold(text)) if n)


def _lead_form(text: str | None) -> str:
    return fold(text).casefold().rstrip(" .…")


@dataclass
class PageScore:
    """One extractor's result on one page: field -> 1/0 (None when the field does not apply)."""

    number: int
    language: str
    site: str
    seconds: float
    values: dict[str, int | None] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def score_page(page: Page, record: Record | None, seconds: float) -> PageScore:
    truth = page.truth
    result = PageScore(page.number, page.language, page.site, seconds)
    v = result.values
    v["record"] = int(record is not None)
    record = record or {}
    body = fold(record.get("body"))
    found = [s for s in truth["body_with"] if fold(s) in body]
    leaked = [s for s in truth["body_without"] if fold(s) in body]
    v["body_found"], v["body_leaked"] = len(found), len(leaked)
    result.misses += [f"body lacks {s[:50]!r}" for s in truth["body_with"] if s not in found]
    result.misses += [f"body leaks {s[:50]!r}" for s in leaked]
    day, clock, zone = _truth_when(truth)
    got_day, got_clock = _when(record.get("published"), zone)
    v["date"] = int(got_day == day)
    v["time"] = int(got_day == day and got_clock == clock) if clock else None
    if not v["date"] or v["time"] == 0:
        result.misses.append(f"published {record.get('published')!r} != {truth['published']}")
    titles = {fold(truth["title"]), fold(truth.get("title_alt"))} - {""}
    v["title"] = int(fold(record.get("title")) in titles)
    if not v["title"]:
        result.misses.append(f"title {record.get('title')!r}")
    author = record.get("author")
    if truth["author"]:
        v["author"] = int(_names(author) == _names(truth["author"]))
        v["author_invented"] = None
        if not v["author"]:
            result.misses.append(f"author {author!r} != {truth['author']!r}")
    else:
        v["author"] = None
        v["author_invented"] = int(bool(fold(author)))
        if author:
            result.misses.append(f"author invented {author!r}")
    if truth["lead"]:
        v["lead"] = int(_lead_form(record.get("subtitle")) == _lead_form(truth["lead"]))
        if not v["lead"]:
            result.misses.append(f"lead {str(record.get('subtitle'))[:60]!r}")
    else:
        v["lead"] = None
    return result


def run(extractor: Extractor, pages: Iterable[Page]) -> list[PageScore]:
    """Score ``extractor`` on every page; an exception is scored as no record (and named)."""
    scores = []
    for page in pages:
        start = time.perf_counter()
        error = None
        try:
            record = extractor(page)
        except Exception as exc:  # noqa: BLE001 - a crash is a result here, reported per page
            record, error = None, f"crashed: {type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - start
        score = score_page(page, record, elapsed)
        if error:
            score.misses.insert(0, error)
        scores.append(score)
    return scores


def totals(scores: list[PageScore], language: str | None = None) -> dict[str, tuple[int, int]]:
    """field -> (sum, pages where it applies); body fields count snippets."""
    chosen = [s for s in scores if language in (None, s.language)]
    out: dict[str, tuple[int, int]] = {}
    for name in FIELDS:
        applicable = [s.values[name] for s in chosen if s.values.get(name) is not None]
        out[name] = (sum(applicable), len(applicable))
    return out


def snippet_counts(pages: list[Page], language: str | None = None) -> dict[str, int]:
    chosen = [p for p in pages if language in (None, p.language)]
    return {"body_found": sum(len(p.truth["body_with"]) for p in chosen),
            "body_leaked": sum(len(p.truth["body_without"]) for p in chosen)}


def median_seconds(scores: list[PageScore]) -> float:
    return statistics.median(s.seconds for s in scores) if scores else 0.0


def load_floors(path: Path = FLOORS) -> dict[str, int]:
    return json.loads(path.read_text(encoding="utf-8"))["floors"]


def floor_met(name: str, measured: int, bound: int) -> bool:
    return measured <= bound if name in LOWER_IS_BETTER else measured >= bound
