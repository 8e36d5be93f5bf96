"""Helpers of the crawl-state tests: a schema-shaped record, a Python child process and its output."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from helpers import REPO


def make_record(number: int, body: str = "Nội dung bài viết.", *, published: str | None = "2020-01-01T08:00:00+07:00",
                category: str | None = "Tin hoạt động", site: str = "danvan",
                fetched_at: str = "2026-11-27T09:00:00Z") -> dict[str, Any]:
    """A schema-shaped record; ``content_sha256`` follows ``body`` like the real extractor's."""
    return {
        "schema_version": 1,
        "id": f"{site}:{number}",
        "url": f"https://danvan.example.gov.vn/tin-hoat-dong/bai-{number}.html",
        "site": site,
        "category": category,
        "title": f"Bài số {number}",
        "subtitle": None,
        "published": published,
        "published_raw": None,
        "author": None,
        "source": None,
        "body": body,
        "images": [],
        "attachments": [],
        "language": "vi",
        "word_count": len(body.split()),
        "content_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "fetched_at": fetched_at,
        "extractor": "danvan/v1",
    }


def start_child(code: str) -> subprocess.Popen[str]:
    """A Python child running ``code`` (dedented) with the repo importable; its stdout is a pipe."""
    preamble = "import sys, time\nsys.path[:0] = [{!r}, {!r}]\n".format(str(REPO), str(REPO / "tests"))
    return subprocess.Popen(
        [sys.executable, "-c", preamble + textwrap.dedent(code)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )


def wait_for_line(process: subprocess.Popen[str], expected: str) -> str:
    """Read the child's stdout up to a line starting with ``expected``; fail if it dies first."""
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(expected):
            return line.strip()
    stderr = process.stderr.read() if process.stderr else ""
    raise AssertionError(f"child ended before printing {expected!r}: {stderr[-2000:]}")


def state_article_count(state: Path) -> int:
    database = state / "state.sqlite"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def kill_when_stored(args: list[str], state: Path, stored_at_least: int) -> int:
    """Start a crawl, SIGKILL it once the state holds ``stored_at_least`` articles; return the count."""
    process = subprocess.Popen([sys.executable, "-m", "dvarchive", *args], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while state_article_count(state) < stored_at_least:
            assert process.poll() is None, "the crawl ended before the kill point"
            assert time.monotonic() < deadline, "kill point never reached"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    return state_article_count(state)
