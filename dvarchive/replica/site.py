"""``build_site``: the replica's articles, listings and truth (no HTTP here).

Building is cheap and lazy: only what listings need (id, category, title, date, sapo, which
variations) is drawn up front; bodies are generated on first use from a per-article seed and
cached. Everything is deterministic in ``(n_articles, seed)`` — and, after admin mutations, in
the sequence of mutations.
"""
from __future__ import annotations

import bisect
import random
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from dvarchive.replica import content, templates
from dvarchive.replica.faults import plan_faults
from dvarchive.replica.model import (
    CATEGORIES, CATEGORY_BY_SLUG, PAGE_SIZE, VIETNAM, Article, Attachment, Body, Category, Image,
    ListingEntry, RelatedLink, Style, slugify,
)

DEFAULT_SEED = 20180228
TODAY = date(2019, 1, 22)                        # the render date every page's banner shows
FIRST_DAY = datetime(2012, 1, 2, tzinfo=VIETNAM)
LAST_DAY = datetime(2019, 1, 21, tzinfo=VIETNAM)
FIRST_ID = 100
BODY_CACHE_SIZE = 4096

T = TypeVar("T")


class Deck(Generic[T]):
    """Draws from a shuffled deck, reshuffled when empty: every option gets its exact share
    (``items`` may repeat an option to weight it) and small sites still see every option."""

    def __init__(self, rng: random.Random, items: Sequence[T]) -> None:
        self._rng = rng
        self._items = list(items)
        self._left: list[T] = []

    def draw(self) -> T:
        """One card, uniformly from those left (a lazy Fisher-Yates: one ``random()`` per draw)."""
        left = self._left
        if not left:
            left = self._left = self._items[:]
        index = int(self._rng.random() * len(left))
        left[index], left[-1] = left[-1], left[index]
        return left.pop()


def _weighted(**weights: int) -> list[str]:
    return [name.replace("_", "-") for name, count in weights.items() for _ in range(count)]


class Decks:
    """One deck per variation dimension, all drawing from the site's master RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.category = Deck(rng, [c.slug for c in CATEGORIES for _ in range(
            {"tin-hoat-dong": 7, "dan-van-kheo": 4}.get(c.slug, 3))])
        self.paragraphs = Deck(rng, _weighted(p=3, p_indent=3, div=2, div_br=2, mso=2, entities=1))
        self.nfd = Deck(rng, _weighted(none=16, body=3, title=1))
        self.sapo = Deck(rng, _weighted(plain=5, strong=2, absent=2, empty=1))
        self.image_count = Deck(rng, [0, 0, 0, 1, 1, 1, 1, 2, 2])
        self.byline = Deck(rng, _weighted(p_right_strong=3, div_right_b=2, p_align_right=2, tin_anh=2, none=2))
        self.source = Deck(rng, _weighted(none=6, em_paren=2, strong_label=2))
        self.related = Deck(rng, _weighted(none=6, div=2, p_ul=2))
        self.trailing_empty = Deck(rng, [False, False, False, True])
        self.see_also = Deck(rng, [False] * 5 + [True])
        self.body_dates = Deck(rng, [False, False, True])
        self.attachments = Deck(rng, [False] * 7 + [True])
        self.updated = Deck(rng, [False, False, False, True])
        self.two_categories = Deck(rng, [False] * 19 + [True])
        self.status = Deck(rng, [None] * 36 + ["stale", "error-once", "drop-once", "slow"])

    def style(self, rng: random.Random, category_slug: str) -> Style:
        nfd = self.nfd.draw()
        attachments = self.attachments.draw() or (category_slug == "van-ban" and rng.random() < 0.6)
        return Style(
            paragraphs=self.paragraphs.draw(), nfd_body=nfd != "none", nfd_title=nfd == "title",
            sapo=self.sapo.draw(), image_count=self.image_count.draw(), byline=self.byline.draw(),
            source=self.source.draw(), related=self.related.draw(),
            trailing_empty=self.trailing_empty.draw(), see_also=self.see_also.draw(),
            body_dates=self.body_dates.draw() or category_slug == "van-ban", attachments=attachments,
        )


VARIATIONS: frozenset[str] = frozenset({
    "paragraphs:p", "paragraphs:p-indent", "paragraphs:div", "paragraphs:div-br", "paragraphs:mso",
    "paragraphs:entities", "nfd:body", "nfd:title", "image:table", "image:centered", "image:no-caption",
    "byline:p-right-strong", "byline:div-right-b", "byline:p-align-right", "byline:tin-anh", "byline:none",
    "source:em-paren", "source:strong-label", "related:div", "related:p-ul", "trailing-empty", "see-also",
    "sapo:absent", "sapo:plain", "sapo:strong", "sapo:empty", "updated", "attachments", "body-dates",
    "two-categories", "deleted", "trap:error-once", "trap:drop-once", "trap:slow",
})
"""Every name :meth:`ReplicaSite.variations` can return."""


class ReplicaSite:
    """The replica's content: articles, listings, truth, and the admin mutations."""

    categories: tuple[Category, ...] = CATEGORIES
    today: date = TODAY

    def __init__(self, seed: int, rng: random.Random, decks: Decks, articles: list[Article]) -> None:
        self.seed = seed
        self._rng = rng
        self._decks = decks
        self._articles: dict[int, Article] = {a.id: a for a in articles}
        self._lock = threading.RLock()
        self._bodies: OrderedDict[tuple[int, int], Body] = OrderedDict()
        self._listings: dict[str, list[Article]] | None = None
        self._listing_positions: dict[str, dict[int, int]] = {}
        self._entries: dict[str, tuple[ListingEntry, ...]] = {}
        self._newest_live: list[Article] | None = None
        self._linkable: dict[str, list[Article]] | None = None
        self.fault_plan = plan_faults(self.all_articles())

    # ---- lookups -------------------------------------------------------------------------
    def article(self, article_id: int | str) -> Article:
        """The article with this id, whatever its state (KeyError when the site never had it)."""
        return self._articles[int(article_id)]

    def all_articles(self) -> list[Article]:
        """Every article ever built or added, oldest first."""
        with self._lock:
            return sorted(self._articles.values(), key=_age_key)

    def live_article_ids(self) -> list[int]:
        """Articles whose page answers 200 (truth covers exactly these), newest first."""
        return [a.id for a in self._newest_live_list()]

    def deleted_article_ids(self) -> list[int]:
        """Articles whose page answers 404 (listed, stale) or 410 (removed by the admin endpoint)."""
        return [a.id for a in reversed(self.all_articles()) if not a.live]

    def article_url(self, article_id: int | str, base_url: str) -> str:
        return base_url.rstrip("/") + self.article(article_id).canonical_path

    def body(self, article: Article) -> Body:
        key = (article.id, article.revision)
        with self._lock:
            cached = self._bodies.get(key)
            if cached is None:
                cached = self._bodies[key] = self._make_body(article)
                if len(self._bodies) > BODY_CACHE_SIZE:
                    self._bodies.popitem(last=False)
            else:
                self._bodies.move_to_end(key)
            return cached

    # ---- listings ------------------------------------------------------------------------
    def listing(self, category_slug: str) -> tuple[ListingEntry, ...]:
        """Everything listed under a category, newest first (stale articles included)."""
        with self._lock:
            articles = self._listing_articles(category_slug)
            entries = self._entries.get(category_slug)
            if entries is None:
                entries = self._entries[category_slug] = tuple(self._entry(a, category_slug) for a in articles)
            return entries

    def warm(self) -> None:
        """Build the listing indexes now (a server calls this before it opens its port), so no
        first visitor pays for sorting and slugging a 20k-article site."""
        for category in CATEGORIES:
            self.listing(category.slug)
        self._newest_live_list()

    def listing_pages(self, category_slug: str) -> list[list[int]]:
        """Article ids of each non-empty listing page (page N is ``[N - 1]``)."""
        ids = [entry.id for entry in self.listing(category_slug)]
        return [ids[start:start + PAGE_SIZE] for start in range(0, len(ids), PAGE_SIZE)]

    def newest_live(self, count: int) -> list[Article]:
        return self._newest_live_list()[:count]

    def other_news(self, article: Article, count: int = 5) -> list[Article]:
        """'CÁC TIN KHÁC': the next older live articles of the article's canonical category."""
        with self._lock:          # the listing and its position index must come from one build
            listed = self._listing_articles(article.category)
            position = self._listing_positions[article.category].get(article.id, -1)
        found: list[Article] = []
        for older in listed[position + 1:]:
            if len(found) == count:
                break
            if older.live:
                found.append(older)
        return found

    def _listing_articles(self, category_slug: str) -> list[Article]:
        if category_slug not in CATEGORY_BY_SLUG:
            raise KeyError(category_slug)
        with self._lock:
            if self._listings is None:
                listings: dict[str, list[Article]] = {c.slug: [] for c in CATEGORIES}
                for article in sorted(self._articles.values(), key=_age_key, reverse=True):
                    if not article.removed:
                        for slug in article.categories:
                            listings[slug].append(article)
                self._listings = listings
                self._listing_positions = {slug: {a.id: i for i, a in enumerate(listed)}
                                           for slug, listed in listings.items()}
            return self._listings[category_slug]

    def _newest_live_list(self) -> list[Article]:
        with self._lock:
            if self._newest_live is None:
                self._newest_live = sorted((a for a in self._articles.values() if a.live),
                                           key=_age_key, reverse=True)
            return self._newest_live

    def _entry(self, article: Article, category_slug: str) -> ListingEntry:
        return ListingEntry(article.id, article.path_in(category_slug), article.display_title,
                            article.published, article.subtitle or "Nội dung đang cập nhật.")

    # ---- truth ---------------------------------------------------------------------------
    def truth(self, article_id: int | str, base_url: str) -> dict[str, Any]:
        """The record a perfect extractor produces for a live article (KeyError otherwise)."""
        article = self.article(article_id)
        if not article.live:
            raise KeyError(f"article {article.id} is deleted")
        body = self.body(article)
        base = base_url.rstrip("/")
        return {
            "id": str(article.id),
            "url": base + article.canonical_path,
            "category": CATEGORY_BY_SLUG[article.category].name,
            "title": article.title,
            "subtitle": article.subtitle,
            "published": article.published.isoformat(),
            "modified": article.modified.isoformat() if article.modified else None,
            "author": body.author,
            "source": body.source,
            "body": "\n\n".join(body.paragraphs),
            "images": [{"url": base + image.path, "caption": image.caption} for image in body.images],
            "attachments": [{"url": base + a.path, "name": a.name} for a in body.attachments],
        }

    def all_truth(self, base_url: str) -> list[dict[str, Any]]:
        return [self.truth(article_id, base_url) for article_id in self.live_article_ids()]

    def variations(self, article_id: int | str) -> set[str]:
        """Names (from :data:`VARIATIONS`) of the variations this article's page exhibits."""
        article = self.article(article_id)
        style, body = article.style, self.body(article)
        found = {f"paragraphs:{style.paragraphs}", f"sapo:{style.sapo}", f"byline:{style.byline}"}
        found |= {f"image:{image.style}" for image in body.images}
        found |= {"image:no-caption" for image in body.images if image.caption is None}
        flags = {
            "nfd:body": style.nfd_body, "nfd:title": style.nfd_title, "trailing-empty": body.trailing_empty > 0,
            "see-also": body.see_also_url is not None, "updated": article.modified is not None,
            "attachments": bool(body.attachments), "body-dates": style.body_dates,
            "two-categories": article.extra_category is not None, "deleted": not article.live,
            f"source:{style.source}": body.source is not None, f"related:{style.related}": bool(body.related),
            f"trap:{article.trap}": article.trap is not None,
        }
        return (found | {name for name, present in flags.items() if present}) & VARIATIONS

    def render_article_html(self, article_id: int | str, base_url: str, faults: Iterable[str] = ()) -> str:
        return templates.render_article_html(self, article_id, base_url, faults)

    # ---- admin mutations -----------------------------------------------------------------
    def add_articles(self, count: int) -> list[int]:
        """Publish ``count`` new articles, each newer than every existing one."""
        with self._lock:
            added = []
            for _ in range(count):
                newest = max(self._articles.values(), key=_age_key)
                when = newest.published + timedelta(hours=self._rng.randint(1, 5),
                                                    minutes=self._rng.randint(0, 59))
                article = _new_article(self._rng, self._decks, newest.id + self._rng.randint(1, 4), when)
                self._articles[article.id] = article
                if self._linkable is not None:
                    self._linkable[article.category].append(article)
                added.append(article.id)
            self._invalidate()
            return added

    def edit_article(self, article_id: int | str) -> Article:
        """Change a live article's body (one more paragraph) and its 'Cập nhật' time."""
        with self._lock:
            article = self._live_article(article_id)
            last = article.modified or article.published
            article.revision += 1
            article.modified = last + timedelta(days=1, minutes=7)
            return article

    def delete_article(self, article_id: int | str) -> Article:
        """Take a live article down: unlisted, its page answers 410 Gone."""
        with self._lock:
            article = self._live_article(article_id)
            article.removed = True
            self._invalidate()
            return article

    def _live_article(self, article_id: int | str) -> Article:
        article = self.article(article_id)
        if not article.live:
            raise KeyError(f"article {article.id} is deleted")
        return article

    def _invalidate(self) -> None:
        self._listings = None
        self._entries = {}
        self._newest_live = None

    # ---- bodies --------------------------------------------------------------------------
    def _make_body(self, article: Article) -> Body:
        rng = random.Random(article.body_seed)
        when, style = article.published, article.style
        paragraphs = content.paragraphs(rng, when, with_documents=style.body_dates)
        for revision in range(1, article.revision + 1):
            paragraphs.append(content.edit_sentence(random.Random(article.body_seed + revision), when, revision))
        images = tuple(_image(rng, article, k, len(paragraphs)) for k in range(style.image_count))
        related = self._related(article) if style.related != "none" else ()
        return Body(
            paragraphs=tuple(paragraphs), images=images,
            author=content.pick(rng, content.AUTHORS) if style.byline != "none" else None,
            source=content.pick(rng, content.SOURCES) if style.source != "none" else None,
            related=related, related_after=1 if len(paragraphs) > 2 and rng.random() < 0.5 else None,
            see_also_url=(f"{content.pick(rng, content.OTHER_SITES)}/tin-tuc/{article.slug[:60].strip('-')}-"
                          f"{rng.randint(10000, 99999)}.html") if style.see_also else None,
            trailing_empty=rng.randint(1, 3) if style.trailing_empty else 0,
            attachments=tuple(_attachment(rng, article, k) for k in range(rng.randint(1, 2)))
            if style.attachments else (),
        )

    def _related(self, article: Article) -> tuple[RelatedLink, ...]:
        """Up to three older articles of the same category that were live when the site was built.

        Ids grow with publication time, so "older" is "smaller id"; later admin deletions leave
        the links in place (dead links, as on the real site) and the body unchanged.
        """
        with self._lock:
            if self._linkable is None:
                self._linkable = {c.slug: [] for c in CATEGORIES}
                for candidate in sorted(self._articles.values(), key=_age_key):
                    if not candidate.stale:
                        self._linkable[candidate.category].append(candidate)
            same_category = self._linkable[article.category]
            end = bisect.bisect_left(same_category, article.id, key=lambda a: a.id)
            older = same_category[max(0, end - 3):end]
        return tuple(RelatedLink(a.canonical_path, a.display_title) for a in reversed(older))


def _age_key(article: Article) -> tuple[datetime, int]:
    return (article.published, article.id)


def _image(rng: random.Random, article: Article, index: int, paragraph_count: int) -> Image:
    when = article.published
    caption = content.caption(rng, when) if rng.random() >= 0.2 else None
    return Image(
        path=f"/Uploads/images/{when.year}/{when.month:02d}/dv-{article.id}-{index + 1}.jpg",
        caption=caption, style=content.pick(rng, ("table", "centered")),
        after_paragraph=min(index * 2, paragraph_count - 1),
    )


def _attachment(rng: random.Random, article: Article, index: int) -> Attachment:
    when = article.published
    name, extension = content.attachment_name(rng, when)
    stem = slugify(name)[:50].strip("-")
    return Attachment(f"/Uploads/files/{when.year}/{when.month:02d}/{stem}-{article.id}-{index + 1}.{extension}",
                      name)


def _new_article(rng: random.Random, decks: Decks, article_id: int, when: datetime,
                 status: str | None = None) -> Article:
    category = decks.category.draw()
    title = content.title(rng, category, when)
    sapo = content.sapo(rng, when)
    style = decks.style(rng, category)
    modified = _update_time(rng, when) if decks.updated.draw() else None
    extra = content.pick(rng, [c.slug for c in CATEGORIES if c.slug != category]) \
        if decks.two_categories.draw() else None
    article = Article(id=article_id, category=category, extra_category=extra, title=title,
                      published=when, modified=modified, sapo=sapo if style.sapo != "empty" else "",
                      style=style, body_seed=rng.getrandbits(32))
    if status == "stale":
        article.stale = True
    elif status is not None:
        article.trap = status
        article.slow_seconds = round(rng.uniform(0.2, 0.5), 2) if status == "slow" else 0.0
    return article


def _update_time(rng: random.Random, published: datetime) -> datetime:
    """A 'Cập nhật' instant in office hours, up to three days after publication."""
    day = published + timedelta(days=rng.randint(0, 3))
    instant = day.replace(hour=rng.randint(7, 17), minute=rng.randint(0, 59))
    return instant if instant > published else instant + timedelta(days=1)


def _publication_times(rng: random.Random, count: int) -> list[datetime]:
    """``count`` strictly increasing instants in office hours, spread over 2012–2019."""
    total_days = (LAST_DAY - FIRST_DAY).days
    times: list[datetime] = []
    for index in range(count):
        day = FIRST_DAY + timedelta(days=index * total_days // max(count, 1))
        instant = day.replace(hour=rng.randint(7, 16), minute=rng.randint(0, 59))
        if times and instant <= times[-1]:
            instant = times[-1] + timedelta(minutes=rng.randint(3, 40))
        times.append(instant)
    return times


def build_site(n_articles: int = 300, seed: int = DEFAULT_SEED) -> ReplicaSite:
    """A replica with ``n_articles`` articles (stale ones included), the same for the same seed."""
    if n_articles < 1:
        raise ValueError("the replica needs at least one article")
    rng = random.Random(seed)
    decks = Decks(rng)
    articles, article_id = [], FIRST_ID
    for when in _publication_times(rng, n_articles):
        article_id += content.pick(rng, (1, 2, 3, 3, 3, 4, 6))
        articles.append(_new_article(rng, decks, article_id, when, decks.status.draw()))
    return ReplicaSite(seed, rng, decks, articles)


__all__ = ["DEFAULT_SEED", "VARIATIONS", "ListingEntry", "ReplicaSite", "build_site"]
