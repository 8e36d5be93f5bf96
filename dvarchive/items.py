"""The item the spiders yield: one archived article, as a plain dict shaped by the schema."""
from __future__ import annotations

from typing import Any, TypedDict


class ImageRef(TypedDict):
    url: str
    caption: str | None


class AttachmentRef(TypedDict, total=False):
    url: str
    name: str
    media_type: str | None
    sha256: str | None


class WarcRef(TypedDict, total=False):
    file: str
    record_id: str
    offset: int | None


class ArticleRecord(TypedDict, total=False):
    """One line of the exported JSONL (see ``dvarchive/schema/article.schema.json``)."""

    schema_version: int
    id: str
    url: str
    site: str
    category: str | None
    title: str
    subtitle: str | None
    published: str | None
    published_raw: str | None
    modified: str | None
    author: str | None
    source: str | None
    body: str
    body_html: str | None
    images: list[ImageRef]
    attachments: list[AttachmentRef]
    tags: list[str]
    language: str
    word_count: int
    content_sha256: str
    fetched_at: str
    extractor: str
    warc: WarcRef | None
    version: int | None


Record = dict[str, Any]
