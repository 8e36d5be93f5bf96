"""``--revisit`` for the ``portal`` spider: every known article re-fetched (conditionally, by the
state's middleware) and re-made the way it was first made — an article generic discovery archived
goes through the spider's generic ``article`` route (profile extraction, category from breadcrumb,
else the category it was stored under), one a site layout archived through the layout's own route."""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Request, Response, TextResponse

from dvarchive import stats as names
from dvarchive.pages import NotAnArticle
from dvarchive.pages.base import parse_html
from dvarchive.state.extension import crawl_state_of
from dvarchive.state.middleware import KNOWN_ID_META
from dvarchive.state.models import RevisitTarget

FOUND_UNDER = "dvarchive_found_under"   # meta: the stored category of an article generic discovery made
GENERIC_EXTRACTORS = ("generic/", "profile/")


def made_generically(target: RevisitTarget) -> bool:
    """Whether the latest version came from generic discovery's extractors (not a site layout's)."""
    return (target.extractor or "generic/").startswith(GENERIC_EXTRACTORS)


class RevisitMixin:
    """Revisit routes of the ``portal`` spider (see the module doc)."""

    crawler: Any
    revisit: bool
    recall: Any
    article: Any
    article_request: Any

    async def start(self) -> AsyncIterator[Request]:
        state = crawl_state_of(self.crawler)
        if not self.revisit or state is None:
            async for request in super().start():  # type: ignore[misc]
                yield request
            return
        self.recall()  # the navigation parameters learned on the site
        for target in state.revisit_targets():
            meta: dict[str, Any] = {KNOWN_ID_META: target.id}
            if made_generically(target):
                self.crawler.stats.set_value(names.DISCOVERY_MODE, "generic")
                meta[FOUND_UNDER] = target.category
            yield self.article_request(target.url, meta=meta, dont_filter=True)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if FOUND_UNDER not in response.meta:
            yield from super().parse_article(response)  # type: ignore[misc]
            return
        try:
            if not isinstance(response, TextResponse):
                raise NotAnArticle("not HTML")
            root = parse_html(response.body, response.encoding)
        except NotAnArticle:
            self.crawler.stats.inc_value(names.DROPPED_NOT_ARTICLE)
            return
        yield from self.article(response, root, response.meta[FOUND_UNDER])
