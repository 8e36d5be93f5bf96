"""Run the ``articles`` spider in-process from plain options, and summarize what it did.

Shared by ``dvarchive crawl`` and ``dvarchive demo``; Scrapy is imported only here.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dvarchive import exitcodes
from dvarchive.exitcodes import CommandError
from dvarchive.extensions import (
    dropped_counts,
    dropped_total,
    error_count,
    extractor_counts,
)

from dvarchive import stats as names
from dvarchive.settings import DVARCHIVE_SITE

logger = logging.getLogger(__name__)

STDOUT = "-"


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
    discovery: str = "auto"  # auto: the known layout if the home page has its menu, else generic
    profile: Path | None = None  # a site profile (TOML) pinning discovery and extraction
    progress: bool = True
    log_level: str = "WARNING"
    log_file: Path | None = None
    extra_settings: dict[str, str] = field(default_factory=dict)


@dataclass
class CrawlResult:
    stats: dict[str, Any]
    elapsed: float
    exit_code: int
    warc_files: list[Path] = field(default_factory=list)  # the files this crawl wrote (all rotated parts)
    attachments_dir: Path | None = None
    attachment_files: int = 0  # saved under attachments_dir by this crawl
    attachment_bytes: int = 0
    state_run: Any = None  # this crawl's row of the state's runs table (what `status` shows)
    site_defaulted: bool = False  # no --site and no profile: records keyed by the default site key


def check_start_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(f"bad start URL {url!r}: expected http(s)://host/ (the site's home page)", exitcodes.USAGE)


PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def check_reachable(url: str, timeout: float = 15.0) -> None:
    """Fail with one line naming the real cause when nothing answers at the start URL's host.

    A TCP connection is tried before Scrapy starts (skipped behind a proxy, which Scrapy would
    use): a refused connection or an unknown host is the reason, not robots.txt.
    """
    import socket

    if any(os.environ.get(name) for name in PROXY_VARIABLES):
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise CommandError(f"bad start URL {url!r}: {exc}", exitcodes.USAGE) from None
    where = f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except socket.gaierror as exc:
        raise CommandError(f"start URL could not be fetched: unknown host {host} ({exc.strerror})") from None
    except TimeoutError:
        raise CommandError(f"start URL could not be fetched: {where} did not answer within {timeout:.0f} s") \
            from None
    except OSError as exc:
        raise CommandError(f"start URL could not be fetched: cannot connect to {where}: "
                           f"{exc.strerror or exc}") from None


def check_writable(path: Path, what: str) -> None:
    """Fail early, with one clear line, if ``path`` can't be written (tried for real, beside it)."""
    import tempfile

    if str(path) == STDOUT:  # not a file named '-' (only `crawl` writes records to standard output)
        raise CommandError(f"the {what} '-' is not a file: name one", exitcodes.USAGE)
    parent = path.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create the folder of the {what} {path}: {exc.strerror}") from exc
    if path.is_dir():
        raise CommandError(f"the {what} {path} is a folder, not a file")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"the {what} {path} is not writable")
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        raise CommandError(f"the {what} {path} is not writable: {exc.strerror or exc}") from exc


def check_writable_folder(folder: Path, what: str) -> None:
    """Fail early, with one clear line, if files can't be written under ``folder`` (created if need be)."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise CommandError(f"the {what} {folder} is not writable: {exc.strerror or exc}") from exc


def check_window(since: str | None, until: str | None) -> None:
    from dvarchive.spiders.window import DateWindow

    try:
        DateWindow.from_text(since, until)
    except ValueError as exc:
        raise CommandError(str(exc), exitcodes.USAGE) from exc


def check_profile(path: Path) -> str | None:
    """A profile that does not load is bad usage, reported with the line of the problem; its site key."""
    from dvarchive.profiles import ProfileError, load_profile

    try:
        return load_profile(path).key
    except ProfileError as exc:
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
    if (directory / "state.sqlite").exists():
        from dvarchive.state import CrawlState, StateError

        try:  # a corrupt or foreign database is named before anything is fetched (read-only: no lock)
            CrawlState.open(directory, read_only=True).close()
        except StateError as exc:
            raise CommandError(str(exc)) from exc


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
    if writes_stdout(options):
        overrides["FEEDS"] = {"stdout:": {"format": "jsonlines", "encoding": "utf-8"}}
    elif options.output:
        overrides["FEEDS"] = {str(options.output): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}}
    if options.warc:
        overrides["WARC_PATH"] = str(options.warc)
    overrides["DVARCHIVE_DISCOVERY"] = options.discovery
    if options.profile:
        overrides["DVARCHIVE_PROFILE"] = str(options.profile)
    settings.setdict(overrides, priority="cmdline")
    settings.setdict(options.extra_settings, priority="cmdline")
    return settings


def writes_stdout(options: CrawlOptions) -> bool:
    """Records go to stdout with ``--output -``, or when neither --output nor --state is given."""
    return str(options.output) == STDOUT or (options.output is None and options.state is None)


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Crawl once in this process (Scrapy's reactor can start only once per process)."""
    check_start_url(options.start_url)
    if options.output and not writes_stdout(options):
        check_writable(options.output, "output file")
    if options.warc:
        check_writable(options.warc, "WARC file")
    if options.attachments_dir:
        check_writable_folder(options.attachments_dir, "attachments folder")
    if options.log_file:
        check_writable(options.log_file, "log file")
    check_window(options.since, options.until)
    if options.profile and (key := check_profile(options.profile)) and not options.site:
        options = dataclasses.replace(options, site=key)         # the profile's site key, unless --site
    if options.state:
        check_state(options.state, options.revisit)
    elif options.revisit:
        raise CommandError("--revisit needs --state DIR (the articles to audit)", exitcodes.USAGE)
    if not options.revisit:
        check_reachable(options.start_url)
    from scrapy.crawler import CrawlerProcess

    from dvarchive.spiders.portal import PortalSpider
    from dvarchive.state.extension import CrawlStateError

    process = CrawlerProcess(build_settings(options))
    crawler = process.create_crawler(PortalSpider)
    warcs_before = set(existing_warcs(options.warc))
    started, wall_started = time.monotonic(), time.time()
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
    crawl_errors: list[str] = []
    deferred.addErrback(keep_crawl_error, crawl_errors, CrawlStateError)
    quiet_network_tracebacks()  # after crawl(): applying the crawler's settings installs the log handler
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if stats.get(names.STATE_ERROR):
        raise CommandError(str(stats[names.STATE_ERROR]),
                           exitcodes.LOCKED if stats.get(names.STATE_LOCKED) else exitcodes.FAILED)
    if options.output and not writes_stdout(options):
        salvage_output(options.output, stats)
    if crawl_errors:
        raise CommandError(f"the crawl failed: {crawl_errors[0]} (a bad -s NAME=VALUE?)")
    result = CrawlResult(stats=stats, elapsed=time.monotonic() - started, exit_code=crawl_exit_code(stats),
                         warc_files=[p for p in existing_warcs(options.warc) if p not in warcs_before],
                         attachments_dir=options.attachments_dir, site_defaulted=not options.site)
    if options.state:
        result.state_run = this_run(options.state, options.start_url)
    if options.attachments_dir:
        result.attachment_files, result.attachment_bytes = files_written_since(options.attachments_dir,
                                                                               wall_started)
    return result


def keep_crawl_error(failure: Any, errors: list[str], state_error: type[Exception]) -> None:
    """Errback of the crawl: a state error is in the stats already; any other (e.g. a Scrapy
    component refusing ``-s CONCURRENT_REQUESTS=abc``) becomes one line, its traceback in the log."""
    if not failure.check(state_error):
        logger.debug("The crawl failed", exc_info=(failure.type, failure.value, failure.getTracebackObject()))
        errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()}")


def this_run(directory: Path, start_url: str) -> Any:
    """The state's record of the run that just ended (None if it recorded none)."""
    from dvarchive.state import CrawlState, StateError

    try:
        with CrawlState.open(directory, read_only=True) as state:
            runs = state.recent_runs(1)
    except StateError:
        return None
    return runs[0] if runs and runs[0].start_url == start_url else None


def existing_warcs(path: Path | None) -> list[Path]:
    """The files of the WARC series ``path`` starts (a crawl adds the next free ones)."""
    if path is None:
        return []
    from dvarchive.archive.warc import warc_series

    return warc_series(path)


def files_written_since(folder: Path, since: float) -> tuple[int, int]:
    """(files, bytes) under ``folder`` written at or after the instant ``since``."""
    count = size = 0
    for path in folder.rglob("*"):
        info = path.stat()
        if path.is_file() and info.st_mtime >= since - 1:
            count += 1
            size += info.st_size
    return count, size


def format_bytes(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def evidence_lines(result: CrawlResult) -> list[str]:
    """Where the WARC evidence and the attachments went."""
    lines = []
    if result.warc_files:
        total = sum(p.stat().st_size for p in result.warc_files if p.exists())
        names = ", ".join(str(p) for p in result.warc_files)
        lines.append(f"  WARC              : {names} ({len(result.warc_files)} file(s), {format_bytes(total)})")
    fetched = int(result.stats.get("dvarchive/attachments/fetched", 0))
    failed = int(result.stats.get("dvarchive/attachments/failed", 0))
    if fetched or failed or result.attachments_dir:
        where = (f"{result.attachment_files} file(s), {format_bytes(result.attachment_bytes)} saved under "
                 f"{result.attachments_dir}" if result.attachments_dir else
                 ("their bytes in the WARC" if result.warc_files else "digested, not saved"))
        lines.append(f"  attachments       : {fetched} fetched, {failed} failed; {where}")
    return lines


def salvage_output(output: Path, stats: dict[str, Any]) -> None:
    """After a hard stop (a second Ctrl-C) the feed was never closed: keep its temp file beside."""
    from dvarchive.atomic import temp_files, temp_pid
    from dvarchive.feedstorage import OUTPUT_KEPT, OUTPUT_PARTIAL, partial_path

    for temp in temp_files(output):
        if temp_pid(temp) != os.getpid():
            continue
        if temp.stat().st_size == 0:
            temp.unlink(missing_ok=True)
            continue
        partial = partial_path(output)
        os.replace(temp, partial)
        truncate_to_whole_lines(partial)  # the writer's buffer may have ended mid-record
        stats[OUTPUT_PARTIAL] = str(partial)
        if output.exists():
            stats[OUTPUT_KEPT] = str(output)


NETWORK_ERRORS = ("ConnectionRefusedError", "ConnectError", "DNSLookupError", "TimeoutError",
                  "TCPTimedOutError", "ConnectionLost", "ResponseNeverReceived", "ConnectionDone")


class _NetworkTracebackFilter:
    """A failed connection is one log line (its message names the cause), not a traceback."""

    def filter(self, record: Any) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        seen = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            if any(name in type(exc).__name__ for name in NETWORK_ERRORS):
                record.exc_info = None
                record.exc_text = None
                break
            exc = exc.__cause__ or exc.__context__
        return True


def quiet_network_tracebacks() -> None:
    import logging

    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _NetworkTracebackFilter) for f in handler.filters):
            handler.addFilter(_NetworkTracebackFilter())


def truncate_to_whole_lines(path: Path, chunk: int = 1 << 16) -> None:
    """Cut ``path`` after its last newline (nothing of a half-written last line is kept)."""
    with path.open("r+b") as file:
        end = file.seek(0, os.SEEK_END)
        position = end
        while position > 0:
            start = max(0, position - chunk)
            file.seek(start)
            block = file.read(position - start)
            cut = block.rfind(b"\n")
            if cut >= 0:
                file.truncate(start + cut + 1)
                return
            position = start
        file.truncate(0)


def crawl_exit_code(stats: dict[str, Any]) -> int:
    """0 when the crawl ran to its end and its output was written; non-zero when it could not."""
    from dvarchive.feedstorage import OUTPUT_FAILED

    if stats.get(names.FATAL) or stats.get(OUTPUT_FAILED):
        return exitcodes.FAILED
    if any(key.startswith("feedexport/failed_count") for key in stats):
        return exitcodes.FAILED
    reason = stats.get("finish_reason")
    if reason == "shutdown" or (reason is None and stats.get("start_time")):  # None: a forced stop
        return exitcodes.INTERRUPTED
    if reason not in ("finished", "closespider_itemcount", "output_closed"):
        return exitcodes.FAILED
    if degraded_reason(stats):
        return exitcodes.DEGRADED
    return exitcodes.OK


def degraded_reason(stats: dict[str, Any], min_share: float = 0.9) -> str | None:
    """Why a crawl that ran to its end is not trustworthy (the stage is named), else None."""
    if stats.get(names.DEGRADED):
        return str(stats[names.DEGRADED])
    if not int(stats.get("item_scraped_count", 0)) and not stats.get(names.STATE_PREFIX + "unchanged"):
        quiet_run = (names.LISTING_INCREMENTAL_STOP, names.REVISIT_NOT_MODIFIED, names.WINDOW_SKIPPED,
                     names.DISCOVERY_KNOWN_SKIPPED)
        if not stats.get(names.PAGES_ARTICLE) and not any(stats.get(key) for key in quiet_run):
            return "discovery: no article found"
    share = stats.get(names.LAYOUT_SHARE)
    if stats.get(names.DISCOVERY_MODE) != "generic" and share is not None and share < min_share:
        return f"extraction: the site layout matched only {share:.0%} of article pages (mostly generic extraction)"
    return None


def write_stats(stats: dict[str, Any], path: Path) -> None:
    """The crawl's stats as JSON (instants as ISO strings), written atomically."""
    import json

    from dvarchive.atomic import write_atomic

    try:
        write_atomic(path, [json.dumps(stats, default=str, indent=1, sort_keys=True).encode("utf-8")])
    except OSError as exc:
        raise CommandError(f"cannot write the stats file {path}: {exc.strerror or exc}") from None


def retry_reasons(stats: dict[str, Any]) -> dict[str, int]:
    prefix = "retry/reason_count/"
    return {k[len(prefix):].rsplit(".", 1)[-1]: int(v) for k, v in stats.items() if k.startswith(prefix)}


def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "none"


def output_lines(stats: dict[str, Any], output: Path | None) -> list[str]:
    """Where the records went, or why the user's file was left as it was (one line each)."""
    from dvarchive.feedstorage import (
        OUTPUT_COMMITTED,
        OUTPUT_FAILED,
        OUTPUT_KEPT,
        OUTPUT_PARTIAL,
        OUTPUT_READER_GONE,
        found_nothing,
    )

    articles = int(stats.get("item_scraped_count", 0))
    if stats.get(OUTPUT_FAILED):
        return [f"  articles exported : none — {stats[OUTPUT_FAILED]}"]
    if output is None:
        return [f"  articles          : {articles} (into the crawl state; no --output)"]
    if str(output) == STDOUT:
        gone = " (the reader closed the pipe: crawl stopped)" if stats.get(OUTPUT_READER_GONE) else ""
        return [f"  articles exported : {articles}  -> stdout{gone}"]
    if stats.get(OUTPUT_COMMITTED):
        return [f"  articles exported : {articles}  -> {output}"]
    kept = f"{output} left as it was" if stats.get(OUTPUT_KEPT) else f"{output} not written"
    if found_nothing(stats):
        return [f"  articles exported : none — the crawl found nothing: {kept}"]
    got = (f"; the {articles} record(s) it got are in {stats[OUTPUT_PARTIAL]}" if stats.get(OUTPUT_PARTIAL)
           else "; it got no records")
    return [f"  articles exported : none — the crawl did not finish: {kept}{got}"]


def fatal_reason(stats: dict[str, Any]) -> str:
    """Why the crawl could not run, naming the real cause when robots.txt was only the messenger."""
    fatal = str(stats["dvarchive/fatal"])
    if "robots.txt" in fatal and stats.get("dvarchive/robots/unreachable"):
        causes = format_counts(retry_reasons(stats))
        return ("start URL not crawled: its robots.txt could not be fetched"
                + (f" ({causes})" if causes != "none" else "")
                + ", which RFC 9309 reads as 'disallow all' (--robots-unreachable allow overrides)")
    return fatal


def finish_label(stats: dict[str, Any]) -> str:
    if reason := stats.get("finish_reason"):
        return str(reason)
    return "stopped by force (second Ctrl-C or SIGTERM)" if stats.get("start_time") else "not started"


def dropped_line(stats: dict[str, Any]) -> str:
    """How many records were lost, and why (the progress line's count, broken down); records the
    state found unchanged are no loss: the crawl-state line counts them."""
    reasons = dropped_counts(stats)
    total = dropped_total(stats)
    return f"{total} ({format_counts(reasons)})" if total else "none"


def window_lines(stats: dict[str, Any]) -> list[str]:
    """What --since/--until left out (no loss: asked for), so that pages and output agree."""
    dropped, skipped = int(stats.get(names.WINDOW_DROPPED, 0)), int(stats.get(names.WINDOW_SKIPPED, 0))
    if not (dropped or skipped):
        return []
    return [f"  outside window    : {dropped} article(s) read and left out, {skipped} link(s) not followed "
            "(--since/--until)"]


def listing_lines(stats: dict[str, Any]) -> list[str]:
    """The board's listing pages (generic discovery has none of its own: its pages are in the requests)."""
    if stats.get(names.DISCOVERY_MODE) == "generic":
        return []
    return [f"  listing pages     : {int(stats.get(names.PAGES_LISTING, 0))} "
            f"(empty: {int(stats.get(names.LISTING_EMPTY_PAGE, 0))}, "
            f"failed: {int(stats.get(names.LISTING_FAILED_PAGE, 0))})"]


def summary_lines(result: CrawlResult, output: Path | None) -> list[str]:
    """The end-of-crawl summary a person reads: what was archived, what was dropped and why."""
    stats = result.stats
    lines = [
        f"Crawl {finish_label(stats)} in {result.elapsed:.1f} s",
        *output_lines(stats, output),
        f"  article pages     : {int(stats.get(names.PAGES_ARTICLE, 0))} "
        f"(by extractor: {format_counts(extractor_counts(stats))})",
        f"  dropped           : {dropped_line(stats)}",
        *window_lines(stats),
        f"  gone (404/410)    : {int(stats.get(names.GONE, 0))}"
        + (f" ({result.state_run.withdrawn} newly withdrawn)" if result.state_run else ""),
        *listing_lines(stats),
        f"  requests          : {int(stats.get('downloader/request_count', 0))} "
        f"(retried: {format_counts(retry_reasons(stats))})",
        f"  errors            : {error_count(stats)}",
    ]
    lines += evidence_lines(result)
    if result.state_run:
        run = result.state_run
        lines.append(f"  crawl state       : run #{run.run_id} ({run.mode}): new {run.new}, changed {run.changed}, "
                     f"unchanged {run.unchanged}, withdrawn {run.withdrawn} (as `dvarchive status` shows it)")
    cuts = {k.rsplit("/", 1)[1]: int(v) for k, v in stats.items() if k.startswith(names.DISCOVERY_CUT_PREFIX)}
    if stats.get(names.DISCOVERY_MODE):
        lines.append(f"  discovery         : {stats[names.DISCOVERY_MODE]}, {int(stats.get(names.CATEGORIES, 0))} "
                     f"menu entries; cut (trap budgets): {format_counts(cuts)}")
    if stats.get(names.DISCOVERY_MODE) == "generic" and result.site_defaulted:
        lines.append(f"  site key          : {DVARCHIVE_SITE} (the default; `--site NAME` keys another portal's records "
                     "as NAME:<id>, keep it the same for every crawl of one site)")
    if stats.get(names.FATAL):
        lines.append(f"  FAILED            : {fatal_reason(stats)}")
    elif (why := degraded_reason(stats)) and result.exit_code == exitcodes.DEGRADED:
        lines.append(f"  DEGRADED          : {why}")
    return lines
