"""``dvarchive reextract``: rebuild JSONL records from WARC captures, offline."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dvarchive import exitcodes

HELP = "rebuild article records from WARC files (no network)"
DESCRIPTION = """\
Re-run extraction over the responses archived in WARC files (from `dvarchive crawl
--warc`), e.g. after the extractor was improved, without touching the site.

Every archived 200 text/html response that is an article page (the board's
'-<digits>.html' URLs; on any other portal, a page that reads as an article, as generic
discovery recognised it during the crawl) is
extracted with the current extractor, normalized (NFC) and validated against the
schema, exactly as during a crawl: fetched_at is the capture's WARC-Date, the page is
decoded with the charset of the archived Content-Type (resolved as Scrapy resolved it
during the crawl; the page's own declaration when the header has none), and each
record's `warc` field points at its capture (file, record id, offset). Invalid records
and pages that turn out not to be articles are dropped and counted by reason. An
article captured more than once gives one record: the latest capture's.

The output is written to a temporary file and renamed over --output at the end
(UTF-8, one record per line, keys in schema order, sorted by publication time then
id). A summary goes to stderr.

A rotated crawl wrote several files (crawl.warc.gz, crawl-00001.warc.gz, ...): the first
one stands for the series (its continuations beside it are read too), or pass the folder.

Exit codes: 0 done · 1 a WARC file is missing or unreadable, or --output is not
writable · 2 bad usage · 4 no article record in the WARC files (--output left as it was).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("reextract", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warc", type=Path, nargs="+", required=True, metavar="FILE",
                        help="WARC files (.warc.gz or .warc) or folders holding them, read in order")
    parser.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.jsonl",
                        help="JSONL file to write (replaced atomically)")
    parser.add_argument("--site", default="danvan", metavar="KEY",
                        help="site key used in record ids '<site>:<id>' (default 'danvan')")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.archive.reextract import expand_warc_paths, reextract, write_jsonl_atomic
    from dvarchive.archive.warc import WarcReadError
    from dvarchive.runner import check_writable

    check_writable(args.output, "output file")
    paths = expand_warc_paths(args.warc)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing or not paths:
        raise exitcodes.CommandError(f"no such WARC file: {', '.join(missing) or ' '.join(map(str, args.warc))}")
    try:
        records, result = reextract(paths, site=args.site)
    except WarcReadError as exc:
        raise exitcodes.CommandError(f"cannot read the WARC files: {exc}") from None
    except OSError as exc:
        raise exitcodes.CommandError(f"cannot read the WARC files: {exc}") from None
    if not records:  # never replace the user's file with nothing, nor finish quietly on nothing
        dropped = "; ".join(f"{reason} {count}" for reason, count in sorted(result.dropped.items()))
        raise exitcodes.CommandError(
            f"no article record in {result.captures} capture(s) of {len(paths)} WARC file(s)"
            f"{f' (dropped: {dropped})' if dropped else ''}; {args.output} not written", exitcodes.DEGRADED)
    try:
        written = write_jsonl_atomic(records, args.output)
    except OSError as exc:
        raise exitcodes.CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"read {result.captures} captures from {len(paths)} WARC file(s): "
          f"{result.article_captures} article pages, {written} records written to {args.output}",
          file=sys.stderr)
    if result.superseded:
        print(f"  {result.superseded} older capture(s) superseded by a later one", file=sys.stderr)
    for reason, count in sorted(result.dropped.items()):
        print(f"  dropped {count}: {reason}", file=sys.stderr)
    return exitcodes.OK
