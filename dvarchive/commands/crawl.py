"""``dvarchive crawl``: crawl a host of the site into clean JSONL records."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "crawl the site (or a replica) into a JSONL archive"
DESCRIPTION = """\
Crawl the board's site from its home page: the categories of the main menu, each
category's listing pages (until the first empty one) and RSS feed, and every article,
exported as one schema-valid JSON record per line (UTF-8) to --output FILE, or to
standard output when there is no --output and no --state (`dvarchive crawl ... | jq`);
progress, log and the end summary always go to standard error.

--output is replaced only when the crawl runs to its end: a crawl that could not run,
was interrupted (Ctrl-C, SIGTERM) or could not write leaves an existing FILE as it was,
and keeps the records it got beside it as FILE-stem.partial-<UTC time>.jsonl (the
summary names it).

Polite by default: obeys robots.txt, identifies itself in the User-Agent, waits
--delay seconds between requests to the host with AutoThrottle adapting to the
server. Use --delay 0 only against a local replica.

With --state DIR the crawl is incremental and resumable: run it nightly from cron;
a crawl killed at any instant finishes the job when started again with the same
command. Two crawls on one state never run at once: the second exits with 75.

A portal the crawler has never seen is crawled from its start URL alone (--discovery):
its menu, pagers, sitemaps and feeds, with trap budgets (calendars, search, sort links,
session ids, endless pagers); the end summary says what was cut and why.

Exit codes: 0 the crawl ran to its end (or the reader of stdout closed it) · 1 it could
not run (start URL unreachable, unwritable output, corrupt state, feed not written) ·
2 bad usage (e.g. --concurrency 0, --delay -1) · 4 degraded: it ran but found no category
or no article, a category's first listing page listed nothing, or the site layout matched
few article pages (the message names the stage) · 75 another crawl holds the state ·
130 interrupted.
"""


def whole_number(text: str, minimum: int) -> int:
    """``text`` as a whole number >= ``minimum``; a bad one is argparse's usage error (exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    return whole_number(text, 1)


def non_negative_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    return whole_number(text, 0)


def seconds(text: str) -> float:
    """argparse type: a finite number of seconds >= 0."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds >= 0")
    return value


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags shared by `crawl` and the crawl part of `demo`."""
    parser.add_argument("--delay", type=seconds, metavar="SECONDS", default=None,
                        help="seconds between requests to the host (default 1.0 with AutoThrottle); "
                             "0 turns delays and AutoThrottle off — for a local replica only")
    parser.add_argument("--concurrency", type=positive_int, metavar="N", default=None,
                        help="requests in flight at once (default 8 overall, 2 per host)")
    parser.add_argument("--max-articles", type=positive_int, metavar="N", default=None,
                        help="stop scheduling article pages after N (a quick sample)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="override any Scrapy setting, e.g. -s DOWNLOAD_TIMEOUT=60 (repeatable)")
    parser.add_argument("--log-level", default="WARNING",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="log detail on stderr (default WARNING)")
    parser.add_argument("--log-file", type=Path, metavar="FILE", help="write the log to FILE instead of stderr")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress lines while the crawl runs")
    parser.add_argument("--robots-unreachable", choices=["disallow", "allow"], default=None,
                        help="when robots.txt answers 5xx or can't be fetched: 'disallow' crawls nothing "
                             "(RFC 9309, the default), 'allow' crawls as if there were no rules")
    parser.add_argument("--stats", type=Path, metavar="FILE.json",
                        help="write the crawl's final stats (counters, drop reasons, timings) as JSON")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("crawl", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start-url", required=True, metavar="URL",
                        help="the site's home page, e.g. https://danvan.example.gov.vn/")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE.jsonl",
                        help="JSONL file to write, replaced only when the crawl runs to its end ('-' or "
                             "no --output and no --state: standard output)")
    parser.add_argument("--site", metavar="KEY", default=None,
                        help="site key used in record ids '<site>:<id>' (default: the --profile's key, else 'danvan')")
    parser.add_argument("--warc", type=Path, metavar="FILE.warc.gz",
                        help="also capture every request and response in a WARC 1.1 file")
    parser.add_argument("--attachments", action="store_true",
                        help="download each article's linked documents (same host, size cap 50 MB): their "
                             "sha256 and media type go on the record, the bytes into the WARC")
    parser.add_argument("--attachments-dir", type=Path, metavar="DIR",
                        help="also save the documents under DIR/<article id>/<safe file name>")
    parser.add_argument("--discovery", choices=["auto", "generic", "layout"], default="auto",
                        help="auto (default): the board's layout when the home page has its menu, else generic "
                             "discovery (menu, pagers, sitemaps, feeds, in-host links, trap budgets); "
                             "generic: always; layout: the board's layout only")
    parser.add_argument("--profile", type=Path, metavar="FILE.toml",
                        help="a site profile pinning categories, article/listing URL patterns and field "
                             "selectors (see dvarchive/profiles.py); implies --discovery generic")
    parser.add_argument("--no-rss", dest="rss", action="store_false",
                        help="do not read the categories' RSS feeds (listings only)")
    parser.add_argument("--state", type=Path, metavar="DIR",
                        help="crawl state (SQLite in DIR): incremental runs fetch only what is new, a "
                             "killed crawl resumes, --output receives only new and changed records")
    parser.add_argument("--since", metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--until", metavar="DATE", help="only articles published on or before DATE")
    parser.add_argument("--revisit", action="store_true",
                        help="audit: re-fetch every article the state knows (conditional requests); a changed "
                             "text becomes a new version, a 404/410 marks the article withdrawn")
    add_crawl_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.runner import (
        STDOUT,
        CrawlOptions,
        check_writable,
        parse_setting_pairs,
        run_crawl,
        summary_lines,
        write_stats,
        writes_stdout,
    )

    options = CrawlOptions(
        start_url=args.start_url,
        output=args.output,
        delay=args.delay,
        concurrency=args.concurrency,
        max_articles=args.max_articles,
        site=args.site,
        warc=args.warc,
        rss=args.rss,
        state=args.state,
        since=args.since,
        until=args.until,
        revisit=args.revisit,
        attachments=args.attachments,
        attachments_dir=args.attachments_dir,
        discovery=args.discovery,
        profile=args.profile,
        progress=args.progress,
        log_level=args.log_level,
        log_file=args.log_file,
        extra_settings=parse_setting_pairs(args.settings)
        | ({"ROBOTSTXT_UNREACHABLE": args.robots_unreachable} if args.robots_unreachable else {}),
    )
    if args.stats:
        check_writable(args.stats, "stats file")
    result = run_crawl(options)
    shown = Path(STDOUT) if writes_stdout(options) else args.output
    print("\n".join(summary_lines(result, shown)), file=sys.stderr)
    if args.stats:
        write_stats(result.stats, args.stats)
    return result.exit_code
