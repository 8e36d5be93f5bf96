#!/usr/bin/env python
"""How fast the bundled replica starts and answers (the numbers the tests used to assert).

    python benchmarks/bench_replica.py [--articles 20000] [--repeat 3] [--no-doc]

Measured, best of ``--repeat`` runs each (the least noisy estimate on a shared machine):

- ``build_site(N)`` and the cost of rendering one article page (after one warming render);
- a replica *process* of N articles: time to READY (listing indexes are built before READY) and the
  first request of a deep listing page, an RSS feed and an article (nothing is pre-rendered);
- one request to a page without traps (the tests check there is no planned delay; this is what it
  costs on the wire).

The targets are the ones the suite once asserted with a wall clock (and flaked under load): build
< 3 s, render < 50 ms a page, READY < 6 s, any first request < 0.5 s, an untrapped page < 0.15 s.
Prints a Markdown report and writes it to docs/replica-benchmark.md (unless ``--no-doc``); exit 1
when a target is missed.
"""
from __future__ import annotations

import argparse
import http.client
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from machine import cpu_model  # benchmarks/machine.py (scripts run from benchmarks/)

from dvarchive.replica import ReplicaServer, build_site, start_replica_process  # noqa: E402

DOC = REPO / "docs" / "replica-benchmark.md"
BASE = "http://replica.test:8080"
DEEP_PATHS = ("/", "/tin-hoat-dong/?trang=500", "/van-ban/?trang=3", "/rss/dan-van-kheo.rss",
              "/guong-dien-hinh/?trang=200")
TARGETS = {"build_site": 3.0, "render article": 0.05, "process READY": 6.0, "first request (worst)": 0.5,
           "untrapped page": 0.15}


def best_of(repeat: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(repeat))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def get(base_url: str, path: str) -> int:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def render_cost(articles: int) -> tuple[float, float]:
    """(seconds to build the site, seconds per rendered article page after a warming render)."""
    started = time.perf_counter()
    site = build_site(articles)
    built = time.perf_counter() - started
    ids = site.live_article_ids()
    site.render_article_html(ids[0], BASE)
    sample = ids[::max(1, len(ids) // 10)]
    return built, timed(lambda: [site.render_article_html(i, BASE) for i in sample]) / len(sample)


def process_cost(articles: int) -> tuple[float, float]:
    """(seconds to READY, worst first-request seconds over deep pages and one article)."""
    started = time.perf_counter()
    with start_replica_process(articles=articles, extra_args=["--no-traps"]) as replica:
        ready = time.perf_counter() - started
        worst = max(timed(lambda p=path: get(replica.base_url, p)) for path in DEEP_PATHS)
        site = build_site(articles)
        article = site.article(site.live_article_ids()[len(site.live_article_ids()) // 2]).canonical_path
        worst = max(worst, timed(lambda: get(replica.base_url, article)))
    return ready, worst


def untrapped_cost() -> float:
    """Seconds for one request to a page that has a trap when traps are on (they are off here)."""
    site = build_site(300)
    slow = next(a for a in site.all_articles() if a.trap == "slow").canonical_path
    with ReplicaServer(site, traps=False) as server:
        return timed(lambda: get(server.base_url, slow))


def measure(articles: int, repeat: int) -> dict[str, float]:
    renders = [render_cost(articles) for _ in range(repeat)]
    processes = [process_cost(articles) for _ in range(repeat)]
    return {
        "build_site": min(b for b, _ in renders), "render article": min(r for _, r in renders),
        "process READY": min(r for r, _ in processes), "first request (worst)": min(w for _, w in processes),
        "untrapped page": best_of(repeat, untrapped_cost),
    }


def markdown(results: dict[str, float], articles: int, repeat: int) -> str:
    try:
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "n/a"
    lines = [
        "# Replica benchmark",
        "",
        f"- Machine: {cpu_model()}, {platform.system()} {platform.machine()}, {os.cpu_count() or 1} CPUs; "
        f"Python {platform.python_version()}; load average at the end: {load}",
        f"- Generated {datetime.now().strftime('%Y-%m-%d %H:%M')} by `python benchmarks/bench_replica.py "
        f"--articles {articles} --repeat {repeat}`; best of {repeat} runs each.",
        "",
        "| measure | ms | target (ms) | met |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, seconds in results.items():
        met = "yes" if seconds < TARGETS[name] else "NO"
        lines.append(f"| {name} | {seconds * 1000:.1f} | < {TARGETS[name] * 1000:g} | {met} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true", help="print only; do not rewrite the doc")
    args = parser.parse_args()
    results = measure(args.articles, args.repeat)
    report = markdown(results, args.articles, args.repeat)
    print(report, end="")
    if not args.no_doc:
        DOC.write_text(report, encoding="utf-8")
    return 0 if all(results[name] < target for name, target in TARGETS.items()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
