"""``dvarchive probe``: sample a portal politely and say what generic discovery finds there."""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dvarchive.commands.crawl import positive_int, seconds
from dvarchive.exitcodes import DEGRADED, OK

HELP = "sample a portal (a few listing and article pages) and describe it; draft a site profile"
DESCRIPTION = """\
Fetch a small sample of a portal the crawler has never seen (robots.txt obeyed, --articles
records or --pages pages at most, --delay between requests) with generic discovery, and
print what it found:
the menu, pagination, the URL pattern its articles share, per-field coverage of the
records, which extractor ran, and the traps it skipped. --write-profile writes a draft
site profile (TOML) to edit and pass to `dvarchive crawl --profile`.

Exit codes: 0 articles found · 4 no article in the sample (degraded) · 1 the site could not
be fetched · 2 bad usage.
"""
FIELDS = ("title", "published", "subtitle", "author", "category", "images", "body")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("probe", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start-url", required=True, metavar="URL", help="the portal's home page")
    parser.add_argument("--articles", type=positive_int, default=10, metavar="N",
                        help="stop following links after N article records (default 10)")
    parser.add_argument("--pages", type=positive_int, default=150, metavar="N",
                        help="pages to fetch at most, whatever was found (default 150)")
    parser.add_argument("--delay", type=seconds, default=None, metavar="SECONDS",
                        help="seconds between requests (default 1.0 with AutoThrottle; 0 for a local replica)")
    parser.add_argument("--write-profile", type=Path, metavar="FILE.toml", help="write a draft site profile")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.atomic import write_atomic
    from dvarchive.runner import CrawlOptions, check_writable, run_crawl

    if args.write_profile:
        check_writable(args.write_profile, "profile file")  # before the sample, not after it
    with tempfile.TemporaryDirectory(prefix="dvarchive-probe-") as folder:
        output = Path(folder) / "sample.jsonl"
        result = run_crawl(CrawlOptions(
            start_url=args.start_url, output=output, delay=args.delay, discovery="generic", progress=False,
            log_level="ERROR", max_articles=args.articles,
            rss=False, extra_settings={"CLOSESPIDER_PAGECOUNT": str(args.pages)}))
        records = [json.loads(line) for line in output.read_text("utf-8").splitlines()] if output.exists() else []
    stats = result.stats
    if stats.get("dvarchive/fatal"):
        print(f"probe: cannot sample {args.start_url}: {stats['dvarchive/fatal']}", file=sys.stderr)
        return 1
    for line in describe(stats, records):
        print(line)
    if args.write_profile:
        write_atomic(args.write_profile, [draft_profile(args.start_url, stats).encode("utf-8")])
        print(f"draft profile written to {args.write_profile}")
    return OK if records else DEGRADED


def coverage(records: list[dict[str, Any]]) -> dict[str, float]:
    """Share of the sampled records with each field filled."""
    n = max(len(records), 1)
    return {f: round(sum(1 for r in records if r.get(f)) / n, 2) for f in FIELDS}


def describe(stats: dict[str, Any], records: list[dict[str, Any]]) -> list[str]:
    def listed(key: str) -> str:
        value = stats.get(key) or {}
        return ", ".join(f"{k} ({v})" for k, v in value.items()) if isinstance(value, dict) else ", ".join(value)

    cuts = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("dvarchive/discovery/cut/")}
    extractors = {k.split("extracted/", 1)[1]: v for k, v in stats.items() if k.startswith("dvarchive/extracted/")}
    return [
        f"menu              : {listed('dvarchive/discovery/menu') or 'none found'}",
        f"pagination        : {listed('dvarchive/discovery/pager_patterns') or 'none followed'}",
        f"article URLs      : {listed('dvarchive/discovery/article_patterns') or 'no article page recognised'}",
        f"pages fetched     : {int(stats.get('downloader/response_count', 0))}, read as articles: "
        f"{int(stats.get('dvarchive/pages/article', 0))}, records: {len(records)}",
        f"extractor         : {', '.join(f'{k} {v}' for k, v in extractors.items()) or 'none'}",
        "field coverage    : " + ", ".join(f"{f} {v:.0%}" for f, v in coverage(records).items()),
        f"traps skipped     : {', '.join(f'{k} {v}' for k, v in sorted(cuts.items())) or 'none'}",
    ]


def pattern_regex(pattern: str) -> str:
    """'/{n}/{n}/{slug}/' -> '^/\\d+/\\d+/[^/?]+/$' (query keys kept, values any)."""
    out = re.escape(pattern)
    for token, regex in (("\\{n\\}", r"\d+"), ("\\{slug\\}", "[^/?&]+"), ("\\{id\\}", "[^/?&]+"), ("\\{v\\}", "[^&]*"),
                         ("\\{slug\\-n\\}", r"[^/?]+-\d+")):
        out = out.replace(token, regex)
    return "^" + out + "$"


def site_key(start_url: str) -> str:
    """The host's first name ('www.' skipped: www.danvan.gov.vn -> 'danvan'); 'site' for an IP address."""
    import ipaddress

    host = (urlsplit(start_url).hostname or "").lower().removeprefix("www.")
    try:
        ipaddress.ip_address(host)
        return "site"
    except ValueError:
        pass
    return re.sub(r"[^a-z0-9_-]", "-", host.split(".")[0]) or "site"


def draft_profile(start_url: str, stats: dict[str, Any]) -> str:
    key = site_key(start_url)
    patterns = list((stats.get("dvarchive/discovery/article_patterns") or {}).keys())
    article = f"article_url = '{pattern_regex(patterns[0])}'" if patterns else "# article_url = '^/…$'"
    cuts = sorted(k.rsplit("/", 1)[1] for k in stats if k.startswith("dvarchive/discovery/cut/"))
    return "\n".join([
        f"# Draft site profile written by `dvarchive probe --start-url {start_url}`: edit, then",
        "# `dvarchive crawl --start-url … --profile THIS_FILE`. Traps seen: " + (", ".join(cuts) or "none"),
        "[site]", f'key = "{key}"', 'timezone = "Asia/Ho_Chi_Minh"', "",
        "[discovery]", article, "# listing_url = '^/…'", "# skip_url = ['…']", "",
        "[extract]  # XPath 1.0 selectors; leave a field out to let generic extraction find it",
        "# title = \"//h1\"", "# published = \"//time/@datetime\"", "# date_format = \"%d/%m/%Y %H:%M\"",
        "# body = \"//div[@class='content']\"", "# drop = [\"//div[@class='share']\"]", "",
    ])
