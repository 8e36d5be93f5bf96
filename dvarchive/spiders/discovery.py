"""URL rules of the site's crawl: listing pagination, RSS feeds, which links are ours."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from dvarchive.discovery.feeds import SAFE_XML_PARSER, strip_doctype
from dvarchive.pages import Category

PAGE_PARAM = "trang"



@dataclass(frozen=True)
class ListingCursor:
    """Where a category's paging stands: page number, failed pages in a row, what the last page listed.

    ``incremental``: the state says this category was paged to its end once, so paging stops at
    the first page with nothing new. ``previous``: the articles the page before listed (an endless
    pager that repeats its last page is recognised by it).
    """

    category: Category
    page: int
    failures: int = 0
    incremental: bool = False
    previous: frozenset[str] = frozenset()

    @property
    def url(self) -> str:
        if self.page == 1:
            return self.category.url
        return urljoin(self.category.url, f"?{PAGE_PARAM}={self.page}")

    def next_page(self, listed: frozenset[str] = frozenset()) -> "ListingCursor":
        return replace(self, page=self.page + 1, failures=0, previous=listed)

    def after_failure(self) -> "ListingCursor":
        return replace(self, page=self.page + 1, failures=self.failures + 1, previous=frozenset())


@dataclass(frozen=True)
class RssItem:
    url: str
    title: str
    published_raw: str | None


def rss_url(home_url: str, category_slug: str) -> str:
    """The site's feed of a category: ``/rss/<slug>.rss``."""
    return urljoin(home_url, f"/rss/{category_slug}.rss")


@dataclass
class RssFeed:
    items: list[RssItem] = field(default_factory=list)
    doctype_removed: bool = False


def parse_rss(body: bytes) -> RssFeed:
    """Items of an RSS 2.0 feed; none for anything that is not one. Never expands entities."""
    cleaned, doctype_removed = strip_doctype(body)
    feed = RssFeed(doctype_removed=doctype_removed)
    try:
        root = etree.fromstring(cleaned, parser=SAFE_XML_PARSER)
    except etree.XMLSyntaxError:
        return feed
    if root is None:
        return feed
    for item in root.iterfind("channel/item"):
        link = (item.findtext("link") or "").strip()
        if link:
            feed.items.append(RssItem(link, (item.findtext("title") or "").strip(), item.findtext("pubDate")))
    return feed


def article_request_url(url: str) -> str:
    """The URL to request for an article link: no tracking query (``?ref=home``), no fragment."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
