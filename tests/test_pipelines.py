"""The item pipelines, each on a real Scrapy crawler's stats: what they fix, drop and count."""
from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from dvarchive.pages import extract_record
from dvarchive.pipelines.dedupe import DedupePipeline
from dvarchive.pipelines.normalize import NormalizePipeline, normalize_record
from dvarchive.pipelines.validate import ValidatePipeline
from helpers import CONTRACT

URL = "https://danvan.example.gov.vn/tin-hoat-dong/tam-quan-trong-cua-cong-tac-dan-van-chinh-quyen-trong-tinh-hinh-moi-1234.html"


@pytest.fixture()
def record() -> dict[str, Any]:
    html = (CONTRACT / "site" / "pages" / "article-1234.html").read_bytes()
    return extract_record(URL, html, site="danvan", fetched_at="2026-11-27T00:00:00Z")


def crawler_stats():
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    return crawler


def test_normalize_makes_every_string_nfc_and_counts_the_fix(record: dict[str, Any]) -> None:
    crawler = crawler_stats()
    decomposed = record | {"title": unicodedata.normalize("NFD", record["title"]),
                           "images": [{"url": "https://x/a.jpg", "caption": unicodedata.normalize("NFD", "Ảnh")}]}
    fixed = NormalizePipeline.from_crawler(crawler).process_item(decomposed)
    assert fixed["title"] == record["title"]
    assert fixed["images"][0]["caption"] == "Ảnh"
    assert crawler.stats.get_value("dvarchive/normalize/nfc_fixed") == 1
    assert normalize_record(record) == record  # already clean: nothing to fix


def test_mojibake_is_counted_not_fixed(record: dict[str, Any]) -> None:
    crawler = crawler_stats()
    garbled = "Th«ng b¸o kÕt qu¶ héi nghÞ d©n vËn"  # TCVN3 bytes read as latin-1
    out = NormalizePipeline.from_crawler(crawler).process_item(record | {"title": garbled})
    assert out["title"] == garbled
    assert crawler.stats.get_value("dvarchive/normalize/mojibake/title") == 1


def test_invalid_record_is_dropped_with_a_counted_reason(record: dict[str, Any]) -> None:
    crawler = crawler_stats()
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="published: pattern"):
        pipeline.process_item(record | {"published": "28.2.2018 - 9:21"})
    with pytest.raises(DropItem, match="title"):
        pipeline.process_item({k: v for k, v in record.items() if k != "title"})
    assert pipeline.process_item(record) is not None  # the next valid one goes on
    assert crawler.stats.get_value("dvarchive/dropped/invalid") == 2
    assert crawler.stats.get_value("dvarchive/dropped/invalid/published: pattern") == 1
    assert crawler.stats.get_value("dvarchive/dropped/invalid/title: required") == 1


def test_second_record_of_an_article_is_dropped(record: dict[str, Any]) -> None:
    crawler = crawler_stats()
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.process_item(record)
    with pytest.raises(DropItem):
        pipeline.process_item(record | {"url": URL + "?ref=home"})
    assert crawler.stats.get_value("dvarchive/dropped/duplicate") == 1


@pytest.mark.parametrize(("published", "kept"), [
    ("2024-03-01T08:00:00+07:00", True),
    ("2024-03-31T23:59:00+07:00", True),  # the site's calendar day, not UTC's (16:59Z)
    ("2024-04-01T00:30:00+07:00", False),  # 31 March in UTC, 1 April on the site
    ("2023-12-31T10:00:00+07:00", False),
    (None, True),  # no date: the window cannot say it is outside
])
def test_window_is_the_final_filter_on_published(published: str | None, kept: bool) -> None:
    from dvarchive.pipelines.window import WindowPipeline

    crawler = get_crawler(Spider, {"DVARCHIVE_SINCE": "2024-01-01", "DVARCHIVE_UNTIL": "2024-03-31"})
    crawler.stats.open_spider()
    pipeline = WindowPipeline.from_crawler(crawler)
    item = {"id": "danvan:1", "published": published}
    if kept:
        assert pipeline.process_item(item) is item
    else:
        with pytest.raises(DropItem, match="outside the window"):
            pipeline.process_item(item)
    assert crawler.stats.get_value("dvarchive/window/dropped") == (None if kept else 1)


def test_window_pipeline_is_off_without_bounds() -> None:
    from scrapy.exceptions import NotConfigured

    from dvarchive.pipelines.window import WindowPipeline

    with pytest.raises(NotConfigured):
        WindowPipeline.from_crawler(get_crawler(Spider, {}))


def test_attachment_targets_never_replace_other_bytes(tmp_path) -> None:
    import hashlib

    from dvarchive.pipelines.attachments import free_target

    def put(name: str, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        target = free_target(tmp_path, name, digest)
        if not target.exists():
            target.write_bytes(body)
        return target.name

    assert put("report.pdf", b"one") == "report.pdf"
    assert put("report.pdf", b"one") == "report.pdf"  # the same bytes: reused, not duplicated
    second = put("report.pdf", b"two")
    third = put("REPORT.PDF", b"three")  # another name only in case: a clash on Windows/macOS
    assert len({n.casefold() for n in ("report.pdf", second, third)}) == 3
    assert sorted(p.read_bytes() for p in tmp_path.iterdir()) == [b"one", b"three", b"two"]
