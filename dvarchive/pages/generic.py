"""generic/v1: the fallback for pages that match no known layout (a redesign, a sibling site).

Metadata come from what CMSs write for search engines and social networks — ``<link
rel=canonical>``, ``og:*``, ``article:published_time``, JSON-LD ``NewsArticle``, ``<time
datetime>`` — and the body from a content-density score: every paragraph-like block with enough
text scores its parent (and half its grandparent); a candidate's score is then scaled by
``1 - link density``, so menus and link lists lose to prose. Chrome is still stripped: navigation,
header/footer/aside, forms and elements whose class/id says share/related/comment/menu/… are
skipped, and the same paragraph passes as danvan/v1 run (captions, related box, credits, chrome).

A page only counts as an article with some article signal (og:type article, a JSON-LD
``*Article``, an ``<article>`` element, ``itemprop=articleBody``, ``article:published_time`` or a
``<time datetime>``): home pages, listings, static and print pages have none.
"""
from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any

from lxml import etree

from dvarchive.normalize.text import clean_text
from dvarchive.pages import selectors as S
from dvarchive.pages.base import ArticleParser, NotAnArticle, first, iso_date, text_of
from dvarchive.pages.content import Content, body_html, document_links, extract_content
from dvarchive.pages.urls import absolute_url, article_id_from_url, same_origin

__all__ = ["GenericV1"]

ARTICLE_TYPES = frozenset(("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                           "blogposting", "opinionnewsarticle", "backgroundnewsarticle"))
_NEGATIVE = re.compile(
    r"comment|share|social|related|breadcrumb|sidebar|widget|banner|advert|\bads?\b|promo|menu|"
    r"\bnav|footer|header|toolbar|tools|print|rating|\btags?\b|other-news|subscribe|newsletter|"
    r"pagination|pager|author|byline|\bmeta\b|\bdate\b|\btime\b|sapo|lead|summary|caption-credit",
    re.I,
)
_NEGATIVE_TAGS = frozenset(("nav", "header", "footer", "aside", "form", "h1", "time", "button"))
_PARAGRAPH_TAGS = frozenset(("p", "pre", "blockquote", "td", "div", "li"))
_BLOCK_CHILDREN = frozenset(("p", "div", "table", "ul", "ol", "section", "article", "blockquote"))
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:]\s+[^-|–—:]{2,60}$")
MIN_PARAGRAPH_CHARS = 25
MIN_BODY_CHARS = 80


def _is_negative(el: etree._Element) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return False
    if tag.lower() in _NEGATIVE_TAGS:
        return True
    marker = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(marker.strip()) and bool(_NEGATIVE.search(marker))


def _inside_negative(el: etree._Element, scope: etree._Element) -> bool:
    """An ancestor below ``scope`` is navigation/chrome (the scope's own classes don't count)."""
    for ancestor in el.iterancestors():
        if ancestor is scope:
            return False
        if _is_negative(ancestor):
            return True
    return False


def _link_density(el: etree._Element) -> float:
    text = sum(len(t.strip()) for t in el.itertext())
    if not text:
        return 1.0
    links = sum(len(t.strip()) for a in el.iter("a") for t in a.itertext())
    return min(links / text, 1.0)


class GenericV1(ArticleParser):
    """Standard metadata + content density; ``extractor: "generic/v1"``."""

    extractor = "generic/v1"

    @classmethod
    def matches(cls, root: etree._Element) -> bool:
        return cls(root, "").has_article_signal()

    @classmethod
    def detect(cls, root: etree._Element, response_url: str) -> GenericV1 | None:
        parser = cls(root, response_url)
        return parser if parser.has_article_signal() else None

    def has_article_signal(self) -> bool:
        """og:type article, a JSON-LD *Article, article:published_time, <article>,
        itemprop=articleBody or <time datetime>: home, listing, static and print pages have none."""
        meta = self.meta
        return bool(
            meta.get("og:type", "").lower() == "article"
            or self.json_ld
            or meta.get("article:published_time")
            or S.G_ARTICLE(self.root)
            or S.G_ARTICLE_BODY(self.root)
            or S.G_TIME_DATETIME(self.root)
        )

    # -- metadata --
    @cached_property
    def meta(self) -> dict[str, str]:
        """First ``content`` per lower-cased ``property``/``name``/``itemprop``."""
        found: dict[str, str] = {}
        for m in S.G_META_PROPERTY(self.root):
            key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
            value = m.get("content")
            if key and value and value.strip():
                found.setdefault(key, value.strip())
        return found

    @cached_property
    def json_ld(self) -> dict[str, Any]:
        """The first JSON-LD object whose @type is an article type ({} when none)."""
        for raw in S.G_JSON_LD(self.root):
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            stack = [data]
            while stack:
                item = stack.pop(0)
                if isinstance(item, list):
                    stack.extend(item)
                elif isinstance(item, dict):
                    types = item.get("@type")
                    types = types if isinstance(types, list) else [types]
                    if any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in types):
                        return item
                    if "@graph" in item:
                        stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
        return {}

    def _ld_text(self, key: str) -> str:
        value = self.json_ld.get(key)
        return clean_text(value) if isinstance(value, str) else ""

    @cached_property
    def _time_element(self) -> etree._Element | None:
        """The first ``<time datetime>`` of the ``<article>``, else of the page."""
        scope = first(S.G_ARTICLE, self.root)
        found = first(S.G_TIME_DATETIME_IN, scope) if scope is not None else None
        return found if found is not None else first(S.G_TIME_DATETIME, self.root)

    # -- fields --
    def url(self) -> str:
        if first(S.CANONICAL_HREF, self.root) is None and (og := absolute_url(self.meta.get("og:url"), self.response_url)):
            if (article_id_from_url(og) and not article_id_from_url(self.response_url)
                    and same_origin(og, self.response_url)):
                return og
        return super().url()

    def title(self) -> str | None:
        for candidate in (self._ld_text("headline"), clean_text(self.meta.get("og:title")),
                          text_of(first(S.G_H1, self.root))):
            if candidate:
                return candidate
        title = text_of(first(S.G_TITLE, self.root))
        return _TITLE_SUFFIX.sub("", title) or None

    @cached_property
    def _sapo_element(self) -> etree._Element | None:
        scope = first(S.G_ARTICLE, self.root)
        for el in S.G_SAPO(scope if scope is not None else self.root):
            if MIN_PARAGRAPH_CHARS <= len(text_of(el)) <= 600:
                return el
        return None

    def subtitle(self) -> str | None:
        return text_of(self._sapo_element) or None

    @cached_property
    def _published_meta(self) -> str | None:
        """JSON-LD datePublished, else a publication meta tag, else the first ``<time datetime>``."""
        if value := self._ld_text("datePublished"):
            return value
        for key in ("article:published_time", "datepublished", "pubdate", "publishdate", "dc.date",
                    "dc.date.issued", "date"):
            if value := clean_text(self.meta.get(key)):
                return value
        if (t := self._time_element) is not None:
            return clean_text(t.get("datetime")) or text_of(t) or None
        return self._shown_date

    @cached_property
    def _shown_date(self) -> str | None:
        """A date the article block shows without metadata (``div.date``, ``span.ngay-dang`` …):
        searched next to the content block only (its parent, then grandparent), so sidebar news
        dates and the "Hôm nay, ngày …" banner are never taken."""
        try:
            scope = self.content_root
        except NotAnArticle:
            return None
        for _ in range(2):
            scope = scope.getparent()
            if scope is None:
                return None
            for el in S.G_DATE_LIKE(scope)[:6]:
                text = text_of(el)
                if text and len(text) <= 80 and not text.lower().startswith("hôm nay") and iso_date(text):
                    return text
        return None

    def published(self) -> str | None:
        return iso_date(self._published_meta)

    def published_raw(self) -> str | None:
        """The ``<time>`` element's visible text when it names the same instant as the metadata
        (that is what the page shows), else the metadata value itself."""
        meta = self._published_meta
        if (t := self._time_element) is not None and (shown := text_of(t)):
            if meta is None or iso_date(shown) == iso_date(meta):
                return shown
        return meta

    def modified(self) -> str | None:
        for value in (self._ld_text("dateModified"), self.meta.get("article:modified_time"),
                      self.meta.get("og:updated_time"), self.meta.get("datemodified")):
            if value and (iso := iso_date(value)):
                return iso
        return None

    def category(self) -> str | None:
        section = self.json_ld.get("articleSection")
        if isinstance(section, list):
            section = section[0] if section else None
        return clean_text(section) or clean_text(self.meta.get("article:section")) or None

    def author(self) -> str | None:
        if self.content.author:
            return self.content.author
        author = self.json_ld.get("author")
        for item in author if isinstance(author, list) else [author]:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and (name := clean_text(name)):
                return name
        return clean_text(self.meta.get("author")) or clean_text(self.meta.get("article:author")) or None

    # -- body --
    @cached_property
    def content_root(self) -> etree._Element:
        """``itemprop=articleBody`` when it has text, else the best-scoring block."""
        for el in S.G_ARTICLE_BODY(self.root):
            if len(text_of(el)) >= MIN_BODY_CHARS:
                return el
        best = self._densest_block()
        if best is None:
            raise NotAnArticle("generic/v1: no content block")
        return best

    def _densest_block(self) -> etree._Element | None:
        articles = S.G_ARTICLE(self.root)
        scope = articles[0] if len(articles) == 1 else first(S.G_BODY, self.root)
        if scope is None:
            return None
        scores: dict[etree._Element, float] = {}
        for el in scope.iter(*_PARAGRAPH_TAGS):
            if el.tag == "div" and any(isinstance(c.tag, str) and c.tag in _BLOCK_CHILDREN for c in el):
                continue  # a container, scored through its paragraphs
            if _is_negative(el) or _inside_negative(el, scope):
                continue
            text = clean_text("".join(el.itertext()))
            if len(text) < MIN_PARAGRAPH_CHARS:
                continue
            score = 1 + text.count(",") + min(len(text) / 100, 3)
            parent = el.getparent()
            if parent is not None:
                scores[parent] = scores.get(parent, 0.0) + score
                grand = parent.getparent()
                if grand is not None:
                    scores[grand] = scores.get(grand, 0.0) + score / 2
        if not scores:
            return None
        return max(scores, key=lambda el: scores[el] * (1 - _link_density(el)))

    @cached_property
    def content(self) -> Content:
        sapo = self._sapo_element
        content = extract_content(
            self.content_root, self.response_url, subtitle=self.subtitle(),
            skip=lambda el: el is sapo or _is_negative(el),
        )
        title = self.title()
        if title:
            kept = [p for p in content.paragraphs if p.text != title]
            content.removed += [p for p in content.paragraphs if p.text == title]
            content.paragraphs = kept
        return content

    def body_html(self) -> str | None:
        return body_html(self.content_root, self.content, self.response_url) or None

    def attachments(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        seen: set[str] = set()
        for item in document_links(self.content.body_links, self.response_url):
            if item["url"] not in seen:
                seen.add(item["url"])
                found.append(item)
        return found
