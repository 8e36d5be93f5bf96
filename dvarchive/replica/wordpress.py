"""Style ``wordpress``: a WordPress news site (theme with ``article.post``, Yoast-like metadata).

URLs: category ``/category/<slug>/`` and ``/category/<slug>/page/N/``; post ``/<yyyy>/<mm>/<slug>/``;
``/?p=<id>`` shortlinks (301 to the post); ``/sitemap.xml`` (an index of ``post-sitemap.xml`` and
``category-sitemap.xml``, named in robots.txt); RSS at ``/feed/`` (``<link rel=alternate>``).
Dates: "Cập nhật: 08:15 ngày 05/03/2024" beside ``<time datetime>``.

Traps: the calendar widget's ``/?m=YYYYMM`` archive with previous/next month links forever, search
``/?s=…`` with its own pager, two comments per post with ``?replytocom=N`` links, a category's last
page whose ``rel=next`` points to itself, ``/page/N/`` past the end (404).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from dvarchive.replica.conditional import Headers
from dvarchive.replica.markup import esc
from dvarchive.replica.model import Article, rfc822
from dvarchive.replica.portal import PortalStyle, StyleCategory, dmy, hm, items_html
from dvarchive.replica.reply import Reply

SITE = "Ban Dân vận Tỉnh ủy"
XML = "application/xml; charset=utf-8"


class WordPressStyle(PortalStyle):
    name = "wordpress"
    page_size = 5
    categories = (
        StyleCategory("tin-hoat-dong", "tin-hoat-dong", "Tin hoạt động"),
        StyleCategory("dan-van-kheo", "dan-van-kheo", "Dân vận khéo"),
        StyleCategory("nghien-cuu-trao-doi", "nghien-cuu", "Nghiên cứu - Trao đổi"),
        StyleCategory("guong-dien-hinh", "guong-dien-hinh", "Gương điển hình"),
        StyleCategory("van-ban", "van-ban", "Văn bản"),
    )
    robots_txt = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\nDisallow: /__replica__/\n"

    def handle(self, target: str, base_url: str, headers: Headers) -> Reply | None:
        if target == "/robots.txt":
            sitemap = f"Sitemap: {base_url.rstrip('/')}/sitemap.xml\n"
            return Reply(200, (self.robots_txt + sitemap).encode(), "text/plain; charset=utf-8")
        return super().handle(target, base_url, headers)

    def article_path(self, article: Article) -> str:
        when = article.published
        return f"/{when.year}/{when.month:02d}/{self.slug(article)}/"

    @staticmethod
    def category_url(category: StyleCategory, page: int = 1) -> str:
        return f"/category/{category.slug}/" + (f"page/{page}/" if page > 1 else "")

    # ---- chrome ----------------------------------------------------------------------------------
    def page(self, title: str, content: str, head: str = "", body_class: str = "home") -> str:
        menu = "".join(f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
                       f'<a href="{self.category_url(c)}">{esc(c.name)}</a></li>' for c in self.categories)
        recent = "".join(f'<li><a href="{self.article_path(a)}">{esc(a.display_title)}</a></li>'
                         for a in self.articles()[:5])
        month = self.site.today
        return (
            '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="UTF-8">\n'
            f'<title>{title} &#8211; {SITE}</title>\n{head}'
            f'<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Dòng thông tin" href="/feed/" />\n'
            "<link rel='stylesheet' id='theme-css' href='/wp-content/themes/newsup/style.css?ver=6.4.3' media='all' />\n"
            f'</head>\n<body class="{body_class}">\n<div id="page" class="site">'
            f'<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">{SITE}</a></p>'
            '<nav id="site-navigation" class="main-navigation"><button class="menu-toggle">Menu</button>'
            f'<ul id="primary-menu" class="menu"><li class="menu-item"><a href="/">Trang chủ</a></li>{menu}'
            '<li class="menu-item"><a href="/gioi-thieu/">Giới thiệu</a></li></ul></nav></header>\n'
            f'<div id="content" class="site-content"><main id="primary" class="site-main">{content}</main>'
            '<aside id="secondary" class="widget-area"><section class="widget widget_search">'
            '<form role="search" method="get" action="/"><input type="search" name="s" /></form>'
            '<a href="/?s=d%C3%A2n+v%E1%BA%ADn">Tìm: dân vận</a></section>'
            f'<section class="widget widget_recent_entries"><h2 class="widget-title">Bài viết mới</h2><ul>{recent}</ul></section>'
            f'<section class="widget widget_calendar"><table id="wp-calendar"><caption>Tháng {month.month} {month.year}</caption>'
            f'<tfoot><tr><td id="prev"><a href="/?m={_month_key(month, -1)}">« Trước</a></td>'
            f'<td id="next"><a href="/?m={_month_key(month, 1)}">Sau »</a></td></tr></tfoot></table></section></aside></div>\n'
            '<footer id="colophon" class="site-footer"><div class="site-info">Ghi rõ nguồn khi phát hành lại thông tin. '
            'Vận hành bởi WordPress. <a href="/wp-content/uploads/app/danvan.apk">Tải app</a></div></footer></div>\n'
            '</body>\n</html>'
        )

    def summaries(self, articles: list[Article]) -> str:
        return items_html(articles, self.article_path, lambda a: dmy(a.published), "post type-post")

    def archive(self, title: str, articles: list[Article], page: int, base: str, *, self_next: bool = False) -> str:
        last = self.last_page(articles)
        shown = self.page_of(articles, page)
        head = ""
        if page < last or self_next:
            head = f'<link rel="next" href="{base}page/{page + 1 if page < last else page}/" />\n'
        older = f'<div class="nav-previous"><a href="{base}page/{page + 1}/">Bài cũ hơn</a></div>' if page < last else ""
        numbers = " ".join(f'<a class="page-numbers" href="{base}page/{n}/">{n}</a>' if n != page
                           else f'<span aria-current="page" class="page-numbers current">{n}</span>'
                           for n in range(1, last + 1))
        content = (f'<header class="page-header"><h1 class="page-title">{esc(title)}</h1></header>{self.summaries(shown)}'
                   f'<nav class="navigation posts-navigation">{older}<div class="nav-links">{numbers}</div></nav>')
        return self.page(title, content, head, "archive category")

    def post(self, article: Article, base_url: str) -> str:
        category = self.category_of(article)
        canonical = base_url.rstrip("/") + self.article_path(article)
        when = article.published
        sapo = f'<p class="post-excerpt"><strong>{esc(article.subtitle)}</strong></p>' if article.subtitle else ""
        comments = "".join(
            f'<li class="comment" id="comment-{article.id * 10 + k}"><div class="comment-content"><p>Bài viết rất hay, '
            f'cảm ơn tác giả.</p></div><a rel="nofollow" class="comment-reply-link" href="{self.article_path(article)}'
            f'?replytocom={article.id * 10 + k}#respond">Trả lời</a></li>' for k in (1, 2))
        content = (
            f'<nav class="breadcrumbs" aria-label="breadcrumb"><a href="/">Trang chủ</a> » '
            f'<a href="{self.category_url(category)}">{esc(category.name)}</a> » <span>{esc(article.display_title)}</span></nav>'
            f'<article id="post-{article.id}" class="post type-post status-publish"><header class="entry-header">'
            f'<h1 class="entry-title">{esc(article.display_title)}</h1><div class="entry-meta"><span class="posted-on">'
            f'Cập nhật: {hm(when)} ngày {dmy(when)} <time class="entry-date published" datetime="{when.isoformat()}"></time>'
            f'</span> <span class="cat-links"><a href="{self.category_url(category)}" rel="category tag">{esc(category.name)}</a>'
            f'</span></div></header>{sapo}<div class="entry-content">\n{self.body_html(article)}\n</div>'
            f'{self.attachments_html(article)}</article><div id="comments" class="comments-area"><h2>2 bình luận</h2>'
            f'<ol class="comment-list">{comments}</ol></div>'
        )
        head = (f'<link rel="canonical" href="{canonical}" />\n'
                f'<link rel="shortlink" href="{base_url.rstrip("/")}/?p={article.id}" />\n'
                '<meta property="og:type" content="article" />\n'
                f'<meta property="og:title" content="{esc(article.display_title)}" />\n')
        return self.page(esc(article.display_title), content, head, "post-template-default single single-post")

    # ---- feeds, sitemaps ---------------------------------------------------------------------------
    def feed(self, base_url: str) -> str:
        base = base_url.rstrip("/")
        items = "".join(f"<item><title>{esc(a.title)}</title><link>{base}{self.article_path(a)}</link>"
                        f"<pubDate>{rfc822(a.published)}</pubDate><guid isPermaLink=\"false\">{base}/?p={a.id}</guid></item>"
                        for a in self.articles()[:10])
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{SITE}</title>'
                f"<link>{base}/</link>{items}</channel></rss>")

    def sitemap(self, name: str, base_url: str) -> str | None:
        base = base_url.rstrip("/")
        head = '<?xml version="1.0" encoding="UTF-8"?>'
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        if name == "sitemap.xml":
            maps = "".join(f"<sitemap><loc>{base}/{n}</loc></sitemap>" for n in ("post-sitemap.xml", "category-sitemap.xml"))
            return f"{head}<sitemapindex {ns}>{maps}</sitemapindex>"
        if name == "post-sitemap.xml":
            urls = [(self.article_path(a), a.published.isoformat()) for a in self.articles()]
        elif name == "category-sitemap.xml":
            urls = [(self.category_url(c), "") for c in self.categories]
        else:
            return None
        return head + f"<urlset {ns}>" + "".join(
            f"<url><loc>{base}{path}</loc>" + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</url>"
            for path, mod in urls) + "</urlset>"

    # ---- dispatch --------------------------------------------------------------------------------
    def route(self, path: str, query: dict[str, list[str]], base_url: str, headers: Headers) -> Reply | None:
        if path == "/" and "p" in query:
            article = self.lookup(query["p"][0])
            return self.redirect(self.article_path(article)) if article else None
        if path == "/" and "m" in query:
            return self.html(self.month_archive(query["m"][0]))
        if path in ("/", "/page/1/") and "s" in query or path.startswith("/page/") and "s" in query:
            page = int(path.strip("/").split("/")[-1]) if path.startswith("/page/") else 1
            found = self.archive("Kết quả tìm kiếm", self.articles() * 50, page, "/")
            return self.html(re.sub(r'page/(\d+)/"', r'page/\1/?s=d%C3%A2n+v%E1%BA%ADn"', found))
        if path == "/" or path.startswith("/page/"):
            return self._paged(self.articles(), "Trang chủ", "/", path[len("/"):])
        if path == "/gioi-thieu/":
            return self.html(self.page("Giới thiệu", '<article class="page"><h1>Giới thiệu</h1><p>Ban Dân vận.</p></article>'))
        if path == "/feed/":
            return Reply(200, self.feed(base_url).encode(), "application/rss+xml; charset=UTF-8")
        if (sitemap := self.sitemap(path.lstrip("/"), base_url)) is not None:
            return Reply(200, sitemap.encode(), XML)
        if path.startswith("/category/"):
            parts = path.split("/")
            category = self.by_slug.get(parts[2]) if len(parts) > 2 else None
            if category is not None:
                return self._paged(self.listing(category), category.name, self.category_url(category),
                                   path[len(self.category_url(category)):], self_next=True)
        return self._post(path, base_url, headers)

    def _paged(self, articles: list[Article], title: str, base: str, rest: str, *, self_next: bool = False) -> Reply | None:
        page = 1
        if rest:
            bits = rest.strip("/").split("/")
            if len(bits) != 2 or bits[0] != "page" or not bits[1].isdigit():
                return None
            page = int(bits[1])
        if page > self.last_page(articles):
            return None                          # WordPress: 404 past the end
        return self.html(self.archive(title, articles, page, base, self_next=self_next))

    def _post(self, path: str, base_url: str, headers: Headers) -> Reply | None:
        article = self.by_path().get(path)
        return self.article_reply(article, headers, lambda: self.post(article, base_url)) if article else None

    def month_archive(self, key: str) -> str:
        try:
            month = date(int(key[:4]), int(key[4:6]), 1)
        except ValueError:
            month = self.site.today
        found = [a for a in self.articles() if (a.published.year, a.published.month) == (month.year, month.month)]
        content = (f'<h1 class="page-title">Tháng {month.month} {month.year}</h1>{self.summaries(found)}'
                   f'<a href="/?m={_month_key(month, -1)}">« Tháng trước</a> '
                   f'<a href="/?m={_month_key(month, 1)}">Tháng sau »</a>')
        return self.page(f"Tháng {month.month} {month.year}", content, body_class="archive date")

    def is_trap(self, target: str) -> bool:
        if any(m in target for m in ("?m=", "?s=", "&s=", "replytocom", "?p=")):
            return True
        path = target.split("?", 1)[0]
        if "/page/" in path:
            base, _, number = path.rstrip("/").rpartition("/page/")
            articles: list[Any] = self.articles()
            if base.startswith("/category/"):
                category = self.by_slug.get(base.split("/")[2])
                articles = self.listing(category) if category else []
            return not number.isdigit() or int(number) > self.last_page(articles)
        return False


def _month_key(day: date, delta: int) -> str:
    index = day.year * 12 + day.month - 1 + delta
    return f"{index // 12}{index % 12 + 1:02d}"
