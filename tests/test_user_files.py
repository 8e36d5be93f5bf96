"""The user's files and commands (issue 11): nothing lost, one clear line, stdout that pipes.

Every case runs the real CLI in a subprocess against the real replica (or a real failing
condition: a closed port, a file-size limit, a signal, a closed pipe).
"""
from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, read_jsonl, run_cli

from dvarchive.schema import validation_errors

OLD = '{"this": "is the file the user had"}\n'
FAST = ("--delay", "0", "--no-progress")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "dvarchive", *args]


@pytest.fixture(scope="module")
def replica() -> Iterator[str]:
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=60) as process:
        yield process.base_url + "/"


@pytest.fixture(scope="module")
def big_replica() -> Iterator[str]:
    """Enough articles that a slowed-down crawl is still running when the signal comes."""
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=300) as process:
        yield process.base_url + "/"


def user_file(folder: Path) -> Path:
    path = folder / "articles.jsonl"
    path.write_text(OLD, encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def one_line_failure(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    assert len(stderr.strip().splitlines()) <= 16, stderr[-3000:]  # a few log lines and the summary, no flood


# --- 1. never lose the user's file ---------------------------------------------------------------
@pytest.mark.parametrize("sig,times", [(signal.SIGINT, 1), (signal.SIGTERM, 1), (signal.SIGINT, 2)],
                         ids=["SIGINT", "SIGTERM", "SIGINT-twice"])
def test_an_interrupted_crawl_keeps_the_users_file_and_puts_what_it_got_beside_it(
        big_replica: str, tmp_path: Path, sig: signal.Signals, times: int) -> None:
    """Twice: Scrapy's forced stop, where the feed is never closed (the runner salvages its temp file)."""
    output = user_file(tmp_path)
    child = subprocess.Popen(cli("crawl", "--start-url", big_replica, "--output", str(output), "--delay", "0.05",
                                 "--concurrency", "1", "--no-progress"),
                             cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size for p in tmp_path.glob(".articles.jsonl.*.tmp")):  # records on disk
        assert child.poll() is None and time.monotonic() < deadline, "the crawl ended before the signal"
        time.sleep(0.1)
    for _ in range(times):
        child.send_signal(sig)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 130, stderr[-3000:]
    assert output.read_text(encoding="utf-8") == OLD
    partials = sorted(tmp_path.glob("articles.partial-*.jsonl"))
    assert len(partials) == 1
    records = read_jsonl(partials[0])  # whole lines only
    assert records and all(not validation_errors(r) for r in records)
    assert f"{output} left as it was" in stderr and str(partials[0]) in stderr
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("data,kept", [(b"a\nb\nc", b"a\nb\n"), (b"abc", b""), (b"a\n", b"a\n"), (b"", b""),
                                       (b"x" * 3000 + b"\n" + b"y" * 3000, b"x" * 3000 + b"\n")])
def test_a_salvaged_file_keeps_whole_lines_only(tmp_path: Path, data: bytes, kept: bytes) -> None:
    from dvarchive.runner import truncate_to_whole_lines

    path = tmp_path / "partial.jsonl"
    path.write_bytes(data)
    truncate_to_whole_lines(path, chunk=1000)
    assert path.read_bytes() == kept


def test_a_crawl_that_cannot_run_leaves_the_users_file_and_says_why_in_one_line(tmp_path: Path) -> None:
    output = user_file(tmp_path)
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(output), *FAST)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "dvarchive crawl: error: start URL could not be fetched: cannot connect to 127.0.0.1:9: Connection refused"]
    assert output.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl"]


def test_a_home_page_that_fails_keeps_the_users_file(replica: str, tmp_path: Path) -> None:
    """The host answers, but the start URL is not a home page: the crawl fails, the file stays."""
    output = user_file(tmp_path)
    result = run_cli("crawl", "--start-url", replica + "no-such-page/", "--output", str(output), *FAST)
    assert result.returncode == 1
    assert output.read_text(encoding="utf-8") == OLD
    assert f"{output} left as it was" in result.stderr and "Traceback" not in result.stderr
    assert leftovers(tmp_path) == []


def limit_file_size() -> None:
    """In the child: files may not grow past 30 kB (EFBIG, as on a full disk) — a few records."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))


def test_a_write_that_fails_mid_crawl_is_one_line_exit_1_and_no_temp_file(replica: str, tmp_path: Path) -> None:
    output = user_file(tmp_path)
    result = subprocess.run(cli("crawl", "--start-url", replica, "--output", str(output), *FAST),
                            cwd=REPO, capture_output=True, text=True, timeout=600, preexec_fn=limit_file_size)
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr.count(f"cannot write {output}: File too large") == 2  # the log line + the summary
    one_line_failure(result.stderr)
    assert f"-> {output}" not in result.stderr  # no claim of an export
    assert output.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl"]


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB tmpfs (root only): writes past it fail with ENOSPC, as on a full disk."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_is_one_line_exit_1_and_no_temp_file(replica: str, full_disk: Path) -> None:
    output = user_file(full_disk)
    result = run_cli("crawl", "--start-url", replica, "--output", str(output), *FAST)
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr.count(f"cannot write {output}: No space left on device") == 2
    one_line_failure(result.stderr)
    assert output.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in full_disk.iterdir()) == ["articles.jsonl"]


@pytest.mark.parametrize("flag", ["--output", "--stats"])
def test_an_output_that_cannot_be_created_fails_before_crawling(flag: str, tmp_path: Path) -> None:
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", flag, "/proc/x.json", *FAST)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "/proc/x.json is not writable" in result.stderr
    assert "start URL" not in result.stderr  # refused before anything else was tried


# --- 2. stdout -------------------------------------------------------------------------------------
def test_without_output_or_state_the_records_go_to_stdout(replica: str) -> None:
    result = run_cli("crawl", "--start-url", replica, *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= 50 and all(not validation_errors(r) for r in records)
    assert f"articles exported : {len(records)}  -> stdout" in result.stderr
    assert "standard output" in run_cli("crawl", "--help").stdout


def test_a_reader_that_goes_away_stops_the_crawl_quietly(replica: str) -> None:
    child = subprocess.Popen(cli("crawl", "--start-url", replica, "--concurrency", "1", *FAST),
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    child.stdout.readline()
    child.stdout.close()  # like `| head -1`
    stderr = child.stderr.read() if child.stderr else ""
    assert child.wait(timeout=300) == 0
    assert "the reader closed the pipe" in stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr


@pytest.mark.parametrize("args", [("crawl", "--help"), ("status", "--help"), ("export", "--help")])
def test_every_command_ends_quietly_on_a_closed_stdout(args: tuple[str, ...]) -> None:
    child = subprocess.Popen(cli(*args), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()  # closed before the command writes anything
    stderr = child.stderr.read().decode() if child.stderr else ""
    assert child.wait(timeout=60) == 0
    assert stderr == ""


# --- 4. usage errors -------------------------------------------------------------------------------
@pytest.mark.parametrize("flag,value", [
    ("--concurrency", "0"), ("--concurrency", "-3"), ("--delay", "-1"), ("--delay", "nan"),
    ("--max-articles", "0"), ("--max-articles", "-5"), ("--concurrency", "two"),
])
def test_bad_numbers_are_usage_errors(flag: str, value: str) -> None:
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", flag, value)
    assert result.returncode == 2
    assert f"argument {flag}" in result.stderr and "Traceback" not in result.stderr


# --- permissions ---------------------------------------------------------------------------------
def with_umask(mask: int) -> Any:
    return lambda: os.umask(mask)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_outputs_get_the_mode_the_umask_gives(replica: str, tmp_path: Path, mask: int) -> None:
    def run(*args: str) -> None:
        result = subprocess.run(cli(*args), cwd=REPO, capture_output=True, text=True, timeout=600,
                                preexec_fn=with_umask(mask))
        assert result.returncode == 0, result.stderr[-3000:]

    output, stats, export, package = (tmp_path / n for n in ("a.jsonl", "stats.json", "e.jsonl", "pkg"))
    run("crawl", "--start-url", replica, "--output", str(output), "--state", str(tmp_path / "state"),
        "--stats", str(stats), *FAST)
    run("export", "--state", str(tmp_path / "state"), "--output", str(export))
    run("package", "--from", str(output), "--out", str(package), "--formats", "jsonl")
    for path in (output, stats, export, package / "articles.jsonl"):
        assert mode(path) == 0o666 & ~mask, path
    assert mode(package) == 0o777 & ~mask


# --- 9. no listening server, no file in the home folder ------------------------------------------
@pytest.mark.parametrize("enabled", [False, True], ids=["default", "control-run-with-it-on"])
def test_a_crawl_starts_no_remote_control_server_and_writes_nothing_home(
        replica: str, tmp_path: Path, enabled: bool) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_STATE_HOME=str(home / ".local" / "state"))
    extra = ("-s", "REMOTE_CONTROL_ENABLED=True") if enabled else ()
    result = subprocess.run(cli("crawl", "--start-url", replica, "--output", str(tmp_path / "a.jsonl"),
                                "--log-level", "INFO", *extra, *FAST),
                            cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    server_started = "Remote control HTTP server listening" in result.stderr
    telnet_started = "Telnet console listening" in result.stderr
    assert (server_started, telnet_started) == (enabled, False)
    assert bool(list(home.rglob("*"))) == enabled  # the job file's folder under ~/.local/state


# --- 7. the summary names the evidence -------------------------------------------------------------
def test_the_summary_names_every_warc_file_and_the_attachments(replica: str, tmp_path: Path) -> None:
    from dvarchive.archive.warc import warc_series
    from dvarchive.runner import format_bytes

    warc, documents = tmp_path / "crawl.warc.gz", tmp_path / "documents"
    (tmp_path / "crawl.warc.gz").write_bytes(b"")  # an earlier run's file: not this crawl's
    result = run_cli("crawl", "--start-url", replica, "--output", str(tmp_path / "a.jsonl"), "--warc", str(warc),
                     "--attachments", "--attachments-dir", str(documents), "-s", "WARC_MAX_SIZE=100000", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    written = warc_series(warc)[1:]
    assert len(written) >= 3  # rotated
    [line] = [line for line in result.stderr.splitlines() if line.startswith("  WARC ")]
    assert line.split(": ", 1)[1].split(" (")[0] == ", ".join(map(str, written))
    assert f"({len(written)} file(s), {format_bytes(sum(p.stat().st_size for p in written))})" in line
    saved = [p for p in documents.rglob("*") if p.is_file()]
    assert saved
    [line] = [line for line in result.stderr.splitlines() if line.startswith("  attachments ")]
    assert (f"{len(saved)} file(s), {format_bytes(sum(p.stat().st_size for p in saved))} saved under {documents}"
            in line)


# --- 4. network failures are lines, not tracebacks -------------------------------------------------
@pytest.fixture
def dropping_server() -> Iterator[str]:
    """A host that accepts every connection and closes it at once (nothing is ever answered)."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/"
    stop.set()
    thread.join(timeout=5)
    server.close()


def test_a_host_that_drops_connections_fails_in_lines_naming_the_cause(dropping_server: str, tmp_path: Path) -> None:
    output = user_file(tmp_path)
    result = run_cli("crawl", "--start-url", dropping_server, "--output", str(output), "-s", "RETRY_TIMES=1",
                     *FAST)
    assert result.returncode == 1
    one_line_failure(result.stderr)
    [failed] = [line for line in result.stderr.splitlines() if line.startswith("  FAILED")]
    assert "robots.txt could not be fetched (DownloadFailedError" in failed
    assert output.read_text(encoding="utf-8") == OLD


@pytest.mark.e2e
def test_a_crawl_that_finds_no_category_exits_4_and_keeps_the_users_file(tmp_path: Path) -> None:
    """--discovery layout on a portal without the board's menu: degraded (exit 4, the stage named),
    and the empty result does not replace the file the user had."""
    from dvarchive.replica import start_replica_process

    output = tmp_path / "articles.jsonl"
    output.write_bytes(b'{"earlier": "records"}\n')
    with start_replica_process(articles=10, style="wordpress") as replica:
        result = run_cli("crawl", "--start-url", replica.base_url, "--discovery", "layout", "--output", str(output),
                         "--delay", "0", "--no-progress")
    assert result.returncode == 4, result.stderr
    assert "DEGRADED          : navigation: no category" in result.stderr
    assert "left as it was" in result.stderr
    assert output.read_bytes() == b'{"earlier": "records"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl"]
