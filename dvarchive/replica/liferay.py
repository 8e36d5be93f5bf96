"""Style ``liferay``: a VNPT Liferay portal (``/web/guest/…``, asset publisher portlets).

URLs: listing ``/web/guest/<category>``, page N ``?p_p_id=101_INSTANCE_<id>&p_p_lifecycle=0&…
&_101_INSTANCE_<id>_cur=N``; article ``/web/guest/-/asset_publisher/<id>/content/<slug>`` —
listings link it with ``?redirect=<listing URL>&inheritRedirect=true`` (same page, canonical
without the query). Dates "Thứ hai, 05/03/2024 - 08:15".

Traps: ``_cur`` past the last page answers the last page again (Liferay clamps it), sort links
(``_orderByCol=``), the work calendar ``/web/guest/lich-cong-tac?_calendar_date=YYYY-MM-DD`` with
endless previous/next days, the search portlet ``/web/guest/tim-kiem`` (robots-disallowed).
"""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

from dvarchive.replica.conditional import Headers
from dvarchive.replica.markup import esc
from dvarchive.replica.model import Article
from dvarchive.replica.portal import (
    WEEKDAYS,
    PortalStyle,
    StyleCategory,
    dmy,
    first_int,
    items_html,
    token,
    weekday_datetime,
)
from dvarchive.replica.reply import Reply

SITE = "Ban Dân vận Tỉnh ủy - Cổng thông tin điện tử"
PARENT = ("tin-tuc-su-kien", "Tin tức - Sự kiện")
PARENT_CATEGORY = StyleCategory("", *PARENT)   # lists the news of its four child pages


class LiferayStyle(PortalStyle):
    name = "liferay"
    page_size = 6
    categories = (
        StyleCategory("tin-hoat-dong", "tin-hoat-dong", "Tin hoạt động"),
        StyleCategory("dan-van-kheo", "dan-van-kheo", "Dân vận khéo"),
        StyleCategory("nghien-cuu-trao-doi", "nghien-cuu-trao-doi", "Nghiên cứu - Trao đổi"),
        StyleCategory("guong-dien-hinh", "guong-dien-hinh", "Gương điển hình"),
        StyleCategory("van-ban", "van-ban-chi-dao", "Văn bản chỉ đạo"),
    )
    robots_txt = ("User-agent: *\nDisallow: /web/guest/tim-kiem\nDisallow: /c/\nDisallow: /group/\n"
                  "Disallow: /__replica__/\n")

    @staticmethod
    def portlet(slug: str) -> str:
        return f"101_INSTANCE_{token(slug)}"

    def article_path(self, article: Article) -> str:
        return f"/web/guest/-/asset_publisher/{token(self.category_of(article).slug)}/content/{self.slug(article)}"

    def listing_url(self, category: StyleCategory, page: int, order: str | None = None) -> str:
        if page == 1 and order is None:
            return f"/web/guest/{category.slug}"
        pid = self.portlet(category.slug)
        extra = f"&_{pid}_orderByCol={order}" if order else ""
        return (f"/web/guest/{category.slug}?p_p_id={pid}&amp;p_p_lifecycle=0&amp;p_p_state=normal&amp;"
                f"p_p_mode=view&amp;p_p_col_id=column-1&amp;p_p_col_count=1&amp;_{pid}_delta={self.page_size}"
                f"{extra.replace('&', '&amp;')}&amp;_{pid}_cur={page}")

    # ---- chrome ----------------------------------------------------------------------------------
    def menu(self) -> str:
        children = "".join(f'<li class="lfr-nav-item" role="presentation"><a href="/web/guest/{c.slug}" '
                           f'role="menuitem"><span>{esc(c.name)}</span></a></li>' for c in self.categories[:4])
        last = self.categories[4]
        return (
            '<nav class="sort-pages modify-pages" id="navigation" role="navigation">'
            '<ul aria-label="Các trang" role="menubar">'
            '<li class="lfr-nav-item selected"><a href="/web/guest/home" role="menuitem"><span>Trang chủ</span></a></li>'
            '<li class="lfr-nav-item"><a href="/web/guest/gioi-thieu" role="menuitem"><span>Giới thiệu</span></a></li>'
            f'<li class="lfr-nav-item dropdown"><a href="/web/guest/{PARENT[0]}" role="menuitem" aria-haspopup="true">'
            f'<span>{PARENT[1]}</span></a><ul class="child-menu dropdown-menu" role="menu">{children}</ul></li>'
            f'<li class="lfr-nav-item"><a href="/web/guest/{last.slug}" role="menuitem"><span>{esc(last.name)}</span></a></li>'
            '<li class="lfr-nav-item"><a href="/web/guest/lich-cong-tac" role="menuitem"><span>Lịch công tác</span></a></li>'
            '</ul></nav>'
        )

    def page(self, title: str, content: str, head: str = "") -> str:
        today = self.site.today
        return (
            '<!DOCTYPE html>\n<html class="ltr" dir="ltr" lang="vi-VN">\n<head>\n<meta charset="utf-8" />\n'
            f'<title>{title} - {SITE}</title>\n{head}'
            '<link href="/o/vnpt-theme/css/main.css" rel="stylesheet" type="text/css" />\n</head>\n'
            '<body class="controls-visible yui3-skin-sam guest-site signed-out public-page site">\n'
            '<div id="wrapper"><header id="banner" role="banner"><div class="top-header">'
            f'<span class="today">{weekday_datetime_today(today)}</span>'
            '<form action="/web/guest/tim-kiem" method="get"><input name="_3_keywords" type="text" />'
            '<button type="submit">Tìm kiếm</button></form></div>'
            f'<a class="logo" href="/web/guest/home"><img alt="{SITE}" src="/o/vnpt-theme/images/logo.png" /></a>'
            f'{self.menu()}</header>\n<section id="content"><div class="columns-2" id="main-content" role="main">'
            f'<div class="portlet-layout row"><div class="col-md-8 portlet-column" id="column-1">{content}</div>'
            f'<div class="col-md-4 portlet-column" id="column-2">{self.sidebar()}</div></div></div></section>\n'
            '<footer id="footer" role="contentinfo"><p>Cơ quan chủ quản: Ban Dân vận Tỉnh ủy. Địa chỉ: 02 Trần Phú.</p>'
            '<p>Thiết kế bởi VNPT. Ghi rõ nguồn khi phát hành lại thông tin từ cổng thông tin này.</p>'
            '<p><a href="/documents/20182/app/danvan-mobile.apk">Tải ứng dụng di động</a></p></footer></div>\n'
            '</body>\n</html>'
        )

    def sidebar(self) -> str:
        newest = "".join(f'<li><a href="{self.article_path(a)}">{esc(a.display_title)}</a></li>'
                         for a in self.articles()[:4])
        day = self.site.today.isoformat()
        return (f'<div class="portlet-boundary"><h2 class="portlet-title">Tin mới nhất</h2><ul>{newest}</ul></div>'
                f'<div class="portlet-boundary calendar"><h2 class="portlet-title">Lịch công tác</h2>'
                f'<a href="/web/guest/lich-cong-tac?_calendar_date={day}">Xem lịch tuần này</a></div>')

    # ---- pages -----------------------------------------------------------------------------------
    def home(self) -> str:
        hot = items_html(self.articles()[:5], self.article_path, lambda a: dmy(a.published), "asset-abstract")
        return self.page("Trang chủ", f'<div class="portlet-boundary"><h2 class="portlet-title">Tin nổi bật</h2>{hot}</div>')

    def listing_page(self, category: StyleCategory, page: int, order: str | None) -> str:
        items = self.listing(category)
        if order == "title":
            items = sorted(items, key=lambda a: a.slug)
        last = self.last_page(items)
        shown = self.page_of(items, min(page, last))           # Liferay clamps _cur
        here = self.listing_url(category, page, order).replace("&amp;", "&")
        def path_of(article: Article) -> str:
            return f"{self.article_path(article)}?redirect={quote(here, safe='')}&amp;inheritRedirect=true"

        body = items_html(shown, path_of, lambda a: dmy(a.published), "asset-abstract")
        pager = "".join(f'<li class="{"active" if n == page else ""}">'
                        f'<a href="{self.listing_url(category, n, order)}">{n}</a></li>' for n in range(1, last + 1))
        if page < last:
            pager += f'<li><a href="{self.listing_url(category, page + 1, order)}">Tiếp »</a></li>'
        return self.page(category.name, (
            '<ul class="breadcrumb"><li><a href="/web/guest/home">Trang chủ</a></li>'
            f'<li class="active">{esc(category.name)}</li></ul>'
            f'<div class="portlet-asset-publisher"><h2 class="portlet-title">{esc(category.name)}</h2>'
            f'<div class="sort">Sắp xếp: <a href="{self.listing_url(category, 1, "title")}">Theo tên</a></div>'
            f'{body}<div class="lfr-pagination"><ul class="pagination">{pager}</ul></div></div>'))

    def article_page(self, article: Article, base_url: str) -> str:
        category = self.category_of(article)
        canonical = base_url.rstrip("/") + self.article_path(article)
        sapo = f'<div class="asset-summary"><strong>{esc(article.subtitle)}</strong></div>' if article.subtitle else ""
        content = (
            f'<ul class="breadcrumb"><li><a href="/web/guest/home">Trang chủ</a></li>'
            f'<li><a href="/web/guest/{category.slug}">{esc(category.name)}</a></li></ul>'
            f'<div class="asset-full-content"><h3 class="header-title"><span>{esc(article.display_title)}</span></h3>'
            f'<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">'
            f'{weekday_datetime(article.published)}</span></div>{sapo}'
            f'<div class="journal-content-article">\n{self.body_html(article)}\n</div>{self.attachments_html(article)}'
            '<div class="taglib-social-bookmarks"><a href="https://www.facebook.com/sharer.php">Chia sẻ</a></div></div>'
        )
        head = (f'<link href="{canonical}" rel="canonical" />\n<meta content="article" property="og:type" />\n'
                f'<meta content="{esc(article.display_title)}" property="og:title" />\n')
        return self.page(esc(article.display_title), content, head)

    def calendar(self, day: date) -> str:
        prev_day, next_day = day - timedelta(days=1), day + timedelta(days=1)
        return self.page("Lịch công tác", (
            f'<h2 class="portlet-title">Lịch công tác ngày {dmy(day)}</h2><p>Không có lịch công tác.</p>'
            f'<a href="/web/guest/lich-cong-tac?_calendar_date={prev_day.isoformat()}">« Ngày trước</a> '
            f'<a href="/web/guest/lich-cong-tac?_calendar_date={next_day.isoformat()}">Ngày sau »</a>'))

    def route(self, path: str, query: dict[str, list[str]], base_url: str, headers: Headers) -> Reply | None:
        if path in ("/", "/web/guest", "/web/guest/"):
            return self.redirect("/web/guest/home", 302)
        if path == "/web/guest/home":
            return self.html(self.home())
        if path == "/web/guest/gioi-thieu":
            return self.html(self.page("Giới thiệu", "<h2>Giới thiệu</h2><p>Chức năng, nhiệm vụ của Ban Dân vận.</p>"))
        if path == "/web/guest/lich-cong-tac":
            try:
                day = date.fromisoformat(query.get("_calendar_date", [""])[0])
            except ValueError:
                day = self.site.today
            return self.html(self.calendar(day))
        slug = path.removeprefix("/web/guest/")
        category = PARENT_CATEGORY if slug == PARENT[0] else self.by_slug.get(slug)
        if category is not None:
            pid = self.portlet(slug)
            order = query.get(f"_{pid}_orderByCol", [None])[0]
            return self.html(self.listing_page(category, first_int(query, f"_{pid}_cur"), order))
        if path.startswith("/web/guest/-/asset_publisher/"):
            if (article := self.by_path().get(path)) is not None:
                return self.article_reply(article, headers, lambda: self.article_page(article, base_url))
        return None

    def listing(self, category: StyleCategory) -> list[Article]:
        if category.key == "":                  # the parent page lists its four children's news
            keys = {c.key for c in self.categories[:4]}
            return [a for a in self.articles() if keys & set(a.categories)]
        return super().listing(category)

    def is_trap(self, target: str) -> bool:
        if any(marker in target for marker in ("redirect=", "orderByCol", "lich-cong-tac?", "tim-kiem")):
            return True
        for category in (*self.categories, PARENT_CATEGORY):
            pid = self.portlet(category.slug)
            if target.startswith(f"/web/guest/{category.slug}?") and f"_{pid}_cur=" in target:
                page = int(target.rsplit(f"_{pid}_cur=", 1)[1].split("&")[0] or 1)
                return page > self.last_page(self.listing(category))
        return False


def weekday_datetime_today(today: date) -> str:
    return f"{WEEKDAYS[today.weekday()]}, ngày {dmy(today)}"
