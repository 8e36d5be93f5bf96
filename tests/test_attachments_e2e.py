"""--attachments without a folder: a record's sha256 names bytes only if the WARC kept them."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from helpers import read_jsonl, run_cli


@pytest.mark.parametrize("warc", [True, False])
def test_a_digest_only_for_bytes_kept_in_the_warc(warc: bool, tmp_path: Path) -> None:
    from dvarchive.archive.warc import iter_responses
    from dvarchive.replica import start_replica_process

    flags = ("--warc", str(tmp_path / "c.warc.gz")) if warc else ()
    with start_replica_process(articles=60) as replica:
        result = run_cli("crawl", "--start-url", replica.base_url + "/", "--output", str(tmp_path / "a.jsonl"),
                         "--attachments", "--delay", "0", "--no-progress", "--stats", str(tmp_path / "s.json"), *flags)
    assert result.returncode == 0, result.stderr[-3000:]
    documents = [a for r in read_jsonl(tmp_path / "a.jsonl") for a in r["attachments"]]
    stats = json.loads((tmp_path / "s.json").read_text())
    assert documents and stats["dvarchive/attachments/fetched"] >= 1
    if warc:
        archived = {(r.url, hashlib.sha256(r.body).hexdigest()) for r in iter_responses([tmp_path / "c.warc.gz"])}
        assert all((a["url"], a["sha256"]) in archived for a in documents)
        assert "dvarchive/attachments/not_kept" not in stats
    else:
        assert all(a["sha256"] is None and a["media_type"] for a in documents)
        assert stats["dvarchive/attachments/not_kept"] == len(documents)
        assert "kept nowhere" in result.stderr


@pytest.mark.parametrize("style,profile", [("wordpress", False), ("liferay", False), ("sharepoint", True)])
def test_a_portal_s_attachments_box_reaches_the_records_and_the_folder(style: str, profile: bool,
                                                                        tmp_path: Path) -> None:
    """generic/v1 and profile/v1 took document links inside the body only: the portal styles' box
    after the body ('Tệp đính kèm') gave 0 of 15 attachments, and --attachments fetched nothing."""
    from helpers import replica_truth

    from dvarchive.replica import start_replica_process

    flags = ("--profile", str(Path(__file__).parents[1] / "examples" / "profiles" / f"{style}.toml")) if profile else ()
    with start_replica_process(articles=60, style=style) as replica:
        truth = {r["url"]: r for r in replica_truth(replica.base_url).values()}
        result = run_cli("crawl", "--start-url", replica.base_url, "--output", str(tmp_path / "a.jsonl"),
                         "--attachments-dir", str(tmp_path / "files"), "--delay", "0", "--no-progress", *flags)
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_jsonl(tmp_path / "a.jsonl")
    expected = sum(len(t.get("attachments") or []) for t in truth.values())
    assert expected >= 5
    for record in records:
        want = [(a["url"], a["name"]) for a in truth[record["url"]].get("attachments") or []]
        assert [(a["url"], a["name"]) for a in record["attachments"]] == want, record["url"]
    saved = sorted(p for p in (tmp_path / "files").rglob("*") if p.is_file())
    assert len(saved) == expected
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in saved}
    assert all(a["sha256"] in digests for r in records for a in r["attachments"])
