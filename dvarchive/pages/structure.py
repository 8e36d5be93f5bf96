"""What any page holds, for discovery and the generic navigation/listing page objects: its links
(content or chrome), main menu, pager, breadcrumb, feeds, and whether it reads as an article (a
headline, a date and a block of prose).

Small typed functions over an lxml tree; no site knowledge — only markup every CMS shares.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from dvarchive.pages.content import SOURCE_TAGS, visible_text
from dvarchive.pages.urls import absolute_url

CHROME = re.compile(r"menu|\bnav|sidebar|footer|header|widget|banner|breadcrumb|\bright\b|col-md-4|"
                    r"sideNav|top-bar|toolbar|social|share|comment|related|other-news|tin-khac|box-links", re.I)
CHROME_TAGS = frozenset(("nav", "header", "footer", "aside"))
MENU_CONTAINERS = etree.XPath(
    "//nav | //*[@role='navigation' or @role='menubar'] | //ul[contains(translate(@id, 'MENU', 'menu'), 'menu') "
    "or contains(translate(@class, 'MENU', 'menu'), 'menu')] | //div[contains(translate(@id, 'MENUNAV', 'menunav'), 'menu') "
    "or contains(translate(@id, 'MENUNAV', 'menunav'), 'nav') or contains(@class, 'menu')]")
BREADCRUMB = etree.XPath(
    "//*[contains(translate(@class, 'BREADCRUMB', 'breadcrumb'), 'breadcrumb') or contains(translate(@id, "
    "'BREADCRUMB', 'breadcrumb'), 'breadcrumb') or @aria-label='breadcrumb']")
NEXT_TEXTS = frozenset(("sau", "tiếp", "trang sau", "trang tiếp", "tiếp theo", "»", "›", "sau »", "tiếp »", "next",
                        "next »", "›»", ">", ">>", "bài cũ hơn", "cũ hơn", "older posts", "xem tiếp", "trang kế"))
HOME_TEXTS = frozenset(("trang chủ", "home", "trang chu", "trang nhất"))
DATE_TEXT = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}\b|\b(?:19|20)\d{2}-\d{2}-\d{2}")
BLOCK_TAGS = ("p", "div", "td", "blockquote", "li")
FEED_TYPES = ("application/rss+xml", "application/atom+xml")


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str
    chrome: bool          # inside navigation, header, footer, sidebar, comments …
    rel: str = ""


def text_of(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def name_of(el: etree._Element) -> str:
    """The text a reader sees in a menu or breadcrumb entry: it can become a record's category, so
    script, style, noscript and template source is left out (issue 11)."""
    return " ".join(visible_text(el).split())


def in_chrome(el: etree._Element) -> bool:
    """Inside navigation, header, footer, sidebar, comments …; an article's own header
    (``<article><header class="entry-header">``: headline, date, byline) is not chrome."""
    found: list[str] = []
    in_article = False
    for node in el.iterancestors():
        if not isinstance(node.tag, str):
            continue
        in_article = in_article or node.tag in ("article", "main")
        marker = f"{node.get('class') or ''} {node.get('id') or ''}"
        if node.tag in CHROME_TAGS:
            found.append(node.tag)
        elif marker.strip() and (match := CHROME.search(marker)):
            found.append(match.group().lower())
    return any(kind != "header" or not in_article for kind in found)


def links(root: etree._Element, base_url: str) -> list[Link]:
    """Every http(s) link of the page's body, resolved, with whether it sits in chrome."""
    found = []
    for a in root.iter("a"):
        url = absolute_url(a.get("href"), base_url)
        if url:
            found.append(Link(url.split("#", 1)[0], text_of(a), in_chrome(a), (a.get("rel") or "").lower()))
    return found


def menu_entries(root: etree._Element, base_url: str) -> list[tuple[str, str]]:
    """(name, url) of the main menu: the first navigation block with at least three links,
    submenus included; the home entry left out."""
    for container in MENU_CONTAINERS(root):
        entries = []
        for a in container.iter("a"):
            url = absolute_url(a.get("href"), base_url)
            name = name_of(a)
            if url and name and name.lower() not in HOME_TEXTS and not url.rstrip("/").endswith(("#", "javascript:")):
                entries.append((name, url.split("#", 1)[0]))
        if len(entries) >= 3:
            return entries
    return []


def pager_links(root: etree._Element, base_url: str) -> list[str]:
    """Next-page URLs: ``rel=next`` (head or body), links reading "Sau", "Tiếp", "»" …, and numbered links."""
    found = [absolute_url(el.get("href"), base_url) for el in root.iter("link", "a")
             if "next" in (el.get("rel") or "").lower().split()]
    for a in root.iter("a"):
        label = text_of(a).lower()
        if label in NEXT_TEXTS or (label.isdigit() and len(label) <= 4):
            found.append(absolute_url(a.get("href"), base_url))
    return [url.split("#", 1)[0] for url in found if url]


def breadcrumb_names(root: etree._Element) -> list[str]:
    """Texts of the breadcrumb's entries, outermost first (the home entry left out)."""
    for container in BREADCRUMB(root):
        names = [name_of(el) for el in container.iter("a", "span", "li")
                 if (not len(el) or el.tag == "a") and next(el.iterancestors(*SOURCE_TAGS), None) is None]
        names = [n for n in names if n and n.lower() not in HOME_TEXTS and n not in ("»", ">", "|", "/")]
        if names:
            return names
    return []


def pick_category(breadcrumb: list[str], record: dict[str, Any], menu: Iterable[str],
                  found_under: str | None) -> str | None:
    """The breadcrumb's entry that is a menu entry (else its last one but the title), else the menu
    entry or listing the article was found under, else the record's own (``article:section``)."""
    names = [n for n in breadcrumb if n != record.get("title") and len(n) <= 80]
    by_lower = {name.lower(): name for name in menu}
    for name in reversed(names):
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    return (names[-1] if names else None) or found_under or record.get("category")


def feed_links(root: etree._Element, base_url: str) -> list[str]:
    """RSS/Atom feeds the page announces with ``<link rel=alternate type=…>``."""
    return [url for el in root.iter("link")
            if "alternate" in (el.get("rel") or "").lower() and (el.get("type") or "").lower() in FEED_TYPES
            and (url := absolute_url(el.get("href"), base_url))]


def canonical(root: etree._Element, base_url: str) -> str | None:
    for el in root.iter("link"):
        if (el.get("rel") or "").lower() == "canonical":
            return absolute_url(el.get("href"), base_url)
    return None


def prose_chars(root: etree._Element) -> int:
    """Characters of the best block of prose: text of direct children paragraphs (≥ 40 chars
    each, outside links) under one parent, the parent's link density below 30 %."""
    scores: dict[etree._Element, int] = {}
    for el in root.iter(*BLOCK_TAGS):
        if el.tag == "div" and any(isinstance(c.tag, str) and c.tag in ("p", "div", "table", "ul") for c in el):
            own = " ".join(" ".join([el.text or "", *(c.tail or "" for c in el)]).split())
            if len(own) >= 40 and not in_chrome(el):     # text split by <br>, images between
                scores[el] = scores.get(el, 0) + len(own)
            continue
        text = text_of(el)
        if len(text) < 40 or el.getparent() is None or in_chrome(el):
            continue
        linked = sum(len(text_of(a)) for a in el.iter("a"))
        if linked > len(text) * 0.3:
            continue
        scores[el.getparent()] = scores.get(el.getparent(), 0) + len(text)
    return max(scores.values(), default=0)


def has_headline(root: etree._Element) -> bool:
    for el in root.iter("h1", "h2", "h3", "meta"):
        if el.tag == "meta":
            if el.get("property") == "og:title" and (el.get("content") or "").strip():
                return True
        elif len(text_of(el)) >= 15 and not in_chrome(el) and el.find(".//a") is None:
            return True
    return False


def has_date(root: etree._Element) -> bool:
    if root.find(".//time[@datetime]") is not None:
        return True
    for el in root.iter("meta"):
        if (el.get("property") or el.get("name") or "").lower() in ("article:published_time", "datepublished"):
            return True
    for el in root.iter("span", "div", "p", "time", "em", "i"):
        own = (el.text or "")[:120]
        if DATE_TEXT.search(own) and not in_chrome(el):
            return True
    return False


def looks_like_article(root: etree._Element, min_prose: int = 400) -> bool:
    """A headline not inside a link, a date outside the chrome, and a block of prose."""
    return has_headline(root) and has_date(root) and prose_chars(root) >= min_prose
