"""Whole pages, in exactly the markup of ``shared/site/pages`` (chrome byte-for-byte).

Every function returns ``str``; the server encodes. Absolute URLs (canonical, og:url, RSS links)
are built from the ``base_url`` of the request, never from a fixed host.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from dvarchive.replica import markup
from dvarchive.replica.faults import FaultPlan
from dvarchive.replica.markup import esc
from dvarchive.replica.model import (
    CATEGORY_BY_SLUG, PAGE_SIZE, RSS_SIZE, Article, Body, ListingEntry, rfc822, site_date, site_datetime,
)


class SiteView(Protocol):
    """What the templates read of a site (``ReplicaSite``): no import of it, so the site may import them."""

    today: date
    fault_plan: FaultPlan

    def article(self, article_id: int | str) -> Article: ...

    def body(self, article: Article) -> Body: ...

    def newest_live(self, count: int) -> list[Article]: ...

    def other_news(self, article: Article, count: int = 5) -> list[Article]: ...

SITE_NAME = "Ban Dân vận Tỉnh ủy"
DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
           '<html xmlns="http://www.w3.org/1999/xhtml" lang="vi">\n<head>\n')
UTF8_META = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
HEAD_ASSETS = (
    '<link href="/Content/site.css" rel="stylesheet" type="text/css" />\n'
    '<script type="text/javascript" src="/Scripts/jquery.min.js"></script>\n'
    '<script type="text/javascript">function changeFont(d){var s=parseInt($(".news-content").css("font-size"));'
    '$(".news-content").css("font-size",(s+d)+"px");}</script>\n'
)
STATIC_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "/gioi-thieu/chuc-nang-nhiem-vu.html": ("Chức năng, nhiệm vụ", (
        "Ban Dân vận Tỉnh ủy là cơ quan tham mưu, giúp việc của Tỉnh ủy về công tác dân vận.",
        "Ban có chức năng tham mưu, hướng dẫn, kiểm tra, giám sát và tổ chức thực hiện công tác dân vận.",
    )),
    "/gioi-thieu/co-cau-to-chuc.html": ("Cơ cấu tổ chức", (
        "Lãnh đạo Ban gồm Trưởng ban và các Phó Trưởng ban.",
        "Các phòng chuyên môn: Văn phòng; Phòng Dân tộc - Tôn giáo; Phòng Đoàn thể - Dân vận chính quyền.",
    )),
    "/gioi-thieu/": ("Giới thiệu", (
        "Ban Dân vận Tỉnh ủy được thành lập năm 1997, khi tỉnh được tái lập.",
        "Xem thêm: Chức năng, nhiệm vụ; Cơ cấu tổ chức.",
    )),
    "/lien-he.html": ("Liên hệ", (
        "Ban Dân vận Tỉnh ủy — 102 Hùng Vương, thành phố Tam Kỳ.",
        "Điện thoại: 0235.3852.xxx. Thư điện tử: bandanvan@example.gov.vn.",
    )),
}
MENU = (
    '  <ul id="main-menu">\n'
    '    <li><a href="/">Trang chủ</a></li>\n'
    '    <li><a href="/gioi-thieu/">Giới thiệu</a><ul><li><a href="/gioi-thieu/chuc-nang-nhiem-vu.html">'
    'Chức năng, nhiệm vụ</a></li><li><a href="/gioi-thieu/co-cau-to-chuc.html">Cơ cấu tổ chức</a></li>'
    '</ul></li>\n'
    + "".join(f'    <li><a href="{c.path}">{c.name}</a></li>\n' for c in CATEGORY_BY_SLUG.values())
    + '    <li><a href="/lien-he.html">Liên hệ</a></li>\n'
    '  </ul>\n'
)
FOOTER = (
    '<div id="footer">\n'
    '  <p><strong>BAN DÂN VẬN TỈNH ỦY</strong></p>\n'
    '  <p>Địa chỉ: 102 Hùng Vương, thành phố Tam Kỳ; Điện thoại: 0235.3852.xxx</p>\n'
    '  <p>Ghi rõ nguồn “Ban Dân vận Tỉnh ủy” khi phát hành lại thông tin từ website này.</p>\n'
    '  <p><a href="#top">Về đầu trang</a></p>\n'
    '  <div class="app"><a href="/Uploads/app/danvan.apk">Android APK</a></div>\n'
    '</div>\n'
)
NOT_FOUND_TEXT = "Không tìm thấy trang bạn yêu cầu. Tin bài có thể đã bị gỡ bỏ."


def header_html(site: SiteView) -> str:
    today = site.today
    return (
        '<div id="header">\n'
        '  <div class="top-bar">\n'
        f'    <div class="today">Hôm nay, ngày {today.day} tháng {today.month} năm {today.year}</div>\n'
        '    <div class="text-size">Cỡ chữ: <a href="javascript:void(0)" onclick="changeFont(1)">A+</a> '
        '<a href="javascript:void(0)" onclick="changeFont(-1)">A-</a></div>\n'
        '  </div>\n'
        f'  <div class="banner"><a href="/"><img src="/Images/banner.jpg" alt="{SITE_NAME}" /></a></div>\n'
        + MENU + '</div>\n'
    )


def right_column_html(site: SiteView) -> str:
    newest = "".join(f'<li><a href="{a.canonical_path}">{esc(a.display_title)}</a></li>'
                     for a in site.newest_live(5))
    return (
        '<div id="right">\n'
        f'  <div class="box"><h3 class="box-title">TIN MỚI</h3><ul>{newest}</ul></div>\n'
        '  <div class="box links"><h3 class="box-title">LIÊN KẾT WEBSITE</h3><select onchange="window.open('
        'this.value)"><option>-- Chọn liên kết --</option><option value="http://danvan.vn">Ban Dân vận Trung ương'
        '</option></select></div>\n'
        '  <div class="box visitors">Lượt truy cập: 1.204.877</div>\n'
        '</div>\n'
    )


def page(site: SiteView, title: str, left: str, *, head_meta: str = "", charset_meta: str = UTF8_META) -> str:
    """A full page of the portal: head, header, ``left`` in div#left, right column, footer."""
    return (
        DOCTYPE + charset_meta + f"<title>{title}</title>\n" + head_meta + HEAD_ASSETS
        + "</head>\n<body>\n<div id=\"wrapper\">\n" + header_html(site)
        + '<div id="main">\n<div id="left">\n' + left + "</div>\n" + right_column_html(site) + "</div>\n"
        + FOOTER + "</div>\n</body>\n</html>"
    )


def breadcrumb_html(category_slug: str) -> str:
    category = CATEGORY_BY_SLUG[category_slug]
    return (f'<div class="breadcrumb"><a href="/">BAN DÂN VẬN TỈNH ỦY</a> | '
            f'<a href="{category.path}">{category.name.upper()}</a></div>\n')


# ---- home -------------------------------------------------------------------------------------
def home_page(site: SiteView) -> str:
    items = "".join(f'<li><a href="{a.canonical_path}?ref=home">{esc(a.display_title)}</a> '
                    f'<span class="date">({site_date(a.published)})</span></li>' for a in site.newest_live(8))
    left = f'<div class="box hot-news"><h3 class="box-title">TIN TIÊU ĐIỂM</h3><ul>{items}</ul></div>\n'
    return page(site, SITE_NAME, left)


# ---- listings ---------------------------------------------------------------------------------
def news_item_html(entry: ListingEntry) -> str:
    return (
        '<div class="news-item">\n'
        f'  <a class="thumb" href="{entry.path}"><img src="/Uploads/images/thumb/{entry.id}.jpg" alt="" /></a>\n'
        f'  <h3><a href="{entry.path}">{esc(entry.title)}</a></h3>\n'
        f'  <span class="date">{site_date(entry.published)}</span>\n'
        f'  <p class="summary">{esc(entry.summary)}</p>\n'
        '</div>\n'
    )


def pager_html(category_slug: str, page_number: int, last_page: int) -> str:
    """Numbered links around the current page, then 'Sau »' to page+1 — always, even past the end."""
    base = f"/{category_slug}/?trang="
    links = [f'<span class="current">{n}</span>' if n == page_number else f'<a href="{base}{n}">{n}</a>'
             for n in range(max(1, page_number - 4), min(last_page, page_number + 4) + 1)]
    links.append(f'<a class="next" href="{base}{page_number + 1}">Sau »</a>')
    links.append(f'<a class="last" href="{base}{last_page}">Cuối</a>')
    return '<div class="pager">' + " ".join(links) + "</div>\n"


def listing_page(site: SiteView, category_slug: str, page_number: int,
                 entries: Sequence[ListingEntry]) -> str:
    """Page ``page_number`` of a category listing; ``entries`` is the whole listing, newest first."""
    start = (page_number - 1) * PAGE_SIZE
    shown = entries[start:start + PAGE_SIZE]
    last_page = max(1, -(-len(entries) // PAGE_SIZE))
    items = "".join(news_item_html(entry) for entry in shown) or "\n"
    left = (breadcrumb_html(category_slug) + '<div class="news-list">\n' + items + "</div>\n"
            + pager_html(category_slug, page_number, last_page))
    return page(site, f"{CATEGORY_BY_SLUG[category_slug].name} - {SITE_NAME}", left)


def redesign_listing_page(site: SiteView, category_slug: str, page_number: int,
                          entries: Sequence[ListingEntry]) -> str:
    """A listing in a new CMS (``listing-redesign`` fault): the same entries, none of the old item markup."""
    start = (page_number - 1) * PAGE_SIZE
    items = "".join(f'<li><a href="{e.path}">{esc(e.title)}</a> <time>{site_date(e.published)}</time></li>'
                    for e in entries[start:start + PAGE_SIZE])
    left = (breadcrumb_html(category_slug) + f'<ul class="article-list">{items}</ul>\n'
            + pager_html(category_slug, page_number, max(1, -(-len(entries) // PAGE_SIZE))))
    return page(site, f"{CATEGORY_BY_SLUG[category_slug].name} - {SITE_NAME}", left)


# ---- articles ---------------------------------------------------------------------------------
def _description(article: Article, first_paragraph: str) -> str:
    return article.subtitle or first_paragraph[:150]


def article_page(site: SiteView, article: Article, base_url: str, faults: frozenset[str] = frozenset()) -> str:
    """The article page; ``faults`` switches on the fault variants planned for this article."""
    plan = site.fault_plan
    body = site.body(article)
    canonical = base_url.rstrip("/") + article.canonical_path
    title = esc(article.display_title)
    head_meta = (
        f'<meta name="description" content="{esc(_description(article, body.paragraphs[0]))}" />\n'
        f'<link rel="canonical" href="{canonical}" />\n'
        f'<meta property="og:title" content="{title}" />\n'
        f'<meta property="og:url" content="{canonical}" />\n'
    )
    content = markup.content_html(
        article, body, malformed="malformed" in faults and article.id == plan.malformed,
        planted=plan.xss_vectors_for(article.id) if "xss" in faults else (),
    )
    updated = (f'<div class="news-updated">Cập nhật: {site_datetime(article.modified)}</div>\n'
               if article.modified else "")
    attachments = markup.attachments_html(body.attachments) + "\n" if body.attachments else ""
    others = "".join(f'<li><a href="{a.canonical_path}">{esc(a.display_title)}</a> '
                     f'<span class="date">({site_date(a.published)})</span></li>'
                     for a in site.other_news(article))
    left = (
        breadcrumb_html(article.category) + '<div class="news-detail">\n'
        f'<h1 class="news-title">{title}</h1>\n'
        f'<div class="news-date">{site_datetime(article.published)}</div>\n'
        + updated + markup.sapo_html(article)
        + f'<div class="news-content" id="news-content">\n{content}\n</div>\n' + attachments
        + f'<div class="news-tools"><a href="/in-tin/{article.id}" target="_blank">In tin bài</a>'
        f'<a href="javascript:void(0)" onclick="saveNews({article.id})">Lưu tin bài</a></div>\n'
        '</div>\n'
        f'<div class="other-news"><h3 class="box-title">CÁC TIN KHÁC</h3><ul>{others}</ul></div>\n'
    )
    charset_meta = UTF8_META
    if "cp1258" in faults and article.id == plan.cp1258:
        charset_meta = UTF8_META.replace("utf-8", "windows-1258")
    return page(site, f"{title} - {SITE_NAME}", left, head_meta=head_meta, charset_meta=charset_meta)


def render_article_html(site: SiteView, article_id: int | str, base_url: str,
                        faults: Iterable[str] = ()) -> str:
    """The article page by id (what the server sends for it, before any encoding fault)."""
    return article_page(site, site.article(article_id), base_url, frozenset(faults))


def redesign_article_page(site: SiteView, article: Article, base_url: str) -> str:
    """The article in a hypothetical new CMS (``redesign`` fault): none of the old layout's markup.

    Standard metadata only — canonical, og:*, JSON-LD NewsArticle, ``<time datetime>`` — and the
    text in an ``<article>``: what the generic extractor is for when the site changes its layout.
    """
    body = site.body(article)
    canonical = base_url.rstrip("/") + article.canonical_path
    title = esc(article.title)
    published = article.published.isoformat()
    json_ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                          "datePublished": published, "url": canonical,
                          "articleSection": CATEGORY_BY_SLUG[article.category].name}, ensure_ascii=False)
    paragraphs = "\n".join(f"<p>{esc(text)}</p>" for text in body.paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f'<title>{title} | {SITE_NAME}</title>\n<link rel="canonical" href="{canonical}">\n'
        f'<meta property="og:type" content="article">\n<meta property="og:title" content="{title}">\n'
        f'<meta property="og:url" content="{canonical}">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<script type="application/ld+json">{json_ld}</script>\n</head>\n<body>\n'
        f'<header class="site-header"><a href="/">{SITE_NAME}</a><nav>{MENU}</nav></header>\n'
        f'<main><article class="post">\n<h1 class="post-title">{title}</h1>\n'
        f'<time class="post-date" datetime="{published}">{site_datetime(article.published)}</time>\n'
        f'<div class="post-body">\n{paragraphs}\n</div>\n</article>\n'
        '<aside class="related"><h3>CÁC TIN KHÁC</h3></aside></main>\n'
        f'<footer>{FOOTER}</footer>\n</body>\n</html>\n'
    )


def print_page(site: SiteView, article: Article) -> str:
    body = site.body(article)
    return (
        DOCTYPE + UTF8_META + f"<title>{esc(article.display_title)}</title>\n" + HEAD_ASSETS
        + '</head>\n<body onload="window.print()">\n<div class="print">\n'
        f"<h1>{esc(article.display_title)}</h1>\n<p><i>{site_datetime(article.published)}</i></p>\n"
        + markup.content_html(article, body) + "\n</div>\n</body>\n</html>"
    )


# ---- static pages, errors ---------------------------------------------------------------------
def static_page(site: SiteView, path: str) -> str:
    heading, paragraphs = STATIC_PAGES[path]
    text = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    left = f'<div class="static-page"><h1>{heading}</h1>\n{text}</div>\n'
    return page(site, f"{heading} - {SITE_NAME}", left)


def not_found_page(site: SiteView, heading: str = "Không tìm thấy trang") -> str:
    left = f'<div class="static-page"><h1>{heading}</h1>\n<p>{NOT_FOUND_TEXT}</p></div>\n'
    return page(site, f"{heading} - {SITE_NAME}", left)


SERVER_ERROR_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Runtime Error</title></head><body>\n"
    "<h1>Server Error in '/' Application.</h1>\n<h2><i>Runtime Error</i></h2>\n"
    "<p>An application error occurred on the server.</p>\n</body></html>"
)


# ---- RSS --------------------------------------------------------------------------------------
def rss_feed(site: SiteView, category_slug: str, entries: Sequence[ListingEntry], base_url: str,
             *, doctype: str = "", channel_tail: str = "") -> str:
    """The latest :data:`RSS_SIZE` entries of a category, with absolute links; ``channel_tail``
    is markup after the last item (where the rss-bomb fault references its entity)."""
    base = base_url.rstrip("/")
    category = CATEGORY_BY_SLUG[category_slug]
    items = "".join(
        f"<item><title>{esc(e.title)}</title><link>{base}{e.path}</link><description>{esc(e.summary)}"
        f"</description><pubDate>{rfc822(e.published)}</pubDate><guid>{base}{e.path}</guid></item>"
        for e in entries[:RSS_SIZE]
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}<rss version="2.0"><channel>'
        f"<title>{category.name} - {SITE_NAME}</title><link>{base}{category.path}</link>"
        f"<description>Tin bài</description>{items}{channel_tail}</channel></rss>"
    )


ROBOTS_TXT = (
    "User-agent: *\nDisallow: /in-tin/\nDisallow: /Admin/\nDisallow: /Search/\nDisallow: /__replica__/\n"
)
