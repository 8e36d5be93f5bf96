"""Scrapy + trafilatura: what a user would otherwise write. Same discovery as dvarchive,
``trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)`` per article,
JSONL via FEEDS."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import trafilatura
from scrapy.http import Response

from discovery import DiscoverySpider

# lxml trees in trafilatura's Document: not JSON, and not what a user exports.
TREE_FIELDS = ("body", "commentsbody")


class TrafilaturaSpider(DiscoverySpider):
    name = "trafilatura"

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        document = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        if document is None:
            self.crawler.stats.inc_value("bench/trafilatura/none")
            return
        record = {key: value for key, value in document.as_dict().items() if key not in TREE_FIELDS}
        record["url"] = response.url
        yield record
