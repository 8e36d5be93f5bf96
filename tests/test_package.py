"""Dataset packages: build with the real CLI, validate with Frictionless, verify, tamper."""
from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from dvarchive.archive.package import MANIFEST, TAGMANIFEST, build_package, natural_key
from dvarchive.archive.verify import verify_package
from dvarchive.schema import validation_errors
from helpers import CONTRACT, run_cli

PACKAGE_FILES = ("README.md", "articles.csv", "articles.jsonl", "articles.parquet", "report.html",
                 "datapackage.json", MANIFEST, TAGMANIFEST)


def base_record(expected: dict[str, Any], index: int) -> dict[str, Any]:
    body = expected["body"]
    return {
        "schema_version": 1, "id": f"danvan:{expected['id']}", "url": expected["url"], "site": "danvan",
        "category": expected["category"], "title": expected["title"], "subtitle": expected["subtitle"],
        "published": expected["published"], "published_raw": "28.2.2018 - 9:21",
        "modified": expected["modified"], "author": expected["author"], "source": expected["source"],
        "body": body, "body_html": "<p>" + body.split("\n\n")[0] + "</p>",
        "images": expected["images"], "attachments": expected["attachments"],
        "language": "vi", "word_count": len(body.split()),
        "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
        "fetched_at": f"2026-11-27T09:5{index}:00Z", "extractor": "danvan/v1",
        "warc": {"file": "crawl.warc.gz", "record_id": f"<urn:uuid:0000000{index}-0000-0000-0000-000000000000>",
                 "offset": 1000 * index},
    }


def make_records() -> list[dict[str, Any]]:
    """Valid records from shared/site/expected plus edge cases (undated, no category, tags…)."""
    expected = [json.loads(p.read_text(encoding="utf-8"))
                for p in sorted((CONTRACT / "site" / "expected").glob("*.json"))]
    records = [base_record(e, i) for i, e in enumerate(expected)]
    undated = dict(records[0], id="danvan:5", published=None, published_raw=None, category=None,
                   tags=["dân vận", 'a, "quoted"; b'], version=2, warc=None,
                   url="https://danvan.example.gov.vn/tin-hoat-dong/khong-ngay-5.html",
                   images=[{"url": "https://danvan.example.gov.vn/Uploads/images/a.jpg",
                            "caption": "Ảnh | có ; dấu\nxuống dòng"},
                           {"url": "https://danvan.example.gov.vn/Uploads/images/b.jpg", "caption": None}],
                   attachments=[{"url": "https://danvan.example.gov.vn/Uploads/files/a.pdf", "name": "Tệp",
                                 "media_type": "application/pdf", "sha256": "0" * 64}])
    same_day = dict(records[1], id="danvan:77", url="https://danvan.example.gov.vn/van-ban/cung-ngay-77.html")
    records += [undated, same_day]
    for record in records:
        assert validation_errors(record) == [], (record["id"], validation_errors(record))
    return records


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return make_records()


@pytest.fixture(scope="module")
def package(records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("package")
    source = write_jsonl(records, work / "articles-in.jsonl")
    result = run_cli("package", "--from", str(source), "--out", str(work / "dataset"))
    assert result.returncode == 0, result.stderr
    return work / "dataset"


def copy_package(package: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(package, target)
    return target


def test_package_has_every_file(package: Path) -> None:
    assert sorted(p.name for p in package.iterdir()) == sorted(PACKAGE_FILES)
    assert not [p for p in package.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_frictionless_validates_the_package(package: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json",
                             str(package / "datapackage.json")], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], json.dumps(report, indent=1)[:4000]
    assert [task["type"] for task in report["tasks"]] == ["file", "table", "file"]


def test_verify_passes(package: Path) -> None:
    result = run_cli("verify", str(package))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every checksum and count matches" in result.stdout


@pytest.mark.parametrize("name", PACKAGE_FILES)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_one_flipped_byte_is_found_and_named(package: Path, tmp_path: Path, name: str, where: str) -> None:
    copy = copy_package(package, tmp_path)
    data = bytearray((copy / name).read_bytes())
    position = {"first": 0, "middle": len(data) // 2, "last": len(data) - 1}[where]
    data[position] ^= 0x01
    (copy / name).write_bytes(bytes(data))

    assert verify_package(copy).changed_files == {name}
    result = run_cli("verify", str(copy))
    assert result.returncode == 3, result.stdout + result.stderr
    differing = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("DIFFERS")]
    assert differing == [name], result.stdout
    assert f"1 file(s) differ: {name}" in result.stdout


def test_verify_reports_expected_and_actual(package: Path, tmp_path: Path) -> None:
    copy = copy_package(package, tmp_path)
    lines = (copy / "articles.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (copy / "articles.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")  # lose a record
    report = verify_package(copy)
    counts = [d for d in report.differences if d.what == "records"]
    assert [(d.file, d.expected, d.actual) for d in counts] == [("articles.jsonl", len(lines), len(lines) - 1)]
    result = run_cli("verify", str(copy))
    assert result.returncode == 3
    assert f"articles.jsonl: records: expected {len(lines)}, actual {len(lines) - 1}" in result.stdout


def test_verify_missing_file_and_missing_package(package: Path, tmp_path: Path) -> None:
    copy = copy_package(package, tmp_path)
    (copy / "articles.csv").unlink()
    result = run_cli("verify", str(copy))
    assert result.returncode == 3 and "articles.csv: missing" in result.stdout
    for target in (tmp_path / "nowhere", tmp_path):
        result = run_cli("verify", str(target))
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_jsonl_is_sorted_in_schema_key_order(package: Path, records: list[dict[str, Any]]) -> None:
    from dvarchive.schema import article_schema

    lines = (package / "articles.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b"" and b"\r" not in b"".join(lines)
    rows = [json.loads(line) for line in lines[:-1]]
    order = list(article_schema()["properties"])
    for row in rows:
        assert list(row) == [key for key in order if key in row]
    dated = [r for r in rows if r["published"]]
    keys = [(datetime.fromisoformat(r["published"]), natural_key(r["id"])) for r in dated]
    assert keys == sorted(keys) and rows[-1]["published"] is None
    assert sorted(rows, key=lambda r: r["id"]) == sorted(records, key=lambda r: r["id"])
    assert "Tầm quan trọng".encode() in (package / "articles.jsonl").read_bytes()  # not \u-escaped


def test_csv_round_trips(package: Path) -> None:
    raw = (package / "articles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(package / "articles.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    by_id = {json.loads(line)["id"]: json.loads(line)
             for line in (package / "articles.jsonl").read_text(encoding="utf-8").splitlines()}
    assert [row["id"] for row in rows] == list(by_id)
    for row in rows:
        record = by_id[row["id"]]
        for name, cell in row.items():
            value = record.get(name)
            if isinstance(value, (list, dict)):
                assert json.loads(cell) == value
            else:
                assert cell == ("" if value is None else str(value)), name


def test_parquet_reads_back_typed(package: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(package / "articles.parquet")
    assert table.schema.field("published").type == pa.timestamp("ms", tz="+07:00")
    assert table.schema.field("modified").type == pa.timestamp("ms", tz="+07:00")
    assert table.schema.field("fetched_at").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("word_count").type == pa.int32()
    assert table.schema.field("images").type == pa.list_(pa.struct([("url", pa.string()), ("caption", pa.string())]))
    records = [json.loads(line) for line in (package / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = table.to_pylist()
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        for name in ("published", "modified", "fetched_at"):
            expected = record.get(name)
            expected = datetime.fromisoformat(expected.replace("Z", "+00:00")) if expected else None
            assert row[name] == expected, name
        for name in ("id", "url", "title", "body", "category", "author", "word_count", "images", "warc"):
            assert row[name] == record.get(name), name
        assert row["tags"] == record.get("tags")  # absent stays null: nothing is invented
        assert row["attachments"] == [{"media_type": None, "sha256": None, **a} for a in record["attachments"]]


def test_datapackage_describes_the_data(package: Path, records: list[dict[str, Any]]) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "data-package" and descriptor["name"] == "danvan-articles"
    assert {r["path"]: r["count"] for r in descriptor["resources"]} == dict.fromkeys(
        ["articles.jsonl", "articles.csv", "articles.parquet"], len(records))
    for resource in descriptor["resources"]:
        data = (package / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert {"format", "mediatype"} <= set(resource)
    assert descriptor["published"] == {"first": "2016-11-07T15:40:00+07:00",
                                       "last": "2018-03-05T14:05:00+07:00", "undated": 1}
    assert {c["name"]: c["count"] for c in descriptor["categories"]}["Văn bản"] == 2
    assert descriptor["provenance"]["software"].startswith("dvarchive/")
    assert descriptor["provenance"]["source"]["name"] == "articles-in.jsonl"
    assert descriptor["created"] == max(r["fetched_at"] for r in records)
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert "| Văn bản | 2 |" in readme and "| 2018 | 3 |" in readme and "| undated | 1 |" in readme
    assert "| `modified` | 2 | 40.0 % |" in readme


def test_identical_input_gives_identical_bytes(records: list[dict[str, Any]], tmp_path: Path) -> None:
    source = write_jsonl(records, tmp_path / "in.jsonl")
    for name in ("a", "b"):
        assert run_cli("package", "--from", str(source), "--out", str(tmp_path / name)).returncode == 0
    for name in PACKAGE_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    build_package(shuffled, tmp_path / "c")
    assert (tmp_path / "c" / "articles.jsonl").read_bytes() == (tmp_path / "a" / "articles.jsonl").read_bytes()


def test_refuses_non_empty_out_without_force(records: list[dict[str, Any]], tmp_path: Path) -> None:
    source = write_jsonl(records[:2], tmp_path / "in.jsonl")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run_cli("package", "--from", str(source), "--out", str(out))
    assert result.returncode == 1 and "--force" in result.stderr and (out / "keep.txt").exists()
    result = run_cli("package", "--from", str(source), "--out", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert not (out / "keep.txt").exists() and verify_package(out).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out"]


def test_formats_subset(records: list[dict[str, Any]], tmp_path: Path) -> None:
    source = write_jsonl(records, tmp_path / "in.jsonl")
    result = run_cli("package", "--from", str(source), "--out", str(tmp_path / "out"), "--formats", "csv,jsonl")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "articles.parquet").exists()
    assert run_cli("verify", str(tmp_path / "out")).returncode == 0
    assert run_cli("package", "--from", str(source), "--out", str(tmp_path / "x"), "--formats", "xml").returncode == 2  # usage


def test_invalid_and_duplicate_records(records: list[dict[str, Any]], tmp_path: Path) -> None:
    bad = dict(records[0], published="28.2.2018")
    result = run_cli("package", "--from", str(write_jsonl([records[1], bad], tmp_path / "bad.jsonl")),
                     "--out", str(tmp_path / "bad"))
    assert result.returncode == 1 and "published: pattern" in result.stderr and "record 2" in result.stderr
    assert not (tmp_path / "bad").exists()

    newer = dict(records[0], title="Tiêu đề mới", fetched_at="2027-01-01T00:00:00Z")
    result = build_package([newer, records[0], records[1]], tmp_path / "dedup")
    assert (result.records, result.duplicates_dropped) == (2, 1)
    rows = [json.loads(line) for line in (tmp_path / "dedup" / "articles.jsonl").read_text().splitlines()]
    assert {r["id"]: r["title"] for r in rows}[records[0]["id"]] == "Tiêu đề mới"


def test_a_package_of_nothing_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    result = run_cli("package", "--from", str(empty), "--out", str(tmp_path / "pkg"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no article record" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.jsonl"]  # no folder, no staging left


@pytest.mark.parametrize("formats", ["", "xml", "jsonl,pdf", ","])
def test_unknown_formats_are_usage_errors(tmp_path: Path, formats: str) -> None:
    result = run_cli("package", "--from", str(tmp_path / "x.jsonl"), "--out", str(tmp_path / "pkg"),
                     "--formats", formats)
    assert result.returncode == 2 and "choose from" in result.stderr
