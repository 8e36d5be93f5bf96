"""One byte form of a record (issue 10): the crawl's output, `export`, `package` and `reextract`.

One real crawl of the replica (with its state, a WARC and the attachments); every other
command then writes the same records, and each record must be the same bytes in every file.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from dvarchive.schema import article_schema


def lines_by_id(path: Path) -> dict[str, bytes]:
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"", f"{path} does not end with a newline"
    return {json.loads(line)["id"]: line for line in lines[:-1]}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from dvarchive.replica import start_replica_process

    out = tmp_path_factory.mktemp("bytes")
    with start_replica_process(articles=60) as replica:
        crawl = run_cli("crawl", "--start-url", replica.base_url + "/", "--output", str(out / "crawl.jsonl"),
                        "--state", str(out / "state"), "--warc", str(out / "crawl.warc.gz"), "--attachments",
                        "--delay", "0", "--no-progress")
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    for args in (("export", "--state", str(out / "state"), "--output", str(out / "export.jsonl")),
                 ("package", "--state", str(out / "state"), "--out", str(out / "pkg-state"), "--formats", "jsonl"),
                 ("package", "--from", str(out / "crawl.jsonl"), "--out", str(out / "pkg-file"), "--formats", "jsonl"),
                 ("reextract", "--warc", str(out / "crawl.warc.gz"), "--output", str(out / "reextract.jsonl"))):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr[-3000:]
    return {"crawl": out / "crawl.jsonl", "export": out / "export.jsonl",
            "package --state": out / "pkg-state" / "articles.jsonl",
            "package --from": out / "pkg-file" / "articles.jsonl", "reextract": out / "reextract.jsonl"}


@pytest.mark.parametrize("other", ["export", "package --state", "package --from"])
def test_the_same_record_is_the_same_bytes_in_every_file(files: dict[str, Path], other: str) -> None:
    crawl, written = lines_by_id(files["crawl"]), lines_by_id(files[other])
    assert len(crawl) >= 50 and set(written) == set(crawl)
    differing = [record_id for record_id in crawl if crawl[record_id] != written[record_id]]
    assert differing == [], f"{other}: {len(differing)} records differ, e.g. {differing[:3]}"


def test_the_form_is_schema_order_compact_utf8(files: dict[str, Path]) -> None:
    order = list(article_schema()["properties"])
    lines = list(lines_by_id(files["crawl"]).values())
    for line in lines:
        keys = list(json.loads(line))
        assert keys == [k for k in order if k in keys]
        assert b"\\u" not in line  # Vietnamese as UTF-8, not escaped
        assert line.startswith(b'{"schema_version":1,"id":')  # compact separators
    assert all("ư".encode() in line or "ă".encode() in line for line in lines)


def test_reextract_gives_the_crawls_records_with_their_attachment_digests(files: dict[str, Path]) -> None:
    """From the WARC alone: the same records (``version`` comes from the state, not the WARC)."""
    def without_version(line: bytes) -> dict[str, Any]:
        record = json.loads(line)
        record.pop("version", None)
        return record

    crawl, rebuilt = lines_by_id(files["crawl"]), lines_by_id(files["reextract"])
    assert set(rebuilt) == set(crawl)
    assert {i: without_version(line) for i, line in rebuilt.items()} == \
        {i: without_version(line) for i, line in crawl.items()}
    documents = [a for line in rebuilt.values() for a in json.loads(line)["attachments"]]
    assert documents and all(a.get("sha256") and a.get("media_type") for a in documents)
