"""Downloader middlewares of the project that are not about archiving."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response

from dvarchive.timeutil import to_utc_iso, utc_now

FETCHED_AT_META = "fetched_at"


def fetched_at(meta: Mapping[str, Any]) -> str:
    """The receipt time :class:`FetchTimeMiddleware` stamped in ``meta``, else now (UTC ISO)."""
    return meta.get(FETCHED_AT_META) or to_utc_iso(utc_now())


class FetchTimeMiddleware:
    """Stamp ``meta['fetched_at']`` when a response arrives from the network.

    Sits next to the downloader so the stamp is the receipt time; the WARC writer
    and the article record both read this one value, which is what lets
    ``reextract`` reproduce ``fetched_at`` exactly.
    """

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        request.meta[FETCHED_AT_META] = to_utc_iso(utc_now())
        return response
