"""Run the ``articles`` spider in-process from plain options, and summarize what it did.

Shared by ``dvarchive crawl`` and ``dvarchive demo``; Scrapy is imported only here.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dvarchive.commands import exitcodes
from dvarchive.commands.exitcodes import CommandError
from dvarchive.extensions import dropped_counts, error_count, extractor_counts
from dvarchive import stats as names


@dataclass
class CrawlOptions:
    """Everything a crawl needs, as plain values (the CLI fills it from flags)."""

    start_url: str
    output: Path | None = None
    delay: float | None = None  # None keeps the polite defaults; 0 turns delays and AutoThrottle off
    concurrency: int | None = None
    max_articles: int | None = None
    site: str | None = None
    warc: Path | None = None
    rss: bool = True
    state: Path | None = None
    since: str | None = None
    until: str | None = None
    revisit: bool = False
    attachments: bool = False
    attachments_dir: Path | None = None
    progress: bool = True
    log_level: str = "WARNING"
    log_file: Path | None = None
    extra_settings: dict[str, str] = field(default_factory=dict)


@dataclass
class CrawlResult:
    stats: dict[str, Any]
    elapsed: float
    exit_code: int


def check_start_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(f"bad start URL {url!r}: expected http(s)://host/ (the site's home page)", exitcodes.USAGE)


def check_writable(path: Path, what: str) -> None:
    """Fail early, with one clear line, if ``path`` can't be written."""
    parent = path.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create the folder of the {what} {path}: {exc.strerror}") from exc
    if path.is_dir():
        raise CommandError(f"the {what} {path} is a folder, not a file")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"the {what} {path} is not writable")


def check_window(since: str | None, until: str | None) -> None:
    from dvarchive.spiders.window import DateWindow

    try:
        DateWindow.from_text(since, until)
    except ValueError as exc:
        raise CommandError(str(exc), exitcodes.USAGE) from exc


def check_state(directory: Path, revisit: bool) -> None:
    """Fail at once, with a distinct exit code, when another crawl probably holds the state.

    Only looks (the lock is taken once, by the crawl's state extension; a crawl that starts
    between this check and then is caught there, see :func:`crawl_exit_code`).
    """
    from dvarchive.state.lock import locked_message, running_holder

    if revisit and not (directory / "state.sqlite").exists():
        raise CommandError(f"--revisit needs an existing crawl state; {directory} has none")
    if (holder := running_holder(directory)) is not None and holder.get("pid") != os.getpid():
        raise CommandError(locked_message(directory, holder), exitcodes.LOCKED)


def parse_setting_pairs(pairs: list[str]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CommandError(f"bad -s {pair!r}: expected NAME=VALUE", exitcodes.USAGE)
        settings[name.strip()] = value
    return settings


def build_settings(options: CrawlOptions) -> Any:
    """Scrapy ``Settings`` for these options, over the project's defaults."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("dvarchive.settings", priority="project")
    overrides: dict[str, Any] = {
        "LOG_LEVEL": options.log_level,
        "DVARCHIVE_PROGRESS": options.progress,
    }
    if options.log_file:
        overrides["LOG_FILE"] = str(options.log_file)
    if options.delay is not None:
        overrides["DOWNLOAD_DELAY"] = options.delay
        if options.delay == 0:
            overrides["AUTOTHROTTLE_ENABLED"] = False
            overrides["DOWNLOAD_DELAY_JITTER"] = 0
    if options.concurrency:
        overrides["CONCURRENT_REQUESTS"] = options.concurrency
        overrides["CONCURRENT_REQUESTS_PER_DOMAIN"] = options.concurrency
    if options.site:
        overrides["DVARCHIVE_SITE"] = options.site
    if options.output:
        overrides["FEEDS"] = {str(options.output): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}}
    if options.warc:
        overrides["WARC_PATH"] = str(options.warc)
    settings.setdict(overrides, priority="cmdline")
    settings.setdict(options.extra_settings, priority="cmdline")
    return settings


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Crawl once in this process (Scrapy's reactor can start only once per process)."""
    check_start_url(options.start_url)
    if options.output:
        check_writable(options.output, "output file")
    if options.warc:
        check_writable(options.warc, "WARC file")
    check_window(options.since, options.until)
    if options.state:
        check_state(options.state, options.revisit)
    elif options.revisit:
        raise CommandError("--revisit needs --state DIR (the articles to audit)", exitcodes.USAGE)
    from scrapy.crawler import CrawlerProcess

    from dvarchive.spiders.articles import ArticlesSpider
    from dvarchive.state.extension import CrawlStateError

    process = CrawlerProcess(build_settings(options))
    crawler = process.create_crawler(ArticlesSpider)
    started = time.monotonic()
    deferred = process.crawl(
        crawler,
        start_url=options.start_url,
        max_articles=options.max_articles,
        rss=options.rss,
        state_dir=str(options.state) if options.state else None,
        since=options.since,
        until=options.until,
        revisit=options.revisit,
        attachments=options.attachments,
        attachments_dir=str(options.attachments_dir) if options.attachments_dir else None,
    )
    deferred.addErrback(lambda failure: failure.trap(CrawlStateError) and None)  # in the stats: one line
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if stats.get(names.STATE_ERROR):
        raise CommandError(str(stats[names.STATE_ERROR]), exitcodes.LOCKED if stats.get(names.STATE_LOCKED) else exitcodes.FAILED)
    return CrawlResult(stats=stats, elapsed=time.monotonic() - started, exit_code=crawl_exit_code(stats))


def crawl_exit_code(stats: dict[str, Any]) -> int:
    """0 when the crawl ran to its end and its output was written; non-zero when it could not."""
    if stats.get(names.FATAL):
        return exitcodes.FAILED
    if any(key.startswith("feedexport/failed_count") for key in stats):
        return exitcodes.FAILED
    reason = stats.get("finish_reason")
    if reason == "shutdown":
        return exitcodes.INTERRUPTED
    if reason not in ("finished", "closespider_itemcount"):
        return exitcodes.FAILED
    return exitcodes.OK


def write_stats(stats: dict[str, Any], path: Path) -> None:
    """The crawl's stats as JSON (instants as ISO strings), written atomically."""
    import json

    from dvarchive.feedstorage import commit_atomic, open_atomic

    file = open_atomic(path)
    file.write(json.dumps(stats, default=str, indent=1, sort_keys=True).encode("utf-8"))
    commit_atomic(file, path)


def retry_reasons(stats: dict[str, Any]) -> dict[str, int]:
    prefix = "retry/reason_count/"
    return {k[len(prefix):].rsplit(".", 1)[-1]: int(v) for k, v in stats.items() if k.startswith(prefix)}


def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "none"


def summary_lines(result: CrawlResult, output: Path | None) -> list[str]:
    """The end-of-crawl summary a person reads: what was archived, what was dropped and why."""
    stats = result.stats
    articles = int(stats.get("item_scraped_count", 0))
    lines = [
        f"Crawl {stats.get('finish_reason', 'not started')} in {result.elapsed:.1f} s",
        f"  articles exported : {articles}" + (f"  -> {output}" if output else ""),
        f"  article pages     : {int(stats.get(names.PAGES_ARTICLE, 0))} "
        f"(by extractor: {format_counts(extractor_counts(stats))})",
        f"  dropped           : {format_counts(dropped_counts(stats))}",
        f"  gone (404/410)    : {int(stats.get(names.GONE, 0))}",
        f"  listing pages     : {int(stats.get(names.PAGES_LISTING, 0))} "
        f"(empty: {int(stats.get(names.LISTING_EMPTY_PAGE, 0))}, "
        f"failed: {int(stats.get(names.LISTING_FAILED_PAGE, 0))})",
        f"  requests          : {int(stats.get('downloader/request_count', 0))} "
        f"(retried: {format_counts(retry_reasons(stats))})",
        f"  errors            : {error_count(stats)}",
    ]
    state_counts = {k.rsplit("/", 1)[1]: int(v) for k, v in stats.items() if k.startswith(names.STATE_PREFIX)}
    if state_counts:
        lines.append(f"  crawl state       : {format_counts(state_counts)}")
    if stats.get(names.FATAL):
        lines.append(f"  FAILED            : {stats[names.FATAL]}")
    return lines
