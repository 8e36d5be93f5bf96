"""danvan/v1: the board's ASP.NET portal (``div.news-detail``, ``ul#main-menu``, ``div.news-item``).

A later markup change gets ``DanvanV1_1(DanvanV1)`` overriding only the methods (and
selectors) that changed, with ``extractor = "danvan/v1.1"``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from dvarchive.categories import Category
from dvarchive.normalize.chrome import PORTAL_CHROME
from dvarchive.normalize.dates import parse_date
from dvarchive.normalize.text import clean_text
from dvarchive.pages import selectors as S
from dvarchive.pages.base import ArticleParser, NotAnArticle, first, iso_date, text_of
from dvarchive.pages.content import Content, body_html, document_links, extract_content, visible_text
from dvarchive.pages.danvan_chrome import DANVAN_CHROME
from dvarchive.pages.urls import absolute_url, article_id_from_url, canonical_url

__all__ = ["Category", "DanvanV1", "ListingItem", "menu_categories", "listing_items"]

# A category is a top-level menu link to a one-segment directory: '/tin-hoat-dong/'.
_CATEGORY_PATH = re.compile(r"^/([^/]+)/$")


@dataclass(frozen=True, slots=True)
class ListingItem:
    """One article as a category listing page shows it."""

    url: str
    article_id: str | None
    title: str
    published: datetime | None


def _path_key(href: str | None, base_url: str) -> str:
    """What two links to the same page share whatever their host or query: the path.

    Root-relative hrefs (all of the site's menu and breadcrumb links) skip ``urljoin``.
    """
    if not href:
        return ""
    href = href.strip()
    if href.startswith("/") and not href.startswith("//"):
        path = href.split("#", 1)[0].split("?", 1)[0]
    else:
        url = absolute_url(href, base_url)
        if url is None:
            return ""
        path = urlsplit(url).path
    return path.rstrip("/").lower()


_Found = tuple[etree._Element, etree._Element, dict[str, etree._Element]]


def _parts(detail: etree._Element) -> dict[str, etree._Element]:
    parts: dict[str, etree._Element] = {}
    for el in S.V1_DETAIL_PARTS(detail):
        for token in el.get("class", "").split():
            parts.setdefault(token, el)
    return parts


class DanvanV1(ArticleParser):
    """The layout of the sample pages (``shared/site/pages/article-*.html``)."""

    extractor = "danvan/v1"
    CHROME = PORTAL_CHROME + DANVAN_CHROME

    def __init__(self, root: etree._Element, response_url: str,
                 found: _Found | None = None) -> None:
        super().__init__(root, response_url)
        if found is not None:
            self.detail, self.content_root, self.parts = found

    @classmethod
    def matches(cls, root: etree._Element) -> bool:
        return cls._find(root) is not None

    @classmethod
    def detect(cls, root: etree._Element, response_url: str) -> DanvanV1 | None:
        found = cls._find(root)
        return cls(root, response_url, found) if found is not None else None

    @staticmethod
    def _find(root: etree._Element) -> _Found | None:
        """(``div.news-detail``, its ``div.news-content``, its parts) when it also has a title."""
        content = first(S.V1_CONTENT_BY_ID, root)
        if content is not None:
            for detail in content.iterancestors("div"):
                if S.V1_DETAIL_CLASS in detail.get("class", "").split():
                    if S.V1_TITLE_CLASS in (parts := _parts(detail)):
                        return detail, content, parts
                    break
        for detail in S.V1_DETAIL(root):
            content = first(S.V1_CONTENT, detail)
            if content is None:
                content = first(S.V1_CONTENT_DEEP, detail)
            if content is not None and S.V1_TITLE_CLASS in (parts := _parts(detail)):
                return detail, content, parts
        return None

    @cached_property
    def detail(self) -> etree._Element:
        return self._found[0]

    @cached_property
    def content_root(self) -> etree._Element:
        return self._found[1]

    @cached_property
    def _found(self) -> _Found:
        found = self._find(self.root)
        if found is None:
            raise NotAnArticle("danvan/v1: no div.news-detail with a title and a content")
        return found

    @cached_property
    def parts(self) -> dict[str, etree._Element]:
        """The detail's elements outside the content, by class token (first one wins)."""
        return self._found[2]

    def _part_text(self, name: str) -> str | None:
        return text_of(self.parts.get(name)) or None

    def title(self) -> str | None:
        return self._part_text(S.V1_TITLE_CLASS)

    def subtitle(self) -> str | None:
        """The sapo's text (with or without its <strong>); None when absent or empty."""
        return self._sapo

    @cached_property
    def _sapo(self) -> str | None:
        return self._part_text(S.V1_SAPO_CLASS)

    def published_raw(self) -> str | None:
        """``div.news-date`` as shown — never the "Hôm nay, ngày …" render-date banner."""
        return self._news_date

    @cached_property
    def _news_date(self) -> str | None:
        return self._part_text(S.V1_DATE_CLASS)

    def modified(self) -> str | None:
        """``div.news-updated`` ("Cập nhật: 6.3.2018 - 8:30"); the date parser drops the label."""
        return iso_date(self._part_text(S.V1_UPDATED_CLASS), self.now)

    def category(self) -> str | None:
        """Menu name of the breadcrumb's category link (the breadcrumb itself is upper-cased).

        The breadcrumb's links are matched, last first, by path against the page's own
        ``ul#main-menu`` links; the root link never counts. None when nothing matches.
        """
        links = S.V1_BREADCRUMB_LINKS_NEAR(self.detail) or S.V1_BREADCRUMB_LINKS(self.root)
        hrefs = [href for a in reversed(links) if (href := a.get("href")) and _path_key(href, self.response_url)]
        if not hrefs:
            return None
        menu = [(a.get("href"), a) for a in S.V1_MENU_LINKS(self.root)]
        for href in hrefs:  # the same href in the menu (the usual case): plain string equality
            for menu_href, a in menu:
                if menu_href == href and (name := text_of(a)):
                    return name
        wanted = [_path_key(href, self.response_url) for href in hrefs]
        names: dict[str, str] = {}
        for menu_href, a in menu:
            key = _path_key(menu_href, self.response_url)
            if key in wanted and key not in names and (name := text_of(a)):
                names[key] = name
        return next((names[key] for key in wanted if key in names), None)

    @cached_property
    def content(self) -> Content:
        return extract_content(self.content_root, self.response_url, subtitle=self.subtitle(), chrome=self.CHROME)

    def body_html(self) -> str | None:
        return body_html(self.content_root, self.content, self.response_url) or None

    def attachments(self) -> list[dict[str, str]]:
        """``div.attachments`` links, then in-body links to documents; one entry per URL."""
        found: list[dict[str, str]] = []
        seen: set[str] = set()
        box = self.parts.get(S.V1_ATTACHMENTS_CLASS)
        if box is None:
            box = first(S.V1_ATTACHMENTS_AFTER_DETAIL, self.detail)
        for a in S.LINKS(box) if box is not None else ():
            url = absolute_url(a.get("href"), self.response_url)
            if url and url not in seen:
                seen.add(url)
                found.append({"url": url, "name": text_of(a) or url.rsplit("/", 1)[-1]})
        for item in document_links(self.content.body_links, self.response_url):
            if item["url"] not in seen:
                seen.add(item["url"])
                found.append(item)
        return found


# --- menu and listings ----------------------------------------------------------------------
def menu_categories(root: etree._Element, url: str) -> list[Category]:
    """Categories of ``ul#main-menu``: top-level links to ``/<slug>/`` that have no submenu.

    "Trang chủ" ('/'), a section with a submenu ("Giới thiệu") and page links ("/lien-he.html")
    are not categories.
    """
    found: list[Category] = []
    seen: set[str] = set()
    for li in S.V1_MENU_TOP_ITEMS(root):
        if S.V1_ITEM_SUBMENU(li):
            continue
        a = first(S.V1_ITEM_LINK, li)
        href = absolute_url(a.get("href"), url) if a is not None else None
        if href is None:
            continue
        m = _CATEGORY_PATH.match(urlsplit(href).path)
        name = text_of(a)
        if m and name and href not in seen:
            seen.add(href)
            found.append(Category(slug=m.group(1), name=name, url=canonical_url(href)))
    return found


def listing_items(root: etree._Element, url: str) -> list[ListingItem]:
    """Articles of a category listing page (``div.news-item``), in page order, one per URL.

    An empty list means the page lists nothing — the end of the category, whatever "Sau »" says.
    """
    items: list[ListingItem] = []
    seen: set[str] = set()
    for item in S.V1_LISTING_ITEMS(root):
        a = first(S.V1_LISTING_TITLE_LINK, item)
        if a is None:
            a = first(S.V1_LISTING_ANY_LINK, item)
        href = absolute_url(a.get("href"), url) if a is not None else None
        if href is None:
            continue
        href = canonical_url(href)
        if href in seen:
            continue
        seen.add(href)
        date_text = text_of(first(S.V1_LISTING_DATE, item))
        items.append(ListingItem(
            url=href,
            article_id=article_id_from_url(href),
            title=clean_text(visible_text(a)),
            published=parse_date(date_text) if date_text else None,
        ))
    return items
