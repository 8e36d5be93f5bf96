"""Conditional GET for the replica's article pages, one implementation for every style.

An article page carries an ``ETag`` (the article's id, revision and a digest of what shapes its bytes:
seed, variant) and a ``Last-Modified`` (its update time, else its publication time); an admin edit
bumps both. A request whose ``If-None-Match`` / ``If-Modified-Since`` still matches gets a 304 with
the validators and no body, as a CMS behind a cache does.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Protocol

from dvarchive.replica.model import Article
from dvarchive.replica.reply import Reply


class Headers(Protocol):
    """Request headers: ``http.client.HTTPMessage`` or a plain dict."""

    def get(self, name: str, default: None = None, /) -> str | None: ...

    def items(self) -> Iterable[tuple[str, str]]: ...


def article_validators(seed: object, article: Article, variant: object = "") -> tuple[str, datetime]:
    """(ETag, Last-Modified in UTC) of ``article``'s page; ``variant`` names what else shapes the page
    (the danvan faults that rewrite it, a style's name)."""
    digest = hashlib.sha1(f"{seed}:{article.id}:{article.revision}:{variant}".encode()).hexdigest()
    last_modified = (article.modified or article.published).astimezone(timezone.utc)
    return f'"{article.id}-{article.revision}-{digest[:10]}"', last_modified


def not_modified(headers: Headers, etag: str, last_modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        return last_modified <= since
    return False


def conditional_reply(headers: Headers, validators: tuple[str, datetime], render: Callable[[], Reply]) -> Reply:
    """A 304 with the validators if the request's conditions still hold, else ``render()`` (not called
    for a 304) with the validators added."""
    etag, last_modified = validators
    sent = [("ETag", etag), ("Last-Modified", format_datetime(last_modified, usegmt=True))]
    if not_modified(headers, etag, last_modified):
        return Reply(304, content_type=None, headers=sent)
    reply = render()
    reply.headers += sent
    return reply
