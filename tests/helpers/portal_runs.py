"""Runs of the ``portal`` spider on a shared crawl state, counted in the replica's request log."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import read_jsonl, replica_get, replica_log, replica_post, run_cli

ARTICLES = 40
STYLES = ["sharepoint", "liferay", "wordpress"]


def truth_urls(base: str) -> set[str]:
    lines = replica_get(base, "/__replica__/truth.jsonl").decode("utf-8").splitlines()
    return {json.loads(line)["url"] for line in lines if line}


def crawl_args(base: str, state: Path, output: Path, stats: Path) -> list[str]:
    return ["crawl", "--start-url", base + "/", "--state", str(state), "--output", str(output), "--stats", str(stats),
            "--delay", "0", "--concurrency", "4", "--no-progress"]


def crawl(base: str, tmp: Path, run: str, *extra: str) -> dict[str, Any]:
    """One run on the shared state; its exit code, records, stats and the site requests it made."""
    replica_post(base, "/__replica__/log/reset")
    output, stats = tmp / f"{run}.jsonl", tmp / f"{run}.stats.json"
    result = run_cli(*crawl_args(base, tmp / "state", output, stats), *extra, timeout=300)
    requests = [e for e in replica_log(base) if not e["path"].startswith("/__replica__/")]
    return {"result": result, "records": read_jsonl(output) if output.exists() else [],
            "log": [e["path"] for e in requests], "requests": requests,
            "stats": json.loads(stats.read_text()) if stats.exists() else {}}


def conditional(entry: dict[str, Any]) -> bool:
    """The logged request carried the validators the crawl kept."""
    names = {name.lower() for name in entry["headers"]}
    return {"if-none-match", "if-modified-since"} <= names
