#!/usr/bin/env python
"""The extractor's evaluation set: regenerate it, score dvarchive on it, pin its quality floors.

    python benchmarks/eval_extraction.py                      # score; exit 1 when a floor is missed
    python benchmarks/eval_extraction.py --regenerate-set     # rebuild tests/eval/{pages,truth,manifest.json}
    python benchmarks/eval_extraction.py --update-floors      # raise tests/eval/floors.json to the measured values
    python benchmarks/eval_extraction.py --update-floors --allow-lower   # ... even when that lowers a floor

The set (see docs/quality.md): the three sample pages (the vendored contract, tests/contract), replica articles
chosen greedily until every entry of ``dvarchive.replica.VARIATIONS`` is covered by several pages,
the fault-variant pages (windows-1258 bytes, malformed HTML, XSS-planted) and a few deleted
articles' 404 pages. Replica bytes are produced by the replica's own request handler
(``ReplicaApp.handle``, exactly what ``ReplicaServer`` writes to the socket — checked against a
live server on every regeneration) and saved, so the gate never depends on the generator staying
byte-stable. Regeneration is deterministic.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for _path in (REPO, REPO / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from eval import evalset, scoring  # noqa: E402  (tests/eval, importable once tests/ is on the path)

from dvarchive.replica import DEFAULT_SEED, VARIATIONS, ReplicaServer, ReplicaSite, build_site  # noqa: E402
from dvarchive.replica.app import ReplicaApp, Reply  # noqa: E402

N_ARTICLES = 300
SEED = DEFAULT_SEED
BASE_URL = "https://danvan.example.gov.vn"
SAMPLES = ("1234", "987", "1240")
REPLICA_PAGES = 50              # plain replica articles (fault and deleted pages come on top)
MIN_PER_VARIATION = 4           # every variation on at least this many pages
DELETED_PAGES = 3
ARTICLE_FAULTS = ("cp1258", "malformed", "xss")
PAGES_DIR = evalset.EVAL_DIR / "pages"
TRUTH_DIR = evalset.EVAL_DIR / "truth"


# --- selection -------------------------------------------------------------------------------------
def fault_articles(site: ReplicaSite) -> list[tuple[int, str]]:
    """(article id, fault) of every article-level fault variant the replica serves."""
    plan = site.fault_plan
    found = [(plan.cp1258, "cp1258"), (plan.malformed, "malformed"), *((i, "xss") for i in plan.xss)]
    return [(article_id, fault) for article_id, fault in found if article_id is not None]


def _pick(pool: dict[int, set[str]], counts: Counter[str], target: int) -> int | None:
    """The article covering most variations still under ``target`` (oldest id on ties)."""
    need = {name for name in VARIATIONS if counts[name] < target}
    best = max(pool, key=lambda i: (len(pool[i] & need), -i), default=None)
    return best if best is not None and pool[best] & need else None


def select_articles(site: ReplicaSite, exclude: set[int]) -> list[int]:
    """Greedy cover: first every variation on MIN_PER_VARIATION pages, then deeper, to REPLICA_PAGES."""
    pool = {i: site.variations(i) for i in site.live_article_ids() if i not in exclude}
    counts: Counter[str] = Counter({"deleted": MIN_PER_VARIATION * 99})   # covered by 404 pages
    chosen: list[int] = []
    target = MIN_PER_VARIATION
    while True:
        best = _pick(pool, counts, target)
        if best is None:
            if target == MIN_PER_VARIATION and any(counts[v] < target for v in VARIATIONS):
                raise SystemExit(f"the replica cannot cover every variation {target} times: {counts}")
            if len(chosen) >= REPLICA_PAGES or not pool:
                return chosen
            target += 1
            continue
        if target > MIN_PER_VARIATION and len(chosen) >= REPLICA_PAGES:
            return chosen
        chosen.append(best)
        counts.update(pool.pop(best))


# --- rendering -------------------------------------------------------------------------------------
@dataclass
class Page:
    """One page to save: served bytes, how they were served, and the truth."""

    page: str
    kind: str
    article_id: int
    path: str
    faults: tuple[str, ...] = ()
    variations: list[str] = field(default_factory=list)
    reply: Reply | None = None
    expected: dict[str, Any] | None = None

    @property
    def charset(self) -> str | None:
        content_type = self.reply.content_type if self.reply else None
        if content_type and "charset=" in content_type:
            return content_type.split("charset=", 1)[1].strip()
        return None


def response_path(site: ReplicaSite, article_id: int) -> str:
    """Where a crawler meets the page: an article listed in two categories under its *other* one
    (the canonical link must win), every other article at its canonical path."""
    article = site.article(article_id)
    return article.path_in(article.extra_category or article.category)


def plan_pages(site: ReplicaSite) -> list[Page]:
    faults = fault_articles(site)
    pages = [Page(str(i), "replica", i, response_path(site, i), variations=sorted(site.variations(i)))
             for i in select_articles(site, {i for i, _ in faults})]
    pages += [Page(f"{i}-{fault}", "fault", i, site.article(i).canonical_path, (fault,), sorted(site.variations(i)))
              for i, fault in faults]
    pages += [Page(f"{i}-deleted", "deleted", i, site.article(i).canonical_path, variations=["deleted"])
              for i in site.deleted_article_ids()[:DELETED_PAGES]]
    return pages


def render(site: ReplicaSite, pages: list[Page]) -> None:
    """Fill each page's reply (the bytes the server sends) and truth."""
    plain = ReplicaApp(site, traps=False)
    faulty = ReplicaApp(site, faults=frozenset(ARTICLE_FAULTS), traps=False)
    for page in pages:
        app = faulty if page.faults else plain
        page.reply = app.handle("GET", page.path, {}, BASE_URL)
        expected_status = 404 if page.kind == "deleted" else 200
        if page.reply.status != expected_status:
            raise SystemExit(f"{page.page}: {page.path} answered {page.reply.status}")
        if page.kind != "deleted":
            page.expected = site.truth(page.article_id, BASE_URL)


def _fetch(url: str) -> tuple[int, bytes, str | None]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type")


def check_against_server(site: ReplicaSite, pages: list[Page]) -> None:
    """Every page, fetched from a live ReplicaServer, equals what its handler renders there."""
    plain = ReplicaApp(site, traps=False)
    faulty = ReplicaApp(site, faults=frozenset(ARTICLE_FAULTS), traps=False)
    with ReplicaServer(site, faults=ARTICLE_FAULTS, traps=False) as server:
        for page in pages:
            got = _fetch(server.base_url + page.path)
            app = faulty if page.faults or page.kind == "deleted" else plain
            reply = app.handle("GET", page.path, {}, server.base_url)
            if got != (reply.status, reply.body, reply.content_type):
                raise SystemExit(f"{page.page}: the live server's answer differs from the handler's")


# --- writing ---------------------------------------------------------------------------------------
def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def sample_entries() -> list[dict[str, Any]]:
    entries = []
    for sample in SAMPLES:
        html = f"{evalset.CONTRACT_PREFIX}site/pages/article-{sample}.html"
        truth = f"{evalset.CONTRACT_PREFIX}site/expected/article-{sample}.json"
        expected = json.loads(evalset.resolve(truth).read_text(encoding="utf-8"))
        entries.append({
            "page": f"article-{sample}", "kind": "sample", "url": expected["url"], "http_charset": None,
            "status": 200, "html": html, "truth": truth,
            "sha256": evalset.sha256_file(evalset.resolve(html)), "variations": [], "faults": [],
        })
    return entries


def write_page(page: Page) -> dict[str, Any]:
    assert page.reply is not None
    html, truth = f"pages/{page.page}.html", f"truth/{page.page}.json"
    (evalset.EVAL_DIR / html).write_bytes(page.reply.body)
    (evalset.EVAL_DIR / truth).write_text(_dump({
        "page": page.page, "article_id": page.article_id, "status": page.reply.status,
        "expected": page.expected}), encoding="utf-8")
    return {
        "page": page.page, "kind": page.kind, "url": BASE_URL + page.path, "http_charset": page.charset,
        "status": page.reply.status, "content_type": page.reply.content_type, "html": html, "truth": truth,
        "sha256": evalset.sha256_file(evalset.EVAL_DIR / html), "variations": page.variations,
        "faults": list(page.faults),
    }


def coverage(entries: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(v for entry in entries for v in entry["variations"])
    return {name: counts[name] for name in sorted(VARIATIONS)}


def regenerate_set() -> int:
    site = build_site(N_ARTICLES, SEED)
    pages = plan_pages(site)
    render(site, pages)
    check_against_server(site, pages)
    for directory in (PAGES_DIR, TRUTH_DIR):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    entries = sample_entries() + [write_page(page) for page in pages]
    counts = coverage(entries)
    manifest = {
        "_comment": "Generated by `python benchmarks/eval_extraction.py --regenerate-set`; do not edit.",
        "replica": {"n_articles": N_ARTICLES, "seed": SEED, "base_url": BASE_URL,
                    "min_per_variation": MIN_PER_VARIATION},
        "coverage": counts,
        "pages": entries,
    }
    evalset.MANIFEST.write_text(_dump(manifest), encoding="utf-8")
    kinds = Counter(entry["kind"] for entry in entries)
    print(f"wrote {len(entries)} pages ({dict(kinds)}) to {evalset.EVAL_DIR.relative_to(REPO)}")
    print("coverage:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


# --- scoring and floors ----------------------------------------------------------------------------
def score_dvarchive() -> scoring.Report:
    return scoring.score((case.page, case.expected, evalset.extract(case)) for case in evalset.load_cases())


def print_report(report: scoring.Report, floors: dict[str, scoring.Bound]) -> None:
    metrics = report.metrics()
    print(f"{report.articles} article pages, {report.negatives} negative pages")
    for name, value in metrics.items():
        bound = floors.get(name)
        limit = f"{bound.kind} {bound.value}" if bound else "(not gated)"
        flag = "" if bound is None or bound.met(value) else "   <-- MISSED"
        print(f"  {name:17} {value:10.4f}   {limit}{flag}")
    for failure in report.failures:
        print("  FAIL", failure.describe(240))
    for line in report.worst("body_f1", limit=10):
        print("  LOW ", line)


def update_floors(metrics: dict[str, float], allow_lower: bool) -> int:
    proposed = scoring.pinned(metrics)
    current = scoring.load_floors(evalset.FLOORS) if evalset.FLOORS.exists() else {}
    if (lower := scoring.lowered(current, proposed)) and not allow_lower:
        print("refusing to lower floors (pass --allow-lower to do it anyway):", *lower, sep="\n  ")
        return 1
    evalset.FLOORS.write_text(scoring.floors_text(proposed), encoding="utf-8")
    print(f"wrote {evalset.FLOORS.relative_to(REPO)}:",
          ", ".join(f"{k} {b.kind} {b.value}" for k, b in proposed.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate-set", action="store_true", help="rebuild the saved evaluation pages")
    parser.add_argument("--update-floors", action="store_true", help="pin floors.json at the measured values")
    parser.add_argument("--allow-lower", action="store_true", help="let --update-floors lower a floor")
    parser.add_argument("--json", type=Path, help="also write metrics and failures to this file")
    args = parser.parse_args(argv)
    if args.regenerate_set:
        return regenerate_set()
    report = score_dvarchive()
    floors = scoring.load_floors(evalset.FLOORS) if evalset.FLOORS.exists() else {}
    print_report(report, floors)
    if args.json:
        args.json.write_text(_dump({"metrics": report.metrics(), "failures": [
            vars(f) for f in report.failures], "body_f1": report.body_f1}), encoding="utf-8")
    if args.update_floors:
        return update_floors(report.metrics(), args.allow_lower)
    return 1 if scoring.misses(report.metrics(), floors) else 0


if __name__ == "__main__":
    sys.exit(main())
