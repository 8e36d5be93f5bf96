"""``dvarchive status``: what a scheduled crawl's state holds and how its last runs went."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvarchive import exitcodes
from dvarchive.commands.crawl import non_negative_int

if TYPE_CHECKING:
    from dvarchive.state import RunSummary, StateSummary

HELP = "show what a crawl state holds and how its last runs went"
DESCRIPTION = """\
Summarize the crawl state of a schedule (the directory given to `dvarchive crawl --state`):
how many articles it holds, how many versions (edits the site made and recrawls found),
how many articles the site has withdrawn (their data is kept), the same per category with
the newest publication date, the last run (start, end, duration, mode, requests, new,
changed, errors, why it finished) and a table of the last runs.

Read-only: it takes no lock and opens the database read-only, so it works while a crawl
runs (it then shows the running crawl's pid). A run whose process was killed shows as
"interrupted".

Exit codes: 0 shown · 1 no state in DIR, or it is unreadable or corrupt · 2 bad usage.
"""
EPILOG = """\
examples:
  dvarchive status --state /var/lib/dvarchive/state
  dvarchive status --state /var/lib/dvarchive/state --json | jq .last_run
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("status", help=HELP, description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, required=True, metavar="DIR",
                        help="the crawl state directory (holds state.sqlite)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object instead of text (counts at the top level: "
                             "articles, versions, withdrawn, runs; plus categories, last_run, recent_runs, running)")
    parser.add_argument("--runs", type=non_negative_int, default=10, metavar="N",
                        help="how many recent runs to list (default 10)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.state import CrawlState, StateError

    try:
        with CrawlState.open(args.state, read_only=True) as state:
            summary = state.summary()
            runs = state.recent_runs(max(args.runs, 0))
            running = state.running_holder()
    except StateError as exc:
        raise exitcodes.CommandError(str(exc)) from None
    if args.json:
        print(json.dumps(as_json(summary, runs, running), ensure_ascii=False, indent=2))
    else:
        print("\n".join(text_lines(summary, runs, running)))
    sys.stdout.flush()
    return exitcodes.OK


def as_json(summary: "StateSummary", runs: list["RunSummary"], running: dict[str, Any] | None) -> dict[str, Any]:
    return summary.as_dict() | {"recent_runs": [r.as_dict() for r in runs], "running": running}


# --- text ---------------------------------------------------------------------------------------------
def text_lines(summary: "StateSummary", runs: list["RunSummary"], running: dict[str, Any] | None) -> list[str]:
    lines = [
        f"Crawl state {summary.path} (schema {summary.schema_version})",
        f"  articles  : {summary.articles} ({summary.articles - summary.withdrawn} live)",
        f"  versions  : {summary.versions} ({summary.versions - summary.articles} later versions of edited articles)",
        f"  withdrawn : {summary.withdrawn} (gone from the site; their records are kept)",
        f"  dead links: {summary.dead_links} (listed, but gone before they could be captured)",
        f"  runs      : {summary.runs}" + (f" — a crawl is running now (pid {running.get('pid')}, "
                                           f"started {running.get('started')})" if running else ""),
    ]
    lines += [""] + category_lines(summary)
    if summary.last_run:
        lines += [""] + last_run_lines(summary.last_run, running)
    if runs:
        lines += ["", f"Last {len(runs)} runs (newest first)"] + run_table(runs, running)
    return lines


def category_lines(summary: "StateSummary") -> list[str]:
    if not summary.categories:
        return ["Categories: none yet"]
    rows = [["category", "articles", "withdrawn", "newest published"]]
    rows += [[c.name or "(no category)", str(c.articles), str(c.withdrawn), c.newest_published or "-"]
             for c in summary.categories]
    return ["Categories"] + table(rows, right=(1, 2))


def last_run_lines(last: "RunSummary", running: dict[str, Any] | None) -> list[str]:
    state = end_state(last, running)
    ended = last.ended_at is not None
    return [
        f"Last run #{last.run_id} ({last.mode}) of {last.start_url}",
        f"  started   : {last.started_at}",
        f"  ended     : {last.ended_at if ended else '-'}",
        f"  duration  : {format_duration(last.duration_seconds) if ended else running_for(last, state)}",
        f"  requests  : {last.requests if ended else '- (counted at the end of the run)'}",
        f"  new       : {last.new}",
        f"  changed   : {last.changed}",
        f"  unchanged : {last.unchanged}",
        f"  withdrawn : {last.withdrawn}",
        f"  errors    : {last.errors if ended else '- (counted at the end of the run)'}",
        f"  finished  : {state}",
    ]


def running_for(run: "RunSummary", state: str) -> str:
    """How long an un-ended run has been going, if it is running now."""
    if state != "running":
        return "-"
    from dvarchive.state.models import parse_instant
    from dvarchive.timeutil import utc_now

    started = parse_instant(run.started_at)
    return f"{format_duration(max(0.0, (utc_now() - started).total_seconds()))} so far" if started else "-"


def end_state(run: "RunSummary", running: dict[str, Any] | None) -> str:
    """What an un-ended run is: the crawl running now, or one whose process died."""
    if run.ended_at:
        return run.finish_reason or "-"
    if running and run.finish_reason is None:
        return "running"
    return "interrupted (the process ended without recording the end of the run)"


def run_table(runs: list["RunSummary"], running: dict[str, Any] | None) -> list[str]:
    rows = [["run", "mode", "started", "duration", "requests", "new", "changed", "withdrawn", "errors", "finish"]]
    for i, r in enumerate(runs):
        finish = r.finish_reason if r.ended_at else end_state(r, running if i == 0 else None).split(" (")[0]
        rows.append([str(r.run_id), r.mode, r.started_at, format_duration(r.duration_seconds), str(r.requests),
                     str(r.new), str(r.changed), str(r.withdrawn), str(r.errors), finish or "-"])
    return table(rows, right=(0, 3, 4, 5, 6, 7, 8))


def table(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                             for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows]


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
