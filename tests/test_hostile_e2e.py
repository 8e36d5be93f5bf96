"""A hostile site (issue 11): nothing requested off the origin, every saved file portable and kept.

The site under test is the real replica seen through a small loopback front server (its own
origin) that

- answers some on-site URLs — an article, a listing page, an RSS feed and an attachment — with a
  redirect to *another port on the same IP*, where a second loopback server logs every request:
  it must log none, not even ``/robots.txt``;
- adds hostile documents to one article's attachments box: Windows device names in several
  cases and extensions, bidi and other control characters, and two pairs of files that share a
  name (one pair differing only in case) but not their bytes;
- makes one category's pager endless (every page past the last repeats the last page) and puts
  2,000 extra article links on another category's first page.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers import read_jsonl, run_cli
from helpers.hostile import OffsiteHandler, QuietHandler, get, relay, start, truth_through

HOSTILE_PREFIX = "/Uploads/hostile/"
HOSTILE_DOCUMENTS = (  # path under HOSTILE_PREFIX (as linked, percent-encoded), shown name
    ("a/CON.pdf", "CON"), ("b/con.PDF", "con"), ("c/report.pdf", "report"), ("d/report.pdf", "report 2"),
    ("e/Report.PDF", "Report"), ("f/invoice%E2%80%AEfdp.exe", "bidi"), ("g/lpt9.tar.gz", "lpt9"),
    ("h/nul", "nul"), ("i/Com1%20.doc", "com1"), ("j/a%01b%7Fc%C2%85d.pdf", "controls"),
    ("k/%E2%81%A6x%E2%81%A9.doc", "isolates"), ("l/aux.txt.pdf", "aux"), ("m/PRN", "prn"),
)
ENDLESS = "nghien-cuu-trao-doi"
CROWDED = "/van-ban/"
EXTRA_LINKS = 2000
MAX_LINKS = 500  # the project's default cap
LISTING = re.compile(r"^/(?P<slug>[a-z0-9-]+)/(\?trang=(?P<page>\d+))?$")
DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])\s*(\..*)?$", re.IGNORECASE)


def hostile_bytes(path: str) -> bytes:
    """Different bytes for every path (so same-named files must not replace each other)."""
    return b"%PDF-1.4\n% hostile " + path.encode() + b"\n%%EOF\n"


def crowded(html: bytes) -> bytes:
    """The page with EXTRA_LINKS more items after its real ones (inside the list, before the pager)."""
    extra = "".join(f'<div class="news-item"><h3><a href="{CROWDED}tai-lieu-{9_100_000 + i}.html">Tài liệu {i}</a>'
                    "</h3></div>\n" for i in range(EXTRA_LINKS))
    head, pager, tail = html.partition(b'<div class="pager">')
    list_end = head.rindex(b"</div>")
    return head[:list_end] + extra.encode() + head[list_end:] + pager + tail


@dataclass
class Pager:
    """The endless pager's memory: the last page the replica really had, and what was asked."""

    last_body: bytes = b""
    last_page: int = 0
    asked: list[int] = field(default_factory=list)
    crowded_real: int = 0  # articles the crowded page really lists

    def serve(self, page: int, body: bytes) -> bytes:
        from dvarchive.pages import parse_listing

        self.asked.append(page)
        if parse_listing(body, "http://x/"):
            self.last_body, self.last_page = body, max(self.last_page, page)
            return body
        return self.last_body or body


def with_hostile_documents(html: bytes) -> bytes:
    links = "".join(f'<li><a href="{HOSTILE_PREFIX}{path}">{name}</a></li>' for path, name in HOSTILE_DOCUMENTS)
    return html.replace(b'<div class="attachments"><span class="label">', b'<div class="attachments"><ul>'
                        + links.encode() + b'</ul><span class="label">', 1)


def front_handler(replica: str, offsite: str, redirects: set[str], hostile: set[str],
                  pager: Pager) -> type[BaseHTTPRequestHandler]:
    """Relays to the replica (keeping its own Host, so pages link to the front), except ``redirects``."""
    class FrontHandler(QuietHandler):
        def do_GET(self) -> None:
            if self.path in redirects:
                self.answer(302, b"", "text/html", {"Location": offsite + self.path})
                return
            if self.path.startswith(HOSTILE_PREFIX):
                self.answer(200, hostile_bytes(self.path), "application/pdf")
                return
            status, headers, body = relay(replica, self)
            if self.path in hostile:
                body = with_hostile_documents(body)
            if (listing := LISTING.match(self.path)) and listing["slug"] == ENDLESS:
                body = pager.serve(int(listing["page"] or 1), body)
            if self.path == CROWDED:
                from dvarchive.pages import parse_listing

                pager.crowded_real = len(parse_listing(body, "http://x/"))
                body = crowded(body)
            self.answer(status, body, headers.pop("Content-Type", "application/octet-stream"), headers)

    return FrontHandler


def newest(truth: dict[str, dict[str, Any]], slug: str) -> dict[str, Any]:
    in_category = [r for r in truth.values() if urlsplit(r["url"]).path.startswith(f"/{slug}/")]
    return max(in_category, key=lambda r: r["published"])


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from dvarchive.replica import start_replica_process

    tmp = tmp_path_factory.mktemp("scope")
    offsite = start(OffsiteHandler)
    with start_replica_process(articles=120) as replica:
        redirects: set[str] = set()
        hostile: set[str] = set()
        pager = Pager()
        front = start(front_handler(replica.base_url, offsite.origin, redirects, hostile, pager))
        truth = truth_through(front.origin)
        article = newest(truth, "tin-hoat-dong")
        with_document = next(r for r in sorted(truth.values(), key=lambda r: r["published"], reverse=True)
                             if r["attachments"] and r["id"] != article["id"])
        targets = {
            "article": urlsplit(article["url"]).path,
            "listing": "/dan-van-kheo/?trang=2",
            "rss": "/rss/van-ban.rss",
            "attachment": urlsplit(with_document["attachments"][0]["url"]).path,
        }
        offsite.page = get(front.origin, targets["article"])
        redirects.update(targets.values())
        hostile_article = next(r for r in truth.values() if r["attachments"] and r["id"] != with_document["id"])
        hostile.add(urlsplit(hostile_article["url"]).path)
        result = run_cli("crawl", "--start-url", front.origin + "/", "--output", str(tmp / "out.jsonl"),
                         "--delay", "0", "--no-progress", "--stats", str(tmp / "stats.json"),
                         "--attachments-dir", str(tmp / "files"), "--warc", str(tmp / "crawl.warc.gz"))
        yield {"result": result, "offsite": offsite, "front": front, "targets": targets, "truth": truth,
               "article": article, "with_document": with_document, "tmp": tmp, "hostile": hostile_article, "pager": pager,
               "records": {r["id"].split(":", 1)[1]: r for r in read_jsonl(tmp / "out.jsonl")},
               "stats": json.loads((tmp / "stats.json").read_text())}
        front.httpd.shutdown()
    offsite.httpd.shutdown()


def test_the_crawl_completes(scoped: dict[str, Any]) -> None:
    assert scoped["result"].returncode == 0, scoped["result"].stderr[-3000:]
    assert len(scoped["records"]) >= len(scoped["truth"]) // 2


def test_the_other_port_is_never_contacted(scoped: dict[str, Any]) -> None:
    assert scoped["offsite"].log == []


def test_every_redirect_off_the_origin_is_refused_and_counted(scoped: dict[str, Any]) -> None:
    stats = scoped["stats"]
    assert stats["dvarchive/offsite/redirect"] == len(scoped["targets"]) == 4
    assert stats["dvarchive/offsite/refused"] >= 4
    assert stats.get("dvarchive/article_failed", 0) == 0  # an off-site redirect is a refusal, not a failure


def test_no_record_names_another_origin(scoped: dict[str, Any]) -> None:
    front = urlsplit(scoped["front"].origin)
    for record in scoped["records"].values():
        assert urlsplit(record["url"]).netloc == front.netloc
    assert str(scoped["article"]["id"]) not in scoped["records"]


def test_the_redirected_attachment_has_no_digest(scoped: dict[str, Any]) -> None:
    record = scoped["records"][str(scoped["with_document"]["id"])]
    document = record["attachments"][0]
    assert document["sha256"] is None and document["media_type"] is None
    for record in scoped["records"].values():
        for attachment in record["attachments"]:
            if attachment["sha256"] is not None:
                assert urlsplit(attachment["url"]).netloc == urlsplit(scoped["front"].origin).netloc


def saved_files(scoped: dict[str, Any], article_id: Any) -> dict[str, str]:
    """name -> sha256 of every file saved for one article."""
    folder = scoped["tmp"] / "files" / str(article_id)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} if folder.is_dir() else {}


def test_hostile_documents_are_saved_under_portable_names(scoped: dict[str, Any]) -> None:
    names = list(saved_files(scoped, scoped["hostile"]["id"]))
    assert len(names) >= len(HOSTILE_DOCUMENTS)
    for name in names:
        assert not DEVICE.match(name), name
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name), repr(name)
        assert name == unicodedata.normalize("NFC", name) and not name.endswith((".", " "))
    folded = [name.casefold() for name in names]
    assert len(set(folded)) == len(folded)  # unique even on a case-insensitive file system


def test_same_named_documents_with_other_bytes_are_all_kept(scoped: dict[str, Any]) -> None:
    on_disk = set(saved_files(scoped, scoped["hostile"]["id"]).values())
    assert scoped["stats"]["dvarchive/attachments/renamed"] == 3  # con.PDF, report.pdf (2nd), Report.PDF
    for path, _ in HOSTILE_DOCUMENTS:
        assert hashlib.sha256(hostile_bytes(HOSTILE_PREFIX + path)).hexdigest() in on_disk, path


def test_every_sha256_on_a_record_names_bytes_on_disk(scoped: dict[str, Any]) -> None:
    digests = 0
    for record_id, record in scoped["records"].items():
        on_disk = set(saved_files(scoped, record_id).values())
        for attachment in record["attachments"]:
            if attachment["sha256"] is not None:
                digests += 1
                assert attachment["sha256"] in on_disk, (record_id, attachment)
    assert digests >= len(HOSTILE_DOCUMENTS)
    hostile = scoped["records"][str(scoped["hostile"]["id"])]
    assert sum(a["sha256"] is not None for a in hostile["attachments"]) >= len(HOSTILE_DOCUMENTS)


def test_an_endless_pager_repeating_its_last_page_is_left_at_once(scoped: dict[str, Any]) -> None:
    pager: Pager = scoped["pager"]
    assert pager.last_page >= 2
    assert sorted(pager.asked) == list(range(1, pager.last_page + 2))  # one repeat seen, then stop
    assert scoped["stats"]["dvarchive/listing/repeated_stop"] >= 1


def test_a_crowded_listing_page_is_capped_and_counted(scoped: dict[str, Any]) -> None:
    stats = scoped["stats"]
    assert stats["dvarchive/listing/links_capped"] == 1
    assert scoped["pager"].crowded_real > 0
    assert stats["dvarchive/listing/links_dropped"] == scoped["pager"].crowded_real + EXTRA_LINKS - MAX_LINKS
    # the real articles, listed first on that page, were still archived
    van_ban = {i for i, r in scoped["truth"].items() if urlsplit(r["url"]).path.startswith(CROWDED)}
    assert van_ban and van_ban <= set(scoped["records"])


def test_documents_are_captured_in_the_warc_too(scoped: dict[str, Any]) -> None:
    """Attachments go through the engine's downloader: the WARC holds the bytes each sha256 names."""
    from dvarchive.archive.warc import iter_responses

    archived = {(r.url, hashlib.sha256(r.body).hexdigest())
                for r in iter_responses([scoped["tmp"] / "crawl.warc.gz"]) if r.status == 200}
    documents = {(a["url"], a["sha256"]) for r in scoped["records"].values() for a in r["attachments"] if a["sha256"]}
    assert len(documents) >= len(HOSTILE_DOCUMENTS)
    assert documents <= archived
