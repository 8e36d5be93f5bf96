"""Conditional requests and gone pages: a downloader middleware over the crawl state.

Article requests carry ``meta[ARTICLE_META]`` (and, for an article the state already holds,
``meta[KNOWN_ID_META]`` = its record id). For those this middleware

- asks "changed since?" with the stored ``ETag`` / ``Last-Modified`` of a known article;
- keeps the validators of every 200 answer, for the next revisit;
- turns a 304 into a *touch* (still there, unchanged) and a 404/410 into a withdrawal (a known
  article) or a dead link (one never captured), counted in the stats;

and hands the spider only pages to route: a 304, 404 or 410 ends here (``IgnoreRequest``).
It sits after the redirect middleware, so it sees final answers, and after the WARC writer,
which has already recorded them.
"""
from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from dvarchive import stats as names
from dvarchive.middlewares import fetched_at
from dvarchive.pages.urls import article_id_from_url
from dvarchive.state.extension import crawl_state_of
from dvarchive.state.store import CrawlState

logger = logging.getLogger(__name__)

ARTICLE_META = "dvarchive_article"
KNOWN_ID_META = "article_id"
NOT_MODIFIED = 304
GONE_STATUSES = frozenset({404, 410})


def response_validators(response: Response) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of ``response`` as text, None where absent."""
    etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    return (etag.decode("latin-1") if etag else None, last_modified.decode("latin-1") if last_modified else None)


class PageHandled(IgnoreRequest):
    """The answer was fully handled here (304, 404, 410): nothing for the spider to route."""


class ConditionalRequestMiddleware:
    """Validators out and in, 304 → touch, 404/410 → withdrawn or dead link (see module doc)."""

    def __init__(self, stats: StatsCollector, state: CrawlState | None, site: str) -> None:
        self.stats = stats
        self.state = state
        self.site = site

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalRequestMiddleware":
        assert crawler.stats is not None
        return cls(crawler.stats, crawl_state_of(crawler), crawler.settings.get("DVARCHIVE_SITE", "danvan"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        known_id = request.meta.get(KNOWN_ID_META)
        if self.state is None or not known_id:
            return
        etag, last_modified = self.state.validators(request.url)
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if last_modified:
            request.headers.setdefault("If-Modified-Since", last_modified)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if not request.meta.get(ARTICLE_META):
            return response
        if response.status == NOT_MODIFIED:
            self.not_modified(request, response)
        elif response.status in GONE_STATUSES:
            self.gone(request, response)
        elif response.status == 200 and self.state is not None:
            self.keep_validators(self.state, response)
        return response

    def not_modified(self, request: Request, response: Response) -> None:
        self.stats.inc_value(names.REVISIT_NOT_MODIFIED)
        known_id = request.meta.get(KNOWN_ID_META)
        if self.state is not None and known_id:
            self.state.touch(known_id, fetched_at(request.meta))
        raise PageHandled(f"not modified: {response.url}")

    def gone(self, request: Request, response: Response) -> None:
        """A known article turns withdrawn; a never-captured one becomes a dead link to skip."""
        self.stats.inc_value(names.GONE)
        logger.warning("Article gone (%d): %s", response.status, response.url)
        if self.state is not None:
            self.remember_gone(self.state, request, response)
        raise PageHandled(f"gone ({response.status}): {response.url}")

    def remember_gone(self, state: CrawlState, request: Request, response: Response) -> None:
        when = fetched_at(request.meta)
        known_id = request.meta.get(KNOWN_ID_META)
        if known_id:
            if state.mark_withdrawn(known_id, response.status, when):
                self.stats.inc_value(names.REVISIT_WITHDRAWN)
        elif local := article_id_from_url(response.url):
            state.remember_dead_link(f"{self.site}:{local}", response.url, response.status, when)
            self.stats.inc_value(names.STATE_DEAD_LINK)

    def keep_validators(self, state: CrawlState, response: Response) -> None:
        """Keep ETag / Last-Modified so the next audit can ask "changed since?"."""
        etag, last_modified = response_validators(response)
        if etag or last_modified:
            state.set_validators(response.url, etag, last_modified)
            self.stats.inc_value(names.STATE_VALIDATORS)
