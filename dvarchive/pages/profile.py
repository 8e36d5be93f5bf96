"""profile/v1: an article read with the selectors a site profile pins (``dvarchive.profiles``).

Every field the profile names comes from its XPath; the body from the profile's content block
through the same paragraph walk as every layout (``pages.content.extract_content``: images,
captions, byline, source); chrome the profile lists is removed from the tree first.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from lxml import etree

from dvarchive.normalize.dates import format_iso
from dvarchive.normalize.text import clean_text
from dvarchive.pages import selectors as S
from dvarchive.pages.base import ArticleParser, NotAnArticle, iso_date, parse_html, text_of
from dvarchive.pages.content import Content, body_html, document_links, extract_content
from dvarchive.profiles import Profile

__all__ = ["ProfileParser", "extract_with_profile"]

VIETNAM = timezone(timedelta(hours=7))


class ProfileParser(ArticleParser):
    """The profile's selectors over one page; ``extractor: "profile/v1"``."""

    extractor = "profile/v1"

    def __init__(self, root: etree._Element, response_url: str, profile: Profile) -> None:
        for xpath in profile.drop:
            for el in xpath(root):
                if isinstance(el, etree._Element) and el.getparent() is not None:
                    el.getparent().remove(el)
        super().__init__(root, response_url)
        self.profile = profile

    def _value(self, key: str) -> str | None:
        """Clean text of the first match of the profile's XPath (element text or attribute/string)."""
        xpath = self.profile.xpaths.get(key)
        found = xpath(self.root) if xpath is not None else None
        if isinstance(found, list):
            found = found[0] if found else None
        if isinstance(found, etree._Element):
            return text_of(found) or None
        return clean_text(str(found)) or None if found is not None else None

    def title(self) -> str | None:
        return self._value("title")

    def subtitle(self) -> str | None:
        return self._value("subtitle")

    def category(self) -> str | None:
        return self._value("category")

    def published_raw(self) -> str | None:
        return self._value("published")

    def published(self) -> str | None:
        raw, fmt = self.published_raw(), self.profile.date_format
        if raw and fmt:
            try:
                when = datetime.strptime(raw, fmt)
            except ValueError:
                return None            # a wrong date is worse than none
            return format_iso(when if when.tzinfo else when.replace(tzinfo=self.profile.tz or VIETNAM))
        return iso_date(raw)

    def author(self) -> str | None:
        return self._value("author") if "author" in self.profile.xpaths else self.content.author

    @cached_property
    def content_root(self) -> etree._Element:
        xpath = self.profile.xpaths.get("body")
        found = xpath(self.root) if xpath is not None else []
        if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
            raise NotAnArticle(f"profile/v1: no content block at {self.profile.xpaths.get('body')}")
        return found[0]

    @cached_property
    def content(self) -> Content:
        return extract_content(self.content_root, self.response_url, subtitle=self.subtitle(), chrome=self.CHROME)

    def body_html(self) -> str | None:
        return body_html(self.content_root, self.content, self.response_url) or None

    def attachments(self) -> list[dict[str, str]]:
        links = [*self.content.body_links, *S.ATTACHMENT_BOX_LINKS(self.root)]
        return list({a["url"]: a for a in document_links(links, self.response_url)}.values())

    def article_id(self, url: str) -> str | None:
        if self.profile.id_from_url:
            return "u" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
        if "article_id" in self.profile.xpaths:
            digits = re.findall(r"\d+", self._value("article_id") or "")
            return digits[-1] if digits else None
        return super().article_id(url)


def extract_with_profile(url: str, html: str | bytes, profile: Profile, *, site: str, fetched_at: str,
                         encoding: str | None = None) -> dict[str, Any]:
    """The record of an article page read with a profile's selectors (raises NotAnArticle)."""
    return ProfileParser(parse_html(html, encoding), url, profile).record(site=site, fetched_at=fetched_at)
