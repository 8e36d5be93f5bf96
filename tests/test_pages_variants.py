"""danvan/v1 on what varies inside div.news-content (shared/site/README.md, "What varies").

The fixtures in tests/fixtures/pages/ are article-1234's page (``article-template.html``, the
content replaced by ``{{CONTENT}}``) with the same three paragraphs of article-1234 written in
each paragraph style the site has used; every style must give the very same paragraphs.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from dvarchive.pages.chrome import find_chrome
from dvarchive.pages import extract_record
from dvarchive.schema import validation_errors
from helpers import CONTRACT

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
HOST = "https://danvan.example.gov.vn"
URL = f"{HOST}/tin-hoat-dong/tam-quan-trong-cua-cong-tac-dan-van-chinh-quyen-trong-tinh-hinh-moi-1234.html"
TEMPLATE = (FIXTURES / "article-template.html").read_text(encoding="utf-8")
STYLES = ("p", "nbsp", "divs", "br", "word", "entities", "nfd")


def expected_paragraphs() -> list[str]:
    body = json.loads((CONTRACT / "site" / "expected" / "article-1234.json").read_text(encoding="utf-8"))["body"]
    paragraphs = body.split("\n\n")
    return [paragraphs[0], paragraphs[1], paragraphs[5]]


def page(content: str, *, sapo: str | None = None, template: str = TEMPLATE) -> str:
    html = template.replace("{{CONTENT}}", content)
    if sapo is not None:
        start = html.index('<div class="news-sapo">')
        end = html.index("</div>", start) + len("</div>")
        html = html[:start] + sapo + html[end:]
    return html


def extract(content: str, **kwargs: Any) -> dict[str, Any]:
    return extract_record(URL, page(content, **kwargs).encode("utf-8"), site="danvan",
                          fetched_at="2026-11-27T09:53:39Z")


def paragraphs(record: dict[str, Any]) -> list[str]:
    return record["body"].split("\n\n")


# --- paragraph styles -------------------------------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_every_paragraph_style_gives_the_same_paragraphs(style: str) -> None:
    record = extract((FIXTURES / f"content-{style}.html").read_text(encoding="utf-8"))
    assert paragraphs(record) == expected_paragraphs()
    assert record["author"] == "Duy Nghi"
    assert validation_errors(record) == []
    assert find_chrome(record["body"]) == []


@pytest.mark.parametrize("style", STYLES)
def test_every_style_gives_the_same_hash(style: str) -> None:
    reference = extract((FIXTURES / "content-p.html").read_text(encoding="utf-8"))
    record = extract((FIXTURES / f"content-{style}.html").read_text(encoding="utf-8"))
    assert record["content_sha256"] == reference["content_sha256"]
    assert record["word_count"] == reference["word_count"]


def test_fixtures_really_are_in_their_style() -> None:
    nfd = (FIXTURES / "content-nfd.html").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", nfd)
    entities = (FIXTURES / "content-entities.html").read_text(encoding="utf-8")
    assert entities.isascii() and "&#7853;" in entities
    assert "MsoNormal" in (FIXTURES / "content-word.html").read_text(encoding="utf-8")


def test_single_br_is_a_space_double_br_a_paragraph() -> None:
    record = extract("<div>Dòng một<br />dòng hai<br/>\n<br/>Đoạn hai</div>")
    assert paragraphs(record) == ["Dòng một dòng hai", "Đoạn hai"]


def test_whitespace_inside_a_paragraph_is_collapsed_and_odd_spaces_folded() -> None:
    record = extract("<p>Một\u00a0\u00a0hai\u2003ba\u200b\tbốn\n\nnăm\u202fsáu</p>")
    assert paragraphs(record) == ["Một hai ba bốn năm sáu"]


def test_twice_escaped_entities_are_decoded_once() -> None:
    """Issue 11: a page showing the literal text '&#7853;' keeps it, as a browser shows it."""
    assert paragraphs(extract("<p>V&amp;#7853;n &amp;amp; động</p>")) == ["V&#7853;n &amp; động"]


def test_nfd_title_and_sapo_become_nfc() -> None:
    html = unicodedata.normalize("NFD", page("<p>Nội dung bài viết.</p>"))
    record = extract_record(URL, html.encode("utf-8"), site="danvan", fetched_at="2026-11-27T09:53:39Z")
    for field in ("title", "subtitle", "body", "category", "published_raw"):
        assert unicodedata.is_normalized("NFC", record[field]), field
    assert record["title"] == "Tầm quan trọng của công tác dân vận chính quyền trong tình hình mới"
    assert record["category"] == "Tin hoạt động"


def test_trailing_empty_paragraphs_are_dropped() -> None:
    record = extract("<p>Đoạn một.</p><p>&nbsp;</p><p> </p><div>&nbsp;<br/></div><p><span>&nbsp;</span></p>")
    assert record["body"] == "Đoạn một."


# --- encodings ----------------------------------------------------------------------------------
CP1258 = FIXTURES / "article-1234-cp1258.html"


@pytest.mark.parametrize("header", [None, "windows-1258", "cp1258", "utf-8"])
def test_cp1258_page_with_meta_charset(header: str | None) -> None:
    data = CP1258.read_bytes()
    assert b"charset=windows-1258" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    record = extract_record(URL, data, site="danvan", fetched_at="2026-11-27T09:53:39Z", encoding=header)
    assert paragraphs(record) == expected_paragraphs()
    assert record["title"] == "Tầm quan trọng của công tác dân vận chính quyền trong tình hình mới"
    assert record["category"] == "Tin hoạt động"
    assert record["author"] == "Duy Nghi"
    assert unicodedata.is_normalized("NFC", record["body"])


def test_str_input_and_utf8_bytes_agree() -> None:
    html = page((FIXTURES / "content-p.html").read_text(encoding="utf-8"))
    as_text = extract_record(URL, html, site="danvan", fetched_at="2026-11-27T09:53:39Z")
    as_bytes = extract_record(URL, html.encode("utf-8"), site="danvan", fetched_at="2026-11-27T09:53:39Z",
                              encoding="utf-8")
    assert as_text == as_bytes


# --- sapo ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("sapo, expected", [
    ('<div class="news-sapo"><strong>Lời dẫn in đậm.</strong></div>', "Lời dẫn in đậm."),
    ('<div class="news-sapo">  </div>', None),
    ('<div class="news-sapo"><strong>&nbsp;</strong></div>', None),
    ("", None),
])
def test_sapo_variants(sapo: str, expected: str | None) -> None:
    assert extract("<p>Nội dung.</p>", sapo=sapo)["subtitle"] == expected


def test_sapo_is_not_repeated_in_body() -> None:
    record = extract("<p><strong>Lời dẫn của bài.</strong></p><p>Nội dung.</p>",
                     sapo='<div class="news-sapo">Lời dẫn của bài.</div>')
    assert record["subtitle"] == "Lời dẫn của bài."
    assert record["body"] == "Nội dung."


# --- bylines and sources ------------------------------------------------------------------
@pytest.mark.parametrize("markup, author", [
    ('<p style="text-align: right;"><strong>Duy Nghi</strong></p>', "Duy Nghi"),
    ('<div style="text-align: right;"><b>Minh Châu</b></div>', "Minh Châu"),
    ('<p align="right"><em><strong>T.XUÂN - H.BIN</strong></em></p>', "T.XUÂN - H.BIN"),
    ('<p style="TEXT-ALIGN: right"><span><strong>Đ.ĐẠO</strong></span></p>', "Đ.ĐẠO"),
    ('<p style="text-align: right;">Phan Vinh</p>', "Phan Vinh"),
    ("<p><strong>Duy Nghi</strong></p>", "Duy Nghi"),
    ("<p>Tin, ảnh: Phan Vinh</p>", "Phan Vinh"),
    ("<p><em>Tin và ảnh: Phan Vinh</em></p>", "Phan Vinh"),
    ('<p style="text-align: right;"><strong>Bài, ảnh: Minh Châu</strong></p>', "Minh Châu"),
    ("<p>Bài và ảnh: Đ.ĐẠO</p>", "Đ.ĐẠO"),
    ('<p style="text-align: right;"><strong>Duy Nghi</strong></p><p>&nbsp;</p><p>&nbsp;</p>', "Duy Nghi"),
])
def test_byline_styles(markup: str, author: str) -> None:
    record = extract(f"<p>Đoạn một của bài viết.</p>{markup}")
    assert record["author"] == author
    assert record["body"] == "Đoạn một của bài viết."
    assert author not in (record["body_html"] or "")


@pytest.mark.parametrize("markup", [
    "<p>Đây là một câu kết bình thường của bài viết.</p>",   # prose, not a name
    "<p>Minh Châu</p>",                                     # a bare name needs a style
    '<p style="text-align: right;">Tam Kỳ, ngày 5 tháng 3 năm 2018</p>',
])
def test_not_a_byline(markup: str) -> None:
    record = extract(f"<p>Đoạn một.</p>{markup}")
    assert record["author"] is None
    assert len(paragraphs(record)) == 2


def test_photo_credit_is_not_the_author_and_leaves_the_body() -> None:
    record = extract('<p>Đoạn một.</p><p style="text-align: right;"><strong>Minh Châu</strong></p>'
                     "<p><em>Ảnh: Văn Sự</em></p>")
    assert record["author"] == "Minh Châu"
    assert record["body"] == "Đoạn một."
    record = extract("<p>Đoạn một.</p><p>Ảnh: Văn Sự</p>")
    assert record["author"] is None
    assert record["body"] == "Đoạn một."


@pytest.mark.parametrize("markup, source", [
    ('<p style="text-align: right;"><em>(Nguồn: Báo Quảng Nam)</em></p>', "Báo Quảng Nam"),
    ("<p><strong>Nguồn:</strong> Báo Quảng Nam</p>", "Báo Quảng Nam"),
    ("<p><em>Theo Báo Quảng Nam</em></p>", "Báo Quảng Nam"),
    ("<p>(Theo baoquangnam.vn)</p>", "baoquangnam.vn"),
])
def test_source_styles(markup: str, source: str) -> None:
    record = extract(f"<p>Đoạn một.</p>{markup}")
    assert record["source"] == source
    assert record["body"] == "Đoạn một."


def test_byline_and_source_together() -> None:
    record = extract('<p>Đoạn một.</p><p style="text-align: right;"><strong>Minh Châu</strong></p>'
                     '<p style="text-align: right;"><em>(Nguồn: Báo Quảng Nam)</em></p>')
    assert (record["author"], record["source"], record["body"]) == ("Minh Châu", "Báo Quảng Nam", "Đoạn một.")


def test_theo_prose_is_not_a_source() -> None:
    text = "Theo đó, mỗi hộ gia đình đăng ký thực hiện “ngày chủ nhật xanh”."
    record = extract(f"<p>Đoạn một.</p><p>{text}</p>")
    assert record["source"] is None
    assert paragraphs(record) == ["Đoạn một.", text]


# --- boxes and lines that are not article text ------------------------------------------
def test_related_news_box_is_removed() -> None:
    record = extract(
        "<p>Đoạn một.</p>"
        '<div class="tin-lien-quan"><p><strong>Tin liên quan:</strong></p><ul>'
        '<li><a href="/tin-hoat-dong/hoi-nghi-trien-khai-1200.html">Hội nghị triển khai nhiệm vụ năm 2018</a></li>'
        '<li><a href="/tin-hoat-dong/tap-huan-1194.html">Tập huấn kỹ năng vận động quần chúng</a> (23.2.2018)</li>'
        "</ul></div><p>Đoạn hai.</p>"
        '<p style="text-align: right;"><strong>Duy Nghi</strong></p>'
    )
    assert paragraphs(record) == ["Đoạn một.", "Đoạn hai."]
    assert "Hội nghị triển khai" not in record["body_html"]
    assert find_chrome(record["body"]) == []


def test_related_news_inline_style_is_removed() -> None:
    record = extract('<p>Đoạn một.</p><p><strong>Tin liên quan:</strong> <a href="/a-1.html">Bài A</a>'
                     '<br /><a href="/b-2.html">Bài B</a></p><p>Đoạn hai.</p>')
    assert paragraphs(record) == ["Đoạn một.", "Đoạn hai."]


@pytest.mark.parametrize("line", [
    '<p>Xem thêm tại: <a href="https://baoquangnam.vn/chuyen-doi-so-3145.html">baoquangnam.vn</a></p>',
    '<p><em>Xem thêm tại: https://baoquangnam.vn/chuyen-doi-so-3145.html</em></p>',
    '<p><a href="https://baoquangnam.vn/x.html">Xem thêm tại đây</a></p>',
])
def test_see_more_line_is_removed(line: str) -> None:
    record = extract(f"<p>Đoạn một.</p>{line}<p>Đoạn hai.</p>")
    assert paragraphs(record) == ["Đoạn một.", "Đoạn hai."]
    assert "baoquangnam" not in record["body_html"]


def test_dates_and_document_numbers_in_text_stay_text() -> None:
    text = "Theo Quyết định số 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị, Hôm nay, ngày 5 tháng 3 năm 2018, tỉnh triển khai."
    record = extract(f"<p>{text}</p>")
    assert record["body"] == text
    assert record["published"] == "2018-02-28T09:21:00+07:00"


def test_chrome_paragraph_pasted_into_content_is_dropped() -> None:
    record = extract("<p>Đoạn một.</p><p>In tin bài Lưu tin bài</p><p>Cỡ chữ: A+ A-</p>")
    assert record["body"] == "Đoạn một."


# --- images and attachments -----------------------------------------------------------------
def test_image_box_table_caption() -> None:
    record = extract(
        "<p>Đoạn một.</p>"
        '<table class="image-box" align="center"><tbody><tr><td><img src="/Uploads/images/a.jpg" alt="" /></td></tr>'
        '<tr><td class="image-caption"><em>Chú thích ảnh A.</em></td></tr></tbody></table>'
        "<p>Đoạn hai.</p>"
    )
    assert record["images"] == [{"url": f"{HOST}/Uploads/images/a.jpg", "caption": "Chú thích ảnh A."}]
    assert paragraphs(record) == ["Đoạn một.", "Đoạn hai."]


def test_centered_image_and_caption_paragraphs() -> None:
    record = extract(
        "<p>Đoạn một.</p>"
        '<p style="text-align: center;"><img src="/Uploads/images/b.jpg" alt="" /></p>'
        '<p style="text-align: center;"><em>Chú thích ảnh B.</em></p>'
        '<p style="text-align: center;"><img src="Uploads/images/c.jpg" /></p>'
        "<p>Đoạn hai.</p>"
    )
    assert record["images"] == [
        {"url": f"{HOST}/Uploads/images/b.jpg", "caption": "Chú thích ảnh B."},
        {"url": f"{HOST}/tin-hoat-dong/Uploads/images/c.jpg", "caption": None},
    ]
    assert paragraphs(record) == ["Đoạn một.", "Đoạn hai."]


def test_caption_inside_the_image_paragraph_and_figure() -> None:
    record = extract(
        '<p style="text-align: center;"><img src="/d.jpg" /><br /><em>Chú thích D.</em></p>'
        '<figure><img src="/e.jpg"><figcaption>Chú thích E.</figcaption></figure><p>Đoạn một.</p>'
    )
    assert [i["caption"] for i in record["images"]] == ["Chú thích D.", "Chú thích E."]
    assert record["body"] == "Đoạn một."


def test_in_body_document_links_are_attachments() -> None:
    record = extract('<p>Tải <a href="/Uploads/files/ke-hoach.PDF">Kế hoạch số 12-KH/BDV</a> và '
                     '<a href="/Uploads/files/bieu-mau.docx?v=2"> biểu mẫu </a>, xem <a href="/x-1.html">bài</a>.</p>')
    assert record["attachments"] == [
        {"url": f"{HOST}/Uploads/files/ke-hoach.PDF", "name": "Kế hoạch số 12-KH/BDV"},
        {"url": f"{HOST}/Uploads/files/bieu-mau.docx?v=2", "name": "biểu mẫu"},
    ]
    assert record["body"] == "Tải Kế hoạch số 12-KH/BDV và biểu mẫu , xem bài."


# --- URLs, ids, category ----------------------------------------------------------------------
def test_no_canonical_uses_response_url_without_query() -> None:
    html = page("<p>Nội dung.</p>").replace('<link rel="canonical"', '<link rel="alternate"')
    record = extract_record(f"{HOST}/dan-van-kheo/bai-viet-1234.html?ref=home#top", html, site="danvan",
                            fetched_at="2026-11-27T09:53:39Z")
    assert record["url"] == f"{HOST}/dan-van-kheo/bai-viet-1234.html"
    assert record["id"] == "danvan:1234"


def test_relative_canonical_is_resolved_and_listed_twice_gives_one_url() -> None:
    html = page("<p>Nội dung.</p>").replace(f'href="{URL}"', 'href="/tin-hoat-dong/bai-1234.html"', 1)
    for response in (f"{HOST}/dan-van-kheo/bai-1234.html", f"{HOST}/tin-hoat-dong/bai-1234.html?ref=home"):
        record = extract_record(response, html, site="danvan", fetched_at="2026-11-27T09:53:39Z")
        assert record["url"] == f"{HOST}/tin-hoat-dong/bai-1234.html"


def test_canonical_pointing_at_home_page_loses_to_the_article_url() -> None:
    html = page("<p>Nội dung.</p>").replace(f'href="{URL}"', f'href="{HOST}/"', 1)
    record = extract_record(URL, html, site="danvan", fetched_at="2026-11-27T09:53:39Z")
    assert record["url"] == URL


def test_category_comes_from_the_page_menu_not_the_upper_cased_breadcrumb() -> None:
    html = page("<p>Nội dung.</p>").replace('<a href="/tin-hoat-dong/">TIN HOẠT ĐỘNG</a>',
                                            '<a href="https://danvan.example.gov.vn/van-ban/">VĂN BẢN</a>')
    assert extract_record(URL, html, site="danvan", fetched_at="x")["category"] == "Văn bản"
    html = page("<p>Nội dung.</p>").replace('<a href="/tin-hoat-dong/">TIN HOẠT ĐỘNG</a>',
                                            '<a href="/khong-co/">KHÔNG CÓ</a>')
    assert extract_record(URL, html, site="danvan", fetched_at="x")["category"] is None


def test_published_never_comes_from_the_today_banner() -> None:
    html = page("<p>Nội dung.</p>").replace('<div class="news-date">28.2.2018 - 9:21</div>', "")
    record = extract_record(URL, html, site="danvan", fetched_at="2026-11-27T09:53:39Z")
    assert record["published"] is None and record["published_raw"] is None
    assert validation_errors(record) == []


def test_modified_from_news_updated() -> None:
    html = page("<p>Nội dung.</p>").replace(
        '<div class="news-date">28.2.2018 - 9:21</div>',
        '<div class="news-date">28.2.2018 - 9:21</div><div class="news-updated">Cập nhật: 1.3.2018 - 10:05</div>')
    record = extract_record(URL, html, site="danvan", fetched_at="2026-11-27T09:53:39Z")
    assert record["modified"] == "2018-03-01T10:05:00+07:00"


def test_body_html_is_sanitized_in_a_real_page() -> None:
    record = extract(
        '<p onclick="steal()">Đoạn <a href="javascript:alert(1)">một</a>.</p>'
        '<script>alert(1)</script><iframe src="https://evil.example/"></iframe>'
        '<p><img src="x" onerror="alert(1)"><a href="jav&#x09;ascript:alert(2)">hai</a></p>'
    )
    html = record["body_html"]
    assert record["body"] == "Đoạn một.\n\nhai"
    for bad in ("onclick", "onerror", "javascript", "<script", "<iframe", "alert(1)</"):
        assert bad not in html.lower()


def test_unsafe_image_does_not_swallow_the_next_line_as_its_caption() -> None:
    record = extract(
        "<p>Đoạn một.</p>"
        '<img src="" onerror="alert(1)" /><p><strong>Tin liên quan:</strong></p>'
        '<ul><li><a href="/tin-hoat-dong/hoi-nghi-983.html">Hội nghị giao ban khối dân vận quý IV năm 2018</a></li></ul>'
        "<p>Đoạn hai.</p>"
        '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" alt="" />'
        "<p><em>(Nguồn: Cổng Thông tin điện tử tỉnh)</em></p>"
        '<svg onload="alert(1)"></svg><p style="text-align: right;"><strong>VĂN PHIN - NGỌC ÁNH</strong></p>'
        '<a href="javascript:alert(1)"></a><p>&nbsp;</p>'
    )
    assert paragraphs(record) == ["Đoạn một.", "Đoạn hai."]
    assert record["source"] == "Cổng Thông tin điện tử tỉnh"
    assert record["author"] == "VĂN PHIN - NGỌC ÁNH"
    assert record["images"] == []


def test_word_count_is_whitespace_tokens_of_the_body() -> None:
    for style in STYLES:
        record = extract((FIXTURES / f"content-{style}.html").read_text(encoding="utf-8"))
        assert record["word_count"] == len(record["body"].split())


def test_attachments_survive_a_stray_closing_div_in_the_body() -> None:
    """A stray </div> closes div.news-detail early; the attachments box is then its sibling."""
    from dvarchive.pages import extract_record

    head = ('<html><head><meta charset="utf-8"></head><body><div class="news-detail">'
            '<h1 class="news-title">Tiêu đề</h1><div class="news-date">28.2.2018 - 9:21</div>'
            '<div class="news-content" id="news-content">')
    html = (head + '<P align=justify>Đoạn một.\n</div>\n</div>\n<div class="attachments">'
            '<a href="/Uploads/files/a.pdf">Tệp A</a></div>\n</div>'
            '<div class="other-news"><h3>CÁC TIN KHÁC</h3><a href="/Uploads/files/b.pdf">B</a></div></body></html>')
    record = extract_record("https://danvan.example.gov.vn/tin-hoat-dong/tieu-de-1.html", html.encode(),
                            site="danvan", fetched_at="2026-11-27T00:00:00Z")
    assert record["attachments"] == [{"url": "https://danvan.example.gov.vn/Uploads/files/a.pdf", "name": "Tệp A"}]
    assert record["body"] == "Đoạn một."
