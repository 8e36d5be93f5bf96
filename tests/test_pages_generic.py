"""generic/v1: a redesigned page (og:, JSON-LD, <article>) and a sibling site's page."""
from __future__ import annotations

import re

from pathlib import Path
from typing import Any

import pytest

from dvarchive.pages.chrome import find_chrome
from dvarchive.pages import DanvanV1, GenericV1, NotAnArticle, extract_record
from dvarchive.pages.base import parse_html
from dvarchive.schema import validation_errors

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
HOST = "https://danvan.example.gov.vn"
ARTICLE = "/tin-tuc/dan-van-kheo/ra-mat-mo-hinh-dan-van-kheo-ve-chuyen-doi-so-o-tam-ky-1301.html"
REDESIGN = (FIXTURES / "generic-redesign.html").read_bytes()


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return extract_record(f"{HOST}{ARTICLE}?utm_source=facebook&fbclid=x", REDESIGN, site="danvan",
                          fetched_at="2026-11-27T09:53:39Z")


def test_layout_selection() -> None:
    root = parse_html(REDESIGN)
    assert not DanvanV1.matches(root)
    assert GenericV1.matches(root)


def test_record_is_valid_and_from_generic(record: dict[str, Any]) -> None:
    assert validation_errors(record) == []
    assert record["extractor"] == "generic/v1"


@pytest.mark.parametrize("field, value", [
    ("id", "danvan:1301"),
    ("url", f"{HOST}{ARTICLE}"),
    ("title", "Ra mắt mô hình “Dân vận khéo” về chuyển đổi số ở Tam Kỳ"),
    ("subtitle", "Mô hình giúp người dân làm thủ tục hành chính trực tuyến ngay tại nhà văn hóa thôn."),
    ("category", "Dân vận khéo"),
    ("published", "2024-12-08T16:02:00+07:00"),
    ("published_raw", "Chủ nhật, 08/12/2024 - 16:02"),
    ("modified", "2024-12-09T08:15:00+07:00"),
    ("author", "Minh Châu"),
    ("source", None),
    ("images", [{"url": f"{HOST}/media/2024/12/chuyen-doi-so.jpg",
                 "caption": "Đoàn viên thanh niên hướng dẫn người dân cài đặt ứng dụng định danh điện tử."}]),
    ("attachments", []),
])
def test_field(record: dict[str, Any], field: str, value: Any) -> None:
    assert record[field] == value


def test_body_is_the_article_text_only(record: dict[str, Any]) -> None:
    body = record["body"]
    assert body.split("\n\n")[0].startswith("Sáng 8/12, Ban Dân vận Thành ủy Tam Kỳ")
    assert body.endswith("trong năm 2025.")
    assert len(body.split("\n\n")) == 3
    assert find_chrome(body) == []
    for noise in ("Chia sẻ", "Tin liên quan", "Xem thêm", "Từ khóa", "lượt xem", "Minh Châu",
                  "Mô hình giúp người dân", "Đoàn viên thanh niên", "TIN MỚI", "Lượt truy cập"):
        assert noise not in body


def test_body_html_is_clean(record: dict[str, Any]) -> None:
    html = record["body_html"]
    assert "<figure><img src=\"https://danvan.example.gov.vn/media/2024/12/chuyen-doi-so.jpg\"" in html
    assert "related" not in html and "Tin liên quan" not in html and "<script" not in html


SIBLING = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Hội nghị giao ban công tác dân vận quý IV - Ban Dân vận Tỉnh ủy Quảng Ngãi</title>
<meta property="og:type" content="article">
<meta property="og:title" content="Hội nghị giao ban công tác dân vận quý IV">
<meta name="author" content="Ban Dân vận Tỉnh ủy Quảng Ngãi">
</head><body>
<div id="menu"><a href="/">Trang chủ</a> | <a href="/tin-tuc">Tin tức</a> | <a href="/van-ban">Văn bản</a></div>
<div id="content-left">
 <div class="detail">
  <h1>Hội nghị giao ban công tác dân vận quý IV</h1>
  <div class="date">Thứ Tư, 28/02/2018 - 09:21</div>
  <div class="noidung">
   <p>Chiều 27/12, Ban Dân vận Tỉnh ủy tổ chức hội nghị giao ban công tác dân vận quý IV năm 2017, triển khai nhiệm vụ năm 2018.</p>
   <p>Năm 2017, khối dân vận đã tham mưu, tổ chức thực hiện nhiều chủ trương lớn, bám sát cơ sở, nắm chắc tình hình nhân dân.</p>
   <p><em>(Nguồn: Báo Quảng Ngãi)</em></p>
  </div>
 </div>
</div>
<div id="right"><ul><li><a href="/a-1.html">Tin một</a></li><li><a href="/b-2.html">Tin hai</a></li></ul></div>
<div id="footer">Về đầu trang · Ghi rõ nguồn “Ban Dân vận Tỉnh ủy Quảng Ngãi” khi phát hành lại.</div>
</body></html>"""


def test_sibling_site_by_density_and_og_type() -> None:
    record = extract_record("https://danvan.quangngai.example.vn/NewsDetail.aspx?ID=5512&ref=home", SIBLING,
                            site="quangngai", fetched_at="2026-11-27T09:53:39Z")
    assert record["extractor"] == "generic/v1"
    assert record["id"] == "quangngai:5512"
    assert record["url"] == "https://danvan.quangngai.example.vn/NewsDetail.aspx?ID=5512"
    assert record["title"] == "Hội nghị giao ban công tác dân vận quý IV"
    assert record["source"] == "Báo Quảng Ngãi"
    assert record["author"] == "Ban Dân vận Tỉnh ủy Quảng Ngãi"
    assert record["published"] == "2018-02-28T09:21:00+07:00"  # shown next to the body, no metadata
    assert record["published_raw"] == "Thứ Tư, 28/02/2018 - 09:21"
    assert record["body"].startswith("Chiều 27/12") and record["body"].endswith("tình hình nhân dân.")
    assert find_chrome(record["body"]) == []
    assert validation_errors(record) == []


@pytest.mark.parametrize("html", [
    # article metadata, but nothing to read
    '<html><head><meta property="og:type" content="article"><meta property="og:title" content="T"></head>'
    "<body><nav><a href='/'>Trang chủ</a></nav></body></html>",
    # text, but no article signal at all (a static page of a sibling site)
    "<html><head><title>Giới thiệu</title></head><body><h1>Giới thiệu</h1><div><p>" + "Ban có chức năng tham mưu. " * 20
    + "</p></div></body></html>",
])
def test_generic_needs_signals_title_and_body(html: str) -> None:
    with pytest.raises(NotAnArticle):
        extract_record(f"{HOST}/tin-tuc/x-1302.html", html, site="danvan", fetched_at="x")


def test_generic_page_without_an_id_in_its_url_gets_a_stable_hash_id() -> None:
    """Issue 12: a URL with no id is no reason to refuse an article; the id is a hash of the
    canonical URL's normalized form, the same whichever tracking or navigation query reached it."""
    page = REDESIGN.replace(b"-1301.html", b".html")
    first = extract_record(f"{HOST}/tin-tuc/gioi-thieu.html", page, site="danvan", fetched_at="x")
    again = extract_record(f"{HOST}/tin-tuc/gioi-thieu.html?utm_source=fb&trang=2", page, site="danvan",
                           fetched_at="x")
    assert re.fullmatch(r"danvan:u[0-9a-f]{16}", first["id"])
    assert again["id"] == first["id"]


@pytest.mark.parametrize("canonical", [
    "https://evil.example/tin-tuc/x-9999.html",
    "https://danvan.example.gov.vn:8443/tin-tuc/x-9999.html",
    "http://danvan.example.gov.vn/tin-tuc/x-9999.html",
    "//evil.example/tin-tuc/x-9999.html",
])
def test_canonical_off_the_site_is_ignored(canonical: str) -> None:
    """Issue 11: a canonical of another host, port or scheme never becomes the record's url/id."""
    page = re.sub(rb'<link rel="canonical" href="[^"]*"', f'<link rel="canonical" href="{canonical}"'.encode(),
                  REDESIGN)
    if b'rel="canonical"' not in page:
        page = page.replace(b"</head>", f'<link rel="canonical" href="{canonical}"></head>'.encode())
    record = extract_record(f"{HOST}/tin-tuc/x-1301.html", page, site="danvan", fetched_at="x")
    assert record["url"] == f"{HOST}/tin-tuc/x-1301.html"
    assert record["id"] == "danvan:1301"


