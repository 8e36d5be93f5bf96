"""Other portal styles of the replica: the same articles under another CMS's URLs, chrome and traps.

A style (``liferay``, ``sharepoint``, ``wordpress``) renders the live articles of a
:class:`~dvarchive.replica.site.ReplicaSite` the way a family of Vietnamese provincial portals
does: its own menu, listings and pagination, article chrome, date format, robots.txt — and its
own traps (calendars, search pagers, session ids, sort links, comment-reply links, pagers that
never end). Bodies, images and attachments are the site's (``markup.content_html``), so the
truth is the site's truth with the style's URL and category name.

``is_trap(target)`` says which request targets a good crawler should not need (the e2e tests
count them in the request log).
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dvarchive.replica import markup
from dvarchive.replica.conditional import Headers, article_validators, conditional_reply
from dvarchive.replica.markup import esc
from dvarchive.replica.model import Article, Body, RelatedLink
from dvarchive.replica.reply import HTML, Reply
from dvarchive.replica.site import ReplicaSite

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
_DANVAN_ID = re.compile(r"-(\d+)\.html$")


@dataclass(frozen=True, slots=True)
class StyleCategory:
    key: str        # the site's category slug this one shows
    slug: str       # the style's own slug / id
    name: str       # as the menu and breadcrumb show it (the truth's category)


def dmy(instant: date, sep: str = "/") -> str:
    return f"{instant.day:02d}{sep}{instant.month:02d}{sep}{instant.year}"


def hm(instant: datetime) -> str:
    return f"{instant.hour:02d}:{instant.minute:02d}"


def weekday_datetime(instant: datetime) -> str:
    """'Thứ hai, 05/03/2024 - 08:15'."""
    return f"{WEEKDAYS[instant.weekday()]}, {dmy(instant)} - {hm(instant)}"


def token(text: str, length: int = 8) -> str:
    """A stable pseudo-random token (portlet instance ids, session ids)."""
    digest = hashlib.sha1(text.encode()).hexdigest()
    return "".join(ch if i % 3 else ch.upper() for i, ch in enumerate(digest[:length]))


class PortalStyle:
    """Base of a portal style: which articles, which listing holds what, truth, dispatch."""

    name = "portal"
    page_size = 6
    categories: tuple[StyleCategory, ...] = ()
    robots_txt = ""

    def __init__(self, site: ReplicaSite) -> None:
        self.site = site
        self.by_key = {c.key: c for c in self.categories}
        self.by_slug = {c.slug: c for c in self.categories}
        self._slugs: dict[int, str] = {}
        self._lock = threading.Lock()

    def slug(self, article: Article) -> str:
        """The article's URL slug, unique in the site as CMSs make it ('-2', '-3' for a repeated title)."""
        with self._lock:
            return self._unique_slug(article)

    def _unique_slug(self, article: Article) -> str:
        if article.id not in self._slugs:
            taken = set(self._slugs.values())
            for older in self.site.all_articles():
                if older.id not in self._slugs:
                    slug, n = older.slug, 2
                    while slug in taken:
                        slug, n = f"{older.slug}-{n}", n + 1
                    self._slugs[older.id] = slug
                    taken.add(slug)
        return self._slugs[article.id]

    # ---- model -------------------------------------------------------------------------------
    def articles(self) -> list[Article]:
        """Live articles, newest first."""
        return [self.site.article(i) for i in self.site.live_article_ids()]

    def listing(self, category: StyleCategory) -> list[Article]:
        return [a for a in self.articles() if category.key in a.categories]

    def page_of(self, items: Sequence[Article], page: int) -> list[Article]:
        return list(items[(page - 1) * self.page_size: page * self.page_size])

    def last_page(self, items: Sequence[Article]) -> int:
        return max(1, -(-len(items) // self.page_size))

    def lookup(self, article_id: int | str) -> Article | None:
        try:
            article = self.site.article(int(article_id))
        except (KeyError, ValueError):
            return None
        return article if article.live else None

    def by_path(self) -> dict[str, Article]:
        """Live articles by this style's article path."""
        return {self.article_path(a): a for a in self.articles()}

    def category_of(self, article: Article) -> StyleCategory:
        return self.by_key[article.category]

    def article_path(self, article: Article) -> str:
        raise NotImplementedError

    def body_html(self, article: Article) -> str:
        """The site's body markup, its related links pointing at this style's article URLs."""
        body: Body = self.site.body(article)
        related = []
        for link in body.related:
            match = _DANVAN_ID.search(link.path)
            target = self.lookup(match[1]) if match else None
            if target is not None:
                related.append(RelatedLink(self.article_path(target), link.title))
        return markup.content_html(article, replace(body, related=tuple(related)))

    def attachments_html(self, article: Article) -> str:
        body = self.site.body(article)
        return markup.attachments_html(body.attachments) if body.attachments else ""

    # ---- truth -------------------------------------------------------------------------------
    def truth(self, base_url: str) -> list[dict[str, Any]]:
        base = base_url.rstrip("/")
        records = []
        for article in self.articles():
            record = self.site.truth(article.id, base)
            record["url"] = base + self.article_path(article)
            record["category"] = self.category_of(article).name
            records.append(record)
        return records

    # ---- HTTP ----------------------------------------------------------------------------------
    def handle(self, target: str, base_url: str, headers: Headers) -> Reply | None:
        """The reply for ``target`` (path?query), or None to let the shared routes answer
        (``/Uploads/…`` files, 404)."""
        parts = urlsplit(target)
        if parts.path == "/robots.txt":
            return Reply(200, self.robots_txt.encode(), "text/plain; charset=utf-8")
        return self.route(parts.path, parse_qs(parts.query), base_url, headers)

    def route(self, path: str, query: dict[str, list[str]], base_url: str, headers: Headers) -> Reply | None:
        raise NotImplementedError

    def article_reply(self, article: Article, headers: Headers, render: Callable[[], str]) -> Reply:
        """An article page with its validators, or a 304 if the request's still match (an edit
        changes both, see :mod:`~dvarchive.replica.conditional`)."""
        return conditional_reply(headers, article_validators(self.site.seed, article, self.name),
                                 lambda: self.html(render()))

    def is_trap(self, target: str) -> bool:
        raise NotImplementedError

    @staticmethod
    def html(text: str, status: int = 200) -> Reply:
        return Reply(status, text.encode(), HTML)

    @staticmethod
    def redirect(location: str, status: int = 301) -> Reply:
        return Reply(status, b"", headers=[("Location", location)])


def first_int(query: dict[str, list[str]], name: str, default: int = 1) -> int:
    values = query.get(name)
    try:
        value = int(values[0]) if values else default
    except ValueError:
        return default
    return value if value >= 1 else default


def items_html(articles: Sequence[Article], path_of: Any, date_of: Any, item_class: str) -> str:
    """A listing's items: thumbnail, linked title, date, summary."""
    return "".join(
        f'<div class="{item_class}"><a href="{path_of(a)}"><img src="/Uploads/images/thumb/{a.id}.jpg" alt="" /></a>'
        f'<h3><a href="{path_of(a)}">{esc(a.display_title)}</a></h3><span class="time">{date_of(a)}</span>'
        f'<p>{esc(a.subtitle or "Nội dung đang cập nhật.")}</p></div>\n'
        for a in articles
    )
