"""``dvarchive export``: write a crawl state's records as one JSONL file."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dvarchive import exitcodes

HELP = "write the records of a crawl state as JSONL (latest or every version)"
DESCRIPTION = """\
Export the archive a schedule of crawls has built up in its state directory: the latest
version of each article, one schema-valid JSON record per line (UTF-8, Vietnamese text
as is), sorted by publication date (undated articles last) then id. Articles the site has
withdrawn are included (their last captured version), unless --exclude-withdrawn, and
marked in FILE-stem.withdrawn.jsonl beside FILE: one line per withdrawn article, {"id",
"url", "withdrawn_at", "http_status"} (records keep the article schema, which has no
such field).
With --all-versions every captured version is written (same order, then by version), so
the edits the site made over time can be compared; each record's "version" tells which.

The file is written to a temporary file beside FILE and renamed over it at the end: a
failed or interrupted export never leaves a partial file. Read-only: it takes no lock, so
it works while a crawl runs (and exports the last committed snapshot).

Exit codes: 0 written · 1 no state in DIR, unreadable/corrupt state, or FILE not writable ·
2 bad usage.
"""
EPILOG = """\
examples:
  dvarchive export --state /var/lib/dvarchive/state --output archive.jsonl
  dvarchive export --state /var/lib/dvarchive/state --output history.jsonl --all-versions
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help=HELP, description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, required=True, metavar="DIR",
                        help="the crawl state directory (holds state.sqlite)")
    parser.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.jsonl",
                        help="JSONL file to write (replaced atomically)")
    parser.add_argument("--all-versions", action="store_true",
                        help="every captured version of every article, not only the latest")
    parser.add_argument("--exclude-withdrawn", dest="include_withdrawn", action="store_false",
                        help="leave out articles the site has withdrawn (latest versions only)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.runner import check_writable
    from dvarchive.state import CrawlState, StateError

    if args.all_versions and not args.include_withdrawn:
        raise exitcodes.CommandError("--exclude-withdrawn applies to latest versions only, "
                                     "not to --all-versions", exitcodes.USAGE)
    check_writable(args.output, "output file")
    try:
        with CrawlState.open(args.state, read_only=True) as state:
            withdrawn = state.withdrawn_articles() if args.include_withdrawn else []
            records = state.all_versions() if args.all_versions else \
                state.latest_records(include_withdrawn=args.include_withdrawn)
            count, articles = write_jsonl(records, args.output)
    except StateError as exc:
        raise exitcodes.CommandError(str(exc)) from None
    what = f"{plural(count, 'version')} of {plural(articles, 'article')}" if args.all_versions \
        else plural(count, "record")
    print(f"exported {what} to {args.output}")
    from dvarchive.records import withdrawn_companion

    if withdrawn or (args.include_withdrawn and withdrawn_companion(args.output).exists()):  # never stale
        listed = write_withdrawn(withdrawn, args.output)
        print(f"  {plural(len(withdrawn), 'article')} of them withdrawn by the site, listed in {listed}")
    sys.stdout.flush()
    return exitcodes.OK


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> tuple[int, int]:
    """Write the records (their one byte form) atomically; returns (records, distinct article ids)."""
    from dvarchive.atomic import AtomicFile
    from dvarchive.records import record_bytes

    ids: set[str] = set()
    count = 0
    try:
        with AtomicFile(path) as file:  # a failure removes the temp file and leaves ``path`` as it was
            for record in records:
                file.write(record_bytes(record))
                ids.add(str(record.get("id")))
                count += 1
    except OSError as exc:
        raise exitcodes.CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    return count, len(ids)


def write_withdrawn(withdrawn: list[dict[str, Any]], output: Path) -> Path:
    """The companion file marking the withdrawn articles (see :mod:`dvarchive.records`)."""
    from dvarchive.atomic import write_atomic
    from dvarchive.records import withdrawn_bytes, withdrawn_companion

    path = withdrawn_companion(output)
    try:
        write_atomic(path, map(withdrawn_bytes, withdrawn))
    except OSError as exc:
        raise exitcodes.CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
