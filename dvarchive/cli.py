"""The ``dvarchive`` command line: one sub-command per module in :mod:`dvarchive.commands`.

Each command module exposes ``HELP`` and ``register(subparsers)``, which adds its parser and
sets ``run=<function(args) -> int>`` as a default. Modules import their heavy dependencies
(Scrapy, pyarrow, …) inside ``run`` so that ``--help`` stays instant, and only the command
being run registers its full parser (the others are listed by their ``HELP``): building the
replica's parser alone imports the whole replica, which a crawl does not need.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from dvarchive import __version__, exitcodes

COMMANDS: tuple[str, ...] = (
    "crawl",
    "demo",
    "status",
    "export",
    "package",
    "verify",
    "report",
    "reextract",
    "replica",
    "probe",
)

DESCRIPTION = """\
Archive the provincial mass-mobilization board's news site (Ban Dân vận Tỉnh ủy):
crawl it politely, extract clean article records (JSONL), keep a resumable crawl
state, capture WARC evidence and package verifiable datasets.

Exit codes: 0 success · 1 the job could not run or failed · 2 bad usage ·
3 verification found differences · 4 degraded (the crawl ran but found no category or
article, an empty first listing, or mostly generic extraction) · 75 another crawl holds
the state (try later) · 130 interrupted. A closed stdout (`dvarchive status | head`) ends
a command quietly.
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser of ``command`` (of every command when None), the others by name and help."""
    parser = argparse.ArgumentParser(
        prog="dvarchive",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dvarchive {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"dvarchive.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dvarchive.commands.{name}":
                raise
            continue
        if command in (None, name):
            module.register(subparsers)
        else:
            subparsers.add_parser(name, help=module.HELP)
    return parser


def chosen_command(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names (its first non-option word), if it is one of ours."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's last flush does not complain of a closed pipe."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a closed stdout (``dvarchive status | head``) ends it quietly."""
    try:
        code = run_command(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        silence_stdout()
        return exitcodes.OK


def run_command(argv: list[str]) -> int:
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return exitcodes.INTERRUPTED
    except exitcodes.CommandError as exc:
        print(f"dvarchive {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
