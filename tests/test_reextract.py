"""Re-extraction from a WARC written here with warcio, holding the shared sample pages."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dvarchive.archive.reextract import reextract
from dvarchive.archive.warc import iter_responses, read_record_at
from helpers import CONTRACT, read_jsonl, run_cli

HOST = "https://danvan.example.gov.vn"
PAGES = CONTRACT / "site" / "pages"


def article_url(page_id: str) -> str:
    expected = json.loads((CONTRACT / "site" / "expected" / f"article-{page_id}.json").read_text("utf-8"))
    return expected["url"]


def captures() -> list[dict[str, Any]]:
    """url, status, Content-Type, Content-Encoding, body and WARC-Date of each archived response."""
    page = {i: (PAGES / f"article-{i}.html").read_bytes() for i in ("1234", "1240", "987")}
    items = [
        {"url": HOST + "/", "body": (PAGES / "home.html").read_bytes(), "date": "2026-11-27T09:00:00Z"},
        {"url": HOST + "/robots.txt", "body": (PAGES / "robots.txt").read_bytes(), "type": "text/plain",
         "date": "2026-11-27T09:00:00Z"},
        {"url": HOST + "/tin-hoat-dong/", "body": (PAGES / "listing-tin-hoat-dong-page-1.html").read_bytes(),
         "date": "2026-11-27T09:00:01Z"},
        {"url": article_url("1234"), "body": page["1234"], "date": "2026-11-27T09:00:02Z"},
        {"url": article_url("1240"), "body": gzip.compress(page["1240"], mtime=0), "encoding": "gzip",
         "date": "2026-11-27T09:00:03Z"},
        {"url": article_url("987"), "body": page["987"], "type": "text/html", "date": "2026-11-27T09:00:04Z"},
        # an article URL that is gone, and one that serves a static page: neither gives a record
        {"url": HOST + "/tin-hoat-dong/da-xoa-999.html", "status": 404, "body": b"<h1>404</h1>",
         "date": "2026-11-27T09:00:05Z"},
        {"url": HOST + "/gioi-thieu/chuc-nang-nhiem-vu-1.html",
         "body": (PAGES / "static-chuc-nang-nhiem-vu.html").read_bytes(), "date": "2026-11-27T09:00:06Z"},
        # a later capture of 1234: the latest capture wins
        {"url": article_url("1234"), "body": page["1234"], "date": "2026-11-28T10:00:00Z"},
        # not HTML, whatever its URL says
        {"url": HOST + "/Uploads/files/x-12.html", "body": b"%PDF-1.4", "type": "application/pdf",
         "date": "2026-11-28T10:00:01Z"},
    ]
    defaults = {"status": 200, "type": "text/html; charset=utf-8", "encoding": None}
    return [{**defaults, **item} for item in items]


def write_warc(path: Path, items: list[dict[str, Any]]) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for item in items:
            headers = [("Content-Type", item["type"]), ("Content-Length", str(len(item["body"])))]
            if item["encoding"]:
                headers.append(("Content-Encoding", item["encoding"]))
            status = {200: "200 OK", 404: "404 Not Found"}[item["status"]]
            record = writer.create_warc_record(
                item["url"], "response", payload=io.BytesIO(item["body"]), length=len(item["body"]),
                http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": item["date"]})
            writer.write_record(record)


@pytest.fixture(scope="module")
def warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reextract") / "crawl.warc.gz"
    write_warc(path, captures())
    return path


def expected_records(warc: Path) -> dict[str, dict[str, Any]]:
    """extract_record + normalize_record on the same bytes, for the latest capture of each id."""
    from dvarchive.pages import NotAnArticle, extract_record
    from dvarchive.normalize.record import normalize_record

    expected: dict[str, dict[str, Any]] = {}
    for capture in iter_responses([warc]):
        if capture.status != 200 or "html" not in (capture.content_type or "") or not capture.url.endswith(".html"):
            continue
        try:
            record = extract_record(capture.url, capture.body, site="danvan", fetched_at=capture.warc_date,
                                    encoding=capture.charset)
        except NotAnArticle:
            continue
        expected[record["id"]] = dict(normalize_record(record), warc=capture.warc_ref)
    return expected


def test_records_equal_extraction_of_the_archived_bytes(warc: Path) -> None:
    records, result = reextract([warc], site="danvan")
    expected = expected_records(warc)
    assert {r["id"] for r in records} == {"danvan:1234", "danvan:1240", "danvan:987"}
    assert {r["id"]: r for r in records} == expected
    by_id = {r["id"]: r for r in records}
    assert by_id["danvan:1234"]["fetched_at"] == "2026-11-28T10:00:00Z"  # the latest capture
    assert by_id["danvan:1240"]["fetched_at"] == "2026-11-27T09:00:03Z"
    assert "Quy chế" in by_id["danvan:1240"]["title"]  # gzip-encoded capture decoded
    assert result.captures == 10 and result.article_captures == 5
    assert result.superseded == 1 and dict(result.dropped) == {"not an article": 1}
    assert result.records == len(records) == 3


def test_records_match_the_shared_expectations(warc: Path) -> None:
    records, _ = reextract([warc])
    for record in records:
        page_id = record["id"].split(":", 1)[1]
        truth = json.loads((CONTRACT / "site" / "expected" / f"article-{page_id}.json").read_text("utf-8"))
        for name, value in truth.items():
            assert (page_id if name == "id" else record[name]) == value, (page_id, name)


def test_warc_field_points_at_the_capture(warc: Path) -> None:
    records, _ = reextract([warc])
    for record in records:
        ref = record["warc"]
        assert ref["file"] == warc.name
        archived, _ = read_record_at(warc.parent / ref["file"], ref["offset"])
        assert archived.rec_headers.get_header("WARC-Record-ID") == ref["record_id"]
        assert archived.rec_headers.get_header("WARC-Date") == record["fetched_at"]


def test_cli_writes_jsonl_atomically_and_summarizes(warc: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "articles.jsonl"
    result = run_cli("reextract", "--warc", str(warc), "--output", str(output), "--site", "danvan")
    assert result.returncode == 0, result.stderr
    records, _ = reextract([warc])
    assert read_jsonl(output) == records
    assert "Tầm quan trọng".encode() in output.read_bytes()  # UTF-8, not \u escapes
    assert sorted(p.name for p in output.parent.iterdir()) == ["articles.jsonl"]  # no temp left
    assert "read 10 captures" in result.stderr and "3 records written" in result.stderr
    assert "dropped 1: not an article" in result.stderr and "1 older capture" in result.stderr


def test_records_are_valid_and_a_folder_argument_works(warc: Path, tmp_path: Path) -> None:
    from dvarchive.schema import validation_errors

    output = tmp_path / "a.jsonl"
    assert run_cli("reextract", "--warc", str(warc.parent), "--output", str(output)).returncode == 0
    records = read_jsonl(output)
    assert len(records) == 3 and all(validation_errors(r) == [] for r in records)


def damaged_copies(warc: Path, folder: Path) -> dict[str, Path]:
    """Not a WARC, cut short inside a record, one flipped byte inside a gzip member."""
    data = warc.read_bytes()
    record, _ = next((r, o) for r, o in [(c, c.offset) for c in iter_responses([warc])]
                     if r.url == article_url("987"))
    flipped = bytearray(data)
    flipped[record.offset + 400] ^= 0x01
    variants = {"not-a-warc": b"this is not a WARC file at all\r\n\r\n",
                "truncated": data[: record.offset + 600], "flipped": bytes(flipped),
                "empty-gzip": gzip.compress(b"")}
    paths = {}
    for name, content in variants.items():
        paths[name] = folder / f"{name}.warc.gz"
        paths[name].write_bytes(content)
    return paths


def test_damaged_warcs_raise(warc: Path, tmp_path: Path) -> None:
    from dvarchive.archive.warc import WarcReadError

    for name, path in damaged_copies(warc, tmp_path).items():
        with pytest.raises(WarcReadError, match=path.name):
            list(iter_responses([path]))


def test_cli_errors_are_one_line(warc: Path, tmp_path: Path) -> None:
    output = tmp_path / "o.jsonl"
    result = run_cli("reextract", "--warc", str(tmp_path / "none.warc.gz"), "--output", str(output))
    assert result.returncode == 1 and "no such WARC file" in result.stderr and "Traceback" not in result.stderr
    for name, path in damaged_copies(warc, tmp_path).items():
        result = run_cli("reextract", "--warc", str(path), "--output", str(output))
        assert result.returncode == 1 and "Traceback" not in result.stderr, (name, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and path.name in result.stderr, result.stderr
        assert not output.exists()


@pytest.mark.e2e
@pytest.mark.parametrize("style", ["wordpress", "liferay"])
def test_a_generic_portal_crawl_is_reextracted_record_for_record(style: str, tmp_path: Path) -> None:
    """A portal crawled by generic discovery (article URLs of any shape) gives its records back from
    its WARC: the same ones, field for field (category as the crawl chose it), not none."""
    from dvarchive.replica import start_replica_process

    with start_replica_process(articles=20, style=style) as replica:
        crawl = run_cli("crawl", "--start-url", replica.base_url, "--delay", "0", "--no-progress",
                        "--output", str(tmp_path / "crawl.jsonl"), "--warc", str(tmp_path / "crawl.warc.gz"))
    assert crawl.returncode == 0, crawl.stderr
    crawled = {r["id"]: r for r in read_jsonl(tmp_path / "crawl.jsonl")}
    again = run_cli("reextract", "--warc", str(tmp_path / "crawl.warc.gz"), "--output", str(tmp_path / "again.jsonl"))
    assert again.returncode == 0, again.stderr
    rebuilt = {r["id"]: r for r in read_jsonl(tmp_path / "again.jsonl")}
    assert len(crawled) >= 15 and rebuilt.keys() == crawled.keys()
    assert all(rebuilt[key] == crawled[key] for key in crawled)


def test_the_first_file_of_a_rotated_series_stands_for_the_series(tmp_path: Path) -> None:
    """`crawl --warc crawl.warc.gz` rotated into crawl-00001.warc.gz …: `reextract --warc crawl.warc.gz`
    (the README's command) read the first file only and lost the rest without a word."""
    items = captures()
    write_warc(tmp_path / "crawl.warc.gz", items[:4])
    write_warc(tmp_path / "crawl-00001.warc.gz", items[4:])
    whole = tmp_path / "whole" / "crawl.warc.gz"
    whole.parent.mkdir()
    write_warc(whole, items)
    result = run_cli("reextract", "--warc", str(tmp_path / "crawl.warc.gz"), "--output", str(tmp_path / "a.jsonl"))
    assert result.returncode == 0, result.stderr
    assert "from 2 WARC file(s)" in result.stderr
    assert [r["id"] for r in read_jsonl(tmp_path / "a.jsonl")] == [r["id"] for r in reextract([whole])[0]]
    both = run_cli("reextract", "--warc", str(tmp_path / "crawl.warc.gz"), str(tmp_path / "crawl-00001.warc.gz"),
                   "--output", str(tmp_path / "b.jsonl"))
    assert "from 2 WARC file(s)" in both.stderr  # each file read once


def test_a_warc_without_articles_leaves_the_output_alone_and_exits_4(tmp_path: Path) -> None:
    """It wrote an empty --output over the user's file and exited 0 ('0 records written')."""
    write_warc(tmp_path / "c.warc.gz", [item for item in captures() if not item["url"].endswith(".html")])
    output = tmp_path / "again.jsonl"
    output.write_bytes(b'{"earlier": 1}\n')
    result = run_cli("reextract", "--warc", str(tmp_path / "c.warc.gz"), "--output", str(output))
    assert result.returncode == 4, result.stderr
    assert "no article record" in result.stderr and "Traceback" not in result.stderr
    assert output.read_bytes() == b'{"earlier": 1}\n'
