"""Style ``sharepoint``: an ASP.NET / SharePoint 2013 publishing portal.

URLs: listing ``/Pages/tin-tuc.aspx?CateID=N&Page=P``; article ``/Pages/chi-tiet.aspx?ItemID=1234``.
Dates "05-03-2024 08:15:00"; the body in ``div.ms-rtestate-field[itemprop=articleBody]``.

Traps: cookieless session ids — some links carry ``/(S(<24 chars>))/`` and every page served under
one writes all its links with it (the whole site again, per session); pages past the end answer
"Không có dữ liệu" but still show "Trang sau"; a sort link (``&Sort=asc``) doubles every listing; the
search page ``/Pages/tim-kiem.aspx?k=…&Page=N`` pages forever (results repeat) and is not disallowed;
the footer's relative link ``Pages/so-do-trang.aspx`` resolves to ``/Pages/Pages/…`` from any page
under ``/Pages/``, which IIS answers too — a path loop.
"""
from __future__ import annotations

import re

from dvarchive.replica.conditional import Headers
from dvarchive.replica.markup import esc
from dvarchive.replica.model import Article
from dvarchive.replica.portal import PortalStyle, StyleCategory, dmy, first_int, hm, items_html, token
from dvarchive.replica.reply import Reply

SITE = "Cổng thông tin điện tử Ban Dân vận Tỉnh ủy"
SESSION = re.compile(r"^/\(S\(([a-z0-9]{24})\)\)(/.*)$")


def sp_datetime(instant: object) -> str:
    """'05-03-2024 08:15:00'."""
    return f"{dmy(instant, '-')} {hm(instant)}:00"  # type: ignore[arg-type]


class SharePointStyle(PortalStyle):
    name = "sharepoint"
    page_size = 8
    categories = (
        StyleCategory("tin-hoat-dong", "1", "Tin hoạt động"),
        StyleCategory("dan-van-kheo", "2", "Dân vận khéo"),
        StyleCategory("nghien-cuu-trao-doi", "3", "Nghiên cứu trao đổi"),
        StyleCategory("guong-dien-hinh", "4", "Gương sáng dân vận"),
        StyleCategory("van-ban", "5", "Văn bản - Tài liệu"),
    )
    robots_txt = ("User-agent: *\nDisallow: /_layouts/\nDisallow: /_vti_bin/\nDisallow: /Pages/in-bai.aspx\n"
                  "Disallow: /__replica__/\n")

    def article_path(self, article: Article) -> str:
        return f"/Pages/chi-tiet.aspx?ItemID={article.id}"

    @staticmethod
    def listing_url(category: StyleCategory, page: int = 1, sort: str | None = None) -> str:
        url = f"/Pages/tin-tuc.aspx?CateID={category.slug}"
        url += f"&amp;Sort={sort}" if sort else ""
        return url + (f"&amp;Page={page}" if page > 1 else "")

    # ---- chrome ----------------------------------------------------------------------------------
    def page(self, title: str, content: str, session: str, head: str = "") -> str:
        menu = "".join(
            f'<li class="static"><a class="static menu-item ms-core-listMenu-item" href="{self.listing_url(c)}">'
            f'<span class="additional-background"><span class="menu-item-text">{esc(c.name)}</span></span></a></li>'
            for c in self.categories)
        newest = "".join(f'<li><a href="{self.article_path(a)}">{esc(a.display_title)}</a></li>'
                         for a in self.articles()[:5])
        html = (
            '<!DOCTYPE html>\n<html dir="ltr" lang="vi-VN">\n<head><meta http-equiv="X-UA-Compatible" content="IE=10" />'
            '<meta http-equiv="Content-type" content="text/html; charset=utf-8" />\n'
            f'<title>\n\t{title}\n</title>\n{head}'
            '<link rel="stylesheet" href="/_layouts/15/1066/styles/Themable/corev15.css" />\n'
            '</head>\n<body><form method="post" action="./" id="aspnetForm">'
            '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIBD2QW" />\n'
            '<div id="s4-workspace"><div id="s4-bodyContainer"><div class="header">'
            f'<a href="/"><img src="/PublishingImages/banner.jpg" alt="{SITE}" /></a>'
            '<div class="search"><input name="k" type="text" /><a href="/Pages/tim-kiem.aspx?k=d%C3%A2n+v%E1%BA%ADn">'
            'Tìm kiếm</a></div></div>\n'
            '<div id="DeltaTopNavigation"><div id="zz1_TopNavigationMenu" class="noindex ms-core-listMenu-horizontalBox">'
            '<ul id="zz2_RootAspMenu" class="root ms-core-listMenu-root static"><li class="static selected">'
            '<a class="static selected menu-item" href="/"><span class="menu-item-text">Trang chủ</span></a></li>'
            f'{menu}<li class="static"><a class="static menu-item" href="/Pages/lien-he.aspx">'
            '<span class="menu-item-text">Liên hệ</span></a></li></ul></div></div>\n'
            f'<div id="contentRow"><div id="contentBox">{content}</div>'
            f'<div id="sideNavBox"><div class="box"><div class="box-title">Tin mới</div><ul>{newest}</ul></div>'
            '<div class="box">Số lượt truy cập: 2.398.102</div></div></div>\n'
            '<div class="footer">Bản quyền thuộc Ban Dân vận Tỉnh ủy. Ghi rõ nguồn khi phát hành lại. '
            '<a href="/Documents/Apps/DanVan.apk">Ứng dụng Android</a> <a href="Pages/so-do-trang.aspx">Sơ đồ trang</a>'
            '</div></div></div></form></body></html>'
        )
        return with_session(html, session) if session else html

    # ---- pages -----------------------------------------------------------------------------------
    def linked(self, articles: list[Article]) -> str:
        """Listing items; every third one links through a cookieless session URL."""
        def path_of(a: Article) -> str:
            path = self.article_path(a)
            return f"/(S({session_id(str(a.id))}))" + path if a.id % 3 == 0 else path
        return items_html(articles, path_of, lambda a: sp_datetime(a.published), "news-item")

    def listing_page(self, category: StyleCategory, page: int, sort: str | None, session: str) -> str:
        items = self.listing(category)
        if sort == "asc":
            items = items[::-1]
        shown = self.page_of(items, page)
        last = self.last_page(items)
        body = self.linked(shown) if shown else '<div class="empty">Không có dữ liệu</div>'
        numbers = " ".join(f'<a href="{self.listing_url(category, n, sort)}">{n}</a>' if n != page else f"<span>{n}</span>"
                           for n in range(1, last + 1))
        pager = (f'<div class="paging">{numbers} <a href="{self.listing_url(category, page + 1, sort)}">Trang sau</a></div>')
        return self.page(category.name, (
            f'<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <span>{esc(category.name)}</span></div>'
            f'<div class="news-list"><h2>{esc(category.name)}</h2>'
            f'<div class="sort"><a href="{self.listing_url(category, 1, "asc")}">'
            f'Cũ nhất trước</a></div>{body}</div>{pager}'), session)

    def article_page(self, article: Article, base_url: str, session: str) -> str:
        category = self.category_of(article)
        canonical = base_url.rstrip("/") + self.article_path(article)
        sapo = f'<div class="summary"><b>{esc(article.subtitle)}</b></div>' if article.subtitle else ""
        content = (
            f'<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="{self.listing_url(category)}">'
            f'{esc(category.name)}</a></div><div class="article-detail">'
            f'<h1 class="title">{esc(article.display_title)}</h1><div class="date">{sp_datetime(article.published)}</div>'
            f'{sapo}<div class="ms-rtestate-field" itemprop="articleBody">\n{self.body_html(article)}\n</div>'
            f'{self.attachments_html(article)}<div class="tools"><a href="/Pages/in-bai.aspx?ItemID={article.id}">In bài</a>'
            '</div></div>'
        )
        return self.page(esc(article.display_title), content, session, f'<link rel="canonical" href="{canonical}" />\n')

    def search_page(self, page: int, session: str) -> str:
        found = self.articles()
        start = ((page - 1) * self.page_size) % max(1, len(found))      # results wrap around: never ends
        shown = (found + found)[start:start + self.page_size]
        return self.page("Tìm kiếm", (
            f'<h2>Kết quả tìm kiếm</h2>{self.linked(shown)}'
            f'<div class="paging"><a href="/Pages/tim-kiem.aspx?k=d%C3%A2n+v%E1%BA%ADn&amp;Page={page + 1}">Trang sau</a></div>'),
            session)

    def route(self, path: str, query: dict[str, list[str]], base_url: str, headers: Headers) -> Reply | None:
        session = ""
        if match := SESSION.match(path):
            session, path = match[1], match[2]
        if path in ("/", "/Pages/default.aspx"):
            hot = self.linked(self.articles()[:6])
            return self.html(self.page("Trang chủ", f'<div class="hot-news"><h2>Tin nổi bật</h2>{hot}</div>', session))
        if path.endswith("/Pages/so-do-trang.aspx"):       # IIS answers any depth: a relative link loops
            sitemap = "".join(f'<li><a href="{self.listing_url(c)}">{esc(c.name)}</a></li>' for c in self.categories)
            return self.html(self.page("Sơ đồ trang", f"<h2>Sơ đồ trang</h2><ul>{sitemap}</ul>", session))
        if path == "/Pages/lien-he.aspx":
            return self.html(self.page("Liên hệ", "<h2>Liên hệ</h2><p>Điện thoại: 0236.3822.xxx</p>", session))
        if path == "/Pages/tin-tuc.aspx":
            category = self.by_slug.get(query.get("CateID", [""])[0])
            if category is not None:
                sort = query.get("Sort", [None])[0]
                return self.html(self.listing_page(category, first_int(query, "Page"), sort, session))
        if path == "/Pages/chi-tiet.aspx":
            article = self.lookup(query.get("ItemID", [""])[0])
            if article is not None:
                return self.article_reply(article, headers, lambda: self.article_page(article, base_url, session))
        if path == "/Pages/tim-kiem.aspx":
            return self.html(self.search_page(first_int(query, "Page"), session))
        return None

    def is_trap(self, target: str) -> bool:
        if target.startswith("/(S(") or "tim-kiem" in target or "Sort=" in target or "/Pages/Pages/" in target:
            return True
        if target.startswith("/Pages/tin-tuc.aspx?") and "Page=" in target:
            cate = re.search(r"CateID=(\d+)", target)
            page = re.search(r"Page=(\d+)", target)
            category = self.by_slug.get(cate[1]) if cate else None
            return bool(category and page and int(page[1]) > self.last_page(self.listing(category)))
        return False


def session_id(seed: str) -> str:
    return token("session" + seed, 24).lower()


def with_session(html: str, session: str) -> str:
    """Every root-relative link of the page under the session prefix, as cookieless ASP.NET writes it."""
    return re.sub(r'href="/(?!\(S\()', f'href="/(S({session}))/', html)
