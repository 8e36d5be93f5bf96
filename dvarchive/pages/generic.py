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
from datetime import datetime, timezone, tzinfo
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from dvarchive.normalize.dates import format_iso
from dvarchive.normalize.text import clean_text
from dvarchive.pages import selectors as S
from dvarchive.pages.base import ArticleParser, NotAnArticle, first, text_of
from dvarchive.pages.headline import (INVISIBLE, Headline, has_time_of_day, is_editor_credit, is_lead_marked,
                                      is_vietnamese, page_zone, parse_shown_date, split_names, unescape_once)
from dvarchive.pages.content import (Content, Paragraph, body_html, document_links, extract_content,
                                     visible_text)
from dvarchive.normalize.chrome import PORTAL_CHROME
from dvarchive.pages.danvan_chrome import DANVAN_CHROME
from dvarchive.pages.urls import absolute_url, article_id_from_url, same_origin

__all__ = ["GenericV1"]

ARTICLE_TYPES = frozenset(("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                           "blogposting", "opinionnewsarticle", "backgroundnewsarticle"))
_NEGATIVE_TAGS = frozenset(("nav", "header", "footer", "aside", "form", "h1", "time", "button", "dialog"))
_PARAGRAPH_TAGS = frozenset(("p", "pre", "blockquote", "td", "div", "li"))
_BLOCK_CHILDREN = frozenset(("p", "div", "table", "ul", "ol", "section", "article", "blockquote"))
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:·•»]+\s+|\s*\|\s*")
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:]\s+[^-|–—:]{2,60}$")
# Class/id words of page chrome. Hard ones are chrome whatever else the element says; soft ones
# lose to a content word on the same element ("article-content sticky-sidebar-relative").
_HARD_PREFIXES = ("comment", "cookie", "consent", "gdpr", "newsletter", "related", "relate", "recommend",
                  "share", "sharing", "social", "breadcrumb", "pagination", "pager", "paywall", "subscri",
                  "advert", "sponsor", "promo", "outbrain", "taboola", "disqus", "footer", "copyright",
                  "signup", "login", "modal", "popup", "overlay", "mostread", "mostpopular",
                  "popular", "trending", "readmore", "morenews", "othernews", "tinkhac", "lienquan",
                  "tincungchuyenmuc", "cungchuyenmuc", "xemthem", "docthem", "newsletter", "follow")
_SOFT_PREFIXES = ("sidebar", "widget", "menu", "navbar", "navigation", "header", "toolbar", "print",
                  "rating", "byline", "author", "caption-credit", "aside", "rail", "dateline", "keyword",
                  "topic", "breaking", "banner")
_SOFT_WORDS = frozenset(("nav", "tools", "tool", "tag", "tags", "meta", "date", "time", "ad", "ads",
                         "sapo", "lead", "summary", "teaser", "info", "top", "title", "heading",
                         "description", "desc", "excerpt", "subtitle", "intro"))
_POSITIVE_PREFIXES = ("article", "content", "entry", "story", "detail", "chitiet", "noidung", "hentry",
                      "postcontent", "postbody", "maincontent", "bodytext", "fck", "textbody", "richtext")
_POSITIVE_WORDS = frozenset(("body", "text", "main", "post", "news", "prose", "copy"))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
MIN_PARAGRAPH_CHARS = 25
MIN_BODY_CHARS = 80
MAX_LINK_DENSITY = 0.7


def _words(el: etree._Element) -> tuple[set[str], set[str]]:
    """(parts, joined tokens) of the class and id: 'ArticlePage-authorBy most-read' ->
    parts {articlepage, article, page, author, by, most, read}, tokens {articlepageauthorby, mostread}."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    parts: set[str] = set()
    tokens: set[str] = set()
    for token in raw.split():
        lowered = token.lower()
        tokens.add(_SPLIT.sub("", lowered))
        for piece in _SPLIT.split(lowered):
            if piece:
                parts.add(piece)
        for piece in _CAMEL.split(token):
            parts.update(p for p in _SPLIT.split(piece.lower()) if p)
    return parts, tokens


def _chrome_kind(el: etree._Element) -> int:
    """2 hard chrome, 1 soft chrome, 0 neither, -1 content (class/id words)."""
    if not (el.get("class") or el.get("id")):
        return 0
    parts, tokens = _words(el)
    words = parts | tokens
    if any(w.startswith(_HARD_PREFIXES) for w in words):
        return 2
    positive = any(w.startswith(_POSITIVE_PREFIXES) for w in words) or bool(parts & _POSITIVE_WORDS)
    if any(w.startswith(_SOFT_PREFIXES) for w in words) or parts & _SOFT_WORDS:
        return 0 if positive else 1
    return -1 if positive else 0


def _says_chrome(el: etree._Element) -> bool:
    """Its class/id holds a chrome word, whatever content word is beside it ('detail-meta')."""
    if not (el.get("class") or el.get("id")):
        return False
    parts, tokens = _words(el)
    words = parts | tokens
    return (any(w.startswith(_HARD_PREFIXES) or w.startswith(_SOFT_PREFIXES) for w in words)
            or bool(parts & _SOFT_WORDS))


def _is_negative(el: etree._Element) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return False
    if tag.lower() in _NEGATIVE_TAGS:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    return _chrome_kind(el) > 0


def _link_density(el: etree._Element) -> float:
    text = sum(len(t.strip()) for t in el.itertext())
    if not text:
        return 1.0
    links = sum(len(t.strip()) for a in el.iter("a") for t in a.itertext())
    return min(links / text, 1.0)


class GenericV1(ArticleParser):
    """Standard metadata + content density; ``extractor: "generic/v1"``."""

    extractor = "generic/v1"
    # The generic layout reads the board's own pages after a redesign and its sibling boards' portals,
    # which share the board's frame words ("In tin bài", "Cỡ chữ", …): both tables.
    CHROME = PORTAL_CHROME + DANVAN_CHROME

    @classmethod
    def matches(cls, root: etree._Element) -> bool:
        return cls(root, "").has_article_signal()

    @classmethod
    def detect(cls, root: etree._Element, response_url: str) -> GenericV1 | None:
        parser = cls(root, response_url)
        return parser if parser.has_article_signal() else None

    def has_article_signal(self) -> bool:
        """og:type article, a JSON-LD *Article, article:published_time, <article>,
        itemprop=articleBody or <time datetime> — or, on a page without metadata, a headline with
        a date shown right beside it over a block of prose: home, listing, static and print pages
        have none."""
        meta = self.meta
        return bool(
            meta.get("og:type", "").lower() == "article"
            or self.json_ld
            or meta.get("article:published_time")
            or S.G_ARTICLE(self.root)
            or S.G_ARTICLE_BODY(self.root)
            or S.G_TIME_DATETIME(self.root)
            or self._dated_headline()
        )

    def _dated_headline(self) -> bool:
        """A headline, a date shown within its block, and at least three prose paragraphs in a
        content block with few links after it (a listing's dated teasers are mostly links)."""
        if self.h1 is None or self._shown is None:
            return False
        try:
            root = self.content_root
        except NotAnArticle:
            return False
        prose = [p for p in self.content.paragraphs if _weight(p.text) >= 80 and p.link_density < 0.2]
        if len(prose) < 3 or _link_density(root) >= 0.3:
            return False
        return not _looks_like_a_listing(root.getparent() if root.getparent() is not None else root)

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

    # -- fields --
    def url(self) -> str:
        if first(S.CANONICAL_HREF, self.root) is None and (og := absolute_url(self.meta.get("og:url"), self.response_url)):
            if (article_id_from_url(og) and not article_id_from_url(self.response_url)
                    and same_origin(og, self.response_url)):
                return og
        return super().url()

    def _ld_text(self, key: str) -> str:
        """A JSON-LD string, entities decoded once (script text is raw: the parser decoded none)."""
        value = self.json_ld.get(key)
        return clean_text(unescape_once(value)) if isinstance(value, str) else ""

    @cached_property
    def _time_element(self) -> etree._Element | None:
        """The first ``<time datetime>`` of the ``<article>``, else of the page."""
        scope = first(S.G_ARTICLE, self.root)
        found = first(S.G_TIME_DATETIME_IN, scope) if scope is not None else None
        return found if found is not None else first(S.G_TIME_DATETIME, self.root)

    @cached_property
    def vietnamese(self) -> bool:
        return is_vietnamese(self.root, self.response_url)

    @cached_property
    def zone(self) -> tzinfo:
        """The zone of dates this page writes without one (see ``headline.page_zone``)."""
        return page_zone(self.root, self.response_url, self._metadata_dates)

    @cached_property
    def _metadata_dates(self) -> list[str]:
        values = [self._ld_text("datePublished"), self._ld_text("dateModified")]
        values += [self.meta.get(k, "") for k in ("article:published_time", "article:modified_time",
                                                   "og:updated_time", "datepublished", "pubdate")]
        if (t := self._time_element) is not None:
            values.append(t.get("datetime") or "")
        return [v for v in values if v]

    def _iso(self, text: str | None) -> str | None:
        if not text:
            return None
        dt = parse_shown_date(text, zone=self.zone, vietnamese=self.vietnamese, now=self.now)
        return format_iso(dt) if dt is not None else None

    # -- the headline block --
    @cached_property
    def _site_names(self) -> set[str]:
        """Names of the site and its publisher, folded (a byline that is one of them is no byline)."""
        names = {self.meta.get("og:site_name", ""), self.meta.get("application-name", "")}
        publisher = self.json_ld.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(publisher["name"])
        host = (urlsplit(self.response_url).hostname or "").lower().removeprefix("www.")
        names.add(host)
        names.add(host.rsplit(".", 1)[0])
        return {_fold_name(n) for n in names if n}

    def _is_site_name(self, name: str) -> bool:
        folded = _fold_name(name)
        return any(folded == n or (len(n) >= 4 and n in folded) or (len(folded) >= 4 and folded in n)
                   for n in self._site_names)

    @cached_property
    def _meta_titles(self) -> list[str]:
        titles = [self._ld_text("headline"), clean_text(self.meta.get("og:title")),
                  clean_text(self.meta.get("twitter:title")), text_of(first(S.G_TITLE, self.root))]
        return [t for t in titles if t]

    @cached_property
    def h1(self) -> etree._Element | None:
        """The visible headline: the first ``<h1>`` (else ``<h2>``) that agrees with the page's
        metadata title, else the first ``<h1>`` with text outside navigation and chrome."""
        folded = [t.casefold() for t in self._meta_titles]
        headings = [h for h in S.G_HEADINGS(self.root) if not _invisible(h) and not _in_navigation(h)]
        texts = {h: text_of(h) for h in headings}
        for tag in ("h1", "h2"):
            for h in headings:
                text = texts[h].casefold()
                if h.tag == tag and text and any(
                        text == t or (len(text) >= 15 and text in t) or (len(t) >= 15 and t in text) for t in folded):
                    return h
        for h in headings:
            if h.tag == "h1" and texts[h] and not _is_negative(h.getparent()) and not any(
                    _is_negative(a) for a in h.iterancestors() if a.tag not in ("body", "html")):
                return h
        for el in S.G_TITLE_LIKE(self.root):   # no heading tag: 'div.title-detail' holding the title
            text = text_of(el).casefold()
            if len(text) >= 15 and any(text == t or text in t for t in folded) and not _invisible(el) \
                    and not _in_navigation(el):
                return el
        return self._heading_above_content()

    def _heading_above_content(self) -> etree._Element | None:
        """No heading names the metadata title (or there is no metadata title): the last heading
        above the best content block's first paragraph, within three levels of it."""
        scores = self._compute_scores(set())
        ranked = {el: v * (1 - _link_density(el)) for el, v in scores.items() if el.tag not in ("body", "html")}
        if not ranked:
            return None
        best = max(ranked, key=ranked.__getitem__)
        start = next((p for p in best.iter("p", "div") if len(text_of(p)) >= MIN_PARAGRAPH_CHARS), best)
        scope = best
        for _ in range(3):
            if scope.getparent() is None or scope.getparent().tag in ("body", "html"):
                break
            scope = scope.getparent()
        found = None
        for el in scope.iter(etree.Element):
            if el is start and start is not best:
                break
            is_heading = el.tag in ("h1", "h2", "h3") or (
                el.tag in ("div", "p", "span", "strong", "td") and _TITLE_CLASS.search(el.get("class") or ""))
            if is_heading and 15 <= len(text_of(el)) <= 300 and not _invisible(el) and not _in_navigation(el) \
                    and _link_density(el) < 0.5:
                found = el
            elif found is not None and len((el.tail or "").strip()) >= 60:
                break   # loose prose after it: the body has begun ('<br>text<br>text' bodies)
        return found

    @cached_property
    def _headline_ancestors(self) -> set[etree._Element]:
        """Containers of the headline: never chrome, whatever their classes say (a layout's
        'sidebar-1' column or 'PageWideBanner' placeholder that holds the article)."""
        return set(self.h1.iterancestors()) if self.h1 is not None else set()

    @cached_property
    def body_start(self) -> etree._Element | None:
        """The body's first paragraph: where the headline block ends."""
        try:
            root = self.content_root
        except NotAnArticle:
            return None
        for el in root.iter("p", "div", "li", "blockquote"):
            if (el.tag == "div" and any(isinstance(c.tag, str) and c.tag in _BLOCK_CHILDREN for c in el)
                    and len(_own_text(el)) < MIN_PARAGRAPH_CHARS):
                continue  # a wrapper of blocks; a div of loose prose around an image table is a paragraph
            if (len(text_of(el)) >= MIN_PARAGRAPH_CHARS and not _is_negative(el) and not is_lead_marked(el)
                    and not _says_chrome(el) and next(el.iter("time"), None) is None
                    and not _inside_negative(el, root, self._headline_ancestors)):
                if self.h1 is None or _precedes(self.h1, el):
                    return el
        return None

    @cached_property
    def headline(self) -> Headline:
        return Headline(self.root, self.h1, self.body_start)

    @cached_property
    def _header_elements(self) -> set[etree._Element]:
        """Elements of the headline block that are no ancestors of the body (dates, bylines,
        share buttons, the lead): the body walk leaves them out."""
        start = self.body_start
        keep = set(start.iterancestors()) if start is not None else set()
        return {el for el in self.headline.after if el not in keep}

    # -- fields --
    def title(self) -> str | None:
        if self.h1 is not None:
            shown = _headline_text(self.h1)
            for meta in self._meta_titles:  # a kicker inside the <h1>: 'Local News | Headline'
                for form in (meta, self._strip_site_name(meta), _TITLE_SUFFIX.sub("", meta)):
                    if len(form) >= 15 and form != shown and shown.endswith(form):
                        kicker = shown[: -len(form)].rstrip()
                        if kicker[-1:] in ":|-–—·•»/" or len(form) >= 0.6 * len(shown):
                            return form
            return shown
        for candidate in self._meta_titles[:3]:
            if candidate:
                return self._strip_site_name(candidate)
        title = self._meta_titles[-1] if self._meta_titles else ""
        return _TITLE_SUFFIX.sub("", self._strip_site_name(title)) or None

    def _strip_site_name(self, title: str) -> str:
        """'Headline - Site Name' -> 'Headline' when the last part names the site."""
        parts = _TITLE_SEPARATOR.split(title)
        if len(parts) > 1 and self._is_site_name(parts[-1]):
            return title[: title.rfind(parts[-1])].rstrip(" -|–—:·•»")
        if len(parts) > 1 and self._is_site_name(parts[0]):
            return title[len(parts[0]):].lstrip(" -|–—:·•»")
        return title

    @cached_property
    def _sapo_element(self) -> etree._Element | None:
        if (el := self.headline.lead_element(text_of(self.h1) or None)) is not None:
            return el
        scope = first(S.G_ARTICLE, self.root)
        for where in (scope, self.root) if scope is not None else (self.root,):
            for el in S.G_SAPO(where):
                if MIN_PARAGRAPH_CHARS <= len(text_of(el)) <= 600 and not _invisible(el) and not _in_navigation(el):
                    return el
        return None

    def subtitle(self) -> str | None:
        return text_of(self._sapo_element) or None

    @cached_property
    def _shown(self) -> tuple[str, datetime] | None:
        """(text, instant) of the first date shown in the headline block."""
        for el, text in self.headline.date_candidates():
            if text.lower().startswith("hôm nay"):
                continue
            if (dt := parse_shown_date(text, zone=self.zone, vietnamese=self.vietnamese, now=self.now)) is not None:
                if not has_time_of_day(text) and (parent := el.getparent()) is not None:
                    joined = text_of(parent)   # 'Feb. 19, 2020' + '4 AM' in two elements
                    if joined != text and len(joined) <= 80 and has_time_of_day(joined):
                        both = parse_shown_date(joined, zone=self.zone, vietnamese=self.vietnamese, now=self.now)
                        if both is not None and both.date() == dt.date():
                            return joined, both
                return text, dt
        return None

    @cached_property
    def _published_meta(self) -> str | None:
        """JSON-LD datePublished, else a publication meta tag, else the first ``<time datetime>``."""
        if (value := self._ld_text("datePublished")) and self._iso(value):
            return value
        for key in ("article:published_time", "datepublished", "pubdate", "publishdate", "publish_date",
                    "publication_date", "published_date", "parsely-pub-date", "sailthru.date", "dc.date",
                    "dc.date.issued", "date"):
            if (value := clean_text(self.meta.get(key))) and self._iso(value):
                return value   # (an ambiguous '11/01/2023' of a foreign page is no date)
        if (t := self._time_element) is not None:
            return clean_text(t.get("datetime")) or text_of(t) or None
        return self._shown_date or self._closing_date

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
                if text and len(text) <= 80 and not text.lower().startswith("hôm nay") and self._iso(text):
                    return text
        return None

    @cached_property
    def _closing_date(self) -> str | None:
        """A short dated line right after the body ('Erstellt am: 01.11.2023'), else a date that
        opens the body's first paragraph ('01.02.2022 „Der Arbeitsmarkt …')."""
        try:
            root = self.content_root
        except NotAnArticle:
            return None
        seen = 0
        for sib in root.itersiblings():
            for el in sib.iter(etree.Element):
                seen += 1
                if seen > 40:
                    break
                text = text_of(el) if len(el) == 0 else ""
                if 6 <= len(text) <= 60 and re.search(r"\d{4}", text) and self._iso(text):
                    return text
        for p in self.content.paragraphs[:2]:
            if m := re.match(r"(\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d\d-\d\d)\b", p.text):
                if self._iso(m.group(1)):
                    return m.group(1)
        return None

    @cached_property
    def _published(self) -> tuple[str | None, str | None]:
        """(published, published_raw): the date shown next to the headline, with its time of day;
        the metadata's instant when the page shows only the same day (or nothing)."""
        meta = self._published_meta
        meta_iso = self._iso(meta)
        shown = self._shown
        if shown is None:
            return meta_iso, meta
        text, dt = shown
        if meta_iso is not None and has_time_of_day(text) and self._same_wall_clock(dt, meta_iso):
            return meta_iso, text   # the shown time is the metadata's instant in the site's own zone
        if has_time_of_day(text) or meta_iso is None:
            return format_iso(dt), text
        meta_dt = datetime.fromisoformat(meta_iso)
        if meta_dt.astimezone(self.zone).date() == dt.astimezone(self.zone).date():
            return meta_iso, text
        return format_iso(dt), text

    def _same_wall_clock(self, shown: datetime, meta_iso: str) -> bool:
        """The shown wall-clock time is the metadata's instant seen from a whole-quarter-hour
        offset other than the one assumed (a US site in Los Angeles, not New York): the page's
        zone is then what the two imply."""
        wall = shown.astimezone(self.zone).replace(tzinfo=None)
        instant = datetime.fromisoformat(meta_iso).astimezone(timezone.utc).replace(tzinfo=None)
        minutes = (wall - instant).total_seconds() / 60
        quarter = round(minutes / 15) * 15
        same_day = abs(minutes) <= 14 * 60
        return same_day and quarter != 0 and abs(minutes - quarter) <= 1 and shown != datetime.fromisoformat(meta_iso)

    def published(self) -> str | None:
        return self._published[0]

    def published_raw(self) -> str | None:
        return self._published[1]

    def modified(self) -> str | None:
        for value in (self._ld_text("dateModified"), self.meta.get("article:modified_time"),
                      self.meta.get("og:updated_time"), self.meta.get("datemodified")):
            if value and (iso := self._iso(value)):
                return iso
        return None

    def category(self) -> str | None:
        section = self.json_ld.get("articleSection")
        if isinstance(section, list):
            section = section[0] if section else None
        if isinstance(section, str):
            section = unescape_once(section)
        return clean_text(section) or clean_text(self.meta.get("article:section")) or None

    def author(self) -> str | None:
        """The byline the page shows (headline block, else closing credits), else the persons
        of the metadata; never the site or its publisher."""
        names = [n for n in self.headline.authors() if not self._is_site_name(n)]
        if names:
            return ", ".join(names)
        if self.content.author and not self._is_site_name(self.content.author):
            return self.content.author
        names = []
        author = self.json_ld.get("author")
        for item in author if isinstance(author, list) else [author]:
            if isinstance(item, dict) and str(item.get("@type", "Person")).lower() not in ("person", ""):
                continue
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str):
                names += [n for n in split_names(unescape_once(name)) if not self._is_site_name(n)]
        if not names:
            for key in ("author", "article:author", "dc.creator", "sailthru.author"):
                names = [n for n in split_names(self.meta.get(key) or "") if not self._is_site_name(n)]
                if names:
                    break
        unique = [n for n in dict.fromkeys(names) if not self._shown_as_editor(n)]
        return ", ".join(unique) or None

    def _shown_as_editor(self, name: str) -> bool:
        """The page shows ``name`` only in an editor's credit ('责任编辑：孔德明'): the metadata's
        author is then the editor, not the byline."""
        shown = [t for t in S.G_BODY_TEXTS(self.root) if name in t]
        return bool(shown) and all(is_editor_credit(t) for t in shown)

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

    @cached_property
    def _scores(self) -> dict[etree._Element, float]:
        return self._compute_scores(self._headline_ancestors)

    def _compute_scores(self, protected: set[etree._Element]) -> dict[etree._Element, float]:
        """Content scores: every paragraph-like block with enough text scores its parent, half
        its grandparent, a third its great-grandparent; blocks in chrome (but for the headline's
        ``protected`` containers) score nothing."""
        scope = first(S.G_BODY, self.root)
        scores: dict[etree._Element, float] = {}
        if scope is None:
            return scores
        negative: dict[etree._Element, bool] = {a: False for a in protected}
        for el in scope.iter(*_PARAGRAPH_TAGS):
            container = el
            if el.tag in ("div", "td") and any(isinstance(c.tag, str) and c.tag in _BLOCK_CHILDREN for c in el):
                # a container, scored through its paragraphs — and through its own loose text
                # (text beside <br>s and pictures), which scores the container itself
                text = clean_text((el.text or "") + "".join(c.tail or "" for c in el))
                if len(text) < 100:
                    continue
            else:
                text = clean_text(visible_text(el))
                container = el.getparent()
            if len(text) < MIN_PARAGRAPH_CHARS or _chrome_above(el, scope, negative):
                continue
            score = 1 + text.count(",") + text.count("，") + min(len(text) / 100, 3)
            node, divider = container, 1
            while node is not None and divider <= 3:
                scores[node] = scores.get(node, 0.0) + score / divider
                node, divider = node.getparent(), divider + 1
        return scores

    def _densest_block(self) -> etree._Element | None:
        scores = self._scores
        if not scores:
            return None
        ranked = {el: score * (1 - _link_density(el)) for el, score in scores.items() if el.tag not in ("body", "html")}
        if not ranked:
            return None
        best = max(ranked, key=ranked.__getitem__)
        near = self._nearest_to_headline(ranked, ranked[best])
        return best if near is None else near

    def _nearest_to_headline(self, ranked: dict[etree._Element, float], top: float) -> etree._Element | None:
        """The best block among those closest to the headline: candidates are grouped by the
        nearest container they share with the ``<h1>``; the innermost group whose best block
        scores at least a fifth of the page's best wins (a teaser wall below the article can
        outscore it, but it is farther from the headline)."""
        if self.h1 is None:
            return None
        level = {a: i for i, a in enumerate(self.h1.iterancestors()) if a.tag not in ("body", "html")}
        if not level:
            return None
        groups: dict[int, etree._Element] = {}
        for el, score in ranked.items():
            node = el
            while node is not None and node not in level:
                node = node.getparent()
            if node is None:
                continue
            i = level[node]
            if i not in groups or score > ranked[groups[i]]:
                groups[i] = el
        threshold = max(10.0, top * 0.2)
        for i in sorted(groups):
            if ranked[groups[i]] >= threshold:
                return groups[i]
        return None

    @cached_property
    def _siblings(self) -> list[etree._Element]:
        """Siblings of the content block that hold more of the article (readability's rule):
        a well-scored block, or a long paragraph with few links."""
        best = self.content_root
        parent = best.getparent()
        for _ in range(2):   # a block alone in its wrapper: its sections are the wrapper's siblings
            if parent is None or parent.tag in ("body", "html") or self.h1 is not None and self.h1 in parent.iter():
                break
            if sum(1 for c in parent if isinstance(c.tag, str) and c.tag not in INVISIBLE) != 1:
                break
            best, parent = parent, parent.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return []
        top = self._scores.get(best, 0.0)
        found = []
        best_class = best.get("class")
        for sib in parent:
            if sib is best or not isinstance(sib.tag, str) or _is_negative(sib) or sib.tag in INVISIBLE:
                continue
            score = self._scores.get(sib, 0.0)
            threshold = max(10.0, top * 0.2)
            if best_class and sib.get("class") == best_class:
                threshold = 3.0   # the next section of the same article
            if score >= threshold and _link_density(sib) < 0.35:
                found.append(sib)
            elif sib.tag == "p":
                text = text_of(sib)
                if len(text) > 80 and _link_density(sib) < 0.25:
                    found.append(sib)
        return found

    @cached_property
    def content(self) -> Content:
        sapo = self._sapo_element
        header = self._header_elements
        root = self.content_root
        siblings = self._siblings
        skip_outside: set[etree._Element] = set()
        if siblings:
            root = siblings[0].getparent()
            keep = set(siblings) | {a for a in self.content_root.iterancestors()} | {self.content_root}
            skip_outside = {c for c in root if c not in keep}
        h1 = self.h1

        protected = self._headline_ancestors

        def skip(el: etree._Element) -> bool:
            return (el is sapo or el is h1 or el in header or el in skip_outside
                    or (el not in protected and _is_negative(el)))

        content = extract_content(root, self.response_url, subtitle=self.subtitle(), skip=skip, chrome=self.CHROME)
        title = self.title()
        kept: list[Paragraph] = []
        removed: list[Paragraph] = []
        for p in content.paragraphs:
            link_heavy = p.text and p.link_density >= MAX_LINK_DENSITY and len(content.paragraphs) > 1
            debris = p.text and not any(c.isalnum() for c in p.text)   # '·' left between skipped bits
            (removed if p.text == title or link_heavy or debris else kept).append(p)
        while kept and len(kept) > 1 and _is_closing_chrome(kept[-1].text):
            removed.append(kept.pop())
        content.paragraphs, content.removed = kept, content.removed + removed
        return content

    def body_html(self) -> str | None:
        return body_html(self.content_root, self.content, self.response_url) or None

    def attachments(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        seen: set[str] = set()
        for item in document_links([*self.content.body_links, *S.ATTACHMENT_BOX_LINKS(self.root)], self.response_url):
            if item["url"] not in seen:
                seen.add(item["url"])
                found.append(item)
        return found


_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4})|all rights reserved|tous droits réservés|"
                        r"alle rechte vorbehalten|todos los derechos reservados|bản quyền thuộc", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _is_closing_chrome(text: str) -> bool:
    """A last paragraph that is the site's, not the article's: a copyright notice, or a short
    'write to us at x@y / follow us on …' line."""
    if len(text) > 300:
        return False
    return bool(_COPYRIGHT.search(text)) or (bool(_EMAIL.search(text)) and len(text) <= 200)


def _in_navigation(h: etree._Element) -> bool:
    """A heading of navigation, a breadcrumb or a related/teaser box (six levels up at most)."""
    for i, a in enumerate(h.iterancestors()):
        if i >= 6 or a.tag in ("body", "html"):
            return False
        if a.tag in ("nav", "aside", "footer"):
            return True
        if _chrome_kind(a) == 2:
            parts, tokens = _words(a)
            if not (any(w.startswith(_POSITIVE_PREFIXES) for w in parts | tokens) or parts & _POSITIVE_WORDS):
                return True
    return False


def _headline_text(h: etree._Element) -> str:
    """The headline's text without a date printed inside it (``<h1><time>1. Februar 2022</time>…``)."""
    dated = [el for el in h.iterdescendants(etree.Element)
             if el.tag == "time" or re.search(r"date|time", el.get("class") or "", re.I)]
    if not dated:
        return text_of(h)
    parts = []
    for text in h.xpath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                        " or ancestor::template)]"):
        parent = text.getparent()
        owner = parent if not text.is_tail else parent.getparent()
        if owner is not None and not any(owner is d or d in owner.iterancestors() for d in dated):
            parts.append(str(text))
    return clean_text("".join(parts)) or text_of(h)


_LISTING_MIN_ITEMS = 3
_TITLE_CLASS = re.compile(r"title|headline|heading|tieu-?de", re.I)


def _looks_like_a_listing(scope: etree._Element) -> bool:
    """Teasers, not an article: several linked headings, or several dated items."""
    linked_headings = sum(1 for h in scope.iter("h2", "h3", "h4") if next(h.iter("a"), None) is not None)
    if linked_headings >= _LISTING_MIN_ITEMS:
        return True
    dated = sum(1 for el in scope.iter(etree.Element) if el.tag == "time" or re.search(
        r"date|time|ngay", el.get("class") or "", re.I))
    return dated >= _LISTING_MIN_ITEMS


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _weight(text: str) -> int:
    """Length with CJK characters counted thrice (one carries about a word)."""
    return len(text) + 2 * len(_CJK.findall(text)) if not text.isascii() else len(text)


def _fold_name(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


_HIDDEN_CLASS = re.compile(r"sr-only|visually-?hidden|screen-?reader|assistive|\bhidden\b|offscreen", re.I)


def _invisible(el: etree._Element) -> bool:
    """Inside script-like elements, ``hidden``, or a screen-reader-only class."""
    for a in (el, *el.iterancestors()):
        if a.tag in INVISIBLE or a.get("hidden") is not None or _HIDDEN_CLASS.search(a.get("class") or ""):
            return True
    return False


def _precedes(a: etree._Element, b: etree._Element) -> bool:
    """True when ``a`` ends before ``b`` starts in document order."""
    if a is b or a in b.iterancestors() or b in a.iterancestors():
        return False
    root = a.getroottree().getroot()
    for el in root.iter():
        if el is a:
            return True
        if el is b:
            return False
    return False


def _chrome_above(el: etree._Element, scope: etree._Element, cache: dict[etree._Element, bool]) -> bool:
    """``el`` or an ancestor below ``scope`` is chrome (memoised per ancestor)."""
    chain = []
    node = el
    found = False
    while node is not None and node is not scope:
        if node in cache:
            found = cache[node]
            break
        chain.append(node)
        node = node.getparent()
    for node in reversed(chain):
        found = found or _is_negative(node)
        cache[node] = found
    return found


def _inside_negative(el: etree._Element, scope: etree._Element,
                     protected: set[etree._Element] = frozenset()) -> bool:  # type: ignore[assignment]
    """An ancestor below ``scope`` is navigation/chrome (the scope's own classes don't count)."""
    for ancestor in el.iterancestors():
        if ancestor is scope:
            return False
        if ancestor not in protected and _is_negative(ancestor):
            return True
    return False


def _own_text(el: etree._Element) -> str:
    """The text directly inside ``el`` (its text and its children's tails), not its children's."""
    return clean_text("".join([el.text or "", *(child.tail or "" for child in el)]))
