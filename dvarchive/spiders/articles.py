"""Spider ``articles``: discovery, pagination and routing only.

Crawl plan: home page → categories of the main menu → each category's listing pages
(``?trang=N``) and its RSS feed → article pages → one record each. Extraction lives in
:mod:`dvarchive.pages`; the crawl state, conditional requests and gone pages in
:mod:`dvarchive.state` (an extension and a downloader middleware); attachments in
:mod:`dvarchive.pipelines.attachments`; the origin scope in :mod:`dvarchive.middlewares`.

Options are settings (``dvarchive crawl`` sets them; ``-a NAME=VALUE`` arguments are copied into
them, see :mod:`dvarchive.spiders.arguments`): ``DVARCHIVE_START_URL`` (``start_url``, required),
``DVARCHIVE_SITE``, ``DVARCHIVE_MAX_ARTICLES``, ``DVARCHIVE_RSS``, ``DVARCHIVE_SINCE`` /
``DVARCHIVE_UNTIL``, ``DVARCHIVE_REVISIT``, ``DVARCHIVE_LISTING_MAX_LINKS``, ``STATE_DIR``.

With a state, a category whose full history was crawled once is paged only until a listing page
holds no article the state doesn't know, and known articles are not fetched again.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from dvarchive import stats as names
from dvarchive.middlewares import OutsideOrigin, fetched_at
from dvarchive.pages import Category, NotAnArticle, article_id_from_url, extract_record, parse_menu
from dvarchive.spiders.arguments import ARGUMENT_SETTINGS, arguments_to_settings
from dvarchive.normalize.urlparts import is_same_site
from dvarchive.spiders.discovery import ListingCursor, article_request_url, rss_url
from dvarchive.spiders.listing import ListingPlan, ListingVerdict, rss_links
from dvarchive.state.extension import category_exhausted, crawl_state_of
from dvarchive.state.middleware import ARTICLE_META, KNOWN_ID_META, PageHandled

logger = logging.getLogger(__name__)

Extractor = Callable[..., dict[str, Any]]  # extract_record's signature: (url, html, *, site, fetched_at, encoding)


class ArticlesSpider(scrapy.Spider):
    """Crawl every article of the board's site once (see the module doc for its options)."""

    name = "articles"

    def __init__(self, start_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not start_url:
            raise ValueError("the articles spider needs -a start_url=URL (the site's home page)")
        self.start_url = start_url
        self.plan = ListingPlan()
        self.site_key = "danvan"
        self.use_rss = True
        self.revisit = False
        self.known_ids: set[str] = set()
        self.scheduled_ids: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "ArticlesSpider":
        arguments_to_settings(kwargs, crawler.settings)
        start_url = crawler.settings.get("DVARCHIVE_START_URL") or None
        others = {name: value for name, value in kwargs.items() if name not in ARGUMENT_SETTINGS}  # e.g. _job
        spider = super().from_crawler(crawler, *args, start_url=start_url, **others)
        spider.configure(crawler)
        return spider

    def configure(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.site_key = settings.get("DVARCHIVE_SITE", "danvan")
        self.use_rss = settings.getbool("DVARCHIVE_RSS", True)
        self.revisit = settings.getbool("DVARCHIVE_REVISIT")
        self.plan = ListingPlan.from_settings(settings)

    # --- home ------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        state = crawl_state_of(self.crawler)
        if state is not None:
            self.known_ids = state.known_numeric_ids()
        if self.revisit:
            for target in state.revisit_targets() if state is not None else ():
                yield self.article_request(target.url, meta={KNOWN_ID_META: target.id}, dont_filter=True)
            return
        yield Request(self.start_url, callback=self.parse_home, errback=self.home_failed, priority=100)

    def parse_home(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse) or response.status != 200:
            self.fail_fatally(f"start URL answered {response.status}, not a home page")
            return
        categories = [c for c in parse_menu(response.body, response.url) if is_same_site(c.url, self.start_url)]
        if not categories:  # the home page answered: the crawl ran and found nothing (degraded, exit 4)
            self.degrade(f"navigation: no category found in the main menu of {response.url}")
            return
        self.crawler.stats.set_value(names.CATEGORIES, len(categories))
        logger.info("Categories: %s", ", ".join(c.name for c in categories))
        for category in categories:
            yield from self.category_requests(category, response.url)

    def category_requests(self, category: Category, home_url: str) -> Iterator[Request]:
        """Page 1 of the category's listing, and its feed unless paging alone will do."""
        incremental = self.in_incremental_mode(category)
        yield self.listing_request(ListingCursor(category=category, page=1, incremental=incremental))
        if self.use_rss and not incremental:
            yield Request(rss_url(home_url, category.slug), callback=self.parse_rss_feed, errback=self.feed_failed,
                          cb_kwargs={"category": category}, priority=10)

    def in_incremental_mode(self, category: Category) -> bool:
        state = crawl_state_of(self.crawler)
        return state is not None and state.backfill_complete(category.slug)

    def home_failed(self, failure: Failure) -> None:
        response = getattr(failure.value, "response", None)  # HttpError: say the status, not Scrapy's words
        if response is not None:
            self.fail_fatally(f"start URL answered {response.status}, not a home page")
            return
        self.fail_fatally(f"start URL could not be fetched: {failure.getErrorMessage()}")

    def fail_fatally(self, reason: str) -> None:
        logger.error("Cannot crawl %s: %s", self.start_url, reason)
        self.crawler.stats.set_value(names.FATAL, reason)

    def degrade(self, message: str) -> None:
        """The crawl goes on, but its result is not to be trusted as complete (exit 4, the stage named)."""
        logger.warning("DEGRADED: %s", message)
        self.crawler.stats.set_value(names.DEGRADED, message)

    # --- listings ------------------------------------------------------------------------------
    def listing_request(self, cursor: ListingCursor) -> Request:
        # Depth-first per category (priority = page) keeps the number of open listings small.
        return Request(cursor.url, callback=self.parse_listing_page, errback=self.listing_failed,
                       cb_kwargs={"cursor": cursor}, priority=cursor.page)

    def parse_listing_page(self, response: Response, cursor: ListingCursor) -> Iterator[Request]:
        self.crawler.stats.inc_value(names.PAGES_LISTING)
        step = self.plan.step(response, cursor, self.known_ids)
        for key, count in step.counts.items():
            self.crawler.stats.inc_value(key, count)
        for item in step.follow:
            yield from self.article_requests(item.url, item.article_id, referer=response.url)
        if self.plan.exhausted(step):
            self.crawler.signals.send_catch_log(category_exhausted, slug=cursor.category.slug,
                                                name=cursor.category.name)
        if step.verdict is ListingVerdict.NEXT and not self.plan.enough(self.scheduled_ids):
            yield self.listing_request(cursor.next_page(step.listed))
        elif step.verdict is ListingVerdict.NEXT:
            self.crawler.stats.inc_value(names.LISTING_MAX_ARTICLES_STOP)
        if step.verdict is ListingVerdict.EMPTY_FIRST:
            self.degrade(f"listing: the first page of category {cursor.category.slug} ({response.url}) lists no "
                         "article; the category is not marked complete")
        elif step.verdict is not ListingVerdict.NEXT:
            logger.debug("Category %s ends at page %d (%s)", cursor.category.slug, cursor.page, step.verdict.value)

    def listing_failed(self, failure: Failure) -> Iterator[Request]:
        cursor: ListingCursor = failed_request(failure).cb_kwargs["cursor"]
        self.crawler.stats.inc_value(names.LISTING_FAILED_PAGE)
        next_cursor = cursor.after_failure()
        if self.plan.give_up(next_cursor):
            logger.error("Giving up category %s after %d failed listing pages in a row (last: %s: %s)",
                         cursor.category.slug, next_cursor.failures, cursor.url, failure.getErrorMessage())
            self.crawler.stats.inc_value(names.LISTING_ABANDONED_CATEGORY)
            return
        logger.warning("Listing page %s failed (%s); going on with page %d",
                       cursor.url, failure.getErrorMessage(), next_cursor.page)
        yield self.listing_request(next_cursor)

    # --- RSS -------------------------------------------------------------------------------------
    def parse_rss_feed(self, response: Response, category: Category) -> Iterator[Request]:
        self.crawler.stats.inc_value(names.PAGES_RSS)
        links, counts = rss_links(response.body, self.plan.window)
        for key, count in counts.items():
            self.crawler.stats.inc_value(key, count)
        if names.RSS_DOCTYPE_REMOVED in counts:
            logger.warning("RSS feed %s carried a DOCTYPE (entity declarations); ignored it", response.url)
        for url in links:
            article_id = article_id_from_url(url)
            if article_id not in self.known_ids:
                yield from self.article_requests(url, article_id, referer=response.url)

    def feed_failed(self, failure: Failure) -> None:
        self.crawler.stats.inc_value(names.RSS_FAILED)
        logger.info("RSS feed unavailable: %s (%s)", failed_request(failure).url, failure.getErrorMessage())

    # --- articles ------------------------------------------------------------------------------
    def article_requests(self, url: str, article_id: str | None, referer: str) -> Iterable[Request]:
        """A request for an article not yet scheduled in this run (by site id, whatever its URL)."""
        clean_url = article_request_url(urljoin(referer, url))
        if article_id is None or not is_same_site(clean_url, self.start_url):
            self.crawler.stats.inc_value(names.LINKS_SKIPPED)
            return ()
        if article_id in self.scheduled_ids or self.plan.enough(self.scheduled_ids):
            return ()
        self.scheduled_ids.add(article_id)
        return (self.article_request(clean_url),)

    def article_request(self, url: str, meta: dict[str, Any] | None = None, dont_filter: bool = False) -> Request:
        return Request(url, callback=self.parse_article, errback=self.article_failed, priority=1000,
                       meta={ARTICLE_META: True, **(meta or {})}, dont_filter=dont_filter)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        stats = self.crawler.stats
        stats.inc_value(names.PAGES_ARTICLE)
        if not isinstance(response, TextResponse) or not response.body:
            stats.inc_value(names.DROPPED_NOT_ARTICLE)
            logger.warning("Not an article (empty or not HTML): %s", response.url)
            return
        record = self.extract_page(response)
        if record is None:
            return
        stats.inc_value(f"{names.EXTRACTED_PREFIX}{record['extractor']}")
        yield record

    def extract_page(self, response: TextResponse, extract: Extractor = extract_record) -> dict[str, Any] | None:
        """The page's record (with its WARC pointer when captured), or None with the drop counted: an
        extractor bug costs one page, not the crawl."""
        try:
            record = extract(response.url, response.body, site=str(self.site_key),
                             fetched_at=fetched_at(response.meta), encoding=response.encoding)
            if "warc" in response.meta:
                record["warc"] = response.meta["warc"]
            return record
        except NotAnArticle as exc:
            self.crawler.stats.inc_value(names.DROPPED_NOT_ARTICLE)
            logger.warning("Not an article: %s (%s)", response.url, exc)
        except Exception:
            self.crawler.stats.inc_value(names.DROPPED_EXTRACT_ERROR)
            logger.exception("Extraction failed on %s", response.url)
        return None

    def article_failed(self, failure: Failure) -> None:
        if failure.check(PageHandled, OutsideOrigin):
            return  # a 304, a gone page or an off-site redirect: counted where it was handled
        self.crawler.stats.inc_value(names.ARTICLE_FAILED)
        logger.error("Article could not be fetched: %s (%s)", failed_request(failure).url, failure.getErrorMessage())


def failed_request(failure: Failure) -> Request:
    """The request Scrapy attaches to the failure it hands an errback."""
    request = getattr(failure, "request", None)
    assert isinstance(request, Request), "an errback's failure carries its request"
    return request
