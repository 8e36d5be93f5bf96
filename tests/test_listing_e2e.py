"""--max-articles bounds the whole crawl, listings included (issue 11: `--max-articles 10` still
walked every listing page)."""
from __future__ import annotations

import json
from pathlib import Path

from helpers import read_jsonl, replica_log, run_cli


def test_max_articles_stops_paging(tmp_path: Path) -> None:
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=300) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url + "/", "--output", str(tmp_path / "a.jsonl"),
                         "--max-articles", "7", "--delay", "0", "--no-progress", "--stats", str(tmp_path / "s.json"))
        paths = [e["path"] for e in replica_log(replica.base_url) if not e["path"].startswith("/__replica__/")]
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(read_jsonl(tmp_path / "a.jsonl")) == 7
    assert [p for p in paths if "?trang=" in p] == []  # page 1 of each category was enough
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["dvarchive/listing/max_articles_stop"] >= 1
