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


def test_an_unwritable_profile_path_fails_before_anything_is_fetched(tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=10, style="wordpress") as replica:
        result = run_cli("probe", "--start-url", replica.base_url + "/", "--delay", "0",
                         "--write-profile", "/proc/draft.toml", timeout=120)
        fetched = json.loads(replica_get(replica.base_url, "/__replica__/log"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "profile file" in result.stderr
    assert not [entry for entry in fetched if not entry["path"].startswith("/__replica__/")]
