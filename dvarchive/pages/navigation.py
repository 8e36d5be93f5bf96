"""Navigation page objects: which layout's menu a home page has, and its categories.

Each layout's navigation has ``detect(root, url)`` (None when the page is not in that layout);
``GenericNavigation`` is the fallback for a portal no layout knows (any menu structure).
"""
from __future__ import annotations

from lxml import etree

from dvarchive.pages.structure import menu_entries
from dvarchive.pages import selectors as S
from dvarchive.pages.base import NotAnArticle, parse_html
from dvarchive.pages.danvan import Category, menu_categories
from dvarchive.pages.urls import absolute_url

__all__ = ["NAVIGATIONS", "DanvanNavigationV1", "GenericNavigation", "detect_layout_navigation"]


class DanvanNavigationV1:
    """The board's ``ul#main-menu``: top-level links to ``/<slug>/`` (see ``danvan.menu_categories``)."""

    layout = "danvan/v1"

    def __init__(self, root: etree._Element, url: str) -> None:
        self.root, self.url = root, url

    @classmethod
    def detect(cls, root: etree._Element, url: str) -> DanvanNavigationV1 | None:
        return cls(root, url) if S.V1_MENU_TOP_ITEMS(root) else None

    def categories(self) -> list[Category]:
        return menu_categories(self.root, self.url)


class GenericNavigation:
    """Any menu: the first navigation block with three links or more (submenus included)."""

    layout = "generic"

    def __init__(self, root: etree._Element, url: str) -> None:
        self.root, self.url = root, url

    @classmethod
    def detect(cls, root: etree._Element, url: str) -> GenericNavigation:
        return cls(root, url)

    def entries(self) -> list[tuple[str, str]]:
        return menu_entries(self.root, self.url)

    def categories(self) -> list[Category]:
        found = []
        for name, url in self.entries():
            slug = url.rstrip("/").rsplit("/", 1)[-1] or url
            if (absolute := absolute_url(url, self.url)) is not None:
                found.append(Category(slug=slug, name=name, url=absolute))
        return found


NAVIGATIONS: tuple[type[DanvanNavigationV1], ...] = (DanvanNavigationV1,)
"""Known layouts' navigations, newest first; GenericNavigation is the fallback."""


def detect_layout_navigation(html: str | bytes, url: str) -> DanvanNavigationV1 | None:
    """The known layout whose navigation the page has, or None (then discovery is generic)."""
    try:
        root = parse_html(html)
    except NotAnArticle:
        return None
    for navigation in NAVIGATIONS:
        if (found := navigation.detect(root, url)) is not None and found.categories():
            return found
    return None
