"""Score extracted records against the evaluation set's truth; pinned floors and their rules.

Shared by ``tests/test_quality_gate.py`` (the gate), ``benchmarks/eval_extraction.py`` (report,
floor updates) and ``benchmarks/bench_extraction.py`` (dvarchive beside trafilatura).

* every field but the body: exact match (``id`` compares the part after a record id's colon);
* body: token F1 — whitespace tokens, multiset overlap — plus a count of bodies holding site
  chrome (:func:`dvarchive.pages.chrome.find_chrome`);
* negative pages (a deleted article's 404 answer): the extractor must refuse them;
* no body or body_html may carry anything executable (the replica's XSS vectors).
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html

from dvarchive.pages.chrome import find_chrome

FIELDS: tuple[str, ...] = ("id", "url", "title", "subtitle", "published", "modified", "author", "source",
                           "category", "images", "attachments")
"""Fields scored by exact match (the body is scored by token F1)."""

Record = Mapping[str, Any]

UNSAFE_TAGS = frozenset("""script iframe frame frameset object embed applet svg math style form input button
    meta link base""".split())
URL_ATTRIBUTES = frozenset("href src background action formaction data poster codebase cite longdesc".split())
SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|/|#|\?|\.|[^:]*$)", re.I)
VECTOR_TEXT = re.compile(r"alert\s*\(|<\s*script|javascript\s*:|document\.cookie|onerror\s*=", re.I)
RAW_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)   # also on tags a fragment parse drops (<body>)
SCRIPT_IN_VALUE = ("javascript:", "vbscript:", "expression(")


def unsafe_markup(body: str | None, body_html: str | None) -> list[str]:
    """What could run code: vector text left in the body, and in body_html script-like elements,
    ``on*`` handlers and URLs with a scheme other than http(s)/mailto/tel."""
    found = {f"text {m.group(0)!r}" for m in VECTOR_TEXT.finditer(body or "")}
    found |= {f"handler {m.group(0)[:40]!r}" for m in RAW_HANDLER.finditer(body_html or "")}
    if body_html and body_html.strip():
        for el in lxml.html.fragments_fromstring(f"<div>{body_html}</div>")[0].iter():
            found |= _unsafe_element(el)
    return sorted(found)


def _unsafe_element(el: Any) -> set[str]:
    if not isinstance(el.tag, str):
        return set()
    found = {f"<{el.tag}>"} if el.tag.lower() in UNSAFE_TAGS else set()
    for name, value in el.attrib.items():
        compact = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
        if name.lower().startswith("on") or any(bad in compact.lower() for bad in SCRIPT_IN_VALUE):
            found.add(f"{el.tag}@{name}")
        elif name.lower() in URL_ATTRIBUTES and not SAFE_URL.match(compact):
            found.add(f"{el.tag}@{name}={compact[:40]}")
    return found


@dataclass(frozen=True)
class Bound:
    """A metric's limit: ``kind`` 'min' (a floor) or 'max' (a ceiling)."""

    kind: str
    value: float

    def met(self, measured: float) -> bool:
        return measured >= self.value if self.kind == "min" else measured <= self.value

    def looser_than(self, other: Bound) -> bool:
        """True when this bound accepts strictly more than ``other``."""
        return self.value < other.value if self.kind == "min" else self.value > other.value

    def as_json(self) -> dict[str, float]:
        return {self.kind: self.value}


ACCEPTANCE: dict[str, Bound] = {
    **{name: Bound("min", 0.99) for name in FIELDS},
    "body_f1_mean": Bound("min", 0.995),
    "body_f1_min": Bound("min", 0.0),
    "chrome_bodies": Bound("max", 0),
    "unsafe_body_html": Bound("max", 0),
    "not_article": Bound("min", 1.0),
}
"""The issue's acceptance floors: no pinned floor may ever be looser than these."""


@dataclass(frozen=True)
class Failure:
    """One wrong field of one page."""

    page: str
    field: str
    expected: Any
    got: Any

    def describe(self, width: int = 160) -> str:
        return f"{self.page} {self.field}: expected {short(self.expected, width)} got {short(self.got, width)}"


def short(value: Any, width: int) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 1] + "…"


def tokens(text: str | None) -> list[str]:
    return (text or "").split()


def token_f1(expected: str | None, got: str | None) -> float:
    """F1 of the whitespace-token multisets; 1.0 when both are empty."""
    want, have = Counter(tokens(expected)), Counter(tokens(got))
    total = sum(want.values()) + sum(have.values())
    if total == 0:
        return 1.0
    overlap = sum((want & have).values())
    return 2 * overlap / total


def body_diff(expected: str | None, got: str | None, width: int = 100) -> str:
    """The first paragraph only one side has, for a failure message."""
    want, have = (expected or "").split("\n\n"), (got or "").split("\n\n")
    extra = next((p for p in have if p not in want), None)
    missing = next((p for p in want if p not in have), None)
    parts = [f"{label} {short(text, width)}" for label, text in (("extra", extra), ("missing", missing)) if text]
    return "; ".join(parts)


def field_value(record: Record, name: str) -> Any:
    """A record's value for a scored field (``id``: the site's id after the colon)."""
    value = record.get(name)
    if name == "id" and value is not None:
        return str(value).rsplit(":", 1)[-1]
    return value


def date_part(value: Any) -> str | None:
    """'2018-02-28T09:21:00+07:00' -> '2018-02-28' (the local calendar date as written)."""
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


@dataclass
class Report:
    """Scores of one extractor over the set."""

    articles: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    body_f1: dict[str, float] = field(default_factory=dict)
    chrome: dict[str, list[str]] = field(default_factory=dict)
    body_notes: dict[str, str] = field(default_factory=dict)
    unsafe: dict[str, list[str]] = field(default_factory=dict)
    negatives: int = 0
    rejected: int = 0
    failures: list[Failure] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.articles if self.articles else 1.0

    def metrics(self) -> dict[str, float]:
        """Every metric: gated ones (see ACCEPTANCE) and informative ones (body_exact, published_date)."""
        f1 = list(self.body_f1.values()) or [1.0]
        found = {name: self.accuracy(name) for name in FIELDS}
        found |= {
            "body_f1_mean": sum(f1) / len(f1), "body_f1_min": min(f1),
            "chrome_bodies": len(self.chrome), "unsafe_body_html": len(self.unsafe),
            "not_article": self.rejected / self.negatives if self.negatives else 1.0,
            "body_exact": self.accuracy("body"), "published_date": self.accuracy("published_date"),
        }
        return found

    def worst(self, metric: str, limit: int = 5) -> list[str]:
        """Lines naming the pages that pull ``metric`` down, worst first."""
        if metric.startswith("body_f1"):
            ranked = sorted(self.body_f1.items(), key=lambda item: item[1])
            return [f"{page} body F1 {f1:.4f}: {self.body_notes.get(page, '')}"
                    for page, f1 in ranked[:limit] if f1 < 1.0]
        if metric == "chrome_bodies":
            return [f"{page} body holds chrome {labels}" for page, labels in list(self.chrome.items())[:limit]]
        if metric == "unsafe_body_html":
            return [f"{page} executable markup {found}" for page, found in list(self.unsafe.items())[:limit]]
        return [f.describe() for f in self.failures if f.field == metric][:limit]


def _score_article(report: Report, page: str, expected: Record, record: Record | None) -> None:
    report.articles += 1
    got: Record = record if record is not None else {}
    for name in (*FIELDS, "body"):
        want, have = expected.get(name), field_value(got, name) if record is not None else "NotAnArticle"
        if want == have:
            report.correct[name] += 1
        elif name != "body":
            report.failures.append(Failure(page, name, want, have))
    if record is not None and date_part(expected.get("published")) == date_part(got.get("published")):
        report.correct["published_date"] += 1
    body = got.get("body") if record is not None else None
    report.body_f1[page] = token_f1(expected.get("body"), body)
    if body != expected.get("body"):
        report.body_notes[page] = body_diff(expected.get("body"), body)
    if labels := find_chrome(body):
        report.chrome[page] = labels
    if unsafe := unsafe_markup(body, got.get("body_html")):
        report.unsafe[page] = unsafe


def _score_negative(report: Report, page: str, record: Record | None) -> None:
    report.negatives += 1
    if record is None:
        report.rejected += 1
    else:
        report.failures.append(Failure(page, "not_article", "NotAnArticle", record.get("title")))


def score(pages: Iterable[tuple[str, Record | None, Record | None]]) -> Report:
    """Score ``(page, expected, record)`` triples; ``expected`` None marks a negative page and
    ``record`` None an extractor that refused the page."""
    report = Report()
    for page, expected, record in pages:
        if expected is None:
            _score_negative(report, page, record)
        else:
            _score_article(report, page, expected, record)
    return report


# --- floors --------------------------------------------------------------------------------------
def load_floors(path: Path) -> dict[str, Bound]:
    data = json.loads(path.read_text(encoding="utf-8"))["floors"]
    return {name: Bound(*next(iter(limit.items()))) for name, limit in data.items()}


def misses(metrics: Mapping[str, float], floors: Mapping[str, Bound]) -> list[str]:
    """One line per floor the measured metrics miss."""
    return [f"{name}: measured {metrics[name]:.4f}, floor {bound.kind} {bound.value}"
            for name, bound in floors.items() if not bound.met(metrics[name])]


def round_down(value: float, places: int = 3) -> float:
    """Truncate towards the floor side (a tiny epsilon absorbs binary fractions like 0.995)."""
    scale = 10 ** places
    return math.floor(value * scale + 1e-9) / scale


def pinned(metrics: Mapping[str, float]) -> dict[str, Bound]:
    """Floors pinned at the measured values (3 decimals, rounded towards passing), never looser
    than the acceptance floors."""
    found: dict[str, Bound] = {}
    for name, accept in ACCEPTANCE.items():
        measured = metrics[name]
        if accept.kind == "min":
            found[name] = Bound("min", max(accept.value, round_down(measured)))
        else:
            found[name] = Bound("max", min(accept.value, math.ceil(measured)))
    return found


def lowered(current: Mapping[str, Bound], proposed: Mapping[str, Bound]) -> list[str]:
    """Floors that ``proposed`` would loosen compared with ``current``."""
    return [f"{name}: {current[name].kind} {current[name].value} -> {bound.value}"
            for name, bound in proposed.items() if name in current and bound.looser_than(current[name])]


def floors_text(floors: Mapping[str, Bound]) -> str:
    """floors.json's text: a comment, then one metric per line."""
    comment = ("Pinned quality floors of the extraction evaluation set (tests/eval). Raise with "
               "`python benchmarks/eval_extraction.py --update-floors`; lowering any floor needs "
               "--allow-lower. Never below the acceptance floors in tests/eval/scoring.py.")
    lines = ",\n".join(f"  {json.dumps(name)}: {json.dumps(bound.as_json())}" for name, bound in floors.items())
    return "{\n \"_comment\": " + json.dumps(comment) + ",\n \"floors\": {\n" + lines + "\n }\n}\n"
