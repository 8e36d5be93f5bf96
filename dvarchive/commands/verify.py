"""``dvarchive verify``: recompute a dataset package's checksums and record counts."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from dvarchive import exitcodes

if TYPE_CHECKING:
    from dvarchive.archive.verify import VerifyReport

HELP = "check a dataset package: every checksum, size and record count"
DESCRIPTION = """\
Verify a folder made by `dvarchive package`: recompute the sha256 of every file and
compare it with manifest-sha256.txt (and the manifest with tagmanifest-sha256.txt),
compare each data resource's bytes, sha256 and record count (JSONL lines, CSV rows,
Parquet rows, SQLite rows after its integrity check, entries of archive.wacz's pages list
after every CRC of the zip) with datapackage.json, and report every file that differs,
what differs, and the expected and actual values. report.html, metadata.json and README.md
are covered by the manifest.

The two manifests and datapackage.json witness each other, so a damaged manifest entry
is reported as a damaged manifest, not as a damaged file.

Exit codes: 0 everything matches · 3 differences found (listed on stdout) ·
1 the folder is missing or is not a readable package · 2 bad usage.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("verify", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, metavar="DIR", help="the dataset package folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dvarchive.archive.verify import PackageUnreadable, verify_package

    try:
        report = verify_package(args.folder)
    except PackageUnreadable as exc:
        raise exitcodes.CommandError(str(exc)) from None
    for line in report_lines(report):
        print(line)
    return exitcodes.OK if report.ok else exitcodes.DIFFERENCES


def report_lines(report: VerifyReport) -> list[str]:
    changed = report.changed_files
    lines = []
    for name in sorted(set(report.files) | changed):
        count = report.counts.get(name)
        detail = f"  {count} records" if isinstance(count, int) else ""
        lines.append(f"{'DIFFERS' if name in changed else 'ok':<8}{name}{detail}")
    lines += [f"  {difference}" for difference in report.differences]
    if report.ok:
        lines.append(f"verified {report.folder}: {len(report.files)} files, every checksum and count matches")
    else:
        lines.append(f"{report.folder}: {len(changed)} file(s) differ: {', '.join(sorted(changed))}")
    return lines
