"""``dvarchive package``: turn a JSONL archive into a verifiable dataset folder."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dvarchive import exitcodes

HELP = "build a dataset folder (JSONL, CSV, Parquet, SQLite, WACZ, report, datapackage.json, checksums)"
DESCRIPTION = """\
Build a dataset package from the records of a JSONL archive (e.g. the output of
`dvarchive crawl`). The folder holds:

  articles.jsonl          the records, one per line, keys in schema order (reference form)
  articles.csv            UTF-8 with BOM; an empty cell is null; images, attachments, tags
                          and warc are compact JSON in their cell
  articles.parquet        typed columns: published/modified timestamp[ms, +07:00] and
                          fetched_at timestamp[ms, UTC] (whole seconds; Parquet has no
                          seconds unit), images/attachments list<struct>, word_count int32
  articles.sqlite         with --formats …,sqlite: table `articles` (Parquet's column types,
                          plus `month`), full-text index `articles_fts` over title, subtitle
                          and body; metadata.json beside it makes `datasette articles.sqlite
                          -m metadata.json` show search and facets (category, author, month)
  archive.wacz            with --warc: the WARC files, their CDXJ index and a pages list of
                          every archived article with its title (WACZ 1.1, made by py-wacz);
                          opens in ReplayWeb.page and pywb
  report.html             one self-contained page: total, articles per month and category,
                          months with none, field coverage, body length, extractors, and
                          (with --state) the crawl runs
  datapackage.json        Frictionless Data Package v1: every resource with bytes, sha256,
                          record count and schema; date range, categories, provenance
  README.md               dataset card: counts per category and year, field coverage, licence
  manifest-sha256.txt     sha256 of every file (BagIt style); tagmanifest-sha256.txt covers it
  withdrawn.jsonl         (--state only) the articles the site has withdrawn, one per line:
                          {"id", "url", "withdrawn_at", "http_status"}; their records are kept

Every record must be valid against the article schema (an invalid one stops the build,
naming it). Records with the same id are deduplicated, keeping the latest capture.
Rows are sorted by publication time, then id (undated last). The output is a pure
function of the input: the same records give byte-identical files ('created' is the
newest fetched_at, or $SOURCE_DATE_EPOCH when set) — except archive.wacz, which py-wacz
stamps with the time it was made.

The folder is built beside --out and renamed into place, so it is never half-written.
An existing non-empty --out is refused unless --force is given.

Check a package later with `dvarchive verify DIR`.

Exit codes: 0 built · 1 unreadable or invalid input, or --out not writable · 2 bad usage.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("package", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    origin = parser.add_mutually_exclusive_group(required=True)
    origin.add_argument("--from", dest="source", type=Path, metavar="FILE.jsonl",
                        help="JSONL archive to package (one article record per line)")
    origin.add_argument("--state", type=Path, metavar="DIR",
                        help="crawl state to package: the latest version of every article it holds "
                             "(read-only; works while a crawl runs)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="dataset folder to create (must be absent or empty unless --force)")
    parser.add_argument("--formats", type=format_list, default="jsonl,csv,parquet", metavar="LIST",
                        help="comma-separated subset of jsonl,csv,parquet,sqlite (default: jsonl,csv,parquet)")
    parser.add_argument("--warc", dest="warcs", type=Path, action="append", default=[], metavar="FILE.warc.gz",
                        help="WARC file of the crawl (its rotated continuations FILE-00001.warc.gz … are "
                             "included) or a folder of WARC files; repeatable. Adds archive.wacz")
    parser.add_argument("--force", action="store_true",
                        help="replace a non-empty --out (the old folder is removed only after "
                             "the new one is complete)")
    parser.set_defaults(run=run)


def format_list(text: str) -> list[str]:
    """``--formats``: known formats, comma-separated (anything else is a usage error, exit 2)."""
    from dvarchive.archive.package import PackageError, normalize_formats

    try:
        return normalize_formats(text.split(","))
    except PackageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def withdrawn_file(crawl_state: Any) -> dict[str, bytes]:
    """withdrawn.jsonl for a package of a crawl state: the articles the site withdrew (may be empty)."""
    from dvarchive.records import WITHDRAWN_FILE, withdrawn_bytes

    return {WITHDRAWN_FILE: b"".join(map(withdrawn_bytes, crawl_state.withdrawn_articles()))}


def run(args: argparse.Namespace) -> int:
    from dvarchive.archive.package import PackageError, SourceInfo, build_package, read_jsonl_records
    from dvarchive.state import CrawlState, StateError

    try:
        if args.state is not None:
            with CrawlState.open(args.state, lock=False, read_only=True) as crawl_state:
                result = build_package(
                    crawl_state.latest_records(), args.out, formats=args.formats,
                    force=args.force, source=SourceInfo(name=f"crawl state {args.state.name}"),
                    warcs=args.warcs, runs=all_runs(crawl_state),
                    extra_files=withdrawn_file(crawl_state),
                )
        else:
            source: Path = args.source
            if not source.is_file():
                raise exitcodes.CommandError(f"{source}: no such file")
            result = build_package(
                read_jsonl_records(source), args.out, formats=args.formats,
                force=args.force, source=SourceInfo.of_file(source), warcs=args.warcs,
            )
    except StateError as exc:
        raise exitcodes.CommandError(str(exc)) from None
    except PackageError as exc:
        raise exitcodes.CommandError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise exitcodes.CommandError(f"cannot build the package: {exc}") from None
    print(f"packaged {result.records} records into {result.out} "
          f"({result.records_read} read, {result.duplicates_dropped} duplicates dropped)", file=sys.stderr)
    for name, size in result.files.items():
        print(f"  {name:<24} {size:>12,} bytes", file=sys.stderr)
    if result.wacz_pages is not None:
        print(f"archive.wacz lists {result.wacz_pages} pages", file=sys.stderr)
    if result.wacz_missing:
        shown = ", ".join(result.wacz_missing[:5]) + (" …" if len(result.wacz_missing) > 5 else "")
        print(f"warning: {len(result.wacz_missing)} record(s) have no capture in the given WARC files "
              f"and are not in archive.wacz's pages list: {shown} (pass every WARC of the crawl)", file=sys.stderr)
    return exitcodes.OK


def all_runs(crawl_state: Any) -> list[Any]:
    """Every run of the state, oldest first (for the report)."""
    return sorted(crawl_state.recent_runs(limit=1_000_000), key=lambda run: run.run_id)
