"""Extraction: page bytes + URL -> record (see docs/architecture.md, "Extraction").

Layouts are tried in order: the first whose ``matches(tree)`` is true extracts the record;
``GenericV1`` (standard metadata + content density) is the fallback for pages that match no
known layout (a redesign, a sibling provincial site). A page that yields no title, no body or
no article id under either is ``NotAnArticle``.
"""
from __future__ import annotations

from typing import Any

from dvarchive.pages.base import ArticleParser, NotAnArticle, parse_html
from dvarchive.pages.danvan import Category, DanvanV1, ListingItem, listing_items, menu_categories
from dvarchive.pages.generic import GenericV1
from dvarchive.pages.urls import article_id_from_url

__all__ = [
    "LAYOUTS",
    "Category",
    "DanvanV1",
    "GenericV1",
    "ListingItem",
    "NotAnArticle",
    "article_id_from_url",
    "extract_record",
    "parse_listing",
    "parse_menu",
]

LAYOUTS: tuple[type[ArticleParser], ...] = (DanvanV1,)
"""Known site layouts, newest first; GenericV1 is tried after them."""


def extract_record(
    url: str, html: str | bytes, *, site: str, fetched_at: str, encoding: str | None = None
) -> dict[str, Any]:
    """The record of one article page (all schema fields but ``warc``/``version``).

    ``url`` is the response URL, ``encoding`` the HTTP header's charset (the page's meta
    charset is used when it is absent or wrong). Raises :class:`NotAnArticle`.
    """
    root = parse_html(html, encoding)
    reasons = []
    for layout in LAYOUTS:
        parser = layout.detect(root, url)
        if parser is not None:
            try:
                return parser.record(site=site, fetched_at=fetched_at)
            except NotAnArticle as exc:
                reasons.append(str(exc))
            break
    try:
        parser = GenericV1.detect(root, url)
        if parser is None:
            reasons.append("no known layout and no article metadata")
        else:
            return parser.record(site=site, fetched_at=fetched_at)
    except NotAnArticle as exc:
        reasons.append(str(exc))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        # A page nobody described can break an assumption of the generic rules: that page is
        # refused (counted as not an article by the crawl), the crawl goes on.
        reasons.append(f"generic/v1 could not read the page ({type(exc).__name__}: {exc})")
    raise NotAnArticle("; ".join(reasons))


def parse_menu(html: str | bytes, url: str) -> list[Category]:
    """Categories of the site's main menu (slug, name as shown, absolute URL)."""
    try:
        root = parse_html(html)
    except NotAnArticle:
        return []
    return menu_categories(root, url)


def parse_listing(html: str | bytes, url: str) -> list[ListingItem]:
    """Articles listed on a category page; ``[]`` for a page past the end."""
    try:
        root = parse_html(html)
    except NotAnArticle:
        return []
    return listing_items(root, url)
