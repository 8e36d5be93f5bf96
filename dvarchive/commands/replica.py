"""``dvarchive replica``: serve the bundled replica of the site on loopback (for developers)."""
from __future__ import annotations

import argparse

HELP = "serve the bundled replica of the site on 127.0.0.1"
DESCRIPTION = """\
Serve the bundled replica of the board's site — its markup, realistic Vietnamese
content, traps (deleted articles, 500s, dropped connections, the endless "Sau »") and,
on request, fault modes — on a loopback port, to develop and test spiders locally.
Prints "READY <base URL>" once listening; stops on Ctrl-C.

Admin endpoints (robots-disallowed): POST /__replica__/add?n=N, /__replica__/edit?id=ID,
/__replica__/delete?id=ID; GET /__replica__/truth.jsonl, /__replica__/log.

Exit codes: 0 stopped by Ctrl-C/SIGTERM · 1 cannot listen (port taken) · 2 bad usage (unknown
fault, non-loopback host, port out of range).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    from dvarchive.replica.cli import add_arguments, serve_forever

    parser = subparsers.add_parser("replica", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.set_defaults(run=serve_forever)
