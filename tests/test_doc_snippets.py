"""Every config snippet in the docs works when copied as printed (issue 11).

scrapyd.conf is loaded with Scrapyd's own config loader (tests/test_scrapyd.py also runs
Scrapyd with it); cron lines are parsed field by field and their commands by the shell;
systemd units are checked by `systemd-analyze verify` (by section and key when the tool is
absent); shell blocks by `bash -n`.
"""
from __future__ import annotations

import configparser
import ipaddress
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import REPO, doc_snippets

DOCS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
SCHEDULING = REPO / "docs" / "scheduling.md"


def snippets(language: str) -> list[tuple[str, str]]:
    return [(f"{path.name}#{i}", text) for path in DOCS for i, text in enumerate(doc_snippets(path, language))]


def scrapyd_snippets() -> list[str]:
    return [text for _, text in snippets("ini") if text.startswith("[scrapyd]")]


def unit_snippets() -> list[str]:
    return [text for _, text in snippets("ini") if text.startswith("[Unit]")]


# --- scrapyd.conf ----------------------------------------------------------------------------------
def test_the_scrapyd_conf_loads_with_scrapyds_own_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scrapyd.config import Config

    [conf] = scrapyd_snippets()
    path = tmp_path / "scrapyd.conf"
    path.write_text(conf, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # Scrapyd also reads ./scrapyd.conf and ~/.scrapyd.conf
    monkeypatch.setenv("HOME", str(tmp_path))
    config = Config(extra_sources=[str(path)])
    ipaddress.ip_address(config.get("bind_address"))
    assert 0 < config.getint("http_port") < 65536
    assert config.getint("jobs_to_keep") > 0
    for option in ("eggs_dir", "logs_dir", "items_dir", "dbs_dir"):
        value = config.get(option)
        assert value.startswith("/") and " " not in value and "#" not in value, (option, value)


def test_an_inline_comment_would_be_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: Scrapyd keeps `# …` after a value as part of it."""
    from scrapyd.config import Config

    path = tmp_path / "scrapyd.conf"
    path.write_text("[scrapyd]\njobs_to_keep = 60   # per spider\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(ValueError):
        Config(extra_sources=[str(path)]).getint("jobs_to_keep")


# --- cron ------------------------------------------------------------------------------------------
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def cron_entries() -> list[str]:
    entries = [line for _, text in snippets("cron") for line in text.splitlines()
               if line.strip() and not line.lstrip().startswith("#")]
    assert len(entries) >= 3
    return entries


def check_cron_entry(line: str) -> None:
    """A /etc/cron.d line: 5 time fields, a user, a command with every % escaped."""
    fields = line.split(None, 6)
    assert len(fields) == 7, line
    for field, (low, high) in zip(fields[:5], CRON_RANGES):
        assert CRON_FIELD.match(field), (field, line)
        assert all(low <= int(n) <= high for n in re.findall(r"(?<!/)\d+", field)), (field, line)
    assert re.fullmatch(r"[a-z_][a-z0-9_-]*", fields[5]), line
    command = fields[6]
    assert not re.search(r"(?<!\\)%", command), f"unescaped % (a newline to cron): {line}"
    result = subprocess.run(["sh", "-n", "-c", command.replace("\\%", "%")], capture_output=True, text=True)
    assert result.returncode == 0, (line, result.stderr)


def test_cron_lines_are_valid() -> None:
    for entry in cron_entries():
        check_cron_entry(entry)


def test_the_cron_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        check_cron_entry("17 2 * * *  dvarchive  dvarchive crawl --output $(date +%F).jsonl")
    with pytest.raises(AssertionError):
        check_cron_entry("61 2 * * *  dvarchive  true")


# --- systemd ---------------------------------------------------------------------------------------
UNIT_KEYS = {
    "Unit": {"Description", "Wants", "After", "Requires"},
    "Service": {"Type", "User", "Group", "StateDirectory", "WorkingDirectory", "ExecStart", "SuccessExitStatus",
                "TimeoutStopSec", "TimeoutStartSec", "Nice", "IOSchedulingClass", "NoNewPrivileges",
                "ProtectSystem", "ProtectHome", "PrivateTmp"},
    "Timer": {"OnCalendar", "RandomizedDelaySec", "Persistent"},
    "Install": {"WantedBy"},
}


def write_units(folder: Path) -> list[Path]:
    units = unit_snippets()
    assert len(units) == 2
    paths = []
    for text in units:
        path = folder / ("dvarchive-crawl.service" if "[Service]" in text else "dvarchive-crawl.timer")
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def verify_units(paths: list[Path]) -> str:
    """Complaints about the units (empty when none)."""
    if shutil.which("systemd-analyze"):
        result = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, paths)],
                                capture_output=True, text=True)
        return "\n".join(line for line in result.stderr.splitlines() if any(str(p) in line for p in paths))
    problems = []
    for path in paths:
        parser = configparser.ConfigParser(interpolation=None, strict=True)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(path)
        for section in parser.sections():
            unknown = set(parser[section]) - UNIT_KEYS.get(section, set())
            problems += [f"{path.name}: unknown {section}.{key}" for key in sorted(unknown)]
            problems += [f"{path.name}: inline comment in {section}.{key}" for key, value in parser[section].items()
                         if "#" in value]
    return "\n".join(problems)


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    paths = write_units(tmp_path)
    assert verify_units(paths) == ""
    service = next(p for p in paths if p.suffix == ".service").read_text()
    command = re.search(r"^ExecStart=/bin/sh -c '(.*?)'$", service, re.M | re.S)
    assert command, "ExecStart is a /bin/sh -c '…' line"
    script = command[1].replace("\\\n", " ").replace("%%", "%")
    assert subprocess.run(["sh", "-n", "-c", script]).returncode == 0


def test_the_systemd_check_can_fail(tmp_path: Path) -> None:
    paths = write_units(tmp_path)
    service = next(p for p in paths if p.suffix == ".service")
    service.write_text(service.read_text().replace("Nice=10", "Nice=10  # lower priority"))
    assert verify_units(paths) != ""


# --- shell -----------------------------------------------------------------------------------------
def test_shell_snippets_parse() -> None:
    blocks = snippets("bash")
    assert blocks
    for name, text in blocks:
        result = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
        assert result.returncode == 0, (name, result.stderr)
