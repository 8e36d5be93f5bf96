"""Trap budgets: every URL pattern gets a bounded number of requests, a pattern whose pages keep
bringing nothing new is closed, a page that repeats one already seen is not followed — so a
crawl of an unknown site always ends. Every cut is counted by reason for the end summary."""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from dvarchive.discovery.urls import trap_kind, url_pattern

MAX_UNPRODUCTIVE = 6        # pages of one pattern in a row that brought no new link
MAX_PER_PATTERN = 20_000    # requests of one non-article pattern (a 200,000-article site's listings)
MAX_HOPS = 8                # links followed from the start page, pagination steps not counted


def content_digest(urls: Iterable[str]) -> str:
    """A page's fingerprint: the set of its content links (a pager repeating its last page,
    a calendar day with nothing on it, a sorted twin of a listing)."""
    return hashlib.sha1("\n".join(sorted(set(urls))).encode()).hexdigest()


class TrapGuard:
    """Decides which URLs are worth a request and which pages are worth following."""

    def __init__(self, max_unproductive: int = MAX_UNPRODUCTIVE, max_per_pattern: int = MAX_PER_PATTERN,
                 max_hops: int = MAX_HOPS) -> None:
        self.max_unproductive = max_unproductive
        self.max_per_pattern = max_per_pattern
        self.max_hops = max_hops
        self.requested: Counter[str] = Counter()
        self.streak: Counter[str] = Counter()
        self.fingerprints: set[tuple[str, str]] = set()
        self.cut: Counter[str] = Counter()
        self._cut_urls: set[str] = set()

    def _cut(self, url: str, reason: str) -> str:
        if url not in self._cut_urls:
            self._cut_urls.add(url)
            self.cut[reason] += 1
        return reason

    def admit(self, url: str, hops: int = 0, *, article_pattern: bool = False) -> str | None:
        """None when ``url`` may be requested, else the reason it is cut (counted once per URL)."""
        if kind := trap_kind(url):
            return self._cut(url, kind)
        if hops > self.max_hops:
            return self._cut(url, "depth")
        pattern = url_pattern(url)
        if not article_pattern:
            if self.streak[pattern] >= self.max_unproductive:
                return self._cut(url, "unproductive-pattern")
            if self.requested[pattern] >= self.max_per_pattern:
                return self._cut(url, "pattern-budget")
        self.requested[pattern] += 1
        return None

    def observe(self, url: str, content_links: Iterable[str], new_links: int) -> str | None:
        """After a page is parsed: None to follow its links, else why not."""
        pattern = url_pattern(url)
        key = (pattern, content_digest(content_links))
        if key in self.fingerprints:
            self.streak[pattern] += 1
            self.cut["repeated-content"] += 1
            return "repeated-content"
        self.fingerprints.add(key)
        self.streak[pattern] = 0 if new_links else self.streak[pattern] + 1
        return None
