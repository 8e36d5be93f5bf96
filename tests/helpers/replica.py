"""The replica's test helpers: one request on a fresh connection, and the page-versus-truth oracle.

``page_matches_truth`` is an oracle independent of the truth code: it parses a rendered page with
lxml and checks that the visible text of ``div.news-content`` is exactly the truth's paragraphs
plus the parts a record keeps elsewhere (captions, byline, source, related links, "Xem thêm").
"""
from __future__ import annotations

import http.client
import re
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from dvarchive.replica.site import ReplicaSite


class Fetched:
    """A response read whole: status, headers, body."""

    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def tree(self) -> Any:
        return lxml.html.fromstring(self.body)


def fetch(base_url: str, path: str, *, method: str = "GET", headers: dict[str, str] | None = None,
          timeout: float = 10) -> Fetched:
    """One request on a fresh connection; raises on a dropped connection or a short body."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Fetched(response.status, response.headers, response.read())
    finally:
        connection.close()


LABELS = re.compile(r"Tin liên quan:|Xem thêm tại:|Tin, ảnh:|Nguồn:|[()\s\u00a0]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    return " ".join(nfc(text).replace("\u00a0", " ").split())


def visible_text(element: Any) -> str:
    """Text a browser shows: no script/style content."""
    for hidden in element.xpath(".//script | .//style"):
        hidden.drop_tree()
    return collapse(element.text_content())


def news_content(html: str | bytes) -> Any:
    tree = lxml.html.fromstring(html)
    [content] = tree.xpath('//div[@id="news-content"]')
    return tree, content


def page_matches_truth(html: str | bytes, truth: dict[str, Any], site: ReplicaSite) -> list[str]:
    """Problems found comparing a rendered article page with its truth record (empty = none)."""
    problems: list[str] = []
    tree, content = news_content(html)
    remaining = visible_text(content)
    article = site.article(truth["id"])
    body = site.body(article)
    base = truth["url"][:-len(article.canonical_path)]
    pieces = [*truth["body"].split("\n\n"), *(i["caption"] for i in truth["images"] if i["caption"]),
              *(link.title for link in body.related), body.see_also_url or "", truth["author"] or "",
              truth["source"] or ""]
    for piece in filter(None, pieces):
        piece = collapse(piece)
        if piece not in remaining:
            problems.append(f"missing from news-content: {piece[:60]!r}")
        remaining = remaining.replace(piece, " ", 1)
    if LABELS.sub("", remaining):
        problems.append(f"unexpected text in news-content: {remaining[:120]!r}")
    if collapse(tree.xpath("string(//h1[@class='news-title'])")) != truth["title"]:
        problems.append("title differs")
    if tree.xpath("string(//link[@rel='canonical']/@href)") != truth["url"]:
        problems.append("canonical differs")
    sapo = tree.xpath('//div[@class="news-sapo"]')
    if (collapse(sapo[0].text_content()) if sapo else None) != (truth["subtitle"] or (None if not sapo else "")):
        problems.append("sapo differs")
    date = tree.xpath("string(//div[@class='news-date'])")
    if datetime.strptime(date, "%d.%m.%Y - %H:%M").isoformat() + "+07:00" != truth["published"]:
        problems.append(f"news-date {date!r} is not {truth['published']}")
    images = [src for src in content.xpath(".//img/@src") if src.startswith("/Uploads/")]
    if [base + src for src in images] != [i["url"] for i in truth["images"]]:
        problems.append("images differ")
    links = tree.xpath('//div[@class="attachments"]//a')
    if [(base + a.get("href"), collapse(a.text_content())) for a in links] != \
            [(x["url"], x["name"]) for x in truth["attachments"]]:
        problems.append("attachments differ")
    return problems
