"""Spider ``portal``: the board's layout when the home page has it, generic discovery otherwise.

Generic routes (no knowledge of the site): the home page's menu, every in-host link with the
pager's links followed only while pages bring something new, robots.txt ``Sitemap:`` lines (else
``/sitemap.xml``), RSS/Atom feeds the home page announces. Pages that read as articles (headline,
date, prose: ``pages.structure.looks_like_article``) go to ``extract_record``; one record per
canonical URL. URLs are normalized (sessions, navigation parameters, learned per site) and every
pattern is on a budget (``discovery.budget``); what was cut, and why, is in the stats. Recurring: ``discovery.recurrence``.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any
from functools import partial
from urllib.parse import urljoin

from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from dvarchive.discovery import TrapGuard, UrlNormalizer, path_matches, trap_kind, url_pattern
from dvarchive.discovery.recurrence import Recurrence
from dvarchive.pages.structure import (
    breadcrumb_names, canonical, feed_links, links, looks_like_article, menu_entries, pager_links, pick_category,
)
from dvarchive import stats as names
from dvarchive.normalize.urlparts import is_same_site
from dvarchive.robots import robots_read
from dvarchive.pages import NotAnArticle, extract_record
from dvarchive.pages.base import parse_html
from dvarchive.pages.navigation import detect_layout_navigation
from dvarchive.pages.urls import record_id_for
from dvarchive.pages.profile import extract_with_profile
from dvarchive.profiles import Profile, load_profile
from dvarchive.spiders.articles import ArticlesSpider, failed_request
from dvarchive.spiders.revisit import RevisitMixin
from dvarchive.spiders.sources import SourcesMixin
from dvarchive.state.extension import (
    article_urls_seen, article_validators_seen, category_exhausted, crawl_state_of, dead_link_seen, params_learned,
)
from dvarchive.state.middleware import ARTICLE_META, response_validators

logger = logging.getLogger(__name__)

LEARNED_AFTER = 3       # article pages sharing a URL pattern before it is prioritised


class PortalSpider(RevisitMixin, SourcesMixin, ArticlesSpider):
    """``-a discovery=auto`` (default: the known layout when its menu is on the home page, else
    generic), ``generic`` (always generic) or ``layout`` (the ``articles`` spider's routes only)."""

    name = "portal"

    def __init__(self, *args: Any, discovery: str = "auto", profile: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if discovery not in ("auto", "generic", "layout"):
            raise ValueError(f"discovery must be auto, generic or layout, not {discovery!r}")
        self.profile = load_profile(profile) if profile else Profile()
        self.discovery = "generic" if profile and discovery == "auto" else discovery
        self.normalize = UrlNormalizer()
        self.guard = TrapGuard()
        self.requested: set[str] = set()
        self.records: dict[str, str] = {}   # url and id of each record made -> its id
        self.archived = 0
        self.menu: dict[str, str] = {}
        self.patterns: Counter[str] = Counter()
        self.pagers: Counter[str] = Counter()
        self.sitemaps = 0
        self.memory = Recurrence()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        """``discovery``/``profile`` from the spider arguments, else the DVARCHIVE_DISCOVERY/_PROFILE settings."""
        kwargs.setdefault("discovery", crawler.settings.get("DVARCHIVE_DISCOVERY") or "auto")
        kwargs.setdefault("profile", crawler.settings.get("DVARCHIVE_PROFILE") or None)
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, PortalSpider)
        crawler.signals.connect(spider.robots_was_read, signal=robots_read)
        return spider

    # --- home: which routes ------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        if self.discovery != "generic" and isinstance(response, TextResponse) and response.status == 200 and (
                self.discovery == "layout" or detect_layout_navigation(response.body, response.url)):
            yield from super().parse_home(response)
            return
        if not isinstance(response, TextResponse) or response.status != 200:
            self.fail_fatally(f"start URL answered {response.status}, not a home page")
            return
        stats = self.crawler.stats
        stats.set_value(names.DISCOVERY_MODE, "generic")
        self.recall()
        root = parse_html(response.body, response.encoding)
        pinned = [(name, urljoin(response.url, url)) for name, url in self.profile.categories]
        for name, url in pinned or menu_entries(root, response.url):
            url = self.normalize(url)
            if is_same_site(url, self.start_url) and url not in self.menu:
                self.menu[url] = name
        stats.set_value(names.CATEGORIES, len(self.menu))
        if not self.menu:
            self.degrade(f"navigation: no menu found on {response.url}; following its links only")
        self.requested.add(self.normalize(response.url))
        yield from self.sitemap_sources(response.url)
        for feed in feed_links(root, response.url):
            yield from self.source(feed)
        for url, name in self.menu.items():
            yield from self.follow(url, name, hops=1, priority=60)
        yield from self.parse_page(response, None, 0)

    def recall(self) -> None:
        """What earlier runs of this state know: learned parameters, article URLs, complete pagers."""
        if (state := crawl_state_of(self.crawler)) is not None:
            self.normalize.dropped |= state.learned_params()
            self.memory = Recurrence.load(state.known_article_urls(), state.complete_categories(), self.normalize)
            self.patterns.update(url_pattern(url) for url in self.memory.known)

    # --- generic routes ------------------------------------------------------------------------
    def follow(self, url: str, category: str | None, hops: int, priority: int = 0,
               chain: str | None = None) -> Iterator[Request]:
        url = self.normalize(url)
        if url in self.requested or not is_same_site(url, self.start_url):
            return
        if self.memory.skips(url, paged=chain is not None):  # known from earlier runs (--revisit re-checks)
            self.requested.add(url)
            return
        if self.limit_reached():
            return
        known = self.article_shaped(url)
        if any(path_matches(url, pattern) for pattern in self.profile.skip_url):
            self.guard.cut["profile"] += 1
            return
        if self.guard.admit(url, hops, article_pattern=known) is not None:
            return
        self.requested.add(url)
        self.pagers.update([url_pattern(url)] if chain else [])
        yield Request(url, callback=self.parse_page, errback=self.page_failed, priority=100 if known else priority,
                      cb_kwargs={"category": self.menu.get(url, category), "hops": hops, "chain": chain})

    def parse_page(self, response: Response, category: str | None, hops: int, chain: str | None = None) -> Iterator[Any]:
        if not isinstance(response, TextResponse) or response.status != 200:
            return
        try:
            root = parse_html(response.body, response.encoding)
        except NotAnArticle:
            return
        article = self.is_article(response.url, root)
        if article:
            yield from self.article(response, root, category)
        found = links(root, response.url)
        pagers = {self.normalize(url) for url in pager_links(root, response.url)}
        content = {self.normalize(link.url) for link in found if not link.chrome} - pagers
        fresh = [url for url in content if url not in self.requested and not trap_kind(url)]
        if self.guard.observe(self.normalize(response.url), content, len(fresh)) is not None:
            return
        here, onward = self.memory.listing(self.normalize(response.url), chain, category,
                                           set() if article else pagers, len(content), fresh)
        for link in found:
            url = self.normalize(link.url)
            if url in pagers and not article:
                if url in onward:
                    yield from self.follow(url, category, hops, priority=50, chain=here)
                elif url not in self.requested:
                    self.guard.cut["pager-known" if here in self.memory.complete else "pager-end"] += 1
            else:
                inherit = category if not (article or link.chrome) else None
                yield from self.follow(url, inherit, hops + 1, priority=0 if link.chrome else 30)

    def is_article(self, url: str, root: Any) -> bool:
        """The profile's article/listing URL patterns when it has them, else what the page holds."""
        if self.profile.article_url or self.profile.listing_url:
            return path_matches(url, self.profile.article_url) and not path_matches(url, self.profile.listing_url)
        return looks_like_article(root)

    def article(self, response: TextResponse, root: Any, category: str | None) -> Iterator[dict[str, Any]]:
        stats = self.crawler.stats
        stats.inc_value(names.PAGES_ARTICLE)
        own = canonical(root, response.url)
        if own and is_same_site(own, self.start_url) and (learned := self.normalize.learn(response.url, own)):
            self.crawler.signals.send_catch_log(params_learned, params=sorted(learned))
            for name in learned:
                stats.inc_value(f"dvarchive/discovery/learned_param/{name}")
        self.patterns[url_pattern(self.normalize(own or response.url))] += 1
        extract = partial(extract_with_profile, profile=self.profile) if self.profile.extracts else extract_record
        record = self.extract_page(response, extract)
        if record is None:
            return
        reached = sorted({self.normalize(url) for url in (response.url, *response.meta.get("redirect_urls", ()))})
        if first := self.records.get(record["url"]) or self.records.get(record["id"]):
            stats.inc_value(names.DROPPED_DUPLICATE)  # one more URL of an article: the next run knows it
            self.crawler.signals.send_catch_log(article_urls_seen, article_id=first, urls=reached)
            return
        if self.limit_reached():  # pages already requested when --max-articles was reached
            stats.inc_value(names.LISTING_MAX_ARTICLES_STOP)
            return
        self.archived += 1
        self.records.update({record["url"]: record["id"], record["id"]: record["id"]})
        self.crawler.signals.send_catch_log(article_urls_seen, article_id=record["id"],
                                            urls=[*reached, self.normalize(record["url"])])
        if not response.meta.get(ARTICLE_META):     # else the conditional-request middleware kept them
            etag, last_modified = response_validators(response)
            self.crawler.signals.send_catch_log(article_validators_seen, url=record["url"], etag=etag,
                                                last_modified=last_modified)
        if "category" not in self.profile.xpaths:
            record["category"] = pick_category(breadcrumb_names(root), record, self.menu.values(), category)
        stats.inc_value(f"{names.EXTRACTED_PREFIX}{record['extractor']}")
        yield record

    def article_shaped(self, url: str) -> bool:
        return self.patterns[url_pattern(url)] >= LEARNED_AFTER or path_matches(url, self.profile.article_url)

    def page_failed(self, failure: Failure) -> None:
        """Its pager chain is not reported walked; a 404/410 link shaped like the site's articles is a dead link."""
        self.crawler.stats.inc_value("dvarchive/discovery/failed_page")
        request, error = failed_request(failure), failure.value
        self.memory.fail(request.cb_kwargs.get("chain"))
        status = error.response.status if isinstance(error, HttpError) else None
        if status in (404, 410) and self.article_shaped(url := self.normalize(request.url)):
            self.crawler.signals.send_catch_log(dead_link_seen, article_id=f"{self.site_key}:{record_id_for(url)}",
                                                url=url, status=status)
        logger.info("Page not fetched: %s (%s)", request.url, failure.getErrorMessage())

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        for why, count in self.guard.cut.items():
            stats.set_value(names.DISCOVERY_CUT_PREFIX + why, count)
        if stats.get_value(names.DISCOVERY_MODE) != "generic":
            return
        stats.set_value("dvarchive/discovery/menu", list(self.menu.values()))
        stats.set_value("dvarchive/discovery/article_patterns", dict(self.patterns.most_common(3)))
        stats.set_value("dvarchive/discovery/pager_patterns", dict(self.pagers.most_common(5)))
        stats.set_value(names.DISCOVERY_KNOWN_SKIPPED, self.memory.skipped)
        self.report_walked(reason)
        if self.memory.emptied:
            self.degrade(f"listing: {', '.join(self.memory.emptied[:3])} listed articles before and lists nothing now")
        if not (self.records or self.memory.skipped or self.revisit or stats.get_value(names.FATAL)):
            self.degrade(f"discovery: no article archived ({len(self.requested)} pages requested, "
                         f"{int(stats.get_value(names.PAGES_ARTICLE, 0))} read as articles, none extracted)")

    def limit_reached(self) -> bool:
        limit = getattr(self, "max_articles", None) or self.settings.getint("DVARCHIVE_MAX_ARTICLES")
        return bool(limit and self.archived >= limit)

    def report_walked(self, reason: str) -> None:
        """Pager chains walked to their end, for the state (never from a crawl cut short)."""
        if reason == "finished" and not self.plan.window.bounded and not self.limit_reached():
            for key, name in self.memory.walked().items():
                self.crawler.signals.send_catch_log(category_exhausted, slug=key, name=name)
