"""WARC capture: a real Scrapy crawl of a real HTTP server on 127.0.0.1, checked with warcio.

The server (``http.server`` in a thread) serves plain, gzip-encoded, chunked, 404, 500 and
redirect responses and logs every request it answers; the crawl runs in a subprocess with
``FetchTimeMiddleware`` and ``WarcCaptureMiddleware`` enabled as in the project settings.
"""
from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from dvarchive.archive.warc import (
    RotatingWarcWriter,
    iter_responses,
    read_record_at,
    series_path,
    warc_series,
)

REPO = Path(__file__).resolve().parents[1]
PAGE = "<html><head><meta charset='utf-8'><title>Tin hoạt động</title></head><body>{}</body></html>"


def _pages() -> dict[str, tuple[int, dict[str, str], bytes]]:
    html = PAGE.format("Dân vận khéo — bài {}")
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/": (200, {"Content-Type": "text/html; charset=utf-8"},
              PAGE.format("".join(f"<a href='/a-{i}.html'>{i}</a>" for i in range(3))
                          + "<a href='/gz.html'>gz</a><a href='/chunked.html'>c</a>"
                          + "<a href='/missing.html'>m</a><a href='/error.html'>e</a>"
                          + "<a href='/moved.html'>r</a><a href='/private/x.html'>p</a>"
                          + "<a href='/bin'>b</a>").encode()),
        "/gz.html": (200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                     gzip.compress(html.format("gz").encode(), mtime=0)),
        "/chunked.html": (200, {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"},
                          html.format("chunked").encode()),
        "/missing.html": (404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>Not found</h1>"),
        "/error.html": (500, {"Content-Type": "text/html"}, b"<h1>Server error</h1>"),
        "/moved.html": (302, {"Location": "/a-0.html", "Content-Type": "text/html"}, b"moved"),
        "/bin": (200, {"Content-Type": "application/octet-stream"},
                 random.Random(7).randbytes(3000)),
    }
    for i in range(3):
        pages[f"/a-{i}.html"] = (200, {"Content-Type": "text/html; charset=utf-8", "Set-Cookie": "a=1"},
                                 html.format(i).encode())
    for i in range(8):  # incompressible pages so a small WARC_MAX_SIZE forces rotation
        pages[f"/blob-{i}.bin"] = (200, {"Content-Type": "application/octet-stream"},
                                   random.Random(i).randbytes(2500))
    return pages


PAGES = _pages()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.log.append(self.path)
        status, headers, body = PAGES.get(self.path, (404, {"Content-Type": "text/plain"}, b"no"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        chunked = headers.get("Transfer-Encoding") == "chunked"
        if not chunked:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if chunked:
            for start in range(0, len(body), 40):
                part = body[start:start + 40]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    log: list[str] = []
    handler = type("LoggingHandler", (Handler,), {"log": log})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", log
    finally:
        httpd.shutdown()
        httpd.server_close()


CRAWL_SCRIPT = r"""
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

args = json.loads(sys.argv[1])
ALL = {"handle_httpstatus_all": True}  # 3xx/4xx/5xx reach the callback (and are not followed)

class LinkSpider(scrapy.Spider):
    name = "warctest"
    start_url = args["start"]

    async def start(self):
        for url in args["urls"]:
            yield scrapy.Request(url, callback=self.parse, meta=ALL)

    def parse(self, response):
        with open(args["meta_out"], "a", encoding="utf-8") as out:
            out.write(json.dumps({"url": response.url, "status": response.status,
                                  "warc": response.meta.get("warc"),
                                  "fetched_at": response.meta.get("fetched_at")}) + "\n")
        if response.status == 200 and b"<a " in response.body:
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, callback=self.parse, meta=ALL)

process = CrawlerProcess(settings={
    "ROBOTSTXT_OBEY": True, "RETRY_ENABLED": False, "LOG_LEVEL": "WARNING",
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "DOWNLOADER_MIDDLEWARES": {"dvarchive.middlewares.FetchTimeMiddleware": 950,
                               "dvarchive.archive.warc.WarcCaptureMiddleware": 890},
    "WARC_PATH": args["warc"], "WARC_MAX_SIZE": args["max_size"],
    "USER_AGENT": "dvarchive-test", "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 4,
    "TELNETCONSOLE_ENABLED": False,
})
process.crawl(LinkSpider)
process.start()
"""


def run_crawl(base: str, urls: list[str], warc: Path, max_size: int, meta_out: Path) -> None:
    args = {"start": base + "/", "urls": urls, "warc": str(warc), "max_size": max_size,
            "meta_out": str(meta_out)}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    script = meta_out.with_name("crawl_script.py")  # a file: Scrapy inspects callback source
    script.write_text(CRAWL_SCRIPT, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), json.dumps(args)], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "ERROR" not in result.stderr, result.stderr[-4000:]


def warcio_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warcio.cli", *args], capture_output=True, text=True,
                          timeout=120)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_raw(url: str) -> bytes:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


@pytest.fixture(scope="module")
def capture(server: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base, log = server
    out = tmp_path_factory.mktemp("warc")
    log.clear()
    run_crawl(base, [base + "/"], out / "crawl.warc.gz", 1024**3, out / "meta.jsonl")
    meta = [json.loads(line) for line in (out / "meta.jsonl").read_text().splitlines()]
    return {"base": base, "log": list(log), "dir": out, "warc": out / "crawl.warc.gz", "meta": meta}


def records_of(path: Path) -> list[tuple[Any, bytes]]:
    with open(path, "rb") as stream:
        return [(record, record.raw_stream.read()) for record in ArchiveIterator(stream)]


def test_warcio_check_and_index_pass(capture: dict[str, Any]) -> None:
    check = warcio_cli("check", "-v", str(capture["warc"]))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout and "digest fail" not in check.stdout
    index = warcio_cli("index", "-f", "warc-type,warc-target-uri,http:status,offset", str(capture["warc"]))
    assert index.returncode == 0, index.stderr
    lines = [json.loads(line) for line in index.stdout.splitlines()]
    assert lines[0]["warc-type"] == "warcinfo"
    assert {line["warc-type"] for line in lines[1:]} == {"request", "response"}


def test_one_response_record_per_request_served(capture: dict[str, Any]) -> None:
    base = capture["base"]
    archived = Counter(r.url for r in iter_responses([capture["warc"]]))
    served = Counter(base + path for path in capture["log"])
    assert archived == served
    assert base + "/robots.txt" in archived  # robots.txt is evidence too
    assert base + "/private/x.html" not in archived  # never fetched: disallowed
    for status_path in ("/missing.html", "/error.html", "/moved.html"):
        assert archived[base + status_path] == 1


def test_payloads_are_the_bytes_served(capture: dict[str, Any]) -> None:
    raw = list(iter_responses([capture["warc"]], decode_content=False))
    assert raw
    for archived in raw:
        assert archived.body == fetch_raw(archived.url), archived.url
    gz = next(r for r in raw if r.url.endswith("/gz.html"))
    assert gz.body[:2] == b"\x1f\x8b" and gz.header("Content-Encoding") == "gzip"
    decoded = next(r for r in iter_responses([capture["warc"]]) if r.url.endswith("/gz.html"))
    assert "Dân vận khéo — bài gz".encode() in decoded.body


def test_status_lines_headers_and_digests(capture: dict[str, Any]) -> None:
    records = records_of(capture["warc"])
    responses = {r.rec_headers.get_header("WARC-Target-URI"): r for r, _ in records if r.rec_type == "response"}
    requests = [r for r, _ in records if r.rec_type == "request"]
    base = capture["base"]
    assert responses[base + "/missing.html"].http_headers.statusline == "404 Not Found"
    assert responses[base + "/error.html"].http_headers.statusline == "500 Internal Server Error"
    moved = responses[base + "/moved.html"].http_headers
    assert moved.statusline == "302 Found" and moved.get_header("Location") == "/a-0.html"
    assert responses[base + "/a-0.html"].http_headers.protocol == "HTTP/1.1"
    assert responses[base + "/a-0.html"].http_headers.get_header("Set-Cookie") == "a=1"
    # Twisted consumes the chunked coding and its header; the payload must not look chunked.
    chunked = responses[base + "/chunked.html"].http_headers
    assert chunked.get_header("Transfer-Encoding") is None
    for record in responses.values():
        assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert record.rec_headers.get_header("WARC-Block-Digest").startswith("sha1:")
        assert record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
        assert record.rec_headers.protocol == "WARC/1.1"
    ids = {r.rec_headers.get_header("WARC-Record-ID") for r in responses.values()}
    assert len(requests) == len(responses)
    assert {r.rec_headers.get_header("WARC-Concurrent-To") for r in requests} == ids
    assert all(r.http_headers.protocol == "GET" for r in requests)
    assert all(r.http_headers.get_header("User-Agent") == "dvarchive-test" for r in requests)


def test_warcinfo_describes_the_crawl(capture: dict[str, Any]) -> None:
    record, payload = records_of(capture["warc"])[0]
    assert record.rec_type == "warcinfo"
    assert record.rec_headers.get_header("WARC-Filename") == "crawl.warc.gz"
    fields = dict(line.split(": ", 1) for line in payload.decode().splitlines() if line)
    assert fields["software"].startswith("dvarchive/")
    assert "Scrapy/" in fields["software"]
    assert fields["robots"] == "classic"
    assert fields["start-url"] == capture["base"] + "/"
    assert fields["http-header-user-agent"] == "dvarchive-test"
    assert fields["setting-DOWNLOAD_DELAY"] == "0"
    assert fields["setting-ROBOTSTXT_OBEY"] == "True"


def test_warc_date_is_fetched_at_and_meta_points_at_the_record(capture: dict[str, Any]) -> None:
    meta = capture["meta"]
    served = {capture["base"] + path for path in capture["log"] if path != "/robots.txt"}
    assert {entry["url"] for entry in meta} == served
    for entry in meta:
        ref = entry["warc"]
        assert ref["file"] == "crawl.warc.gz"
        record, payload = read_record_at(capture["dir"] / ref["file"], ref["offset"])
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Record-ID") == ref["record_id"]
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
        assert record.rec_headers.get_header("WARC-Date") == entry["fetched_at"]
        assert payload == fetch_raw(entry["url"])


def test_rotation_writes_several_valid_files(server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, _ = server
    urls = [f"{base}/blob-{i}.bin" for i in range(8)]
    run_crawl(base, urls, tmp_path / "rot.warc.gz", 6000, tmp_path / "meta.jsonl")
    files = warc_series(tmp_path / "rot.warc.gz")
    assert len(files) >= 3
    assert [f.name for f in files[:3]] == ["rot.warc.gz", "rot-00001.warc.gz", "rot-00002.warc.gz"]
    for path in files:
        check = warcio_cli("check", str(path))
        assert check.returncode == 0, check.stdout + check.stderr
        records = records_of(path)
        assert records[0][0].rec_type == "warcinfo"
        assert records[0][0].rec_headers.get_header("WARC-Filename") == path.name
        responses = sum(1 for r, _ in records if r.rec_type == "response")
        assert responses >= 1 and (path.stat().st_size <= 6000 or responses == 1)
    archived = Counter(r.url for r in iter_responses(files))
    assert set(urls) <= set(archived) and all(archived[u] == 1 for u in urls)
    for entry in map(json.loads, (tmp_path / "meta.jsonl").read_text().splitlines()):
        ref = entry["warc"]
        record, payload = read_record_at(tmp_path / ref["file"], ref["offset"])
        assert record.rec_headers.get_header("WARC-Record-ID") == ref["record_id"]
        assert payload == fetch_raw(entry["url"])


def test_existing_warc_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"earlier evidence")
    writer = RotatingWarcWriter(path, warcinfo={"software": "test"})
    writer.open()
    writer.close()
    assert path.read_bytes() == b"earlier evidence"
    assert writer.files == [series_path(path, 1)]
    assert warc_series(path) == [path, tmp_path / "crawl-00001.warc.gz"]


def test_disabled_without_warc_path() -> None:
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from dvarchive.archive.warc import WarcCaptureMiddleware

    with pytest.raises(NotConfigured):
        WarcCaptureMiddleware.from_crawler(get_crawler(settings_dict={"WARC_PATH": ""}))


def test_series_naming(tmp_path: Path) -> None:
    assert series_path(tmp_path / "crawl.warc.gz", 0) == tmp_path / "crawl.warc.gz"
    assert series_path(tmp_path / "crawl.warc.gz", 12) == tmp_path / "crawl-00012.warc.gz"
    assert series_path(tmp_path / "crawl.warc", 1) == tmp_path / "crawl-00001.warc"
    assert series_path(tmp_path / "crawl", 1) == tmp_path / "crawl-00001"


FULL_DISK_SCRIPT = r"""
import io, json, random, resource, signal, sys
from warcio.statusandheaders import StatusAndHeaders
from dvarchive.archive.warc import RotatingWarcWriter

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (9000, 9000))
writer = RotatingWarcWriter(sys.argv[1], warcinfo={"software": "test"})
written = []
try:
    for i in range(20):
        body = random.Random(i).randbytes(1500)
        record = writer.make_record(f"http://127.0.0.1/{i}", "response", payload=io.BytesIO(body),
                                    length=len(body),
                                    http_headers=StatusAndHeaders("200 OK", [], protocol="HTTP/1.1"))
        written.append(writer.write([record]))
except OSError as exc:
    print(json.dumps({"error": exc.errno, "written": written}))
writer.close()
"""


def test_a_failed_write_leaves_no_partial_record(tmp_path: Path) -> None:
    """A real EFBIG (RLIMIT_FSIZE) mid-record: the file is cut back to its last whole record."""
    path = tmp_path / "full.warc.gz"
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK_SCRIPT, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(path)], cwd=REPO, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["error"] and len(report["written"]) >= 2
    check = warcio_cli("check", str(path))
    assert check.returncode == 0, check.stdout + check.stderr
    archived = list(iter_responses([path]))
    assert [r.offset for r in archived] == [offset for _, offset in report["written"]]
