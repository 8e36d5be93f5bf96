"""Spider ``articles``: discovery, pagination and routing only — extraction lives in dvarchive.pages.

Crawl plan: home page → categories of the main menu → each category's listing pages
(``?trang=N``, stopping at the first page that lists no article, because the site renders
"Sau »" forever) and its RSS feed → article pages → one record each.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from dvarchive.extensions import ARTICLE_PAGES, EXTRACTED_PREFIX
from dvarchive.middlewares import fetched_at
from dvarchive.normalize.filenames import contained_path, filename_from_url
from dvarchive.pages import (
    Category,
    NotAnArticle,
    article_id_from_url,
    extract_record,
    parse_listing,
    parse_menu,
)
from dvarchive.spiders.discovery import (
    ListingCursor,
    article_request_url,
    is_same_site,
    parse_rss,
    rss_url,
)
from dvarchive.spiders.window import DateWindow
from dvarchive.timeutil import to_utc_iso, utc_now

if TYPE_CHECKING:
    from dvarchive.state import CrawlState

logger = logging.getLogger(__name__)

# A listing page that still fails after the retries is skipped; after this many failures in a
# row the category is given up (logged), so a dead section can't keep the crawl paging forever.
MAX_CONSECUTIVE_LISTING_FAILURES = 3
GONE_STATUSES = (404, 410)
NOT_MODIFIED = 304


class ArticlesSpider(scrapy.Spider):
    """Crawl every article of the board's site once.

    Arguments (``-a NAME=VALUE``): ``start_url`` (the home page; required), ``site`` (record
    key, default the ``DVARCHIVE_SITE`` setting), ``max_articles`` (stop scheduling articles
    after N), ``rss`` (``1``/``0``: also read each category's RSS feed, default on),
    ``state_dir`` (crawl state; default the ``STATE_DIR`` setting), ``since``/``until``
    (publication-date bounds), ``revisit`` (``1``: re-fetch every known article instead of
    discovering new ones), ``attachments`` (``1``: download each article's documents and put
    their sha256 and media type on the record), ``attachments_dir`` (also save them there).

    With a state, a category whose full history was crawled once is paged only until a
    listing page holds no article the state doesn't know, and known articles are not fetched
    again; a category not yet completed (a first crawl that was killed) is paged to its end.
    """

    name = "articles"
    custom_settings: dict[str, Any] = {}
    handle_httpstatus_list = list(GONE_STATUSES)

    def __init__(
        self,
        start_url: str | None = None,
        site: str | None = None,
        max_articles: str | int | None = None,
        rss: str | bool = True,
        state_dir: str | None = None,
        since: str | None = None,
        until: str | None = None,
        revisit: str | bool = False,
        attachments: str | bool = False,
        attachments_dir: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not start_url:
            raise ValueError("the articles spider needs -a start_url=URL (the site's home page)")
        self.start_url = start_url
        self.site_key = site
        self.max_articles = int(max_articles) if max_articles not in (None, "", 0, "0") else None
        self.use_rss = is_true(rss)
        host = urlsplit(start_url).hostname or ""
        self.allowed_domains = [host]
        self.scheduled_ids: set[str] = set()
        self.state_dir = state_dir
        self.window = DateWindow.from_text(since, until)
        self.revisit = is_true(revisit)
        self.crawl_state: CrawlState | None = None
        self.run_id: int | None = None
        self.known_ids: set[str] = set()
        self.fetch_attachments = is_true(attachments) or bool(attachments_dir)
        self.attachments_dir = Path(attachments_dir) if attachments_dir else None
        self.attachment_digests: dict[str, tuple[str, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "ArticlesSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site_key = spider.site_key or crawler.settings.get("DVARCHIVE_SITE", "danvan")
        spider.state_dir = spider.state_dir or crawler.settings.get("STATE_DIR") or None
        if spider.state_dir:
            spider.open_state(Path(spider.state_dir))
            crawler.signals.connect(spider.close_state, signal=signals.spider_closed)
        return spider

    # --- crawl state -------------------------------------------------------------------------------
    def open_state(self, directory: Path) -> None:
        """Take the state's lock for this crawl and load what it already knows."""
        from dvarchive.state import CrawlState

        self.crawl_state = CrawlState.open(directory)
        self.known_ids = self.crawl_state.known_numeric_ids()
        mode = "revisit" if self.revisit else ("incremental" if self.known_ids else "full")
        self.run_id = self.crawl_state.begin_run(mode, self.start_url, to_utc_iso(utc_now()))
        logger.info("Crawl state %s: %d known articles, run %d (%s)", directory, len(self.known_ids), self.run_id, mode)

    def close_state(self, spider: scrapy.Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        self.crawl_state.end_run(
            self.run_id,
            ended_at=to_utc_iso(utc_now()),
            requests=int(stats.get("downloader/request_count", 0)),
            errors=int(stats.get("log_count/ERROR", 0)),
            finish_reason=reason,
        )
        self.crawl_state.close()

    def in_incremental_mode(self, category: Category) -> bool:
        return self.crawl_state is not None and self.crawl_state.backfill_complete(category.slug)

    # --- home ------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        if self.revisit:
            for request in self.revisit_requests():
                yield request
            return
        yield Request(self.start_url, callback=self.parse_home, errback=self.home_failed, priority=100)

    def parse_home(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse) or response.status != 200:
            self.fail_fatally(f"start URL answered {response.status}, not a home page")
            return
        categories = [c for c in parse_menu(response.body, response.url) if is_same_site(c.url, self.start_url)]
        if not categories:
            self.fail_fatally(f"no category found in the main menu of {response.url}")
            return
        self.crawler.stats.set_value("dvarchive/categories", len(categories))
        logger.info("Categories: %s", ", ".join(c.name for c in categories))
        for category in categories:
            yield self.listing_request(ListingCursor(category=category, page=1))
            if self.use_rss and not self.in_incremental_mode(category):
                yield Request(
                    rss_url(response.url, category.slug),
                    callback=self.parse_rss_feed,
                    errback=self.feed_failed,
                    cb_kwargs={"category": category},
                    priority=10,
                )

    def home_failed(self, failure: Failure) -> None:
        self.fail_fatally(f"start URL could not be fetched: {failure.getErrorMessage()}")

    def fail_fatally(self, reason: str) -> None:
        logger.error("Cannot crawl %s: %s", self.start_url, reason)
        self.crawler.stats.set_value("dvarchive/fatal", reason)

    # --- listings ------------------------------------------------------------------------------
    def listing_request(self, cursor: ListingCursor) -> Request:
        return Request(
            cursor.url,
            callback=self.parse_listing_page,
            errback=self.listing_failed,
            cb_kwargs={"cursor": cursor},
            # Depth-first per category keeps the number of open listings small.
            priority=cursor.page,
        )

    def parse_listing_page(self, response: Response, cursor: ListingCursor) -> Iterator[Request]:
        self.crawler.stats.inc_value("dvarchive/pages/listing")
        items = parse_listing(response.body, response.url) if isinstance(response, TextResponse) else []
        if not items:
            self.crawler.stats.inc_value("dvarchive/listing/empty_page")
            logger.debug("Category %s ends at page %d (empty)", cursor.category.slug, cursor.page)
            if self.crawl_state is not None and not self.window.bounded:
                self.crawl_state.mark_backfill_complete(cursor.category.slug, cursor.category.name, to_utc_iso(utc_now()))
            return
        unknown = [item for item in items if item.article_id not in self.known_ids]
        for item in unknown:
            if self.window.admits(item.published):
                yield from self.article_requests(item.url, item.article_id, referer=response.url)
            else:
                self.crawler.stats.inc_value("dvarchive/window/skipped")
        if self.in_incremental_mode(cursor.category) and not unknown:
            self.crawler.stats.inc_value("dvarchive/listing/incremental_stop")
            logger.info("Category %s: page %d holds nothing new; stopping", cursor.category.slug, cursor.page)
            return
        if self.window.all_before_since(item.published for item in items):
            self.crawler.stats.inc_value("dvarchive/listing/since_stop")
            return
        yield self.listing_request(cursor.next_page())

    def listing_failed(self, failure: Failure) -> Iterator[Request]:
        cursor: ListingCursor = failure.request.cb_kwargs["cursor"]
        self.crawler.stats.inc_value("dvarchive/listing/failed_page")
        next_cursor = cursor.after_failure()
        if next_cursor.failures >= MAX_CONSECUTIVE_LISTING_FAILURES:
            logger.error(
                "Giving up category %s after %d failed listing pages in a row (last: %s: %s)",
                cursor.category.slug, next_cursor.failures, cursor.url, failure.getErrorMessage(),
            )
            self.crawler.stats.inc_value("dvarchive/listing/abandoned_category")
            return
        logger.warning(
            "Listing page %s failed (%s); going on with page %d",
            cursor.url, failure.getErrorMessage(), next_cursor.page,
        )
        yield self.listing_request(next_cursor)

    # --- RSS -------------------------------------------------------------------------------------
    def parse_rss_feed(self, response: Response, category: Category) -> Iterator[Request]:
        self.crawler.stats.inc_value("dvarchive/pages/rss")
        feed = parse_rss(response.body)
        if feed.doctype_removed:
            self.crawler.stats.inc_value("dvarchive/rss/doctype_removed")
            logger.warning("RSS feed %s carried a DOCTYPE (entity declarations); ignored it", response.url)
        if not feed.items:
            self.crawler.stats.inc_value("dvarchive/rss/unusable")
        for item in feed.items:
            article_id = article_id_from_url(item.url)
            if is_same_site(item.url, self.start_url) and article_id not in self.known_ids:
                yield from self.article_requests(item.url, article_id, referer=response.url)

    def feed_failed(self, failure: Failure) -> None:
        self.crawler.stats.inc_value("dvarchive/rss/failed")
        logger.info("RSS feed unavailable: %s (%s)", failure.request.url, failure.getErrorMessage())

    # --- articles ------------------------------------------------------------------------------
    def article_requests(self, url: str, article_id: str | None, referer: str) -> Iterator[Request]:
        """A request for an article not yet scheduled in this run (by site id, whatever its URL)."""
        clean_url = article_request_url(urljoin(referer, url))
        if article_id is None or not is_same_site(clean_url, self.start_url):
            self.crawler.stats.inc_value("dvarchive/links/skipped")
            return
        if article_id in self.scheduled_ids:
            return
        if self.max_articles is not None and len(self.scheduled_ids) >= self.max_articles:
            return
        self.scheduled_ids.add(article_id)
        yield Request(clean_url, callback=self.parse_article, errback=self.article_failed, priority=1000)

    def revisit_requests(self) -> Iterator[Request]:
        """Conditional re-fetches of every article the state knows (the audit run)."""
        for target in self.crawl_state.revisit_targets():
            headers = {}
            if target.etag:
                headers["If-None-Match"] = target.etag
            if target.last_modified:
                headers["If-Modified-Since"] = target.last_modified
            yield Request(
                target.url, headers=headers, callback=self.parse_article, errback=self.article_failed,
                meta={"handle_httpstatus_list": [NOT_MODIFIED, *GONE_STATUSES], "article_id": target.id},
                dont_filter=True,
            )

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        stats = self.crawler.stats
        if response.status == NOT_MODIFIED:
            stats.inc_value("dvarchive/revisit/not_modified")
            self.crawl_state.touch(response.meta["article_id"], fetched_at(response.meta))
            return
        if response.status in GONE_STATUSES:
            stats.inc_value("dvarchive/gone")
            logger.warning("Article gone (%d): %s", response.status, response.url)
            if self.crawl_state is not None:
                self.remember_gone(response)
            return
        stats.inc_value(ARTICLE_PAGES)
        if not isinstance(response, TextResponse) or not response.body:
            stats.inc_value("dvarchive/dropped/not_article")
            logger.warning("Not an article (empty or not HTML): %s", response.url)
            return
        try:
            record = extract_record(
                response.url, response.body, site=self.site_key, fetched_at=fetched_at(response.meta),
                encoding=response.encoding
            )
        except NotAnArticle as exc:
            stats.inc_value("dvarchive/dropped/not_article")
            logger.warning("Not an article: %s (%s)", response.url, exc)
            return
        except Exception:  # an extractor bug must cost one page, not the crawl
            stats.inc_value("dvarchive/dropped/extract_error")
            logger.exception("Extraction failed on %s", response.url)
            return
        stats.inc_value(f"{EXTRACTED_PREFIX}{record['extractor']}")
        if "warc" in response.meta:
            record["warc"] = response.meta["warc"]
        if self.crawl_state is not None:
            self.remember_validators(response)
        if self.fetch_attachments and record["attachments"]:
            yield from self.next_attachment(record, 0)
        else:
            yield record

    def remember_gone(self, response: Response) -> None:
        """A known article turns withdrawn; a never-captured one becomes a dead link to skip."""
        when = fetched_at(response.meta)
        known_id = response.meta.get("article_id")
        if known_id and self.crawl_state.mark_withdrawn(known_id, response.status, when):
            self.crawler.stats.inc_value("dvarchive/revisit/withdrawn")
        elif not known_id and (local := article_id_from_url(response.url)):
            self.crawl_state.remember_dead_link(f"{self.site_key}:{local}", response.url, response.status, when)
            self.crawler.stats.inc_value("dvarchive/state/dead_link")

    def remember_validators(self, response: Response) -> None:
        """Keep ETag / Last-Modified so the next audit can ask "changed since?"."""
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if etag or last_modified:
            self.crawl_state.set_validators(
                response.url,
                etag.decode("latin-1") if etag else None,
                last_modified.decode("latin-1") if last_modified else None,
            )

    # --- attachments -----------------------------------------------------------------------------
    def next_attachment(self, record: dict[str, Any], index: int) -> Iterator[Request | dict[str, Any]]:
        """Fetch the record's attachments one after another, then yield the record.

        Each attachment is fetched once per crawl (a document shared by two articles is
        digested once); one that is off-site, too large or failing keeps null digests.
        """
        attachments = record["attachments"]
        while index < len(attachments):
            url = attachments[index]["url"]
            if url in self.attachment_digests:
                self.apply_digest(attachments[index], *self.attachment_digests[url])
            elif not is_same_site(url, self.start_url):
                self.crawler.stats.inc_value("dvarchive/attachments/offsite")
                attachments[index].update(sha256=None, media_type=None)
            else:
                yield Request(
                    url, callback=self.attachment_fetched, errback=self.attachment_failed,
                    cb_kwargs={"record": record, "index": index}, dont_filter=True, priority=2000,
                    meta={"download_maxsize": self.crawler.settings.getint("DVARCHIVE_ATTACHMENT_MAXSIZE")},
                )
                return
            index += 1
        yield record

    def attachment_fetched(self, response: Response, record: dict[str, Any], index: int) -> Iterator[Any]:
        if response.status != 200:
            self.crawler.stats.inc_value("dvarchive/attachments/failed")
            record["attachments"][index].update(sha256=None, media_type=None)
            yield from self.next_attachment(record, index + 1)
            return
        digest = hashlib.sha256(response.body).hexdigest()
        content_type = response.headers.get("Content-Type")
        media_type = content_type.decode("latin-1").split(";", 1)[0].strip().lower() if content_type else None
        self.attachment_digests[response.url] = (digest, media_type)
        self.apply_digest(record["attachments"][index], digest, media_type)
        self.crawler.stats.inc_value("dvarchive/attachments/fetched")
        if self.attachments_dir is not None:
            self.save_attachment(record, record["attachments"][index], response.body)
        yield from self.next_attachment(record, index + 1)

    def attachment_failed(self, failure: Failure) -> Iterator[Any]:
        record, index = failure.request.cb_kwargs["record"], failure.request.cb_kwargs["index"]
        self.crawler.stats.inc_value("dvarchive/attachments/failed")
        logger.warning("Attachment not fetched: %s (%s)", failure.request.url, failure.getErrorMessage())
        record["attachments"][index].update(sha256=None, media_type=None)
        yield from self.next_attachment(record, index + 1)

    @staticmethod
    def apply_digest(attachment: dict[str, Any], digest: str, media_type: str | None) -> None:
        attachment.update(sha256=digest, media_type=media_type)

    def save_attachment(self, record: dict[str, Any], attachment: dict[str, Any], body: bytes) -> None:
        """Write under ``attachments_dir/<article id>/<safe file name>`` — never outside it."""
        numeric_id = record["id"].split(":", 1)[1]
        target = contained_path(self.attachments_dir, numeric_id, filename_from_url(attachment["url"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)

    def article_failed(self, failure: Failure) -> None:
        self.crawler.stats.inc_value("dvarchive/article_failed")
        logger.error("Article could not be fetched: %s (%s)", failure.request.url, failure.getErrorMessage())


def is_true(value: str | bool | None) -> bool:
    """Spider arguments arrive as strings from ``-a``; '0', 'false', 'no', 'off' and '' are false."""
    return str(value).strip().lower() not in ("0", "false", "no", "off", "", "none")
