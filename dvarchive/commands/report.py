"""``dvarchive report``: counts and charts of an archive in one self-contained HTML file."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dvarchive import exitcodes

HELP = "write report.html: articles per month and category, gaps, field coverage, runs (charts)"
DESCRIPTION = """\
Write one self-contained HTML file (no script, stylesheet, font or image from anywhere:
charts are inline SVG) that shows the shape of an archive:

  the total number of articles; articles per month of publication and the months between
  the first and the last with no article (possible gaps); articles per category; field
  coverage (share of records with an author, a lead, images, attachments, …); the body
  length distribution; which extractor (page layout) made the records; and, from a crawl
  state, every run: articles new, changed and withdrawn, and errors.

Records are deduplicated by id as in `dvarchive package` (the latest capture wins) and must
be valid against the article schema. `dvarchive package` writes the same report as
report.html in every package. The file is replaced atomically.

Exit codes: 0 written · 1 unreadable or invalid input, or --out not writable · 2 bad usage.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    origin = parser.add_mutually_exclusive_group(required=True)
    origin.add_argument("--from", dest="source", type=Path, metavar="FILE.jsonl",
                        help="JSONL archive (one article record per line)")
    origin.add_argument("--state", type=Path, metavar="DIR",
                        help="crawl state: the latest version of every article, and the runs (read-only)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.html", help="HTML file to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.archive.package import TITLE, PackageError, default_created, prepare_records, read_jsonl_records
    from dvarchive.archive.report import render_report, write_report
    from dvarchive.commands.package import all_runs
    from dvarchive.runner import check_writable
    from dvarchive.state import CrawlState, StateError

    check_writable(args.out, "report file")
    try:
        if args.state is not None:
            with CrawlState.open(args.state, lock=False, read_only=True) as crawl_state:
                records, _, _ = prepare_records(crawl_state.latest_records())
                runs = all_runs(crawl_state)
            source, runs_or_none = f"crawl state {args.state.name}", runs
        else:
            if not args.source.is_file():
                raise exitcodes.CommandError(f"{args.source}: no such file")
            records, _, _ = prepare_records(read_jsonl_records(args.source))
            source, runs_or_none = args.source.name, None
        text = render_report(records, runs=runs_or_none, title=TITLE, source=source,
                             created=default_created(records))
        write_report(text, args.out)
    except (StateError, PackageError) as exc:
        raise exitcodes.CommandError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise exitcodes.CommandError(f"cannot write the report: {exc}") from None
    print(f"report of {len(records)} articles written to {args.out} ({len(text.encode()):,} bytes)", file=sys.stderr)
    return exitcodes.OK
