"""The command line a person meets: help, clear errors with meaningful exit codes, the demo."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dvarchive.cli import COMMANDS
from dvarchive.pages.chrome import find_chrome
from dvarchive.schema import validation_errors
from dvarchive.normalize.urlparts import is_same_site
from helpers import read_jsonl, run_cli


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "usage: dvarchive " + command in result.stdout
    assert "exit code" in result.stdout.lower()  # says what its exit codes mean
    assert len(result.stdout) > 400  # a description, not just a usage line


@pytest.mark.parametrize("url", ["not a url", "ftp://example.org/", "file:///etc/passwd", "javascript:alert(1)", "http://"])
def test_bad_start_url_is_a_usage_error_without_traceback(url: str, tmp_path: Path) -> None:
    result = run_cli("crawl", "--start-url", url, "--output", str(tmp_path / "x.jsonl"))
    assert result.returncode == 2
    assert "bad start URL" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(blocker / "out.jsonl"))
    assert result.returncode == 1
    assert "output file" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_attachments_folder_is_a_clear_error_before_crawling(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(tmp_path / "x.jsonl"),
                     "--attachments-dir", str(blocker / "att"))
    assert result.returncode == 1
    assert "attachments folder" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unwritable_log_file_is_a_clear_error_before_crawling(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(tmp_path / "x.jsonl"),
                     "--log-file", str(blocker / "crawl.log"))
    assert result.returncode == 1
    assert "log file" in result.stderr and "Traceback" not in result.stderr


def test_output_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(tmp_path))
    assert result.returncode == 1 and "is a folder" in result.stderr


@pytest.mark.e2e
def test_a_state_missing_a_table_stops_the_crawl_in_one_line_and_keeps_the_output(tmp_path: Path) -> None:
    """A state that opens but is damaged (its runs table gone) is no state to crawl without."""
    import sqlite3

    from dvarchive.replica import start_replica_process
    from dvarchive.state import CrawlState

    CrawlState.open(tmp_path / "state").close()
    with sqlite3.connect(tmp_path / "state" / "state.sqlite") as db:
        db.execute("DROP TABLE runs")
    output = tmp_path / "x.jsonl"
    output.write_bytes(b"the user's file\n")
    with start_replica_process(articles=10) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url, "--state", str(tmp_path / "state"),
                         "--output", str(output), "--delay", "0", "--no-progress")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "no such table: runs" in result.stderr
    assert output.read_bytes() == b"the user's file\n"


def test_unreachable_start_url_fails_with_exit_1_and_says_why(tmp_path: Path) -> None:
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(tmp_path / "x.jsonl"),
                     "--no-progress", "-s", "RETRY_TIMES=0", "--robots-unreachable", "allow")
    assert result.returncode == 1
    assert "start URL could not be fetched" in result.stderr


def test_revisit_without_state_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--revisit", "--output", str(tmp_path / "x.jsonl"))
    assert result.returncode == 2 and "--revisit needs --state" in result.stderr


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "javascript:alert(1)", "data:text/html,<script>", "http://other.example/x-1.html",
    "https://127.0.0.1:9999/x-1.html", "//evil.example/x-1.html", "mailto:a@b.c",
])
def test_links_off_the_start_host_are_never_ours(url: str) -> None:
    assert not is_same_site(url, "https://127.0.0.1:8000/")


def test_same_host_links_are_ours() -> None:
    assert is_same_site("https://127.0.0.1:8000/tin-hoat-dong/x-1.html", "https://127.0.0.1:8000/")


def test_demo_archives_every_live_article_once_and_reports(tmp_path: Path) -> None:
    output = tmp_path / "demo" / "articles.jsonl"
    result = run_cli("demo", "--output", str(output))
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_jsonl(output)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) >= 290
    assert all(not validation_errors(r) and not find_chrome(r["body"]) for r in records)
    assert "articles/s" in result.stderr  # progress lines while it ran
    assert "replica truth     : " in result.stderr and "exactly once" in result.stderr
    assert "articles exported : " in result.stderr
    # components a crawl does not need stay off quietly: no "Disabled …" warning in the user's terminal
    assert "Disabled" not in result.stderr


def loaded_after(code: str) -> tuple[bool, bool]:
    """(any dvarchive.replica module, jsonschema) imported after running ``code`` in a new interpreter."""
    probe = (f"import sys; {code}; print(any(m.startswith('dvarchive.replica') for m in sys.modules), "
             "'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    return out[0] == "True", out[1] == "True"


def test_a_crawl_does_not_import_the_replica_or_jsonschema() -> None:
    """Only the command being run builds its parser; the reference validator loads on demand."""
    parse_crawl = "from dvarchive import cli, schema; cli.build_parser(cli.chosen_command(['crawl']))"
    assert loaded_after(parse_crawl) == (False, False)
    assert loaded_after(parse_crawl + "; schema.validation_errors({})") == (False, True)


def test_every_command_is_listed_in_the_top_level_help() -> None:
    from dvarchive.cli import COMMANDS, build_parser

    for command in (None, "crawl", "replica"):
        help_text = build_parser(command).format_help()
        assert all(name in help_text for name in COMMANDS), command


def test_top_level_help_states_each_exit_code_once() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.count("Exit codes:") == 1
    assert all(f"{code} " in result.stdout for code in ("0", "1", "2", "3", "4", "75", "130"))


def test_replica_port_errors_are_one_line() -> None:
    """A port out of range is bad usage (2); a port already taken is a failure to run (1)."""
    import socket

    result = run_cli("replica", "--port", "99999")
    assert result.returncode == 2 and "--port" in result.stderr and "Traceback" not in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_cli("replica", "--port", str(taken.getsockname()[1]), "--articles", "5")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["export", "--state", "{tmp}/state", "--output", "-"],
                                     ["reextract", "--warc", "{tmp}/x.warc.gz", "--output", "-"],
                                     ["report", "--from", "{tmp}/x.jsonl", "--out", "-"]])
def test_dash_is_no_file_name_outside_crawl(command: list[str], tmp_path: Path) -> None:
    """`crawl -o -` writes to stdout; the others wrote a file named '-' (and '-.withdrawn.jsonl')."""
    result = run_cli(*(arg.format(tmp=tmp_path) for arg in command), cwd=tmp_path)
    assert result.returncode == 2 and "'-' is not a file" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.e2e
def test_a_plain_crawl_warns_of_nothing_it_was_not_asked_to_do(tmp_path: Path) -> None:
    """Options left off (window, state, attachments) are no warning on every crawl."""
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=10) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url, "--output", str(tmp_path / "x.jsonl"),
                         "--delay", "0", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "Disabled" not in result.stderr


def test_demo_refuses_stdout_it_checks_its_archive_file() -> None:
    """`demo -o -` streamed the records, then died with a traceback reading a file named '-'."""
    result = run_cli("demo", "--articles", "5", "--output", "-")
    assert result.returncode == 2 and "'-' is not a file" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.e2e
def test_a_start_url_answering_404_names_the_status(tmp_path: Path) -> None:
    """It said "start URL could not be fetched: Ignoring non-200 response"."""
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=5) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url + "/no-such-page/", "--delay", "0", "--no-progress",
                         "--output", str(tmp_path / "x.jsonl"))
    assert result.returncode == 1
    assert "start URL answered 404" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.e2e
def test_a_setting_scrapy_cannot_read_is_one_line(tmp_path: Path) -> None:
    """-s CONCURRENT_REQUESTS=abc was a 40-line 'Unhandled error in Deferred' traceback."""
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=5) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url, "--output", str(tmp_path / "x.jsonl"),
                         "--delay", "0", "--no-progress", "-s", "CONCURRENT_REQUESTS=abc")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "the crawl failed: ValueError" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()
