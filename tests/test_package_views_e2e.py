"""What archivists and researchers open: archive.wacz in pywb, articles.sqlite in Datasette,
report.html in Chromium — each checked with the real tool on 127.0.0.1.

One module-scoped crawl of the replica (full run, then an incremental and a revisit run after
the site gained, changed and lost articles) with ``--warc`` and ``--state`` feeds every test.
The replica is stopped before any replay, so what pywb serves can only come from the WACZ.
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from helpers import read_jsonl, replica_post, replica_truth, run_cli
from dvarchive.archive.verify import verify_package

pytestmark = pytest.mark.e2e  # real subprocesses end to end: `-m 'not e2e'` for a quick run
replica = pytest.importorskip("dvarchive.replica")
BIN = Path(sys.executable).parent
ARTICLES = 40
SAMPLE = 5


def tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed (pip install -e '.[test]'; chromium: .ci/ensure-chromium)")
    return str(found)


def crawl_run(base: str, out: Path, name: str, *extra: str) -> None:
    # WARC-Date (and so a WACZ page's ts) has whole seconds: a run starting in the second another
    # ended could capture an unchanged article (a 304) at the very ts of its first capture, and
    # replay by ts would then be ambiguous. Scheduled runs are hours apart; these are not.
    time.sleep(1.1)
    result = run_cli("crawl", "--start-url", base + "/", "--output", str(out / f"{name}.jsonl"), "--delay", "0",
                     "--warc", str(out / "crawl.warc.gz"), "--state", str(out / "state"), "--no-progress", *extra)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("views")
    with replica.start_replica_process(articles=ARTICLES) as site:
        crawl_run(site.base_url, out, "full")
        ids = sorted(replica_truth(site.base_url), key=int)
        replica_post(site.base_url, "/__replica__/add?n=2")
        replica_post(site.base_url, f"/__replica__/edit?id={ids[3]}")
        replica_post(site.base_url, f"/__replica__/delete?id={ids[6]}")
        crawl_run(site.base_url, out, "incremental")
        crawl_run(site.base_url, out, "revisit", "--revisit")
    return out


@pytest.fixture(scope="module")
def package(crawl: Path) -> Path:
    """``package --state`` with every format and the WARC series (crawl.warc.gz, crawl-00001…)."""
    result = run_cli("package", "--state", str(crawl / "state"), "--out", str(crawl / "pkg"),
                     "--warc", str(crawl / "crawl.warc.gz"), "--formats", "jsonl,csv,parquet,sqlite")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no capture" not in result.stderr
    return crawl / "pkg"


@pytest.fixture(scope="module")
def records(package: Path) -> list[dict[str, Any]]:
    return read_jsonl(package / "articles.jsonl")


def wacz_member(package: Path, name: str) -> bytes:
    with zipfile.ZipFile(package / "archive.wacz") as archive:
        return archive.read(name)


# --------------------------------------------------------------------------- WACZ


def test_wacz_validates_and_lists_every_article(package: Path, records: list[dict[str, Any]], crawl: Path) -> None:
    result = subprocess.run([tool("wacz"), "validate", "--file", str(package / "archive.wacz")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "is valid" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]

    warcs = sorted(p.name for p in crawl.glob("crawl*.warc.gz"))
    assert len(warcs) == 3  # one per run: the series package --warc crawl.warc.gz took in whole
    with zipfile.ZipFile(package / "archive.wacz") as archive:
        names = archive.namelist()
    assert sorted(n for n in names if n.startswith("archive/")) == [f"archive/{w}" for w in warcs]
    assert any(n.startswith("indexes/") and ".cdx" in n for n in names)

    lines = wacz_member(package, "pages/pages.jsonl").decode("utf-8").splitlines()
    header, pages = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    assert header["format"] == "json-pages-1.0"
    assert len(records) >= ARTICLES  # the withdrawn article is kept, the added ones are in
    assert {p["id"]: p["title"] for p in pages} == {r["id"]: r["title"] for r in records}

    inner = json.loads(wacz_member(package, "datapackage.json"))
    assert inner["wacz_version"].startswith("1.1")
    for resource in inner["resources"]:
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", resource["hash"]), resource
    outer = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    wacz = next(r for r in outer["resources"] if r["path"] == "archive.wacz")
    assert wacz["count"] == len(records)


@contextlib.contextmanager
def served(command: list[str], port: int, cwd: Path, ready_path: str, timeout: float = 90) -> Iterator[str]:
    """Run a server on 127.0.0.1:``port`` until ``ready_path`` answers; stop its process group after."""
    log = cwd / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert process.poll() is None, f"{command[0]} exited: {log.read_text(errors='replace')[-3000:]}"
            try:
                urllib.request.urlopen(base + ready_path, timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"{command[0]} silent: {log.read_text(errors='replace')[-3000:]}"
                time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_pywb_replays_sampled_articles_with_their_titles(package: Path, tmp_path: Path) -> None:
    pages = [json.loads(line) for line in wacz_member(package, "pages/pages.jsonl").decode().splitlines()[1:]]
    sample = random.Random(14).sample(pages, SAMPLE)
    for command in (["init", "dv"], ["add", "--unpack-wacz", "dv", str(package / "archive.wacz")]):
        result = subprocess.run([tool("wb-manager"), *command], cwd=tmp_path, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
    port = free_port()
    replayed, seen = [], []
    with served([tool("wayback"), "--bind", "127.0.0.1", "--port", str(port)], port, tmp_path, "/dv/") as base:
        for page in sample:
            stamp = re.sub(r"\D", "", page["ts"])
            status, headers, body = fetch(f"{base}/dv/{stamp}mp_/{page['url']}")
            # The replica serves some pages in decomposed Unicode; records are NFC.
            title = unicodedata.normalize("NFC", lxml_html.fromstring(body).findtext(".//title") or "")
            seen.append((page["id"], status, title, headers.get("Memento-Datetime")))
            if status == 200 and page["title"] in title and "Memento-Datetime" in headers:
                replayed.append(page["id"])
        missing_status, _, _ = fetch(f"{base}/dv/{stamp}mp_/{page['url']}-never-captured")
    assert replayed == [p["id"] for p in sample], (seen, sample)
    assert missing_status == 404  # replay answers from the archive, not from anything live


# --------------------------------------------------------------------------- Datasette


def folded_words(text: str) -> set[str]:
    """Words as FTS5's unicode61 tokenizer with remove_diacritics 2 sees them."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    return set(re.findall(r"\w+", stripped))


def rarest_body_word(records: list[dict[str, Any]]) -> tuple[str, set[str]]:
    """A word of some body with the fewest records containing it, and those records' ids."""
    words = {r["id"]: folded_words(" ".join(filter(None, (r["title"], r.get("subtitle"), r["body"]))))
             for r in records}
    candidates = sorted({w for r in records for w in folded_words(r["body"]) if w.isalpha() and len(w) > 3})
    word = min(candidates, key=lambda w: (sum(w in ws for ws in words.values()), w))
    return word, {rid for rid, ws in words.items() if word in ws}


def test_datasette_searches_and_facets(package: Path, records: list[dict[str, Any]], tmp_path: Path) -> None:
    word, expected = rarest_body_word(records)
    port = free_port()
    command = [tool("datasette"), "serve", str(package / "articles.sqlite"), "--metadata",
               str(package / "metadata.json"), "--host", "127.0.0.1", "--port", str(port)]
    with served(command, port, tmp_path, "/-/versions.json") as base:
        query = urllib.parse.urlencode({"_search": word, "_shape": "objects", "_size": "max"})
        status, _, body = fetch(f"{base}/articles/articles.json?{query}")
        found = json.loads(body)
        status_all, _, body_all = fetch(f"{base}/articles/articles.json?_size=0")
        table = json.loads(body_all)
        status_page, _, page = fetch(f"{base}/articles/articles")
    assert status == 200 and {row["id"] for row in found["rows"]} == expected, (word, found["rows"][:3])
    assert len(expected) < len(records)
    assert status_all == 200 and table["filtered_table_rows_count"] == len(records)
    facets = table["facet_results"]["results"] if "results" in table["facet_results"] else table["facet_results"]
    assert {"category", "author", "month"} <= set(facets)
    by_category = {f["value"]: f["count"] for f in facets["category"]["results"]}
    assert sum(by_category.values()) == sum(1 for r in records if r["category"])
    assert table["license"] and table["source"]
    assert status_page == 200 and b'name="_search"' in page  # the search box is there, no setup


def test_sqlite_has_typed_columns(package: Path, records: list[dict[str, Any]]) -> None:
    import sqlite3

    with sqlite3.connect(package / "articles.sqlite") as db:
        types = {row[1]: row[2] for row in db.execute("PRAGMA table_info(articles)")}
        rows = {r[0]: r for r in db.execute("SELECT id, word_count, published, month, images FROM articles")}
    assert types["word_count"] == types["schema_version"] == "INTEGER" and types["body"] == "TEXT"
    assert list(types)[:3] == ["schema_version", "id", "url"] and list(types)[-1] == "month"
    for record in records:
        row = rows[record["id"]]
        assert row[1] == record["word_count"] and row[2] == record["published"]
        assert row[3] == (record["published"] or "")[:7] or (row[3] is None and not record["published"])
        assert json.loads(row[4]) == record["images"]


# --------------------------------------------------------------------------- verify


@pytest.mark.parametrize("name", ["archive.wacz", "articles.sqlite"])
def test_verify_finds_a_flipped_byte(package: Path, tmp_path: Path, name: str) -> None:
    assert verify_package(package).ok
    copy = tmp_path / "copy"
    shutil.copytree(package, copy)
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / name).write_bytes(bytes(data))
    assert verify_package(copy).changed_files == {name}
    result = run_cli("verify", str(copy))
    assert result.returncode == 3 and f"1 file(s) differ: {name}" in result.stdout, result.stdout


# --------------------------------------------------------------------------- report

REMOTE = re.compile(r"^\s*(https?:|//|ftp:)", re.IGNORECASE)


def remote_references(document: str) -> list[str]:
    """Every URL the page would load or link to outside itself (namespace declarations aside)."""
    tree = lxml_html.fromstring(document.encode("utf-8"))
    found = [f"{el.tag}@{name}={value}" for el in tree.iter() if isinstance(el.tag, str)
             for name, value in el.attrib.items()
             if name.split("}")[-1].split(":")[-1] in ("src", "href", "action", "poster", "data", "srcset")
             and REMOTE.match(value)]
    found += re.findall(r"url\(\s*['\"]?\s*(?:https?:|//)[^)]*\)|@import[^;]*", document)
    return found


def chromium_render(page: Path, shot: Path, profile: Path) -> tuple[int, str]:
    result = subprocess.run([tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                             "--window-size=1200,2400", f"--screenshot={shot}", page.resolve().as_uri()],
                            capture_output=True, text=True, timeout=180)
    return result.returncode, result.stderr


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def assert_not_blank(shot: Path) -> None:
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 16, f"{shot} is nearly uniform"


@pytest.fixture(scope="module")
def reports(crawl: Path, package: Path) -> dict[str, Path]:
    made = {"state": crawl / "report-state.html", "from": crawl / "report-from.html"}
    for origin, argument in (("state", crawl / "state"), ("from", crawl / "full.jsonl")):
        result = run_cli("report", f"--{origin}", str(argument), "--out", str(made[origin]))
        assert result.returncode == 0, result.stderr[-3000:]
    made["package"] = package / "report.html"
    return made


@pytest.mark.parametrize("which", ["state", "from", "package"])
def test_report_is_self_contained_with_charts(reports: dict[str, Path], crawl: Path, records: list[dict[str, Any]],
                                              which: str) -> None:
    document = reports[which].read_text(encoding="utf-8")
    counted = records if which != "from" else read_jsonl(crawl / "full.jsonl")
    tree = lxml_html.fromstring(document.encode("utf-8"))
    assert tree.findtext(".//*[@id='total']") == f"{len(counted):,}"
    charts = tree.xpath("//figure[@class='chart']/*[local-name()='svg']")
    assert len(charts) >= 5
    assert remote_references(document) == []
    assert not tree.xpath("//script | //link | //img | //iframe | //object | //embed")
    headings = [h.text_content() for h in tree.iter("h2")]
    expected = {"Articles per month", "Articles per category", "Field coverage", "Body length", "Extractors"}
    assert expected <= set(headings)
    if which == "from":
        assert "Crawl runs" not in headings
    else:
        runs = tree.xpath("//h2[.='Crawl runs']/following-sibling::table[1]/tbody/tr")
        cells = [[td.text_content() for td in row] for row in runs]
        assert [row[1] for row in cells] == ["full", "incremental", "revisit"]
        assert [int(row[4]) for row in cells][1] == 2  # the two added articles
        assert int(cells[2][5]) == 1 and int(cells[2][7]) == 1  # revisit: one changed, one withdrawn


def test_remote_reference_check_catches_one() -> None:
    page = "<html><body><img src='https://example.org/x.png'><p style=\"background:url(//cdn/x)\"></p></body></html>"
    assert len(remote_references(page)) == 2


@pytest.mark.parametrize("which", ["state", "from"])
def test_report_renders_in_chromium(reports: dict[str, Path], tmp_path: Path, which: str) -> None:
    shot = tmp_path / "report.png"
    code, stderr = chromium_render(reports[which], shot, tmp_path / "profile")
    assert code == 0 and shot.is_file(), stderr[-3000:]
    assert console_messages(stderr) == []
    assert_not_blank(shot)
    # The same check sees a console error when there is one (so an empty list above means something).
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><p>x</p><script>console.error('broken page')</script>", encoding="utf-8")
    code, stderr = chromium_render(broken, tmp_path / "broken.png", tmp_path / "profile")
    assert code == 0 and any("broken page" in line for line in console_messages(stderr)), stderr[-3000:]


def test_records_without_a_capture_are_counted_and_a_missing_warc_is_an_error(crawl: Path, tmp_path: Path) -> None:
    first_run = read_jsonl(crawl / "full.jsonl")
    only_second = crawl / "crawl-00001.warc.gz"  # the incremental run's WARC: none of the full run's pages
    result = run_cli("package", "--from", str(crawl / "full.jsonl"), "--out", str(tmp_path / "pkg"),
                     "--warc", str(only_second))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"warning: {len(first_run)} record(s) have no capture" in result.stderr
    descriptor = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["provenance"]["wacz"] == {"pages": 0, "records_without_capture": len(first_run)}
    assert verify_package(tmp_path / "pkg").ok

    result = run_cli("package", "--from", str(crawl / "full.jsonl"), "--out", str(tmp_path / "none"),
                     "--warc", str(tmp_path / "absent.warc.gz"))
    assert result.returncode == 1 and "absent.warc.gz: no such WARC file" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "none").exists()


def test_frictionless_validates_the_full_package(package: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json",
                             str(package / "datapackage.json")], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], json.dumps(report, indent=1)[:4000]
    assert sorted(task["name"] for task in report["tasks"]) == sorted(
        ["articles-jsonl", "articles-csv", "articles-parquet", "articles-sqlite", "archive-wacz"])
    assert sorted(p.name for p in package.iterdir()) == sorted(
        ["README.md", "archive.wacz", "articles.csv", "articles.jsonl", "articles.parquet", "articles.sqlite",
         "datapackage.json", "manifest-sha256.txt", "metadata.json", "report.html", "tagmanifest-sha256.txt",
         "withdrawn.jsonl"])


def test_pages_follow_each_records_warc_pointer(crawl: Path) -> None:
    from dvarchive.archive.wacz import page_entries, warc_inputs

    records = read_jsonl(crawl / "full.jsonl")
    shifted = dict(records[0], warc=dict(records[0]["warc"], offset=records[0]["warc"]["offset"] + 1))
    other_id = dict(records[1], warc=dict(records[1]["warc"], record_id="<urn:uuid:not-this-one>"))
    nowhere = dict(records[2], warc=None)
    pages, missing = page_entries([shifted, other_id, nowhere, *records[3:]], warc_inputs([crawl / "crawl.warc.gz"]))
    assert missing == [records[0]["id"], records[1]["id"], records[2]["id"]]
    assert [p["id"] for p in pages] == [r["id"] for r in records[3:]]
    for page, record in zip(pages, records[3:], strict=True):
        assert page["ts"] == record["fetched_at"] and page["title"] == record["title"]
        assert page["url"].rsplit("-", 1)[-1] == record["url"].rsplit("-", 1)[-1]  # same article, maybe another path
