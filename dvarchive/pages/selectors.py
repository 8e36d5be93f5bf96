"""Every selector of every layout, precompiled, in one place.

When the site's markup changes, this is the file to read first: a new layout version gets its
own block of constants (``V1_1_…``) and a ``DanvanV1_1(DanvanV1)`` parser that points at them.
XPath 1.0 only (lxml); ``cls('x')`` is the usual token test for ``class~="x"``.
"""
from __future__ import annotations

from lxml import etree

__all__: list[str] = []  # import the constants by name


def cls(name: str) -> str:
    """XPath predicate body: the element's class attribute holds the token ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def xp(expr: str) -> etree.XPath:
    """A compiled XPath (smart_strings off: results are plain ``str``, no parent references)."""
    return etree.XPath(expr, smart_strings=False)


# --- common to every layout -----------------------------------------------------------------
CANONICAL_HREF = xp("/html/head/link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")
CANONICAL_HREF_ANYWHERE = xp("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")

# --- danvan/v1: the board's ASP.NET portal ------------------------------------------------
# Whole-document searches start at /html/body (or an id()) — each one costs a tree walk.
V1_DETAIL = xp(f"/html/body//div[{cls('news-detail')}]")
V1_DETAIL_CLASS = "news-detail"
# Fast path: the content div carries id="news-content" (an id() lookup is a hash, not a walk);
# div.news-detail is then its nearest ancestor with that class.
V1_CONTENT_BY_ID = xp(f"id('news-content')[self::div][{cls('news-content')}]")
# div.news-detail's parts outside its (large) content div, found in one walk and indexed by
# class token: title, date, updated, sapo, attachments, tools.
V1_DETAIL_PARTS = xp(f"./*[not({cls('news-content')})]/descendant-or-self::*[@class]")
V1_TITLE_CLASS = "news-title"        # <h1 class="news-title">
V1_DATE_CLASS = "news-date"          # "28.2.2018 - 9:21"
V1_UPDATED_CLASS = "news-updated"    # "Cập nhật: 1.3.2018 - 10:05"
V1_SAPO_CLASS = "news-sapo"          # the lead, sometimes in <strong>, sometimes empty
V1_ATTACHMENTS_CLASS = "attachments"  # "Tệp đính kèm:" list
V1_CONTENT = xp(f"./div[{cls('news-content')}]")
V1_CONTENT_DEEP = xp(f".//div[{cls('news-content')}]")
# Malformed markup (a stray </div> in the body) can close div.news-detail early, leaving the
# attachments box as one of its next siblings; "CÁC TIN KHÁC" comes later and is never taken.
V1_ATTACHMENTS_AFTER_DETAIL = xp(f"following-sibling::div[position() <= 3][{cls('attachments')}][1]")
LINKS = xp(".//a[@href]")            # inside the attachments box
# Any layout: links inside a box whose class or id says it holds the attachments ("attachments",
# "file-attach", "dinh-kem"/"tep-dinh-kem"): generic and profile records take its document links too.
ATTACHMENT_BOX_LINKS = xp(
    "//*[contains(translate(@class, 'ATCHMEN', 'atchmen'), 'attachment') or contains(translate(@id, 'ATCHMEN', "
    "'atchmen'), 'attachment') or contains(@class, 'dinh-kem') or contains(@class, 'dinhkem')]//a[@href]")
V1_BREADCRUMB_LINKS = xp(f"/html/body//div[{cls('breadcrumb')}]//a[@href]")
# From div.news-detail: the breadcrumb is its preceding sibling (no whole-page walk).
V1_BREADCRUMB_LINKS_NEAR = xp(f"preceding-sibling::div[{cls('breadcrumb')}]//a[@href]")
V1_MENU_LINKS = xp("id('main-menu')[self::ul]//a[@href]")
V1_MENU_TOP_ITEMS = xp("id('main-menu')[self::ul]/li")
V1_ITEM_LINK = xp("./a[@href]")
V1_ITEM_SUBMENU = xp(".//ul | .//ol")
V1_LISTING_ITEMS = xp(f"/html/body//div[{cls('news-item')}]")
V1_LISTING_TITLE_LINK = xp(".//h3//a[@href] | .//h2//a[@href]")
V1_LISTING_ANY_LINK = xp(".//a[@href][normalize-space(.)]")
V1_LISTING_DATE = xp(f".//span[{cls('date')}]")

# --- generic/v1: metadata every CMS writes ----------------------------------------------
G_META_PROPERTY = xp("//meta[@property][@content] | //meta[@name][@content] | //meta[@itemprop][@content]")
G_JSON_LD = xp("//script[translate(@type, 'LDJSON', 'ldjson')='application/ld+json']/text()")
G_TIME_DATETIME = xp("//time[@datetime]")
G_TIME_DATETIME_IN = xp(".//time[@datetime]")   # relative: within an <article>
G_ARTICLE = xp("//article")
G_ARTICLE_BODY = xp("//*[@itemprop='articleBody']")
G_H1 = xp("//h1")
G_HEADINGS = xp("//body//h1 | //body//h2")
# Visible text nodes of the body (an editor credit check looks a name up in them).
G_BODY_TEXTS = xp("/html/body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                  " or ancestor::template)][normalize-space()]")
G_TITLE_LIKE = xp("//body//*[self::div or self::p or self::span or self::h3 or self::strong]"
                  "[contains(@class, 'title') or contains(@class, 'headline') or contains(@class, 'tieu-de')"
                  " or contains(@class, 'tieude')]")
G_TITLE = xp("//title")
G_SAPO = xp(
    ".//*[self::p or self::div or self::h2 or self::strong]"
    "[contains(@class, 'sapo') or contains(@class, 'lead') or contains(@class, 'summary')"
    " or contains(@class, 'description') or contains(@class, 'excerpt') or contains(@class, 'chapeau')]"
)
G_BODY = xp("/html/body")
# Elements whose class/id says they hold a date (searched near the content block only).
G_DATE_LIKE = xp(
    ".//*[contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'ngay')"
    " or contains(@id, 'date') or contains(@id, 'time')][not(contains(@class, 'today'))]"
)
