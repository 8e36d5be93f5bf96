"""``dvarchive demo``: start the bundled replica on loopback and archive it end to end."""
from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from collections import Counter
from pathlib import Path

from dvarchive.commands.crawl import positive_int
from dvarchive.exitcodes import FAILED, OK

HELP = "crawl the bundled replica of the site into data/demo/articles.jsonl"
DESCRIPTION = """\
Start the bundled replica of the site on a free port of 127.0.0.1 (realistic
Vietnamese content, the site's markup and traps: deleted articles, 500s, dropped
connections, the endless "Sau »"), crawl it with the real spider (robots.txt obeyed,
no delay since it is local), write data/demo/articles.jsonl, and check the archive
against the replica's truth: every live article exactly once, all records valid.

Exit codes: 0 the archive is complete and valid · 1 it is not, or the crawl failed ·
2 bad usage · 4 degraded, as `crawl` says it (e.g. a category of a tiny replica lists nothing).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=positive_int, default=300, metavar="N",
                        help="articles in the replica (default 300)")
    parser.add_argument("--output", "-o", type=Path, default=Path("data/demo/articles.jsonl"),
                        metavar="FILE.jsonl", help="where to write the archive (default data/demo/articles.jsonl)")
    parser.add_argument("--concurrency", type=positive_int, default=16, metavar="N",
                        help="requests in flight at once (default 16)")
    parser.add_argument("--seed", type=int, default=None, metavar="N", help="replica content seed")
    parser.add_argument("--style", default="danvan", choices=("danvan", "liferay", "sharepoint", "wordpress"),
                        help="portal style of the replica: the board's site (default) or another CMS family "
                             "(VNPT Liferay, SharePoint/ASP.NET, WordPress) crawled from its start URL alone")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.replica import start_replica_process
    from dvarchive.runner import CrawlOptions, check_writable, run_crawl, summary_lines

    check_writable(args.output, "output file")  # the demo reads its archive back: a file, never '-'
    replica_kwargs = {"articles": args.articles, "style": args.style} | (
        {"seed": args.seed} if args.seed is not None else {})
    print(f"Starting the replica site ({args.articles} articles) on 127.0.0.1 …", file=sys.stderr)
    with start_replica_process(**replica_kwargs) as replica:
        print(f"Replica at {replica.base_url}/ — crawling …", file=sys.stderr)
        result = run_crawl(CrawlOptions(start_url=replica.base_url + "/", output=args.output, delay=0,
                                        concurrency=args.concurrency, site="demo", progress=True,
                                        extra_settings={"DVARCHIVE_PROGRESS_INTERVAL": "2"}))
        truth_ids = fetch_truth_ids(replica.base_url, by_url=args.style != "danvan")
    print("\n".join(summary_lines(result, args.output)), file=sys.stderr)
    if result.exit_code != OK:
        return result.exit_code
    problems = check_archive(args.output, truth_ids, by_url=args.style != "danvan")
    for line in problems or ["  check             : every live article of the replica archived exactly once, "
                             "all records schema-valid, no chrome in any body"]:
        print(line, file=sys.stderr)
    return FAILED if problems else OK


def fetch_truth_ids(base_url: str, *, by_url: bool = False) -> set[str]:
    """The live articles' ids (or URLs: another portal style's records are matched by URL)."""
    key = "url" if by_url else "id"
    with urllib.request.urlopen(f"{base_url}/__replica__/truth.jsonl", timeout=30) as response:
        return {str(json.loads(line)[key]) for line in response.read().decode("utf-8").splitlines() if line.strip()}


def check_archive(path: Path, truth_ids: set[str], *, by_url: bool = False) -> list[str]:
    """Problems found when comparing the archive with the replica's truth (empty when none)."""
    from dvarchive.pages.chrome import find_chrome
    from dvarchive.schema import validation_errors

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ids = Counter(r["url"] if by_url else r["id"].split(":", 1)[1] for r in records)
    problems = []
    if missing := truth_ids - set(ids):
        problems.append(f"  MISSING           : {len(missing)} live articles: {sorted(missing)[:10]}")
    if extra := set(ids) - truth_ids:
        problems.append(f"  UNEXPECTED        : {len(extra)} records not in the replica: {sorted(extra)[:10]}")
    if dupes := [i for i, n in ids.items() if n > 1]:
        problems.append(f"  DUPLICATES        : {dupes[:10]}")
    if invalid := [r["id"] for r in records if validation_errors(r)]:
        problems.append(f"  INVALID           : {invalid[:10]}")
    if chrome := [r["id"] for r in records if find_chrome(r["body"])]:
        problems.append(f"  CHROME IN BODY    : {chrome[:10]}")
    print(f"  replica truth     : {len(truth_ids)} live articles; archive holds {len(set(ids) & truth_ids)}",
          file=sys.stderr)
    return problems
