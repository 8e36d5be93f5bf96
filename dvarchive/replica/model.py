"""The replica's content model: what an article *is*, independent of how a page shows it.

The renderer (``markup``/``templates``) and the truth (``ReplicaSite.truth``) are both derived
from these objects, so the truth never comes from parsing the replica's own HTML.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from dvarchive.categories import Category

VIETNAM = timezone(timedelta(hours=7))
PAGE_SIZE = 10
RSS_SIZE = 20


CATEGORIES: tuple[Category, ...] = (
    Category("tin-hoat-dong", "Tin hoạt động"),
    Category("dan-van-kheo", "Dân vận khéo"),
    Category("nghien-cuu-trao-doi", "Nghiên cứu - Trao đổi"),
    Category("guong-dien-hinh", "Gương điển hình"),
    Category("van-ban", "Văn bản"),
)
CATEGORY_BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}


@dataclass(frozen=True, slots=True)
class Style:
    """Which of the site's markup variations one article uses (drawn once, at build time)."""

    paragraphs: str          # p | p-indent | div | div-br | mso | entities
    nfd_body: bool
    nfd_title: bool
    sapo: str                # absent | plain | strong | empty
    image_count: int
    byline: str              # none | p-right-strong | div-right-b | p-align-right | tin-anh
    source: str              # none | em-paren | strong-label
    related: str             # none | div | p-ul
    trailing_empty: bool
    see_also: bool
    body_dates: bool
    attachments: bool


@dataclass(slots=True)
class Article:
    """One article as listings need it; the body is generated lazily from ``body_seed``."""

    id: int
    category: str                 # canonical category slug
    extra_category: str | None    # a second category that also lists it
    title: str                    # NFC
    published: datetime           # aware, Vietnam time, whole minutes
    modified: datetime | None
    sapo: str                     # NFC; the lead sentence (shown only when style.sapo is plain/strong)
    style: Style
    body_seed: int
    stale: bool = False           # listed but deleted: the page answers 404
    removed: bool = False         # deleted through the admin endpoint: unlisted, page answers 410
    trap: str | None = None       # error-once | drop-once | slow
    slow_seconds: float = 0.0
    revision: int = 0             # bumped by each admin edit
    _slug: str | None = field(default=None, repr=False, compare=False)

    @property
    def slug(self) -> str:
        """URL slug of the title, computed on first use (a listing needs it for every entry)."""
        if self._slug is None:
            self._slug = slugify(self.title)
        return self._slug

    @property
    def categories(self) -> tuple[str, ...]:
        return (self.category,) if self.extra_category is None else (self.category, self.extra_category)

    @property
    def live(self) -> bool:
        return not (self.stale or self.removed)

    @property
    def display_title(self) -> str:
        """The title as the page's bytes carry it (NFD for articles pasted from old documents)."""
        return unicodedata.normalize("NFD", self.title) if self.style.nfd_title else self.title

    @property
    def subtitle(self) -> str | None:
        return self.sapo if self.style.sapo in ("plain", "strong") else None

    def path_in(self, category_slug: str) -> str:
        return f"/{category_slug}/{self.slug}-{self.id}.html"

    @property
    def canonical_path(self) -> str:
        return self.path_in(self.category)


@dataclass(frozen=True, slots=True)
class Image:
    path: str
    caption: str | None
    style: str                 # table | centered
    after_paragraph: int       # index of the paragraph the image follows


@dataclass(frozen=True, slots=True)
class Attachment:
    path: str
    name: str


@dataclass(frozen=True, slots=True)
class RelatedLink:
    path: str
    title: str


@dataclass(frozen=True, slots=True)
class Body:
    """Everything inside ``div.news-content`` (and ``div.attachments``) of one article revision."""

    paragraphs: tuple[str, ...]
    images: tuple[Image, ...]
    author: str | None
    source: str | None
    related: tuple[RelatedLink, ...]
    related_after: int | None      # paragraph index the related box follows; None = at the end
    see_also_url: str | None
    trailing_empty: int
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True, slots=True)
class ListingEntry:
    """One listed article (or a fault's decoy) as listed under one category."""

    id: int
    path: str
    title: str              # as displayed (may be NFD)
    published: datetime
    summary: str



_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _ascii_fold_table() -> dict[int, str]:
    """Latin letters with diacritics (Vietnamese included) -> their base letter."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        if base.isascii() and base:
            table.setdefault(code, base)
    return table


_ASCII_FOLD = _ascii_fold_table()


def slugify(text: str) -> str:
    """'Tổng kết “Dân vận khéo” năm 2017' -> 'tong-ket-dan-van-kheo-nam-2017' (the site's URL form)."""
    folded = unicodedata.normalize("NFC", text).translate(_ASCII_FOLD).lower()
    return _NON_SLUG.sub("-", folded).strip("-")


def site_date(instant: datetime) -> str:
    """'28.2.2018' — the site's date form: no zero padding."""
    return f"{instant.day}.{instant.month}.{instant.year}"


def site_datetime(instant: datetime) -> str:
    """'28.2.2018 - 9:21' — the site's date-time form: unpadded hour, padded minutes."""
    return f"{site_date(instant)} - {instant.hour}:{instant.minute:02d}"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(instant: datetime) -> str:
    """'Wed, 28 Feb 2018 09:21:00 +0700' (English names whatever the process locale)."""
    local = instant.astimezone(VIETNAM)
    return (f"{_DAYS[local.weekday()]}, {local.day:02d} {_MONTHS[local.month - 1]} {local.year} "
            f"{local:%H:%M:%S} +0700")
