"""Steady-state cost of ``parse_date`` per input form.

    python benchmarks/bench_dates.py [--quick]

Every form is timed with ``timeit`` in several interleaved rounds (the first call of the first
round also warms caches and imports dateparser for the fallback forms, so the minimum is the
steady state); the reported figure is the best time per call — the least noisy estimate of the
steady-state cost on a shared machine.  The stage each form takes is checked, not assumed.
Prints a Markdown table and writes it to docs/dates-benchmark.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import timeit
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dvarchive.normalize import dates  # noqa: E402
from dvarchive.normalize.dates import fallback_calls, format_iso, parse_date  # noqa: E402
from machine import cpu_model  # benchmarks/machine.py (scripts run from benchmarks/)

TARGET_US = 20.0
NOW = datetime(2025, 1, 22, 10, 0)

# (form, example, path it is expected to take)
FORMS: list[tuple[str, str, str]] = [
    ("d.m.yyyy - h:mm (article page)", "28.2.2018 - 9:21", "fast"),
    ("d.m.yyyy (listing)", "28.2.2018", "fast"),
    ("dd/mm/yyyy hh:mm:ss", "28/02/2018 09:21:33", "fast"),
    ("hh:mm dd/mm/yyyy", "09:21 28/02/2018", "fast"),
    ("dd/mm/yyyy | hh:mm PM", "03/04/2020 | 10:36 PM", "fast"),
    ("dd/mm/yyyy h:mm:ss CH", "21/01/2019 3:45:12 CH", "fast"),
    ("label + d.m.yyyy - h:mm", "Cập nhật: 1.3.2018 - 10:05", "fast"),
    ("label + dd/mm/yyyy", "Ngày đăng: 24/09/2018", "fast"),
    ("weekday + dd/mm/yyyy - hh:mm", "Thứ Tư, 28/02/2018 - 09:21", "fast"),
    ("T4 + dd/mm/yyyy", "T4, 28/02/2018", "fast"),
    ("label, time, weekday, date, (GMT+7)", "Cập nhật lúc 16:20, Thứ Năm, 10/01/2019 (GMT+7)", "fast"),
    ("ISO 8601 with offset", "2018-02-28T09:21:00+07:00", "fast"),
    ("ISO 8601 UTC", "2018-02-28T02:21:00Z", "fast"),
    ("ISO 8601 date", "2018-02-28", "fast"),
    ("RFC 822", "Wed, 28 Feb 2018 09:21:00 +0700", "fast"),
    ("NFD + nbsp + zwsp, weekday form", "\u200bTh\u01b0\u0301\u00a0T\u01b0, 28/02/2018 - 09:21", "fast"),
    ("weekday, ngày d tháng m năm y h:mm (GMT +7)",
     "Chủ nhật, ngày 08 tháng 12 năm 2024 16:02 (GMT +7)", "fast"),
    ("d Tháng <word> yyyy", "5 Tháng Sáu 2019", "fast"),
    ("9h21 ngày d/m/yyyy", "9h21 ngày 28/2/2018", "tokenizer"),
    ("9 giờ 21 phút ngày d/m/yyyy", "9 giờ 21 phút ngày 28/2/2018", "tokenizer"),
    ("place, ngày d tháng m năm y", "Hà Nội, ngày 5 tháng 3 năm 2018", "tokenizer"),
    ("relative: 2 giờ trước", "2 giờ trước", "relative"),
    ("relative: hôm qua 14:30", "hôm qua 14:30", "relative"),
    ("refused: document number", "Quyết định số 217-QĐ/TW", "tokenizer (None)"),
    ("refused: 31/02/2018", "31/02/2018", "fast (None)"),
    ("English month name", "February 28, 2018", "dateparser"),
    ("English, weekday + time", "Wednesday, February 28, 2018 9:21 PM", "dateparser"),
    ("English, ordinal", "28th of February 2018", "dateparser"),
]


def actual_path(text: str) -> str:
    """Which stage decides ``text``: 'fast', 'structured' (relative forms, tokenizer) or 'dateparser'."""
    try:
        if dates._parse_fast(dates._clean(text)) is not None:
            return "fast"
    except dates._Reject:
        return "fast"
    before = fallback_calls()
    parse_date(text, now=NOW)
    return "dateparser" if fallback_calls() > before else "structured"


def measure(quick: bool) -> list[tuple[str, str, str, str, float]]:
    """Best time per call of each form, sampled over several interleaved rounds.

    Interleaving spreads each form's samples over the whole run, so a burst of load from other
    processes cannot spoil all samples of one form.
    """
    rounds = 2 if quick else 7
    best = {text: float("inf") for _, text, _ in FORMS}
    for _ in range(rounds):
        for _, text, path in FORMS:
            slow = path == "dateparser"
            number = (10 if slow else 1000) // (5 if quick else 1)
            timer = timeit.Timer(lambda text=text: parse_date(text, now=NOW))
            best[text] = min(best[text], min(timer.repeat(repeat=3, number=number)) / number)
    rows = []
    for name, text, path in FORMS:
        if actual_path(text) != path.split(" ")[0].replace("relative", "structured").replace(
                "tokenizer", "structured"):
            raise SystemExit(f"{text!r}: expected path {path!r}, took {actual_path(text)!r}")
        result = parse_date(text, now=NOW)
        rows.append((name, text, path, format_iso(result) if result else "None", best[text] * 1e6))
    return rows


def markdown(rows: list[tuple[str, str, str, str, float]], quick: bool) -> str:
    numeric = [us for _, _, path, _, us in rows if path.startswith("fast")]
    lines = [
        "# `parse_date` benchmark",
        "",
        f"- Machine: {cpu_model()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count() or 1} CPUs",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"load average at the end: {_load()} (a shared machine inflates every number)",
        f"- Generated {datetime.now().strftime('%Y-%m-%d %H:%M')} by `python benchmarks/bench_dates.py`"
        f"{' --quick' if quick else ''}; steady state (after a warm-up call), best of several "
        "`timeit` runs.",
        f"- Fast-path forms: max {max(numeric):.1f} µs, median {sorted(numeric)[len(numeric) // 2]:.1f} µs "
        f"per call (target < {TARGET_US:.0f} µs).",
        "",
        "| form | example | path | result | µs/call |",
        "| --- | --- | --- | --- | ---: |",
    ]
    for name, text, path, result, micros in rows:
        example = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
        cells = (name, f"`{example}`", path, result, f"{micros:.1f}")
        lines.append("| " + " | ".join(cell.replace("|", "&#124;") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke run)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    table = markdown(measure(args.quick), args.quick)
    print(table)
    if not args.no_write:
        out = REPO / "docs" / "dates-benchmark.md"
        out.write_text(table, encoding="utf-8")
        print(f"written to {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
