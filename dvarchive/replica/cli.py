"""Command line of the replica: ``python -m dvarchive.replica`` (and, wired by the lead, ``dvarchive replica``).

Prints exactly one line, ``READY <base_url>``, once the port is open, then serves until
SIGTERM or SIGINT.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from dvarchive.replica.faults import FAULTS, validate
from dvarchive.replica.server import ReplicaServer, ensure_loopback
from dvarchive.replica.site import DEFAULT_SEED, build_site
from dvarchive.replica.styles import STYLES

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=300, metavar="N", help="articles in the site (default 300)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                        help=f"content seed: same seed, same bytes (default {DEFAULT_SEED})")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port, 0 = any free one (default 0)")
    parser.add_argument("--faults", default="", metavar="A,B",
                        help="comma-separated fault modes to switch on: " + ", ".join(FAULTS))
    parser.add_argument("--no-traps", action="store_true",
                        help="no transient traps (500 once, dropped connection once, slow pages)")
    parser.add_argument("--style", default="danvan", choices=STYLES,
                        help="portal style: danvan (the board's site, default), liferay (VNPT Liferay "
                             "/web/guest/…), sharepoint (ASP.NET …aspx?CateID=&ItemID=), wordpress")
    parser.add_argument("--stall-seconds", type=float, default=5.0, metavar="S",
                        help="how long the 'stall' fault holds its first response (default 5)")


def parse_faults(text: str) -> frozenset[str]:
    return validate({name.strip() for name in text.split(",") if name.strip()})


def serve_forever(args: argparse.Namespace) -> int:
    """Run the replica in the foreground until SIGTERM/SIGINT; returns an exit code."""
    try:
        faults = parse_faults(args.faults)
        ensure_loopback(args.host)
        if args.style != "danvan" and faults:
            raise ValueError("fault modes apply to the danvan style only")
        if args.articles < 1:
            raise ValueError("--articles must be at least 1")
        if not 0 <= args.port <= 65535:
            raise ValueError(f"--port must be 0-65535, not {args.port}")
    except ValueError as exc:
        print(f"replica: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    site = build_site(args.articles, args.seed)
    server = ReplicaServer(site, host=args.host, port=args.port, faults=faults, traps=not args.no_traps,
                           stall_seconds=args.stall_seconds, style=args.style)
    try:
        server.start()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"replica: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        print(f"READY {server.base_url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dvarchive.replica",
                                     description="Serve the bundled replica of the site on loopback.")
    add_arguments(parser)
    return serve_forever(parser.parse_args(argv))
