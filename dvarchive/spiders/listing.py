"""What one listing page or feed tells the crawl: which articles to follow, and whether to page on.

Pure decisions over parsed pages (no Scrapy requests, no state): the spider routes by them and
adds their counts to the crawl stats. Bounds that protect a crawl from a hostile or broken pager:

- an empty FIRST page is an alarm (a redesigned listing), not the end: the category is never
  marked complete from it, and the crawl ends "degraded";
- a page that lists exactly what the page before listed ends the category (an endless pager that
  repeats its last page);
- at most ``DVARCHIVE_LISTING_MAX_LINKS`` article links are taken from one page (the rest counted);
- paging stops once ``DVARCHIVE_MAX_ARTICLES`` articles are scheduled;
- ``--since``/``--until`` apply to listing dates and to feed dates (``pubDate``) alike.
"""
from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime

from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from dvarchive import stats as names
from dvarchive.pages import ListingItem, parse_listing
from dvarchive.spiders.discovery import ListingCursor, parse_rss
from dvarchive.spiders.window import DateWindow

DEFAULT_MAX_LINKS = 500
# A listing page that still fails after the retries is skipped; after this many failures in a
# row the category is given up (logged), so a dead section can't keep the crawl paging forever.
MAX_CONSECUTIVE_LISTING_FAILURES = 3


class ListingVerdict(enum.Enum):
    NEXT = "next page"
    END = "end of the listing"  # an empty page, or one repeating the page before
    EMPTY_FIRST = "first page lists nothing"  # a redesign or an outage, never the end of a history
    STOP = "nothing more wanted"  # nothing new (incremental), or all older than --since


@dataclass
class ListingStep:
    follow: list[ListingItem]
    verdict: ListingVerdict
    listed: frozenset[str] = frozenset()
    counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class ListingPlan:
    window: DateWindow = field(default_factory=DateWindow)
    max_articles: int | None = None
    max_links: int = DEFAULT_MAX_LINKS

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> "ListingPlan":
        window = DateWindow.from_text(settings.get("DVARCHIVE_SINCE") or None, settings.get("DVARCHIVE_UNTIL") or None)
        max_articles = settings.getint("DVARCHIVE_MAX_ARTICLES") or None
        return cls(window, max_articles, settings.getint("DVARCHIVE_LISTING_MAX_LINKS", DEFAULT_MAX_LINKS))

    def enough(self, scheduled: set[str]) -> bool:
        return self.max_articles is not None and len(scheduled) >= self.max_articles

    def exhausted(self, step: ListingStep) -> bool:
        """The category was paged to its end (what a later incremental run may rely on)."""
        return step.verdict is ListingVerdict.END and not self.window.bounded  # never EMPTY_FIRST

    @staticmethod
    def give_up(cursor: ListingCursor) -> bool:
        return cursor.failures >= MAX_CONSECUTIVE_LISTING_FAILURES

    def step(self, response: Response, cursor: ListingCursor, known_ids: set[str]) -> ListingStep:
        items = parse_listing(response.body, response.url) if isinstance(response, TextResponse) else []
        return self.decide(items, cursor, known_ids)

    def decide(self, items: list[ListingItem], cursor: ListingCursor, known_ids: set[str]) -> ListingStep:
        if not items and cursor.page == 1:
            return ListingStep([], ListingVerdict.EMPTY_FIRST, counts=Counter({names.LISTING_EMPTY_FIRST_PAGE: 1}))
        if not items:
            return ListingStep([], ListingVerdict.END, counts=Counter({names.LISTING_EMPTY_PAGE: 1}))
        listed = frozenset(item.article_id or item.url for item in items)
        if listed == cursor.previous:
            return ListingStep([], ListingVerdict.END, listed, Counter({names.LISTING_REPEATED_STOP: 1}))
        counts: Counter[str] = Counter()
        if len(items) > self.max_links:
            counts.update({names.LISTING_LINKS_CAPPED: 1, names.LISTING_LINKS_DROPPED: len(items) - self.max_links})
            items = items[: self.max_links]
        unknown = [item for item in items if item.article_id not in known_ids]
        follow = [item for item in unknown if self.window.admits(item.published)]
        if len(follow) < len(unknown):
            counts[names.WINDOW_SKIPPED] += len(unknown) - len(follow)
        if cursor.incremental and not unknown:
            counts[names.LISTING_INCREMENTAL_STOP] += 1
            return ListingStep(follow, ListingVerdict.STOP, listed, counts)
        if self.window.all_before_since(item.published for item in items):
            counts[names.LISTING_SINCE_STOP] += 1
            return ListingStep(follow, ListingVerdict.STOP, listed, counts)
        return ListingStep(follow, ListingVerdict.NEXT, listed, counts)


def rss_links(body: bytes, window: DateWindow) -> tuple[list[str], Counter[str]]:
    """Item links of a feed whose ``pubDate`` is inside the window (an undated item is kept)."""
    feed = parse_rss(body)
    counts: Counter[str] = Counter()
    if feed.doctype_removed:
        counts[names.RSS_DOCTYPE_REMOVED] += 1
    if not feed.items:
        counts[names.RSS_UNUSABLE] += 1
    links = []
    for item in feed.items:
        if window.admits(rss_date(item.published_raw)):
            links.append(item.url)
        else:
            counts[names.WINDOW_SKIPPED] += 1
    return links, counts


def rss_date(text: str | None) -> datetime | None:
    """An RFC 822 ``pubDate``; None when absent or unreadable (the record's own date decides then)."""
    if not text:
        return None
    try:
        return parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
