"""Run one comparison spider with dvarchive-equivalent settings (no project settings).

    python benchmarks/baselines/run.py {fetch-only,trafilatura} --start-url URL --output F.jsonl
        [--delay 0] [--concurrency 16] [--stats S.json] [-s NAME=VALUE ...]

Settings: ROBOTSTXT_OBEY, DOWNLOAD_DELAY as given (0: AutoThrottle off), CONCURRENT_REQUESTS and
CONCURRENT_REQUESTS_PER_DOMAIN = --concurrency, cookies and telnet off, the same retry, timeout
and size limits and reactor as dvarchive, the same engine tuning (CONCURRENT_ITEMS,
WARN_ON_GENERATOR_RETURN_VALUE: read from dvarchive.settings, so the baselines get every framework
speed-up dvarchive gets), LOG_LEVEL WARNING, a User-Agent in dvarchive's style.
"""
from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from dvarchive import settings as dvarchive_settings

SPIDERS = {"fetch-only": "fetch_only:FetchOnlySpider", "trafilatura": "trafilatura_spider:TrafilaturaSpider"}


def spider_class(name: str) -> type:
    """Imported lazily: the fetch-only run must not pay for importing trafilatura."""
    module_name, class_name = SPIDERS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)


def build_settings(name: str, output: Path, delay: float, concurrency: int) -> Settings:
    return Settings({
        "BOT_NAME": f"bench-{name}",
        "USER_AGENT": f"bench-{name}/1.0 (baseline crawler for benchmarks; +https://pypi.org/project/dvarchive/)",
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": delay > 0,
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_TIMES": 3,
        "DOWNLOAD_TIMEOUT": 30,
        "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
        "LOG_LEVEL": "WARNING",
        "TWISTED_REACTOR": dvarchive_settings.TWISTED_REACTOR,
        "CONCURRENT_ITEMS": dvarchive_settings.CONCURRENT_ITEMS,
        "WARN_ON_GENERATOR_RETURN_VALUE": dvarchive_settings.WARN_ON_GENERATOR_RETURN_VALUE,
        "FEEDS": {str(output): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}},
        "FEED_EXPORT_ENCODING": "utf-8",
    })


def crawl(name: str, start_url: str, output: Path, delay: float, concurrency: int,
          overrides: dict[str, str] | None = None) -> dict[str, Any]:
    settings = build_settings(name, output, delay, concurrency)
    settings.setdict(overrides or {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_class(name))
    process.crawl(crawler, start_url=start_url)
    process.start()
    return crawler.stats.get_stats() if crawler.stats else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spider", choices=sorted(SPIDERS))
    parser.add_argument("--start-url", required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--stats", type=Path)
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting (for experiments; the benchmark passes none)")
    args = parser.parse_args()
    overrides = dict(pair.split("=", 1) for pair in args.settings)
    stats = crawl(args.spider, args.start_url, args.output, args.delay, args.concurrency, overrides)
    if args.stats:
        args.stats.write_text(json.dumps(stats, default=str, indent=1, sort_keys=True), encoding="utf-8")
    return 0 if stats.get("finish_reason") == "finished" else 1


if __name__ == "__main__":
    raise SystemExit(main())
