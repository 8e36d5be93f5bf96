"""Fetch-only spider: dvarchive's discovery, no extraction; a trivial item per article page.

The framework's limit on this site: every request dvarchive makes (minus RSS), parsed just
enough to find the links, and one tiny JSONL line per article so recall can be checked.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from discovery import DiscoverySpider, article_id


class FetchOnlySpider(DiscoverySpider):
    name = "fetch_only"

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {"id": article_id(response.url), "url": response.url, "status": response.status}
