#!/usr/bin/env python
"""Requests of recurring generic-discovery crawls (``--state``) on the replica's portal styles.

    python benchmarks/bench_portal_recurring.py [--styles liferay sharepoint wordpress] [--sizes 40 300]

Per style and size, three runs of ``dvarchive crawl --start-url URL --state DIR --delay 0
--discovery generic`` on one replica process (``danvan``: the board's own site, read generically):
run 1 (empty state), run 2 (site unchanged), run 3 (after ``/__replica__/add?n=2``).
Counts come from the replica's request log (``/__replica__/log``, reset before each run): all site
requests, and article pages among them (truth URLs). Prints a Markdown table (docs/performance.md,
"Recurring crawls of portals never seen"); exit 1 when an unchanged run requests an article page.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dvarchive.replica import start_replica_process  # noqa: E402


def admin(base: str, path: str, method: str = "GET") -> bytes:
    request = urllib.request.Request(base + "/__replica__/" + path, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def truth_urls(base: str) -> set[str]:
    return {json.loads(line)["url"] for line in admin(base, "truth.jsonl").decode("utf-8").splitlines() if line}


def run(base: str, state: Path, output: Path) -> tuple[int, int, int, int]:
    """(exit code, site requests, article requests, records exported) of one crawl."""
    admin(base, "log/reset", "POST")
    truth = truth_urls(base)
    result = subprocess.run([sys.executable, "-m", "dvarchive", "crawl", "--start-url", base + "/", "--state", str(state),
                             "--output", str(output), "--delay", "0", "--no-progress", "--discovery", "generic"], cwd=REPO,
                            capture_output=True, text=True, timeout=1800)
    paths = [e["path"] for e in json.loads(admin(base, "log")) if not e["path"].startswith("/__replica__/")]
    records = len(output.read_text(encoding="utf-8").splitlines()) if output.exists() else 0
    return result.returncode, len(paths), sum(1 for p in paths if base + p in truth), records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", nargs="+", default=["liferay", "sharepoint", "wordpress", "danvan"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[40, 300])
    args = parser.parse_args()
    print("| style | articles | run 1: requests (articles) | run 2 unchanged: requests (articles), exported, exit |"
          " run 3 (+2): requests (articles), exported |")
    print("|---|---:|---:|---:|---:|")
    failed = False
    for size in args.sizes:
        for style in args.styles:
            with tempfile.TemporaryDirectory() as tmp, start_replica_process(articles=size, style=style) as replica:
                base, state = replica.base_url, Path(tmp) / "state"
                first = run(base, state, Path(tmp) / "1.jsonl")
                second = run(base, state, Path(tmp) / "2.jsonl")
                admin(base, "add?n=2", "POST")
                third = run(base, state, Path(tmp) / "3.jsonl")
            failed |= second[2] > 0 or second[0] != 0
            print(f"| {style} | {size} | {first[1]} ({first[2]}) | {second[1]} ({second[2]}), {second[3]}, {second[0]} |"
                  f" {third[1]} ({third[2]}), {third[3]} |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
