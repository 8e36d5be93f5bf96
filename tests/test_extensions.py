"""The layout-coverage alarm and the progress line, on real Scrapy stats collectors."""
from __future__ import annotations

import logging

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from dvarchive.extensions import ExtractorCoverage, layout_share, progress_line
from dvarchive.stats import PAGES_ARTICLE


def coverage_for(layout: int, generic: int) -> tuple[ExtractorCoverage, Spider]:
    crawler = get_crawler(Spider, {"DVARCHIVE_LAYOUT_MIN_SHARE": 0.9, "STATS_CLASS": "scrapy.statscollectors.MemoryStatsCollector"})
    crawler.stats.open_spider()
    crawler.stats.set_value(PAGES_ARTICLE, layout + generic)
    crawler.stats.set_value("dvarchive/extracted/danvan/v1", layout)
    crawler.stats.set_value("dvarchive/extracted/generic/v1", generic)
    return ExtractorCoverage.from_crawler(crawler), Spider("x")


def test_layout_share_counts_site_layouts_against_article_pages() -> None:
    assert layout_share({PAGES_ARTICLE: 10, "dvarchive/extracted/danvan/v1": 8, "dvarchive/extracted/generic/v1": 2}) == 0.8
    assert layout_share({}) is None


def test_a_layout_change_ends_the_crawl_with_a_loud_error(caplog: pytest.LogCaptureFixture) -> None:
    extension, spider = coverage_for(layout=80, generic=20)
    with caplog.at_level(logging.WARNING):
        extension.spider_closed(spider, "finished")
    assert any(r.levelno == logging.ERROR and "LAYOUT CHANGE" in r.getMessage() for r in caplog.records)
    assert extension.stats.get_value("dvarchive/layout_share") == 0.8


def test_no_alarm_when_the_layout_matched(caplog: pytest.LogCaptureFixture) -> None:
    extension, spider = coverage_for(layout=95, generic=5)
    with caplog.at_level(logging.WARNING):
        extension.spider_closed(spider, "finished")
    assert not any("LAYOUT CHANGE" in r.getMessage() for r in caplog.records)


def test_progress_counts_drops_as_the_summary_does() -> None:
    """Unchanged records (the state's DropItem) are no loss: '0 dropped', like the summary's 'none'."""
    stats = {"item_scraped_count": 0, "item_dropped_count": 5, "dvarchive/state/unchanged": 5}
    assert " 0 dropped" in progress_line(stats, elapsed=1)
    stats |= {"item_dropped_count": 7, "dvarchive/dropped/invalid": 1, "dvarchive/dropped/duplicate": 1}
    assert " 2 dropped" in progress_line(stats, elapsed=1)


def test_progress_line_reports_rate_and_drops() -> None:
    line = progress_line({"item_scraped_count": 50, "response_received_count": 70,
                          "dvarchive/dropped/not_article": 2, "log_count/ERROR": 1}, elapsed=10)
    assert "70 pages fetched" in line and "50 articles" in line and "2 dropped" in line
    assert "1 errors" in line and "5.0 articles/s" in line


def test_a_crawl_shorter_than_the_interval_still_ends_with_a_progress_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    from dvarchive.extensions import Progress

    crawler = get_crawler(Spider, {"DVARCHIVE_PROGRESS": True, "DVARCHIVE_PROGRESS_INTERVAL": 3600})
    progress = Progress.from_crawler(crawler)
    crawler.stats.set_value("item_scraped_count", 7)
    progress.spider_closed(Spider("x"), "finished")
    assert "7 articles" in capsys.readouterr().err
