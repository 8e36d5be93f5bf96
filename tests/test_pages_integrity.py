"""Record integrity under hostile pages (issue 11): entities decoded exactly once, no script or
style source in any text field, no canonical off the site — for the home layout (danvan/v1) and
for the generic extractor, each attack written in many encodings."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dvarchive.pages import extract_record
from dvarchive.schema import validation_errors

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
HOST = "https://danvan.example.gov.vn"
URL = f"{HOST}/tin-hoat-dong/tam-quan-trong-cua-cong-tac-dan-van-chinh-quyen-trong-tinh-hinh-moi-1234.html"
TEMPLATE = (FIXTURES / "article-template.html").read_text(encoding="utf-8")
TITLE = "Tầm quan trọng của công tác dân vận chính quyền trong tình hình mới"
BODY = ("<p>Đoạn đầu tiên của bài viết có đủ chữ để là một đoạn văn, có dấu phẩy, và dài.</p>"
        "<p>Đoạn thứ hai {x} cũng có đủ chữ để là một đoạn văn bản dài của bài viết.</p>"
        "<p>Đoạn thứ ba, văn bản bình thường, có dấu phẩy, và thêm chữ cho đủ độ dài.</p>")

# (source text, what a reader sees): every form of "an entity written out as text".
ONCE = [
    ("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("&#38;lt;b&#38;gt;", "&lt;b&gt;"),
    ("&#x26;lt;i&#x26;gt;", "&lt;i&gt;"),
    ("&#X26;#7853;", "&#7853;"),
    ("&amp;amp; &amp;quot;q&amp;quot; &amp;nbsp;", "&amp; &quot;q&quot; &nbsp;"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
    ("&#60;img src=x onerror=alert(1)&#62;", "<img src=x onerror=alert(1)>"),
    ("V&#7853;n &#x111;&#x1ED9;ng", "Vận động"),
]
# Source text that must never reach a text field.
SOURCE = [
    "<script>var leaked='SCRIPTLEAK';</script>",
    "<script type='text/template'><b>SCRIPTLEAK</b></script>",
    "<style>.x{content:'SCRIPTLEAK'}</style>",
    "<noscript>SCRIPTLEAK</noscript>",
    "<template><p>SCRIPTLEAK</p></template>",
    "<STYLE type=text/css>SCRIPTLEAK{}</STYLE>",
]


def danvan(title: str = TITLE, sapo: str = "Tạo chuyển biến mạnh mẽ trong năm", body: str = BODY.format(x=""),
           canonical: str | None = None) -> dict[str, Any]:
    html = TEMPLATE.replace("{{CONTENT}}", body)
    html = html.replace(f'<h1 class="news-title">{TITLE}</h1>', f'<h1 class="news-title">{title}</h1>')
    start = html.index('<div class="news-sapo">')
    end = html.index("</div>", start)
    html = html[:start] + f'<div class="news-sapo">{sapo}' + html[end:]
    if canonical is not None:
        html = html.replace(f'<link rel="canonical" href="{URL}" />', f'<link rel="canonical" href="{canonical}" />')
    record = extract_record(URL, html.encode("utf-8"), site="danvan", fetched_at="2026-11-27T09:53:39Z")
    assert record["extractor"] == "danvan/v1"
    return record


def generic(title: str = "Tiêu đề bài viết về công tác dân vận", sapo: str = "Sapo của bài viết có đủ chữ để dài",
            body: str = BODY.format(x=""), caption: str = "Chú thích ảnh", ld_headline: str | None = None,
            canonical: str | None = None) -> dict[str, Any]:
    ld = (f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{ld_headline}"}}</script>'
          if ld_headline is not None else "")
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    html = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta property="og:type" content="article">'
            f'{ld}{link}</head><body><article><h1>{title}</h1><div class="date">08/12/2024 16:02</div>'
            f'<p class="sapo">{sapo}</p><div class="content">{body}'
            f'<figure><img src="/media/a.jpg"><figcaption>{caption}</figcaption></figure></div></article></body></html>')
    record = extract_record(f"{HOST}/tin-tuc/bai-viet-5512.html", html.encode("utf-8"), site="danvan",
                            fetched_at="2026-11-27T09:53:39Z")
    assert record["extractor"] == "generic/v1"
    return record


@pytest.mark.parametrize("source, shown", ONCE)
@pytest.mark.parametrize("layout", ["danvan", "generic"])
def test_entities_are_decoded_exactly_once(layout: str, source: str, shown: str) -> None:
    make = danvan if layout == "danvan" else generic
    title = make(title=f"Tiêu đề {source} của bài")["title"]
    assert title == f"Tiêu đề {shown} của bài"
    assert make(sapo=f"Sapo {source} của bài viết đủ dài")["subtitle"] == f"Sapo {shown} của bài viết đủ dài"
    body = make(body=BODY.format(x=source))["body"]
    assert f"Đoạn thứ hai {shown} cũng" in body


@pytest.mark.parametrize("source, shown", ONCE)
def test_generic_caption_and_json_ld_are_decoded_once(source: str, shown: str) -> None:
    record = generic(caption=f"Ảnh {source} minh họa")
    assert record["images"][0]["caption"] == f"Ảnh {shown} minh họa"
    # JSON-LD is script text (the parser decodes nothing in it): one decoding, as a browser shows
    # the same characters written in HTML. Used when the page shows no headline.
    ld = generic(title="", ld_headline=f"Tiêu đề {source} dài")
    assert ld["title"] == f"Tiêu đề {shown} dài"


@pytest.mark.parametrize("source", SOURCE)
@pytest.mark.parametrize("layout", ["danvan", "generic"])
def test_script_and_style_source_never_reaches_a_text_field(layout: str, source: str) -> None:
    make = danvan if layout == "danvan" else generic
    records = [make(title=f"Tiêu đề {source} bài viết"), make(sapo=f"Sapo của bài {source} viết đủ dài"),
               make(body=BODY.format(x=source))]
    if layout == "generic":
        records.append(generic(caption=f"Chú thích {source} ảnh"))
    for record in records:
        for field in ("title", "subtitle", "body", "author", "source", "category"):
            assert "SCRIPTLEAK" not in (record[field] or ""), (field, record[field])
        assert all("SCRIPTLEAK" not in (image["caption"] or "") for image in record["images"])
        assert "SCRIPTLEAK" not in (record["body_html"] or "")
        assert validation_errors(record) == []
    assert records[0]["title"] == "Tiêu đề bài viết"


@pytest.mark.parametrize("canonical", [
    "https://evil.example/tin-hoat-dong/x-9999.html",
    "https://danvan.example.gov.vn:8443/tin-hoat-dong/x-9999.html",
    "http://danvan.example.gov.vn/tin-hoat-dong/x-9999.html",
    "//evil.example/tin-hoat-dong/x-9999.html",
    "https://danvan.example.gov.vn.evil.example/x-9999.html",
])
@pytest.mark.parametrize("layout", ["danvan", "generic"])
def test_canonical_off_the_site_never_becomes_the_url(layout: str, canonical: str) -> None:
    record = danvan(canonical=canonical) if layout == "danvan" else generic(canonical=canonical)
    assert record["url"].startswith(f"{HOST}/")
    assert "9999" not in record["id"]


def test_canonical_on_the_site_still_wins() -> None:
    record = generic(canonical=f"{HOST}/tin-tuc/ban-chinh-5513.html")
    assert record["url"] == f"{HOST}/tin-tuc/ban-chinh-5513.html"
    assert record["id"] == "danvan:5513"


# --- relative dates are pinned to the fetch time (issue 12) -------------------------------------
@pytest.mark.parametrize("shown, fetched_at, published", [
    ("2 giờ trước", "2020-05-01T10:00:00+00:00", "2020-05-01T15:00:00+07:00"),
    ("Hôm qua, 14:30", "2020-05-01T10:00:00Z", "2020-04-30T14:30:00+07:00"),
    ("30 phút trước", "2019-12-31T17:10:00+00:00", "2019-12-31T23:40:00+07:00"),
])
@pytest.mark.parametrize("layout", ["danvan", "generic"])
def test_relative_dates_are_read_at_the_fetch_time(layout: str, shown: str, fetched_at: str, published: str) -> None:
    """The same bytes give the same ``published`` whenever they are (re-)extracted."""
    if layout == "danvan":
        html = TEMPLATE.replace("{{CONTENT}}", BODY.format(x=""))
        start = html.index('<div class="news-date">')
        end = html.index("</div>", start)
        html = html[:start] + f'<div class="news-date">{shown}' + html[end:]
        url = URL
    else:
        html = (f'<html lang="vi"><head><meta property="og:type" content="article"></head><body><article>'
                f'<h1>Tiêu đề bài viết về công tác dân vận</h1><div class="date">{shown}</div>'
                f'<div class="content">{BODY.format(x="")}</div></article></body></html>')
        url = f"{HOST}/tin-tuc/bai-viet-5512.html"
    record = extract_record(url, html.encode("utf-8"), site="danvan", fetched_at=fetched_at)
    assert record["published"] == published


# --- golden: one hostile page of our own design, every field ------------------------------------
def test_hostile_page_golden_record() -> None:
    """``hostile-generic.html`` carries every attack at once (double-escaped text in title, og,
    JSON-LD, sapo, body and caption; script/style/noscript/template inside them; hidden text; a
    javascript: link with handlers; an off-site-port canonical; cookie, share, related and footer
    blocks; the publisher as meta author): its record is exactly the reviewed golden file."""
    import json

    html = (FIXTURES / "hostile-generic.html").read_bytes()
    record = extract_record(f"{HOST}/tin-tuc/bai-viet-9999.html?utm_source=x", html, site="danvan",
                            fetched_at="2026-11-27T09:53:39Z")
    golden = json.loads((FIXTURES / "hostile-generic.expected.json").read_text(encoding="utf-8"))
    assert record == golden
    assert validation_errors(record) == []
    text = json.dumps({k: v for k, v in record.items() if k != "body_html"}, ensure_ascii=False)
    for leak in ("SCRIPTLEAK", "STYLELEAK", "NOSCRIPTLEAK", "TEMPLATELEAK", "HIDDENLEAK", "cookie", "Chia sẻ",
                 "Tin liên quan", "Bản quyền", "8443", "javascript"):
        assert leak not in text, leak


# --- an image a reader does not see is no image (issue 11) --------------------------------------
@pytest.mark.parametrize("hidden", [
    '<noscript><img src="/x.gif" alt="SCRIPTLEAK">SCRIPTLEAK</noscript>',
    '<template><img src="/x.gif"></template>',
    "<script>document.write('<img src=\"/x.gif\">')</script>",
    '<noscript><p><img src="/x.gif"></p></noscript>',
])
@pytest.mark.parametrize("frame", ["table", "figure"])
@pytest.mark.parametrize("layout", ["danvan", "generic"])
def test_an_image_inside_noscript_or_template_is_not_an_image(layout: str, frame: str, hidden: str) -> None:
    """An image table or figure counts only the images a reader sees: a hidden one neither adds
    an image nor takes the caption of the one shown."""
    if frame == "table":
        box = ('<table class="image-box"><tbody><tr><td><img src="/a.jpg" /></td></tr>'
               f'<tr><td class="image-caption"><em>Chú thích ảnh thật{hidden}</em></td></tr></tbody></table>')
    else:
        box = f'<figure><img src="/a.jpg">{hidden}<figcaption>Chú thích ảnh thật</figcaption></figure>'
    body = BODY.format(x="") + box + BODY.format(x="")
    record = danvan(body=body) if layout == "danvan" else generic(body=body)
    shown = [(image["url"].rsplit("/", 1)[1], image["caption"]) for image in record["images"]
             if not image["url"].endswith("/media/a.jpg")]  # (the generic page's own figure)
    assert shown == [("a.jpg", "Chú thích ảnh thật")]
