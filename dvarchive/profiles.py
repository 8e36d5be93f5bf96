"""Site profiles: a small TOML file that pins what discovery and extraction would otherwise guess.

```toml
[site]
key = "wp-danvan"                         # record ids '<key>:<id>'
timezone = "+07:00"                       # of dates shown without one

[discovery]
categories = [{ name = "Tin hoạt động", url = "/category/tin-hoat-dong/" }]   # instead of the menu
article_url = '^/\\d{4}/\\d{2}/[^/]+/$'   # regex on the path+query: these pages are articles
listing_url = '^/category/'               # regex: listings (paged, never articles)
skip_url = ['\\?replytocom=']             # regexes never requested

[extract]                                 # XPath 1.0; text of the first match
title = "//h1[@class='entry-title']"
published = "//time/@datetime"
date_format = "%d/%m/%Y %H:%M"            # optional strptime format of `published`
subtitle = "//p[@class='post-excerpt']"
author = "..."; category = "..."
body = "//div[@class='entry-content']"    # the content block
article_id = "//link[@rel='shortlink']/@href"   # its last digits; "url" = a stable hash of the URL
drop = ["//div[@class='share']"]          # chrome removed before extraction
```

``load_profile`` validates on load: every error names the line (``profile.toml:7: …``).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "site": {"key": str, "timezone": str},
    "discovery": {"categories": list, "article_url": str, "listing_url": str, "skip_url": list},
    "extract": {"title": str, "published": str, "date_format": str, "subtitle": str, "author": str,
                "category": str, "body": str, "article_id": str, "drop": list},
}
XPATH_KEYS = ("title", "published", "subtitle", "author", "category", "body", "article_id")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


class ProfileError(ValueError):
    """An invalid profile; the message names the file and line."""


@dataclass
class Profile:
    path: str = ""
    key: str | None = None
    tz: tzinfo | None = None
    categories: list[tuple[str, str]] = field(default_factory=list)
    article_url: re.Pattern[str] | None = None
    listing_url: re.Pattern[str] | None = None
    skip_url: list[re.Pattern[str]] = field(default_factory=list)
    xpaths: dict[str, etree.XPath] = field(default_factory=dict)
    id_from_url: bool = False
    date_format: str | None = None
    drop: list[etree.XPath] = field(default_factory=list)

    @property
    def extracts(self) -> bool:
        return "title" in self.xpaths and "body" in self.xpaths


def _line_of(text: str, section: str, key: str | None) -> int:
    """1-based line of ``key =`` inside ``[section]`` (or of the section header)."""
    lines, in_section, header = text.splitlines(), False, 1
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.strip("[] ") == section
            header = number if in_section else header
        elif in_section and key and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return header


def load_profile(path: Path | str) -> Profile:
    """Read and validate a profile; raises :class:`ProfileError` naming the line of the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read the profile: {exc.strerror}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: {exc}") from exc

    def fail(section: str, key: str | None, message: str) -> ProfileError:
        return ProfileError(f"{path}:{_line_of(text, section, key)}: {message}")

    profile = Profile(path=str(path))
    for section, values in data.items():
        if section not in SECTIONS or not isinstance(values, dict):
            raise fail(section, None, f"unknown section [{section}] (known: {', '.join(SECTIONS)})")
        for key, value in values.items():
            expected = SECTIONS[section].get(key)
            if expected is None:
                raise fail(section, key, f"unknown key {key!r} in [{section}] (known: {', '.join(SECTIONS[section])})")
            if not isinstance(value, expected):
                raise fail(section, key, f"{key} must be a {getattr(expected, '__name__', expected)}")
            try:
                _apply(profile, key, value)
            except (ValueError, re.error, etree.XPathSyntaxError) as exc:
                raise fail(section, key, f"{key}: {exc}") from exc
    return profile


def _apply(profile: Profile, key: str, value: Any) -> None:
    if key == "key":
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
            raise ValueError("lower-case letters, digits, '-' and '_' only")
        profile.key = value
    elif key == "timezone":
        profile.tz = parse_timezone(value)
    elif key == "categories":
        for item in value:
            if not (isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("url"), str)):
                raise ValueError('each category is { name = "…", url = "…" }')
            profile.categories.append((item["name"], item["url"]))
    elif key in ("article_url", "listing_url"):
        setattr(profile, key, re.compile(value))
    elif key == "skip_url":
        profile.skip_url = [re.compile(str(pattern)) for pattern in value]
    elif key == "article_id" and value == "url":
        profile.id_from_url = True
    elif key in XPATH_KEYS:
        profile.xpaths[key] = etree.XPath(value, smart_strings=False)
    elif key == "date_format":
        if "%" not in value:
            raise ValueError("a strptime format such as '%d/%m/%Y %H:%M'")
        profile.date_format = value
    elif key == "drop":
        profile.drop = [etree.XPath(str(xpath)) for xpath in value]


def parse_timezone(value: str) -> tzinfo:
    """'+07:00' or an IANA name ('Asia/Ho_Chi_Minh')."""
    if match := _OFFSET.match(value):
        sign = 1 if match[1] == "+" else -1
        return timezone(sign * timedelta(hours=int(match[2]), minutes=int(match[3])))
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use '+07:00' or 'Asia/Ho_Chi_Minh')") from exc
