"""Listing page objects: the articles a category page lists, per layout, with a generic fallback."""
from __future__ import annotations

from lxml import etree

from dvarchive.pages.structure import links, pager_links
from dvarchive.pages import selectors as S
from dvarchive.pages.danvan import ListingItem, listing_items

__all__ = ["DanvanListingV1", "GenericListing"]


class DanvanListingV1:
    """``div.news-item`` entries (see ``danvan.listing_items``); pages past the end list none."""

    layout = "danvan/v1"

    def __init__(self, root: etree._Element, url: str) -> None:
        self.root, self.url = root, url

    @classmethod
    def detect(cls, root: etree._Element, url: str) -> DanvanListingV1 | None:
        return cls(root, url) if S.V1_LISTING_ITEMS(root) else None

    def items(self) -> list[ListingItem]:
        return listing_items(self.root, self.url)


class GenericListing:
    """Any listing: the links of the page's content (not its menu, sidebar or footer), and its pager."""

    layout = "generic"

    def __init__(self, root: etree._Element, url: str) -> None:
        self.root, self.url = root, url

    @classmethod
    def detect(cls, root: etree._Element, url: str) -> GenericListing:
        return cls(root, url)

    def item_urls(self) -> list[str]:
        pager = set(self.next_pages())
        seen: dict[str, None] = {}
        for link in links(self.root, self.url):
            if not link.chrome and link.url not in pager:
                seen.setdefault(link.url)
        return list(seen)

    def next_pages(self) -> list[str]:
        return pager_links(self.root, self.url)
