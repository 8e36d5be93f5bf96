"""Verify a dataset package: every checksum, size and record count, and which file differs.

Three files make claims about the others:

* ``tagmanifest-sha256.txt`` — the sha256 of ``manifest-sha256.txt``;
* ``manifest-sha256.txt`` — the sha256 of every other file;
* ``datapackage.json`` — bytes, sha256 and record count of each data resource (rows of
  JSONL, CSV, Parquet and SQLite — after SQLite's integrity check —, entries of the pages
  list of ``archive.wacz`` — after checking every CRC of the zip).

A failing claim shows that *something* changed, not what: a damaged manifest entry and a
damaged file look the same from the manifest alone. The tag manifest settles it — when it
still matches the manifest, the manifest is intact and a mismatching file is the one that
changed; when it does not, either the manifest changed (then it is malformed or one of its
entries fails) or the tag manifest itself did. ``datapackage.json`` is a second witness for
the data files, so they are checked even when the manifest is damaged.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dvarchive.archive import formats
from dvarchive.archive.package import DATAPACKAGE, MANIFEST, TAGMANIFEST, sha256_file
from dvarchive.archive.wacz import WACZ_NAME, count_pages

_LINE = re.compile(r"([0-9a-f]{64})  ([^\x00-\x20/][^\x00-\x1f]*)")
_COUNTERS_BY_PATH = {name: formats.COUNTERS[fmt] for fmt, name in formats.FILE_NAMES.items()}
_COUNTERS_BY_PATH[WACZ_NAME] = count_pages  # entries of its pages list, after every zip CRC


class PackageUnreadable(Exception):
    """The folder is not a package at all, or cannot be read."""


@dataclass(frozen=True)
class Difference:
    """``file`` is the file that differs; ``source`` the file whose claim it fails."""

    file: str
    what: str
    expected: Any = None
    actual: Any = None
    source: str | None = None

    def __str__(self) -> str:
        text = f"{self.file}: {self.what}"
        if self.expected is not None or self.actual is not None:
            text += f": expected {self.expected}, actual {self.actual}"
        return text + (f" (per {self.source})" if self.source else "")


@dataclass
class VerifyReport:
    folder: Path
    files: list[str] = field(default_factory=list)  # every file whose sha256 was recomputed
    counts: dict[str, int | str] = field(default_factory=dict)  # data file -> records (or error)
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def changed_files(self) -> set[str]:
        return {d.file for d in self.differences}


@dataclass
class Manifest:
    entries: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    present: bool = True


def parse_manifest(path: Path) -> Manifest:
    """Strict BagIt-style parse: any deviation from ``<hex64>  <name>\\n`` is a problem."""
    if not path.is_file():
        return Manifest(present=False)
    manifest = Manifest()
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        manifest.problems.append(f"not UTF-8 ({exc.reason})")
        return manifest
    if text and not text.endswith("\n"):
        manifest.problems.append("last line does not end with a newline")
    for number, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        match = _LINE.fullmatch(line)
        if not match:
            manifest.problems.append(f"line {number} is not '<sha256>  <path>': {line[:80]!r}")
        elif match.group(2) in manifest.entries:
            manifest.problems.append(f"line {number} lists {match.group(2)} twice")
        else:
            manifest.entries[match.group(2)] = match.group(1)
    return manifest


def _hash_all(folder: Path) -> dict[str, str]:
    actual = {}
    for path in sorted(folder.iterdir()):
        if path.is_file():
            try:
                actual[path.name] = sha256_file(path)
            except OSError as exc:
                raise PackageUnreadable(f"cannot read {path}: {exc.strerror}") from None
    return actual


def _manifest_claims(manifest: Manifest, actual: dict[str, str], source: str) -> list[Difference]:
    """Failing claims of a manifest, attributed to the files it lists."""
    failures = []
    for name, expected in sorted(manifest.entries.items()):
        if name not in actual:
            failures.append(Difference(name, "missing", source=source))
        elif actual[name] != expected:
            failures.append(Difference(name, "sha256", expected, actual[name], source))
    return failures


def _charge_to(claimer: str, failures: list[Difference]) -> list[Difference]:
    """Re-attribute failing claims to the (changed) file that made them."""
    return [Difference(claimer, f"entry for {d.file}: {d.what}", d.expected, d.actual) for d in failures]


def check_manifests(folder: Path, actual: dict[str, str]) -> list[Difference]:
    tag, manifest = parse_manifest(folder / TAGMANIFEST), parse_manifest(folder / MANIFEST)
    listed = set(manifest.entries) | {MANIFEST, TAGMANIFEST}
    manifest_failures = _manifest_claims(manifest, actual, MANIFEST) + [
        Difference(name, "not listed in the manifest", source=MANIFEST)
        for name in sorted(set(actual) - listed)
    ]
    manifest_bad = [Difference(MANIFEST, p) for p in manifest.problems]
    if not manifest.present:
        return [Difference(MANIFEST, "missing")]
    tag_failures = [Difference(TAGMANIFEST, p) for p in tag.problems]
    if not tag.present:
        tag_failures = [Difference(TAGMANIFEST, "missing")]
    elif MANIFEST not in tag.entries and not tag.problems:
        tag_failures.append(Difference(TAGMANIFEST, f"does not list {MANIFEST}"))
    tag_claims = _manifest_claims(tag, actual, TAGMANIFEST)
    if not tag_failures and not tag_claims:  # the manifest is exactly as packaged
        return manifest_bad + manifest_failures
    if tag_claims and (manifest_bad or manifest_failures):  # the manifest changed
        return tag_claims + manifest_bad + _charge_to(MANIFEST, manifest_failures)
    if tag_claims:  # the manifest is well-formed and every entry holds: the tag manifest changed
        return _charge_to(TAGMANIFEST, tag_claims)
    return tag_failures + manifest_bad + manifest_failures


def load_datapackage(folder: Path) -> tuple[dict[str, Any] | None, str | None]:
    try:
        descriptor = json.loads((folder / DATAPACKAGE).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None, "missing"
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"not valid JSON ({exc})"
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, "has no resources list"
    return descriptor, None


def count_records(path: Path) -> int | str:
    counter = _COUNTERS_BY_PATH.get(path.name)
    if counter is None:
        return "no counter for this file"
    try:
        return counter(path)
    except Exception as exc:  # any parse failure of a damaged file is a finding, not a crash
        return f"unreadable ({type(exc).__name__}: {str(exc)[:120]})"


def resource_claims(folder: Path, resource: dict[str, Any], actual: dict[str, str],
                    counts: dict[str, int | str]) -> list[Difference]:
    name = str(resource.get("path"))
    if name not in actual:
        return [Difference(name, "missing", source=DATAPACKAGE)]
    failures = []
    expected_hash = str(resource.get("hash", "")).removeprefix("sha256:")
    if expected_hash != actual[name]:
        failures.append(Difference(name, "sha256", expected_hash, actual[name], DATAPACKAGE))
    size = (folder / name).stat().st_size
    if resource.get("bytes") != size:
        failures.append(Difference(name, "bytes", resource.get("bytes"), size, DATAPACKAGE))
    counts[name] = count_records(folder / name)
    if resource.get("count") != counts[name]:
        failures.append(Difference(name, "records", resource.get("count"), counts[name], DATAPACKAGE))
    return failures


def check_datapackage(folder: Path, actual: dict[str, str], manifest_diffs: list[Difference],
                      counts: dict[str, int | str]) -> list[Difference]:
    descriptor, problem = load_datapackage(folder)
    if descriptor is None:
        return [Difference(DATAPACKAGE, problem or "unreadable")]
    failures: list[Difference] = []
    for resource in descriptor["resources"]:
        if isinstance(resource, dict):
            failures += resource_claims(folder, resource, actual, counts)
    if any(d.file == DATAPACKAGE for d in manifest_diffs):  # it changed: its claims are its own
        return _charge_to(DATAPACKAGE, failures)
    return failures


def verify_package(folder: Path) -> VerifyReport:
    """Recompute every checksum and count of the package in ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PackageUnreadable(f"{folder}: no such directory")
    if not (folder / MANIFEST).is_file() and not (folder / DATAPACKAGE).is_file():
        raise PackageUnreadable(f"{folder}: not a dataset package (no {MANIFEST}, no {DATAPACKAGE})")
    actual = _hash_all(folder)
    report = VerifyReport(folder=folder, files=sorted(actual))
    manifest_diffs = check_manifests(folder, actual)
    report.differences = manifest_diffs + check_datapackage(folder, actual, manifest_diffs, report.counts)
    return report
