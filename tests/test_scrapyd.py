"""Scheduling with Scrapyd: deploy the project as an egg to a real Scrapyd on 127.0.0.1,
schedule the `articles` spider against the replica, and find every live article exactly once
in the job's items feed (issue: scheduled crawls; see docs/scheduling.md).

The egg is built by scrapyd-client's builder (what `scrapyd-deploy` runs: `setup.py bdist_egg`)
from a copy of the checkout's project files whose scrapy.cfg points at this test's Scrapyd; the
egg carries the `scrapy` entry point (pyproject.toml) naming the settings module. Nothing is
written into the checkout.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO, doc_snippets, read_jsonl, replica_truth, run_cli

pytestmark = pytest.mark.e2e  # real subprocesses end to end: `-m 'not e2e'` for a quick run

PROJECT = "dvarchive"
FAST = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
JOB_TIMEOUT = 300.0

SCRAPYD_TEST_OPTIONS = "poll_interval = 0.5\nmax_proc     = 2\n"


def scrapyd_conf(port: int, root: Path) -> str:
    """docs/scheduling.md's scrapyd.conf as printed, with this test's folders and port."""
    [conf] = [s for s in doc_snippets(REPO / "docs" / "scheduling.md", "ini") if s.startswith("[scrapyd]")]
    conf = conf.replace("/var/lib/scrapyd", str(root))
    conf, replaced = re.subn(r"^http_port\s*=.*$", f"http_port = {port}", conf, flags=re.M)
    assert replaced == 1
    return conf + SCRAPYD_TEST_OPTIONS


@dataclass
class Scrapyd:
    url: str
    root: Path

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}/{endpoint}{query}", timeout=30) as response:
            return json.loads(response.read())

    def post(self, endpoint: str, fields: list[tuple[str, str]], files: dict[str, Path] | None = None) -> dict[str, Any]:
        body, content_type = encode_form(fields, files or {})
        request = urllib.request.Request(f"{self.url}/{endpoint}", data=body, method="POST",
                                         headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert answer.get("status") == "ok", answer
        return answer


def encode_form(fields: list[tuple[str, str]], files: dict[str, Path]) -> tuple[bytes, str]:
    """multipart/form-data (repeated fields allowed: Scrapyd takes several `setting=`)."""
    boundary = f"dvarchive-{os.getpid()}-{time.monotonic_ns()}"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields]
    for name, path in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{path.name}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + path.read_bytes() + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_scrapyd(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    (root / "scrapyd.conf").write_text(scrapyd_conf(port, root), encoding="utf-8")
    # HOME inside root: a ~/.scrapyd.conf of the machine must not override the test's config.
    env = {**os.environ, "HOME": str(root), "PYTHONUNBUFFERED": "1"}
    with (root / "scrapyd.out").open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=root, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    return process, f"http://127.0.0.1:{port}"


def wait_until_up(process: subprocess.Popen[bytes], url: str, root: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"scrapyd exited {process.returncode}: {tail(root / 'scrapyd.out')}")
        try:
            with urllib.request.urlopen(f"{url}/daemonstatus.json", timeout=5) as response:
                if json.loads(response.read()).get("status") == "ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"scrapyd did not answer within {timeout:.0f} s: {tail(root / 'scrapyd.out')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM Scrapyd's process group (it and the crawls it spawned), SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # any crawl child still in the group
    except ProcessLookupError:
        pass
    process.wait(timeout=15)


def tail(path: Path, size: int = 3000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-size:] if path.exists() else f"({path} missing)"


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    root = tmp_path_factory.mktemp("scrapyd")
    process, url = start_scrapyd(root)
    try:
        wait_until_up(process, url, root)
        yield Scrapyd(url=url, root=root)
    finally:
        stop(process)


# --- the egg ----------------------------------------------------------------------------------------
def stage_project(stage: Path, scrapyd_url: str) -> None:
    """The checkout's project files, with a scrapy.cfg whose deploy target is this test's Scrapyd."""
    shutil.copytree(REPO / "dvarchive", stage / "dvarchive",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(REPO / name, stage / name)
    (stage / "scrapy.cfg").write_text(
        f"[settings]\ndefault = dvarchive.settings\n\n[deploy]\nurl = {scrapyd_url}/\nproject = {PROJECT}\n",
        encoding="utf-8",
    )


def build_egg(stage: Path) -> Path:
    """scrapyd-client's egg builder (`scrapyd-deploy --build-egg`)."""
    egg = stage / "dvarchive.egg"
    result = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "--build-egg", str(egg)],
                            cwd=stage, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and egg.is_file(), result.stderr[-3000:]
    return egg


@pytest.fixture(scope="module")
def deployed(scrapyd: Scrapyd, tmp_path_factory: pytest.TempPathFactory) -> Scrapyd:
    stage = tmp_path_factory.mktemp("stage")
    stage_project(stage, scrapyd.url)
    egg = build_egg(stage)
    import zipfile

    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert "dvarchive/schema/article.schema.json" in names  # package data travels in the egg
    assert "settings = dvarchive.settings" in entry_points
    version = f"0.1.0-{int(time.time())}"
    answer = scrapyd.post("addversion.json", [("project", PROJECT), ("version", version)], {"egg": egg})
    assert answer["spiders"] >= 1
    assert "articles" in scrapyd.get("listspiders.json", project=PROJECT)["spiders"]
    return scrapyd


# --- jobs ---------------------------------------------------------------------------------------------
def schedule(scrapyd: Scrapyd, start_url: str, *arguments: tuple[str, str]) -> str:
    fields = [("project", PROJECT), ("spider", "articles"), ("start_url", start_url), *arguments,
              *(("setting", setting) for setting in FAST)]
    return scrapyd.post("schedule.json", fields)["jobid"]


def wait_for_job(scrapyd: Scrapyd, job: str, timeout: float = JOB_TIMEOUT) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = scrapyd.get("listjobs.json", project=PROJECT)
        for finished in jobs["finished"]:
            if finished["id"] == job:
                return finished
        time.sleep(0.5)
    raise AssertionError(f"job {job} not finished after {timeout:.0f} s: {tail(job_log(scrapyd, job))}")


def job_log(scrapyd: Scrapyd, job: str) -> Path:
    return scrapyd.root / "logs" / PROJECT / "articles" / f"{job}.log"


def job_items(scrapyd: Scrapyd, job: str) -> Path:
    return scrapyd.root / "items" / PROJECT / "articles" / f"{job}.jl"


def run_job(scrapyd: Scrapyd, start_url: str, *arguments: tuple[str, str]) -> tuple[str, list[dict[str, Any]]]:
    job = schedule(scrapyd, start_url, *arguments)
    finished = wait_for_job(scrapyd, job)
    log = tail(job_log(scrapyd, job), 200_000)
    assert "'finish_reason': 'finished'" in log and "dvarchive/fatal" not in log, log[-3000:]
    items = job_items(scrapyd, job)
    assert items.is_file(), f"no items feed at {items}: {log[-3000:]}"
    assert finished.get("items_url", "").endswith(f"/items/{PROJECT}/articles/{job}.jl")
    return job, read_jsonl(items)


def numeric_ids(records: list[dict[str, Any]]) -> Counter[str]:
    return Counter(record["id"].split(":", 1)[1] for record in records)


def test_scheduled_job_archives_every_live_article_once(deployed: Scrapyd) -> None:
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=60) as replica:
        _, records = run_job(deployed, replica.base_url + "/")
        truth = replica_truth(replica.base_url)
    ids = numeric_ids(records)
    assert [i for i, n in ids.items() if n > 1] == []
    assert set(ids) == set(truth)
    assert all(record["schema_version"] == 1 and record["content_sha256"] for record in records)


def test_scheduled_jobs_share_a_crawl_state(deployed: Scrapyd, tmp_path: Path) -> None:
    """With `state_dir`, the first job archives everything and a later one only what is new."""
    from dvarchive.replica import start_replica_process

    state = tmp_path / "state"
    with start_replica_process(articles=60) as replica:
        _, first = run_job(deployed, replica.base_url + "/", ("state_dir", str(state)))
        stored = state_summary(state)["articles"]
        _, second = run_job(deployed, replica.base_url + "/", ("state_dir", str(state)))
        truth = replica_truth(replica.base_url)
    assert set(numeric_ids(first)) == set(truth)
    assert stored == len(truth), "the first job stored its records in the crawl state"
    assert second == []  # nothing new on the site: the state knew every article
    summary = state_summary(state)
    assert summary["articles"] == len(truth) and summary["runs"] == 2
    assert summary["last_run"]["mode"] == "incremental" and summary["last_run"]["finish_reason"] == "finished"


def state_summary(state: Path) -> dict[str, Any]:
    status = run_cli("status", "--state", str(state), "--json")
    assert status.returncode == 0, status.stderr
    return json.loads(status.stdout)
