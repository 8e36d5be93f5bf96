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

from dvarchive.discovery.urls import page_number


@dataclass
class Recurrence:
    known: set[str] = field(default_factory=set)
    complete: set[str] = field(default_factory=set)
    chains: dict[str, str] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    skipped: int = 0

    @classmethod
    def load(cls, urls: Iterable[str], complete: Iterable[str], normalize: Callable[[str], str]) -> Recurrence:
        """From the state's known article URLs (normalized again: the parameters learned since
        they were stored apply to them too) and its completed chain keys."""
        return cls(known={normalize(url) for url in urls}, complete=set(complete))

    def skips(self, url: str) -> bool:
        """Whether a link leads to a known article (counted: the request is not made)."""
        if url in self.known:
            self.skipped += 1
            return True
        return False

    def listing(self, url: str, chain: str | None, name: str | None, pager: bool, content: int,
                fresh: Iterable[str]) -> tuple[str, bool]:
        """The chain of a page read (the one it was paged in, else its own) and whether to follow
        its pager: while a page brings a link not yet seen in this run (``fresh``), or, in a chain
        complete before, a link to an unknown article. A first page with a pager and content links
        starts a chain (never an empty one: it cannot be reported complete)."""
        here = chain or url
        if pager and chain is None and content and page_number(url) in (None, 0, 1):
            self.chains.setdefault(url, name or url)
        fresh = list(fresh)
        unknown = [link for link in fresh if link not in self.known]
        return here, bool(unknown if here in self.complete else fresh)

    def fail(self, chain: str | None) -> None:
        if chain is not None:
            self.broken.add(chain)

    def walked(self) -> dict[str, str]:
        """Chains of this run to report complete (the caller checks the crawl itself ran to its end)."""
        return {key: name for key, name in self.chains.items() if key not in self.broken}
