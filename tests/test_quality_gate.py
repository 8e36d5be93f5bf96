"""Quality gate: the extractor on the evaluation set (``tests/eval``) meets every pinned floor.

One test per metric of ``tests/eval/floors.json``; a miss names the worst pages. The set, the
scoring and the floor rules are described in ``docs/quality.md``; raise floors with
``python benchmarks/eval_extraction.py --update-floors`` (lowering one needs ``--allow-lower``).
"""
from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from dvarchive.replica import VARIATIONS  # noqa: E402
from eval import evalset, scoring  # noqa: E402

FLOORS = scoring.load_floors(evalset.FLOORS)
MIN_PAGES_PER_VARIATION = 3
MIN_REPLICA_PAGES = 40
FAULTS = ("cp1258", "malformed", "xss")


@cache
def report() -> scoring.Report:
    return scoring.score((case.page, case.expected, evalset.extract(case)) for case in evalset.load_cases())


@pytest.mark.parametrize("metric", list(FLOORS))
def test_metric_meets_floor(metric: str) -> None:
    measured = report().metrics()[metric]
    bound = FLOORS[metric]
    worst = "\n  ".join(report().worst(metric, limit=8)) or "(no page named)"
    assert bound.met(measured), (
        f"{metric} = {measured:.4f} misses its floor ({bound.kind} {bound.value}); worst pages:\n  {worst}")


def test_floors_are_never_looser_than_acceptance() -> None:
    for name, accept in scoring.ACCEPTANCE.items():
        assert name in FLOORS, f"floors.json lacks {name}"
        assert not FLOORS[name].looser_than(accept), f"{name}: {FLOORS[name]} is looser than {accept}"


def test_saved_pages_are_intact() -> None:
    for entry in evalset.load_manifest()["pages"]:
        path = evalset.resolve(entry["html"])
        assert evalset.sha256_file(path) == entry["sha256"], f"{path} changed: regenerate the set"


def test_set_covers_every_replica_variation() -> None:
    counts = Counter(v for case in evalset.load_cases() for v in case.variations)
    thin = {name: counts[name] for name in VARIATIONS if counts[name] < MIN_PAGES_PER_VARIATION}
    assert not thin, f"variations on too few pages (regenerate the set): {thin}"


def test_set_has_samples_replica_and_fault_pages() -> None:
    cases = evalset.load_cases()
    kinds = Counter(case.kind for case in cases)
    assert kinds["sample"] == 3 and kinds["replica"] >= MIN_REPLICA_PAGES and kinds["deleted"] >= 1
    assert {fault for case in cases for fault in case.faults} >= set(FAULTS)
    cp1258 = [case for case in cases if "cp1258" in case.faults]
    assert all(case.http_charset == "windows-1258" for case in cp1258)
    assert all(b"charset=windows-1258" in case.html[:2048] for case in cp1258)
