"""``archive.wacz``: the crawl's WARCs as a replayable web archive (WACZ 1.1), built with py-wacz.

A WACZ is a zip holding the WARC files under ``archive/``, a CDXJ index of every record under
``indexes/`` (written by ``cdxj-indexer``, which py-wacz drives), ``pages/pages.jsonl`` (the
pages a replay tool lists) and a ``datapackage.json`` with the sha256 of each of those files.
ReplayWeb.page and pywb open it as it is.

The pages list holds one entry per packaged record, located through the record's ``warc``
pointer (file + offset): the capture's own ``WARC-Target-URI`` and ``WARC-Date``, not the
record's canonical ``url`` (an article reached through a second category is archived under the
URL that was fetched). py-wacz keeps a passed page only when its ``ts/url`` matches a response
in the index, and drops the others with a printed line; this module counts them itself
(:attr:`WaczResult.missing`) so that nothing is dropped quietly.

py-wacz stamps the zip entries and ``created`` with the wall clock, so ``archive.wacz`` is the
one file of a package that is not byte-identical across two builds of the same input.
"""
from __future__ import annotations

import contextlib
import io
import json
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WACZ_NAME = "archive.wacz"
PAGES_PATH = "pages/pages.jsonl"
MEDIA_TYPE = "application/wacz"
_OUTPUT_TAIL = 2000


class WaczError(ValueError):
    """The WARCs cannot be turned into a WACZ (missing, unreadable, clashing names)."""


@dataclass
class WaczResult:
    path: Path
    pages: int
    warcs: list[str]
    missing: list[str] = field(default_factory=list)  # ids of records without a capture in the WARCs


def warc_inputs(paths: Iterable[Path]) -> list[Path]:
    """Each given WARC with its rotated continuations (``crawl-00001.warc.gz`` …); a directory
    stands for its WARC files. Two files with the same name would clash under ``archive/``."""
    from dvarchive.archive.warc import split_series_name, warc_series  # imports Scrapy: only when used

    given = [Path(p) for p in paths]
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and split_series_name(p)[2])
        elif path.is_file():
            found += warc_series(path)
        else:
            raise WaczError(f"{path}: no such WARC file")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    names = [p.name for p in unique]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise WaczError(f"two WARC files are named {', '.join(clashes)} (a WACZ stores them by name)")
    if not unique:
        raise WaczError("no WARC file found in " + ", ".join(map(str, given)))
    return unique


def page_entries(records: Sequence[dict[str, Any]], warcs: Sequence[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    """pages.jsonl entries (id, url, ts, title) of the records whose capture is in ``warcs``."""
    by_name = {path.name: path for path in warcs}
    pages, missing = [], []
    for record in records:
        ref = record.get("warc") or {}
        path = by_name.get(str(ref.get("file")))
        capture = _capture_headers(path, ref) if path is not None else None
        if capture is None:
            missing.append(record["id"])
            continue
        url, date = capture
        pages.append({"id": record["id"], "url": url, "ts": date, "title": record["title"]})
    return pages, missing


def _capture_headers(path: Path, ref: dict[str, Any]) -> tuple[str, str] | None:
    """(WARC-Target-URI, WARC-Date) of the response record ``ref`` points at, if it is there."""
    from warcio.exceptions import ArchiveLoadFailed

    from dvarchive.archive.warc import read_record_at

    try:
        archived, _ = read_record_at(path, int(ref["offset"]))
    except (OSError, ValueError, KeyError, TypeError, StopIteration, ArchiveLoadFailed):
        return None  # a pointer that leads to no record: the record has no capture here
    headers = archived.rec_headers
    if archived.rec_type != "response" or headers.get_header("WARC-Record-ID") != ref.get("record_id"):
        return None
    return headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date")


def write_pages_file(pages: Sequence[dict[str, Any]], path: Path, *, title: str) -> None:
    header = {"format": "json-pages-1.0", "id": "pages", "title": title}
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for entry in (header, *pages):
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def write_wacz(records: Sequence[dict[str, Any]], warc_paths: Iterable[Path], target: Path, *,
               title: str, description: str) -> WaczResult:
    """Build ``target`` from the WARCs with ``wacz create`` (py-wacz's own entry point)."""
    with warnings.catch_warnings():  # cdxj-indexer's AMF reader (py3amf) imports pkg_resources
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        from wacz.main import main as wacz_main

    warcs = warc_inputs(warc_paths)
    pages, missing = page_entries(records, warcs)
    pages_file = target.with_name(f".{target.name}.pages.jsonl")
    write_pages_file(pages, pages_file, title=title)
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            code = wacz_main(["create", "--output", str(target), "--pages", str(pages_file),
                              "--title", title, "--desc", description, *map(str, warcs)])
    except Exception as exc:  # py-wacz raises whatever its readers raise on a damaged WARC
        raise WaczError(f"wacz create failed: {type(exc).__name__}: {exc}") from None
    finally:
        pages_file.unlink(missing_ok=True)
    if code != 0:
        raise WaczError("wacz create failed: " + output.getvalue()[-_OUTPUT_TAIL:])
    listed = count_pages(target)
    if listed != len(pages):
        raise WaczError(f"wacz create listed {listed} of {len(pages)} pages: " + output.getvalue()[-_OUTPUT_TAIL:])
    return WaczResult(path=target, pages=listed, warcs=[p.name for p in warcs], missing=missing)


def count_pages(path: Path) -> int:
    """Entries of ``pages/pages.jsonl`` (its header line excluded), after checking every CRC."""
    with zipfile.ZipFile(path) as archive:
        damaged = archive.testzip()
        if damaged is not None:
            raise WaczError(f"{path.name}: {damaged} fails its CRC check")
        if PAGES_PATH not in archive.namelist():
            return 0
        with archive.open(PAGES_PATH) as stream:
            lines = [line for line in stream.read().split(b"\n") if line.strip()]
    return max(len(lines) - 1, 0)
