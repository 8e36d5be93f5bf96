"""What a recurring generic crawl knows from the runs before it, and the decisions it drives.

Pure bookkeeping (the ``portal`` spider routes, the crawl state's extension writes):

- ``known``: normalized URLs of articles the state holds (the URL each record was stored under
  and every URL that reached it): a link to one of them is not requested again (``--revisit``
  re-checks them instead);
- pager chains: a listing's first page and every page reached through its pager share one key
  (the first page's URL). A chain walked in a crawl that ran to its end (not cut by
  ``--max-articles``, a date window, a failed page or an interruption), whose first page held
  content links, is reported complete; on later runs its pager is followed only while a page
  brings a link to an unknown article (as the ``articles`` spider's ``backfill_complete``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dvarchive.discovery.urls import page_number, without_page


@dataclass
class Recurrence:
    known: set[str] = field(default_factory=set)
    complete: set[str] = field(default_factory=set)
    chains: dict[str, str] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    emptied: list[str] = field(default_factory=list)   # complete before, no content link now
    skipped: int = 0

    @classmethod
    def load(cls, urls: Iterable[str], complete: Iterable[str], normalize: Callable[[str], str]) -> Recurrence:
        """From the state's known article URLs (normalized again: the parameters learned since
        they were stored apply to them too) and its completed chain keys."""
        return cls(known={normalize(url) for url in urls}, complete=set(complete))

    def skips(self, url: str, paged: bool = False) -> bool:
        """Whether a link is not worth a request (counted): a known article, or — unless followed
        through its pager — a later page of a listing walked to its end before ("last page" links)."""
        if url in self.known or (not paged and self.later_page(url) in self.complete):
            self.skipped += 1
            return True
        return False

    @staticmethod
    def later_page(url: str) -> str | None:
        """The first page of the listing ``url`` is a later page of, else None."""
        first = without_page(url)
        return first if first != url else None

    def listing(self, url: str, chain: str | None, name: str | None, pagers: set[str], content: int,
                fresh: Iterable[str]) -> tuple[str, set[str]]:
        """The chain of a listing page read (the one it was paged in, else its own) and which of its
        pager links to follow: all while the page brings a link not yet seen in this run (``fresh``);
        in a chain complete before, only the next page, and only when the page brings a link to an
        unknown article. A first page with a pager and content links starts a chain (never an
        empty one: it cannot be reported complete)."""
        here = chain or self.chain_key(url)
        if chain is None and not content and url in self.complete:
            self.emptied.append(url)  # a redesign or an outage, not "nothing new": the run is degraded
        if pagers and chain is None and content and (page_number(url) or 1) == 1:
            self.chains.setdefault(url, name or url)
        fresh = list(fresh)
        if here not in self.complete:
            return here, set(pagers) if fresh else set()
        if not any(link not in self.known and self.chain_key(link) != here for link in fresh):
            return here, set()  # nothing unknown but pages of this very listing ("last page" links)
        return here, next_page(url, pagers)

    def chain_key(self, url: str) -> str:
        """A page reached outside its pager (a sitemap, a "last page" link) joins the chain of its
        first page when that one is a chain (``?trang=11`` -> ``?``-less first page)."""
        first = self.later_page(url)
        return first if first is not None and (first in self.complete or first in self.chains) else url

    def fail(self, chain: str | None) -> None:
        if chain is not None:
            self.broken.add(chain)

    def walked(self) -> dict[str, str]:
        """Chains of this run to report complete (the caller checks the crawl itself ran to its end)."""
        return {key: name for key, name in self.chains.items() if key not in self.broken}


def next_page(url: str, pagers: set[str]) -> set[str]:
    """The pager link to the page after ``url`` (the lowest numbered one above it); else the links
    whose numbers can't tell (an opaque ``rel=next``, not the first page); none past the last page."""
    current = page_number(url) or 1
    numbered = {link: number for link in pagers if (number := page_number(link))}
    later = sorted((number, link) for link, number in numbered.items() if number > current)
    first_pages = {without_page(link) for link in numbered}
    return {later[0][1]} if later else set(pagers) - set(numbered) - first_pages
