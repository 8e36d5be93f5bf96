"""robots.txt handling per RFC 9309 §2.3.1: what to do when the file can't be had.

Scrapy's own middleware treats any answer as a robots.txt body and a network error as "no
rules". RFC 9309 distinguishes: a 4xx means the file is unavailable, so there are no rules;
a 5xx or a network failure means it is unreachable, and the crawler MUST assume complete
disallow. That is this project's default. ``ROBOTSTXT_UNREACHABLE = "allow"`` (the CLI's
``--robots-unreachable allow``) relaxes it for a site whose owner you know, or a local replica.
"""
from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler

from dvarchive.discovery.feeds import robots_sitemaps
from dvarchive.stats import ROBOTS_UNAVAILABLE, ROBOTS_UNREACHABLE

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
NO_RULES = b""
POLICIES = ("disallow", "allow")

robots_read = object()
"""Signal sent once robots.txt of a host was read: ``netloc``, ``status`` and ``sitemaps`` (its
``Sitemap:`` URLs). Generic discovery takes its sitemaps from it instead of fetching the file again."""


def robots_body(status: int, body: bytes, unreachable_policy: str) -> bytes:
    """The rules to apply for a robots.txt answer with this status (RFC 9309 §2.3.1.3-4)."""
    if status >= 500:
        return DISALLOW_ALL if unreachable_policy == "disallow" else NO_RULES
    if status >= 400:
        return NO_RULES
    return body


class RobotsPolicyMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's rules for unavailable and unreachable files."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.unreachable_policy = crawler.settings.get("ROBOTSTXT_UNREACHABLE", "disallow")
        if self.unreachable_policy not in POLICIES:
            raise ValueError(f"ROBOTSTXT_UNREACHABLE must be one of {POLICIES}, not {self.unreachable_policy!r}")

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 400:
            self.report_unavailable(netloc, f"answered {response.status}", response.status >= 500)
        body = robots_body(response.status, response.body, self.unreachable_policy)
        await super()._parse_robots(response.replace(body=body), netloc, request)
        sitemaps = robots_sitemaps(body.decode("utf-8", "replace")) if response.status == 200 else []
        self.crawler.signals.send_catch_log(robots_read, netloc=netloc, status=response.status, sitemaps=sitemaps)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        super()._robots_error(exc, netloc)
        if isinstance(exc, IgnoreRequest) or self.unreachable_policy != "disallow":
            return
        self.report_unavailable(netloc, f"could not be fetched ({exc})", unreachable=True)
        self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)

    def report_unavailable(self, netloc: str, what: str, unreachable: bool) -> None:
        self._stats.inc_value(ROBOTS_UNREACHABLE if unreachable else ROBOTS_UNAVAILABLE)
        if not unreachable:
            logger.warning("robots.txt of %s %s: no rules apply (RFC 9309)", netloc, what)
        elif self.unreachable_policy == "disallow":
            logger.error(
                "robots.txt of %s %s: RFC 9309 says assume complete disallow, so nothing will be "
                "crawled. If the site owner agrees, or it is your own replica, pass "
                "--robots-unreachable allow (setting ROBOTSTXT_UNREACHABLE=allow).", netloc, what,
            )
        else:
            logger.warning("robots.txt of %s %s: crawling without rules (ROBOTSTXT_UNREACHABLE=allow)", netloc, what)
