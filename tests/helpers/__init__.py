"""Helpers shared by the test modules (conftest.py keeps only fixtures).

``tests/`` is on ``sys.path`` (pytest's ``pythonpath``), so test modules write ``from helpers import
run_cli``; the replica's and the crawl state's helpers live in ``helpers.replica`` and ``helpers.state``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "tests" / "contract"
"""The vendored copy of the contract folder (``site/``, ``seed/``): what every test reads."""


def shared_dir() -> Path:
    """The original, read-only contract folder: beside the clone, or ``$DVARCHIVE_SHARED``.

    Only the check that the vendored copy is current reads it; it may be absent.
    """
    return Path(os.environ.get("DVARCHIVE_SHARED", REPO.parent / "shared"))


def run_cli(*args: str, timeout: float = 600, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m dvarchive ARGS`` in a real subprocess and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "dvarchive", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or REPO,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every line parsed; fails loudly on a partial or invalid line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def replica_get(base_url: str, path: str) -> bytes:
    with urllib.request.urlopen(base_url + path, timeout=30) as response:
        return response.read()


def replica_post(base_url: str, path: str) -> bytes:
    request = urllib.request.Request(base_url + path, data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def replica_truth(base_url: str) -> dict[str, dict[str, Any]]:
    lines = replica_get(base_url, "/__replica__/truth.jsonl").decode("utf-8").splitlines()
    return {str(record["id"]): record for record in map(json.loads, filter(None, lines))}


def replica_log(base_url: str) -> list[dict[str, Any]]:
    return json.loads(replica_get(base_url, "/__replica__/log"))


def doc_snippets(path: Path, language: str) -> list[str]:
    """The fenced ```language blocks of a Markdown file, exactly as a reader copies them."""
    import re

    return re.findall(rf"^```{re.escape(language)}\n(.*?)^```$", path.read_text(encoding="utf-8"), re.M | re.S)
