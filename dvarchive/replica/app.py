"""Routing of the replica: request in, :class:`Reply` out (no sockets here, see ``server``).

Per-server state lives here too: which traps and faults already fired, and the request log.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dvarchive.replica import faults as fault_modes
from dvarchive.replica import files, templates
from dvarchive.replica.conditional import Headers, article_validators, conditional_reply
from dvarchive.replica.model import CATEGORY_BY_SLUG, Article
from dvarchive.replica.reply import Reply, json_reply as _json
from dvarchive.replica.site import ReplicaSite
from dvarchive.replica.styles import make_style

ADMIN_PREFIX = "/__replica__/"
ARTICLE_PATH = re.compile(r"/([a-z0-9-]+)/([a-z0-9-]+)-(\d+)\.html")
LISTING_PATH = re.compile(r"/([a-z0-9-]+)/")
IMAGE_PATH = re.compile(r"/Uploads/images/\d{4}/\d{2}/dv-(\d+)-\d+\.jpg")
THUMB_PATH = re.compile(r"/Uploads/images/thumb/(\d+)\.jpg")
FILE_PATH = re.compile(r"/Uploads/files/\d{4}/\d{2}/[a-z0-9-]+-(\d+)-\d+\.(pdf|doc)")
FILE_TYPES = {"pdf": "application/pdf", "doc": "application/msword"}
ASSETS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "/Images/banner.jpg": ("image/jpeg", files.grey_jpeg),
    "/Images/icon-file.gif": ("image/gif", lambda: files.GIF_1X1),
    "/Content/site.css": ("text/css", lambda: files.SITE_CSS),
    "/Scripts/jquery.min.js": ("application/javascript", lambda: files.JQUERY_STUB),
    "/Uploads/app/danvan.apk": ("application/vnd.android.package-archive", files.android_app),
}
ARTICLE_FAULTS = ("cp1258", "malformed", "xss", "redesign")


class ReplicaApp:
    """The replica's routes over one :class:`ReplicaSite`, with traps and faults applied."""

    def __init__(self, site: ReplicaSite, *, faults: frozenset[str] = frozenset(), traps: bool = True,
                 stall_seconds: float = 5.0, style: str = "danvan") -> None:
        self.site = site
        self.style = make_style(style, site)
        self.faults = fault_modes.validate(faults)
        self.traps = traps
        self.stall_seconds = stall_seconds
        self._lock = threading.Lock()
        self._fired: set[str] = set()
        self._log: list[dict[str, Any]] = []

    # ---- bookkeeping -----------------------------------------------------------------------
    def first_time(self, key: str) -> bool:
        """True the first time ``key`` is seen since start (or since a faults reset)."""
        with self._lock:
            if key in self._fired:
                return False
            self._fired.add(key)
            return True

    def record(self, method: str, target: str, headers: Headers, reply: Reply) -> None:
        """Log a request *before* its response is written, so a finished client sees it logged."""
        entry = {"method": method, "path": target, "headers": dict(headers.items()),
                 "status": None if reply.action == "drop" else reply.status,
                 "outcome": {"send": "sent"}.get(reply.action, reply.action), "time": time.time()}
        with self._lock:
            self._log.append(entry)

    def log(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._log)

    # ---- dispatch --------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: Headers, base_url: str) -> Reply:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith(ADMIN_PREFIX):
            return self._admin(method, path, query, base_url)
        if method not in ("GET", "HEAD"):
            return Reply(405, b"", headers=[("Allow", "GET, HEAD")])
        if self.style is not None:
            reply = self.style.handle(target, base_url, headers)
            if reply is not None:
                return reply
            return self._upload(path) if path.startswith("/Uploads/") else Reply(
                404, b"<!DOCTYPE html><html><head><title>404</title></head><body><h1>404</h1></body></html>")
        return self._page(path, query, headers, base_url)

    def _page(self, path: str, query: dict[str, list[str]], headers: Headers, base_url: str) -> Reply:
        site = self.site
        if path == "/":
            return Reply(200, templates.home_page(site).encode())
        if path == "/robots.txt":
            return self._robots()
        if path in templates.STATIC_PAGES:
            return Reply(200, templates.static_page(site, path).encode())
        if path in ASSETS:
            content_type, make = ASSETS[path]
            return Reply(200, make(), content_type)
        if match := LISTING_PATH.fullmatch(path):
            if match[1] in CATEGORY_BY_SLUG:
                return self._listing(match[1], query)
        if match := ARTICLE_PATH.fullmatch(path):
            return self._article(path, query, match[1], match[2], int(match[3]), headers, base_url)
        if match := re.fullmatch(r"/rss/([a-z0-9-]+)\.rss", path):
            return self._rss(match[1], base_url)
        if match := re.fullmatch(r"/in-tin/(\d+)", path):
            return self._print_view(int(match[1]))
        if path.startswith("/Uploads/"):
            return self._upload(path)
        if path.strip("/") in CATEGORY_BY_SLUG:
            return Reply(301, b"", headers=[("Location", f"/{path.strip('/')}/")])
        return self._not_found()

    def _not_found(self, status: int = 404) -> Reply:
        heading = "Tin bài đã bị gỡ bỏ" if status == 410 else "Không tìm thấy trang"
        return Reply(status, templates.not_found_page(self.site, heading).encode())

    def _robots(self) -> Reply:
        if "robots-500" in self.faults:
            return Reply(500, templates.SERVER_ERROR_PAGE.encode())
        if "robots-404" in self.faults:
            return self._not_found()
        return Reply(200, templates.ROBOTS_TXT.encode(), "text/plain; charset=utf-8")

    def _listing(self, slug: str, query: dict[str, list[str]]) -> Reply:
        page = _page_number(query)
        if "listing-500" in self.faults and (slug, page) == fault_modes.LISTING_500:
            return Reply(500, templates.SERVER_ERROR_PAGE.encode())
        entries = fault_modes.with_decoys(self.site.listing(slug), slug, self.faults)
        render = templates.redesign_listing_page if "listing-redesign" in self.faults else templates.listing_page
        return Reply(200, render(self.site, slug, page, entries).encode())

    def _rss(self, slug: str, base_url: str) -> Reply:
        if slug not in CATEGORY_BY_SLUG:
            return self._not_found()
        bomb = "rss-bomb" in self.faults and slug == fault_modes.RSS_BOMB_CATEGORY
        feed = templates.rss_feed(
            self.site, slug, self.site.listing(slug), base_url,
            doctype=fault_modes.BILLION_LAUGHS_DOCTYPE if bomb else "",
            channel_tail=fault_modes.RSS_BOMB_TAIL if bomb else "",
        )
        return Reply(200, feed.encode(), "application/rss+xml; charset=utf-8")

    def _print_view(self, article_id: int) -> Reply:
        article = self._lookup(article_id)
        if article is None or not article.live:
            return self._not_found()
        return Reply(200, templates.print_page(self.site, article).encode())

    def _lookup(self, article_id: int) -> Article | None:
        try:
            return self.site.article(article_id)
        except KeyError:
            return None

    # ---- articles --------------------------------------------------------------------------
    def _article(self, path: str, query: dict[str, list[str]], category: str, slug: str, article_id: int,
                 headers: Headers, base_url: str) -> Reply:
        decoy = fault_modes.DECOY_BY_PATH.get(path)
        if decoy is not None and decoy.fault in self.faults:
            return self._decoy(decoy, query)
        article = self._lookup(article_id)
        if article is None or category not in article.categories or slug != article.slug:
            return self._not_found()
        if not article.live:
            return self._not_found(410 if article.removed else 404)
        return self._trap(article) or self._serve_article(article, headers, base_url)

    def _trap(self, article: Article) -> Reply | None:
        """A transient failure instead of the page, if the article's trap fires now."""
        if self.traps and article.trap == "error-once" and self.first_time(f"trap:{article.id}"):
            return Reply(500, templates.SERVER_ERROR_PAGE.encode())
        if self.traps and article.trap == "drop-once" and self.first_time(f"trap:{article.id}"):
            return Reply(200, action="drop")
        return None

    def _delay(self, article: Article) -> float:
        """Seconds to wait before answering: slow pages always, the stall fault once."""
        if "stall" in self.faults and article.id == self.site.fault_plan.stall and self.first_time("stall"):
            return self.stall_seconds
        return article.slow_seconds if self.traps and article.trap == "slow" else 0.0

    def _serve_article(self, article: Article, headers: Headers, base_url: str) -> Reply:
        variant = [f for f in ARTICLE_FAULTS if f in self.faults]
        reply = conditional_reply(headers, article_validators(self.site.seed, article, variant),
                                  lambda: self._render(article, base_url))
        if reply.status == 200 and "short-body" in self.faults and article.id == self.site.fault_plan.short_body \
                and self.first_time("short-body"):
            reply.action = "short"
        reply.delay = self._delay(article)
        return reply

    def _render(self, article: Article, base_url: str) -> Reply:
        if "redesign" in self.faults and fault_modes.is_redesigned(article.id):
            return Reply(200, templates.redesign_article_page(self.site, article, base_url).encode())
        html = templates.article_page(self.site, article, base_url, self.faults)
        if "cp1258" in self.faults and article.id == self.site.fault_plan.cp1258:
            return Reply(200, fault_modes.encode_cp1258(html), "text/html; charset=windows-1258")
        return Reply(200, html.encode())

    def _decoy(self, decoy: fault_modes.Decoy, query: dict[str, list[str]]) -> Reply:
        if decoy.fault == "redirect-loop":          # A -> A?vong=1 -> A -> ...
            target = decoy.path if "vong" in query else f"{decoy.path}?vong=1"
            return Reply(302, b"", headers=[("Location", target)])
        if decoy.fault == "offsite-redirect":
            return Reply(302, b"", headers=[("Location", f"http://{fault_modes.OFFSITE_HOST}{decoy.path}")])
        if decoy.fault == "huge-page":
            return Reply(200, stream=lambda: fault_modes.huge_page_chunks(decoy.title),
                         stream_length=fault_modes.HUGE_PAGE_BYTES)
        return Reply(200, b"")                                     # empty-200

    # ---- files -----------------------------------------------------------------------------
    def _upload(self, path: str) -> Reply:
        if match := THUMB_PATH.fullmatch(path):
            return Reply(200, files.grey_jpeg(), "image/jpeg") if self._lookup(int(match[1])) else self._not_found()
        if match := IMAGE_PATH.fullmatch(path):
            article = self._lookup(int(match[1]))
            if article and any(image.path == path for image in self.site.body(article).images):
                return Reply(200, files.grey_jpeg(), "image/jpeg")
        if match := FILE_PATH.fullmatch(path):
            article = self._lookup(int(match[1]))
            for attachment in self.site.body(article).attachments if article else ():
                if attachment.path == path:
                    document = files.pdf_document if match[2] == "pdf" else files.rtf_document
                    return Reply(200, document(attachment.name), FILE_TYPES[match[2]])
        return self._not_found()

    # ---- admin -----------------------------------------------------------------------------
    def _admin(self, method: str, path: str, query: dict[str, list[str]], base_url: str) -> Reply:
        endpoint = path[len(ADMIN_PREFIX):]
        gets: dict[str, Callable[[], Reply]] = {
            "truth.jsonl": lambda: self._truth_jsonl(base_url),
            "log": lambda: _json(200, self.log()),
            "faults": lambda: _json(200, self.site.fault_plan.as_json(self.faults)),
        }
        posts: dict[str, Callable[[], Reply]] = {
            "add": lambda: self._add(query), "edit": lambda: self._mutate(query, self.site.edit_article),
            "delete": lambda: self._mutate(query, self.site.delete_article),
            "log/reset": self._reset_log, "faults/reset": self._reset_faults,
        }
        if endpoint in gets and method in ("GET", "HEAD"):
            return gets[endpoint]()
        if endpoint in posts and method == "POST":
            return posts[endpoint]()
        if endpoint in gets or endpoint in posts:
            return Reply(405, b"", headers=[("Allow", "GET, HEAD" if endpoint in gets else "POST")])
        return _json(404, {"error": f"no admin endpoint {endpoint!r}",
                           "endpoints": sorted([*gets, *posts])})

    def _truth_jsonl(self, base_url: str) -> Reply:
        truth = self.style.truth(base_url) if self.style is not None else self.site.all_truth(base_url)
        lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in truth)
        return Reply(200, "".join(lines).encode(), "application/x-ndjson; charset=utf-8")

    def _add(self, query: dict[str, list[str]]) -> Reply:
        count = _int_param(query, "n", default=1)
        if count is None or not 1 <= count <= 10_000:
            return _json(400, {"error": "n must be an integer in 1..10000"})
        added = self.site.add_articles(count)
        return _json(200, {"added": [{"id": i, "path": self._article_path(self.site.article(i))} for i in added]})

    def _article_path(self, article: Article) -> str:
        """The article's path on the served style (the danvan canonical path by default)."""
        return self.style.article_path(article) if self.style is not None else article.canonical_path

    def _mutate(self, query: dict[str, list[str]], action: Callable[[int], Article]) -> Reply:
        article_id = _int_param(query, "id")
        if article_id is None:
            return _json(400, {"error": "id must be an integer"})
        try:
            article = action(article_id)
        except KeyError as exc:
            return _json(404, {"error": str(exc)})
        return _json(200, {"id": article.id, "revision": article.revision, "live": article.live,
                           "modified": article.modified.isoformat() if article.modified else None})

    def _reset_log(self) -> Reply:
        with self._lock:
            self._log.clear()
        return _json(200, {"ok": True})

    def _reset_faults(self) -> Reply:
        with self._lock:
            self._fired.clear()
        return _json(200, {"ok": True})


def _int_param(query: dict[str, list[str]], name: str, default: int | None = None) -> int | None:
    values = query.get(name)
    if not values:
        return default
    try:
        return int(values[0])
    except ValueError:
        return None


def _page_number(query: dict[str, list[str]]) -> int:
    """``?trang=N``; anything that is not a positive integer means page 1, as on the real site."""
    number = _int_param(query, "trang", default=1)
    return number if number is not None and number >= 1 else 1
