"""The generic extractor's headline block (issue 12): table tests of its pure rules, and small
pages of our own design for each rule (the real pages are measured by the real-page gate)."""
from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import pytest

from dvarchive.normalize.dates import VIETNAM_TZ, is_ambiguous_numeric_date
from dvarchive.pages import extract_record
from dvarchive.pages.base import parse_html
from dvarchive.pages.headline import foreign_date_text, is_person_name, page_zone, parse_shown_date, split_names

PROSE = "".join(f"<p>Paragraph {i} of the article, with enough words, commas, and text to be prose.</p>"
                for i in range(1, 5))


@pytest.mark.parametrize("text, rewritten", [
    ("19.2.2020 klo 14.00", "19.2.2020 14:00"),
    ("Stand: 07.11.2023, 07:30 Uhr", "07.11.2023, 07:30"),
    ("08. Februar 2022", "08 February 2022"),
    ("18 février 2020", "18 February 2020"),
    ("Feb. 19, 2020 4 AM", "Feb 19, 2020 4:00 AM"),
    ("2020年01月02日 17:11", "2020-01-02 17:11"),
    ("November 8, 2023 at 4:56 p.m.", "November 8, 2023 4:56 p.m."),
])
def test_foreign_date_text(text: str, rewritten: str) -> None:
    assert foreign_date_text(text) == rewritten


@pytest.mark.parametrize("text, ambiguous", [
    ("11/01/2023", True), ("01/11/2023 12:43", True), ("13/01/2023", False), ("01/01/2023", False),
    ("11.01.2023", False), ("2023-11-01", False), ("ngày 5/3/2026", True),
])
def test_ambiguous_slashed_dates(text: str, ambiguous: bool) -> None:
    assert is_ambiguous_numeric_date(text) is ambiguous


def test_an_ambiguous_date_is_read_day_first_only_on_a_vietnamese_page() -> None:
    cet = timezone(timedelta(hours=1))
    assert parse_shown_date("11/01/2023", zone=VIETNAM_TZ, vietnamese=True, now=None).month == 1
    assert parse_shown_date("11/01/2023", zone=cet, vietnamese=False, now=None) is None
    assert parse_shown_date("13/01/2023", zone=cet, vietnamese=False, now=None).day == 13


@pytest.mark.parametrize("html, url, hours", [
    ('<html lang="vi"><body></body></html>', "https://x.com/a", 7),
    ('<html lang="fr-CA"><body></body></html>', "https://x.com/a", -5),
    ('<html lang="de"><body></body></html>', "https://x.ch/a", 1),
    ('<html><body></body></html>', "https://yle.fi/a", 2),
    ('<html><body><h1>益阳：数字是优长</h1></body></html>', "http://x.org/a", 8),
    ('<html><body></body></html>', "https://x.example/a", 7),
])
def test_page_zone_without_metadata(html: str, url: str, hours: float) -> None:
    assert page_zone(parse_html(html), url, []).utcoffset(None) == timedelta(hours=hours)


def test_page_zone_from_a_metadata_offset_but_not_from_utc() -> None:
    root = parse_html('<html lang="en-US"><body></body></html>')
    assert page_zone(root, "https://x.com/a", ["2020-01-08T15:51:16+02:00"]).utcoffset(None) == timedelta(hours=2)
    assert page_zone(root, "https://x.com/a", ["2020-01-08T13:51:16Z"]).utcoffset(None) == timedelta(hours=-5)


@pytest.mark.parametrize("text, names", [
    ("By Jessica Holly and Gail Levy", ["Jessica Holly", "Gail Levy"]),
    ("Von Benjamin Fischer und Marcus Theurer", ["Benjamin Fischer", "Marcus Theurer"]),
    ("NHẬT XUÂN, NGHI VŨ", ["NHẬT XUÂN", "NGHI VŨ"]),
    ("Theo Hồ Hương", ["Hồ Hương"]),
    ("Hà Thu (tổng hợp)", ["Hà Thu"]),
    ("Staff Writer", []),
    ("baochinhphu.vn", []),
    ("责任编辑：孔德明", []),
    ("By", []),
])
def test_split_names(text: str, names: list[str]) -> None:
    assert split_names(text) == names


@pytest.mark.parametrize("text, name", [
    ("Evan Halper", True), ("史卫燕", True), ("Ban Dân vận Tỉnh ủy Quảng Ngãi", True),
    ("8 January 2020", False), ("share this article", False), ("nuno@esmateria.com", False),
])
def test_is_person_name(text: str, name: bool) -> None:
    assert is_person_name(text) is name


# --- pages of our own design -------------------------------------------------------------------
def record(body: str, *, head: str = "", lang: str = "en", url: str = "https://news.example.com/story/a-77.html",
           fetched_at: str = "2026-03-08T00:00:00+00:00") -> dict[str, Any]:
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>{body}"
            "<footer><p>Copyright 2026 Example News Corp. All rights reserved and more words here.</p></footer>"
            "</body></html>")
    return extract_record(url, html.encode("utf-8"), site="news", fetched_at=fetched_at)


def test_visible_headline_beats_metadata_and_site_suffix() -> None:
    rec = record(f'<article><h1>The headline readers see</h1><p class="byline">By Ann Lee</p>{PROSE}</article>',
                 head='<title>SEO title | Example News</title><meta property="og:title" content="Social title">'
                      '<meta property="og:type" content="article">')
    assert rec["title"] == "The headline readers see"
    assert rec["author"] == "Ann Lee"


def test_site_suffix_is_removed_when_there_is_no_headline() -> None:
    rec = record(f"<article><div>{PROSE}</div></article>",
                 head='<meta property="og:type" content="article"><meta property="og:site_name" content="Example News">'
                      '<title>Council approves the budget - Example News</title>')
    assert rec["title"] == "Council approves the budget"


def test_publisher_in_metadata_is_no_byline() -> None:
    rec = record(f"<article><h1>Council approves the budget</h1>{PROSE}</article>",
                 head='<meta property="og:type" content="article"><meta property="og:site_name" content="Example News">'
                      '<meta name="author" content="Example News">'
                      '<script type="application/ld+json">{"@type":"NewsArticle","author":'
                      '{"@type":"Organization","name":"Example News"}}</script>')
    assert rec["author"] is None


def test_shown_date_with_time_in_the_sites_zone_and_no_guess_on_ambiguous_dates() -> None:
    shown = f'<article><h1>Council approves the budget</h1><span class="date">{{}}</span>{PROSE}</article>'
    head = '<meta property="og:type" content="article">'
    de = "https://zeitung.example.de/a-77.html"
    assert record(shown.format("07.11.2023, 07:30 Uhr"), head=head, lang="de", url=de)["published"] == \
        "2023-11-07T13:30:00+07:00"
    assert record(shown.format("11/01/2023"), head=head, lang="de", url=de)["published"] is None
    meta = head + '<meta property="article:published_time" content="2023-11-01T09:15:00+01:00">'
    assert record(shown.format("11/01/2023"), head=meta, lang="de", url=de)["published"] == "2023-11-01T15:15:00+07:00"
    vi = record(shown.format("11/01/2023 08:05"), head=head, lang="vi", url="https://bao.example.vn/a-77.html")
    assert vi["published"] == "2023-01-11T08:05:00+07:00"


def test_lead_is_the_standfirst_not_the_first_paragraph() -> None:
    rec = record('<article><h1>Council approves the budget</h1><p class="standfirst">The city will spend more '
                 f'on schools and less on roads next year.</p>{PROSE}</article>',
                 head='<meta property="og:type" content="article">')
    assert rec["subtitle"] == "The city will spend more on schools and less on roads next year."
    assert rec["body"].startswith("Paragraph 1 of the article")
    no_lead = record(f"<article><h1>Council approves the budget</h1>{PROSE}</article>",
                     head='<meta property="og:type" content="article">')
    assert no_lead["subtitle"] is None and no_lead["body"].startswith("Paragraph 1 of the article")


def test_body_keeps_prose_and_drops_related_cookie_share_comment_blocks() -> None:
    before = ('<div class="cookie-banner"><p>This website uses cookies to improve your experience, accept them.</p>'
              '</div><div class="share-tools"><p>Share this article on Facebook, Twitter, and by email to friends.</p>'
              '</div>')
    after = ('<aside class="related"><h3>Related</h3><p><a href="/b-1.html">Another story about the city council '
             'budget</a></p></aside><section id="comments"><p>Reader comment: I disagree with the council, '
             'strongly, and here is why.</p></section>')
    rec = record(f'<article><h1>Council approves the budget</h1>{before}<div class="story-body">{PROSE}'
                 f'<p><a href="/c-2.html">Read more: the mayor responds to the vote on the budget</a></p></div>'
                 f'{after}</article>', head='<meta property="og:type" content="article">')
    body = rec["body"]
    assert body.count("Paragraph") == 4
    for leaked in ("cookies", "Share this", "Another story", "Reader comment", "Read more", "Copyright"):
        assert leaked not in body, leaked


def test_a_kicker_inside_the_headline_is_left_out() -> None:
    rec = record(f"<article><h1><span>Local News |</span> Council approves the budget</h1>{PROSE}</article>",
                 head='<meta property="og:type" content="article">'
                      '<meta property="og:title" content="Council approves the budget">')
    assert rec["title"] == "Council approves the budget"


def test_any_url_gives_a_record() -> None:
    for url in ("https://news.example.com/2023/11/08/council-approves-budget/",
                "https://news.example.com/read.aspx?ItemID=4521&utm_source=x"):
        rec = record(f"<article><h1>Council approves the budget</h1>{PROSE}</article>",
                     head='<meta property="og:type" content="article">', url=url)
        assert rec["id"].startswith("news:")


@pytest.mark.parametrize("url", ["https://x.vn/tin-hoat-dong/", "https://x.vn/tin-hoat-dong/?trang=2"])
def test_a_dated_listing_without_metadata_is_no_article(url: str) -> None:
    """A headline, dated teasers with summaries: a category page of a sibling site, refused."""
    from dvarchive.pages import NotAnArticle

    items = "".join(f'<div class="item"><h3><a href="/tin/bai-{i}.html">Tiêu đề bài viết số {i} về dân vận</a></h3>'
                    f'<span class="date">0{i}/03/2026</span><p>Tóm tắt bài viết số {i}, nói về hoạt động của Ban '
                    f'Dân vận, có đủ chữ để thành một đoạn văn bản dài.</p></div>' for i in range(1, 9))
    html = f'<html lang="vi"><body><div class="main"><h1>Tin hoạt động</h1><div class="list">{items}</div></div></body></html>'
    with pytest.raises(NotAnArticle):
        extract_record(url, html.encode("utf-8"), site="x", fetched_at="2026-03-08T00:00:00Z")


VI_PROSE = "".join(f"<p>Đoạn {i} của bài viết, có đủ chữ, dấu phẩy, và nội dung để thành một đoạn văn bản dài.</p>"
                   for i in range(1, 5))


def test_wordpress_shape() -> None:
    html = (f'<html lang="en-US"><head><title>Council approves budget &#8211; Town Herald</title>'
            '<meta property="og:type" content="article"></head><body><header class="site-header"><h1 class="site-title">'
            '<a href="/">Town Herald</a></h1><nav><a href="/">Home</a></nav></header><main><article class="post hentry">'
            '<header class="entry-header"><h1 class="entry-title">Council approves budget</h1><div class="entry-meta">'
            '<span class="posted-on"><a href="/x"><time class="entry-date published" datetime="2024-05-02T09:30:00-04:00">'
            'May 2, 2024</time><time class="updated" datetime="2024-05-03T10:00:00-04:00">May 3, 2024</time></a></span>'
            '<span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/jane/">Jane Doe</a>'
            f'</span></span></div></header><div class="entry-content">{VI_PROSE}</div></article><div id="comments"><p>'
            'Leave a comment below, with your name and email address here please.</p></div></main></body></html>')
    rec = extract_record("https://townherald.example.com/2024/05/02/council-approves-budget/", html.encode("utf-8"),
                         site="x", fetched_at="2026-03-20T00:00:00Z")
    assert (rec["title"], rec["author"], rec["published"]) == ("Council approves budget", "Jane Doe",
                                                               "2024-05-02T20:30:00+07:00")
    assert rec["body"].count("Đoạn") == 4 and "comment" not in rec["body"]


def test_portal_without_metadata_or_h1() -> None:
    """A provincial portal: the headline is an h2 above the content, <title> names the portal."""
    html = ('<html><head><title>Cổng thông tin điện tử tỉnh</title></head><body><div id="menu"><a href="/">Trang chủ</a>'
            '</div><div class="news-detail"><h2 class="title">Hội nghị tổng kết công tác dân vận năm 2025</h2>'
            '<div class="date">Ngày đăng: 10/03/2026 08:15</div><div class="sapo"><b>Sáng 10/3, Ban Dân vận tổ chức hội '
            f'nghị tổng kết công tác năm 2025.</b></div><div class="content">{VI_PROSE}<p style="text-align:right">'
            '<b>Nguyễn Văn An</b></p></div></div><div class="other-news"><h3>Tin khác</h3><ul><li><a href="/a-1.html">'
            'Tin một rất dài để thử nghiệm liên kết khác</a></li></ul></div></body></html>')
    rec = extract_record("https://tinh.example.gov.vn/tin-tuc/hoi-nghi.aspx?ItemID=77", html.encode("utf-8"),
                         site="x", fetched_at="2026-03-20T00:00:00Z")
    assert rec["id"] == "x:77"
    assert rec["title"] == "Hội nghị tổng kết công tác dân vận năm 2025"
    assert rec["subtitle"] == "Sáng 10/3, Ban Dân vận tổ chức hội nghị tổng kết công tác năm 2025."
    assert rec["published"] == "2026-03-10T08:15:00+07:00"
    assert rec["author"] == "Nguyễn Văn An"
    assert rec["body"].count("Đoạn") == 4 and "Tin khác" not in rec["body"]


def test_old_table_portal_with_br_paragraphs() -> None:
    """An old ASP portal: table layout, no metadata, no heading tags, title/date in spans, a bold
    sapo, the body as text between <br>s, a right-aligned byline."""
    text = ("Chiều 27/12, Ban Dân vận Tỉnh ủy tổ chức hội nghị giao ban công tác dân vận quý IV năm 2017, triển "
            "khai nhiệm vụ năm 2018 với nhiều nội dung.")
    body = "<br><br>".join(text.replace("IV", q) for q in ("IV", "III", "II"))
    html = ('<html><head><title>Ban Dân vận tỉnh - Chi tiết tin</title></head><body><table width="100%"><tr>'
            '<td class="menu"><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a></td></tr><tr><td><table><tr>'
            '<td width="200" class="left"><a href="/a">Giới thiệu</a><br><a href="/b">Văn bản</a></td><td class="main">'
            '<span class="tieude">Hội nghị giao ban công tác dân vận quý IV năm 2017</span><br>'
            '<span class="ngay">(28/12/2017 09:21)</span><br><b>Sáng 27/12, Ban Dân vận tổ chức hội nghị giao ban '
            f'quý IV.</b><br><br>{body}<br><br><div align="right"><b>Trần Văn Bình</b></div></td></tr></table></td>'
            '</tr><tr><td class="footer">Bản quyền thuộc Ban Dân vận tỉnh</td></tr></table></body></html>')
    rec = extract_record("https://x.example.gov.vn/tin-tuc/chi-tiet.asp?id=123", html.encode("utf-8"), site="x",
                         fetched_at="2026-03-20T00:00:00Z")
    assert (rec["id"], rec["title"]) == ("x:123", "Hội nghị giao ban công tác dân vận quý IV năm 2017")
    assert (rec["subtitle"], rec["published"], rec["author"]) == (
        "Sáng 27/12, Ban Dân vận tổ chức hội nghị giao ban quý IV.", "2017-12-28T09:21:00+07:00", "Trần Văn Bình")
    assert rec["body"].split("\n\n") == [text.replace("IV", q) for q in ("IV", "III", "II")]


def test_labelled_byline_and_editor_credit() -> None:
    """A byline that says so in words ('半月谈记者 史卫燕', 'By; name; role' spans) is the author;
    a metadata author the page shows only as the editor ('责任编辑：孔德明') is not."""
    prose = "".join(f"<p>益阳第{i}段，数字农业、数字治理、数字社会，无一不在继续书写这座山乡之城的传奇故事。</p>"
                    for i in range(1, 5))
    html = ('<html><head><meta name="author" content="孔德明"></head><body><div class="detail">'
            '<h1>益阳：“数字”是优长</h1><div class="detail_tit_time">2020-01-02 17:11</div>'
            f'<p><strong>半月谈记者 史卫燕</strong></p>{prose}<div class="detail_author"><span>责任编辑：孔德明</span>'
            '</div></div></body></html>')
    rec = extract_record("http://www.example.org/jmcs/detail/20200102/100020003_1.html", html.encode("utf-8"),
                         site="x", fetched_at="2026-03-08T00:00:00Z")
    assert rec["author"] == "史卫燕"
    assert rec["published"] == "2020-01-02T16:11:00+07:00"   # 17:11 in China (+08:00)
    spans = (f'<article><h1>Council approves the budget</h1><div class="info"><span>By</span><span>Evan Halper</span>'
             f'<span>Staff Writer</span></div>{PROSE}</article>')
    assert record(spans, head='<meta property="og:type" content="article">')["author"] == "Evan Halper"
