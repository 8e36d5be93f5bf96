"""``dvarchive probe`` samples a portal, says what it found, and drafts a profile that loads and fits."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import replica_get, run_cli
from dvarchive.profiles import load_profile

pytestmark = pytest.mark.e2e


def test_probe_describes_the_portal_and_drafts_a_profile(tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process

    draft = tmp_path / "draft.toml"
    with start_replica_process(articles=40, style="sharepoint") as replica:
        result = run_cli("probe", "--start-url", replica.base_url + "/", "--delay", "0", "--articles", "8",
                         "--write-profile", str(draft), timeout=300)
        truth = [json.loads(line)["url"][len(replica.base_url):]
                 for line in replica_get(replica.base_url, "/__replica__/truth.jsonl").decode().splitlines()]
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Tin hoạt động" in out.split("menu", 1)[1].splitlines()[0]
    assert re.search(r"article URLs\s+: /Pages/chi-tiet\.aspx\?ItemID=\{n\}", out)
    assert re.search(r"pagination\s+: /Pages/tin-tuc\.aspx\?CateID=\{n\}&Page=\{n\}", out)
    assert re.search(r"field coverage\s+: title 100%", out) and "traps skipped" in out
    profile = load_profile(draft)
    assert profile.article_url is not None
    assert all(profile.article_url.match(path) for path in truth)


@pytest.mark.parametrize("flag,value", [("--articles", "0"), ("--pages", "-5"), ("--delay", "-1"), ("--delay", "nan")])
def test_probe_refuses_bad_numbers_as_usage_errors(flag: str, value: str) -> None:
    result = run_cli("probe", "--start-url", "http://127.0.0.1:9/", flag, value)
    assert result.returncode == 2 and f"argument {flag}" in result.stderr


def test_probe_checks_the_profile_path_before_sampling(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("probe", "--start-url", "http://127.0.0.1:9/", "--write-profile", str(blocker / "site.toml"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "profile file" in result.stderr


@pytest.mark.parametrize("url,key", [("https://www.danvan.quangnam.gov.vn/", "danvan"),
                                     ("http://dvquangnam.gov.vn/web/guest", "dvquangnam"),
                                     ("http://127.0.0.1:8000/", "site"), ("http://[::1]:8000/", "site")])
def test_a_drafted_profile_keys_records_by_the_site_name_not_www_or_an_ip_byte(url: str, key: str) -> None:
    from dvarchive.commands.probe import draft_profile

    assert f'key = "{key}"' in draft_profile(url, {})
