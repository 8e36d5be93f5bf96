"""Dataset packages: a folder with the records in several formats, described and checksummed.

Layout of a package (``dvarchive package --out DIR``)::

    articles.jsonl          reference form (see dvarchive.archive.tables)
    articles.csv            spreadsheet form, UTF-8 with BOM, lists/objects as JSON cells
    articles.parquet        typed columnar form
    articles.sqlite         with --formats …,sqlite: SQLite with a full-text index, and
    metadata.json           Datasette's metadata for it (dvarchive.archive.sqlite)
    archive.wacz            with WARCs given: the web archive, replayable (dvarchive.archive.wacz)
    report.html             counts and charts of the collection (dvarchive.archive.report)
    datapackage.json        Frictionless Data Package v1: resources (bytes, sha256, count,
                            schemas), date range, categories, provenance
    README.md               dataset card: counts per category and year, field coverage
    manifest-sha256.txt     BagIt-style "<sha256>  <path>" for every file above
    tagmanifest-sha256.txt  the same for manifest-sha256.txt, so that `verify` can tell a
                            damaged manifest from a damaged file it lists

The package is a pure function of its input records: rows are sorted (published, then id
in natural order, undated last), and ``created`` is the newest ``fetched_at`` of the
records (or ``$SOURCE_DATE_EPOCH`` when set) rather than the wall clock, so the same input
gives byte-identical files and manifest — except ``archive.wacz``, whose zip entries and
``created`` py-wacz stamps with the wall clock. The folder is built in a temporary sibling
and renamed into place, so readers never see a half-written package.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dvarchive import __version__
from dvarchive.archive import formats as table_formats
from dvarchive.archive import tables
from dvarchive.archive.report import REPORT_NAME, render_report
from dvarchive.archive.wacz import WACZ_NAME, WaczError, write_wacz
from dvarchive.atomic import dir_mode
from dvarchive.schema import article_schema, validation_errors
from dvarchive.timeutil import parse_utc_iso, to_utc_iso

if TYPE_CHECKING:
    from dvarchive.state import RunSummary

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "sqlite")
DEFAULT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
FORMAT_LABELS = {"jsonl": "JSONL", "csv": "CSV", "parquet": "Parquet", "sqlite": "SQLite"}
TITLE = "Articles of the provincial mass-mobilization board (Ban Dân vận Tỉnh ủy)"
WACZ_DESCRIPTION = "Every page the crawl fetched, as captured (HTTP requests and responses in WARC files)."
#: What the package's users may do with the texts: dvarchive grants no rights the publisher did not.
LICENCE = {"name": "other-closed",
           "title": "Copyright of the publisher (the board); archived for preservation and research, "
                    "no licence to republish is implied"}
DATAPACKAGE = "datapackage.json"
DATASETTE_METADATA = "metadata.json"
README = "README.md"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
EPOCH = "1970-01-01T00:00:00Z"
_MAX_REPORTED_ERRORS = 5


class PackageError(ValueError):
    """The input or the target folder does not allow building a package."""


@dataclass(frozen=True)
class SourceInfo:
    """Where the records came from, for the provenance section."""

    name: str
    sha256: str | None = None
    bytes: int | None = None

    @classmethod
    def of_file(cls, path: Path) -> SourceInfo:
        return cls(name=path.name, sha256=sha256_file(path), bytes=path.stat().st_size)


@dataclass
class PackageResult:
    out: Path
    records: int
    records_read: int
    duplicates_dropped: int
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes
    wacz_pages: int | None = None  # entries of archive.wacz's pages list (None: no WACZ)
    wacz_missing: list[str] = field(default_factory=list)  # record ids with no capture in the WARCs


# --------------------------------------------------------------------------- input


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_jsonl_records(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSONL file; a line that is not a JSON object is an error naming it."""
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PackageError(f"{path.name} line {number}: not JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise PackageError(f"{path.name} line {number}: not a JSON object")
            yield record


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """'danvan:987' < 'danvan:1234' (digit runs compare as numbers)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)


def sort_key(record: dict[str, Any]) -> tuple[Any, ...]:
    published = record.get("published")
    instant = datetime.fromisoformat(published).timestamp() if published else 0.0
    return (published is None, instant, natural_key(record["id"]))


def _recency(record: dict[str, Any]) -> tuple[int, datetime]:
    fetched = record.get("fetched_at")
    when = parse_utc_iso(fetched) if fetched else datetime.min.replace(tzinfo=timezone.utc)
    return (record.get("version") or 0, when)


def prepare_records(records: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, int]:
    """Validate, dedupe by id (the latest version/capture wins) and sort.

    Returns (records, read, duplicates dropped). Invalid records are an error: a dataset
    package only holds schema-valid records.
    """
    latest: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    read = 0
    for read, record in enumerate(records, 1):
        reasons = validation_errors(record)
        if reasons:
            problems.append(f"record {read} ({record.get('id', 'no id')}): {'; '.join(reasons)}")
            continue
        current = latest.get(record["id"])
        if current is None or _recency(record) >= _recency(current):
            latest[record["id"]] = record
    if problems:
        shown = problems[:_MAX_REPORTED_ERRORS]
        more = len(problems) - len(shown)
        raise PackageError(f"{len(problems)} invalid record(s): " + " | ".join(shown)
                           + (f" | … {more} more" if more else ""))
    ordered = sorted(latest.values(), key=sort_key)
    return ordered, read, read - len(ordered)


def default_created(records: Sequence[dict[str, Any]]) -> str:
    """Deterministic 'created': $SOURCE_DATE_EPOCH, else the newest fetched_at, else the epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return to_utc_iso(datetime.fromtimestamp(int(epoch), timezone.utc))
    fetched = [parse_utc_iso(r["fetched_at"]) for r in records if r.get("fetched_at")]
    return to_utc_iso(max(fetched)) if fetched else EPOCH


# --------------------------------------------------------------------------- build


def check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise PackageError(f"{out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise PackageError(f"{out} is not empty (use --force to replace it)")


def build_package(
    records: Iterable[dict[str, Any]],
    out: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    force: bool = False,
    source: SourceInfo | None = None,
    created: str | None = None,
    warcs: Sequence[Path] = (),
    runs: Sequence[RunSummary] | None = None,
    extra_files: dict[str, bytes] | None = None,
) -> PackageResult:
    """Write a dataset package of ``records`` (any iterable of dicts) to ``out`` atomically.

    ``warcs`` (files or folders) add ``archive.wacz``; ``runs`` (a crawl state's) add the runs
    section of ``report.html``.
    """
    out = Path(out)
    formats = normalize_formats(formats)
    check_target(out, force)
    prepared, read, dropped = prepare_records(records)
    if not prepared:  # never finish quietly on nothing: an empty package is a mistake upstream
        raise PackageError(f"no article record to package ({read} read): nothing was written")
    created = created or default_created(prepared)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    result = PackageResult(out=out, records=len(prepared), records_read=read, duplicates_dropped=dropped)
    try:
        os.chmod(staging, dir_mode())  # mkdtemp's 0700 would outlive the rename: give mkdir's mode
        for name, data in (extra_files or {}).items():  # e.g. withdrawn.jsonl (in the manifest)
            (staging / name).write_bytes(data)
        write_contents(staging, prepared, formats=formats, source=source, created=created,
                       stats={"records_read": read, "duplicates_dropped": dropped},
                       warcs=warcs, runs=runs, result=result)
        check_target(out, force)
        replace_dir(staging, out)
    except WaczError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PackageError(str(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.files = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    return result


def normalize_formats(formats: Sequence[str]) -> list[str]:
    wanted = [f.strip().lower() for f in formats if f.strip()]
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown or not wanted:
        raise PackageError(f"unknown format(s) {', '.join(unknown) or '(none)'}; choose from "
                           + ", ".join(FORMATS))
    return [f for f in FORMATS if f in wanted]


def write_contents(
    folder: Path, records: list[dict[str, Any]], *, formats: Sequence[str],
    source: SourceInfo | None, created: str, stats: dict[str, int],
    warcs: Sequence[Path] = (), runs: Sequence[RunSummary] | None = None, result: PackageResult | None = None,
) -> None:
    resources = []
    for fmt in formats:
        path = folder / table_formats.FILE_NAMES[fmt]
        count = table_formats.WRITERS[fmt](records, path)
        resources.append(resource_descriptor(fmt, path, count))
    if warcs:
        resources.append(wacz_resource(folder, records, warcs, result))
    descriptor = datapackage_descriptor(records, resources, source=source, created=created, stats=stats)
    descriptor["provenance"]["libraries"].update(library_versions(formats, bool(warcs)))
    if result is not None and result.wacz_pages is not None:
        descriptor["provenance"]["wacz"] = {"pages": result.wacz_pages,
                                            "records_without_capture": len(result.wacz_missing)}
    write_text(folder / DATAPACKAGE, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    write_text(folder / README, dataset_card(records, descriptor))
    if "sqlite" in formats:
        write_text(folder / DATASETTE_METADATA, json.dumps(datasette_metadata(descriptor), ensure_ascii=False,
                                                           indent=2) + "\n")
    write_text(folder / REPORT_NAME, render_report(records, runs=runs, title=TITLE, created=created,
                                                   source=(source.name if source else "records")))
    write_manifest(folder, MANIFEST, [p.name for p in folder.iterdir()])
    write_manifest(folder, TAGMANIFEST, [MANIFEST])
    fsync_tree(folder)


def wacz_resource(folder: Path, records: list[dict[str, Any]], warcs: Sequence[Path],
                  result: PackageResult | None) -> dict[str, Any]:
    path = folder / WACZ_NAME
    made = write_wacz(records, warcs, path, title=TITLE, description=WACZ_DESCRIPTION)
    if result is not None:
        result.wacz_pages, result.wacz_missing = made.pages, made.missing
    return {"name": "archive-wacz", "path": WACZ_NAME, "profile": "data-resource", "type": "file",
            "format": "wacz", "mediatype": "application/wacz", "bytes": path.stat().st_size,
            "hash": f"sha256:{sha256_file(path)}", "count": made.pages,
            "description": "Web archive (WACZ 1.1) of the crawl's WARC files: "
                           + ", ".join(made.warcs) + "; count = entries of its pages list."}


def library_versions(formats: Sequence[str], wacz: bool) -> dict[str, str]:
    """Versions of the libraries that wrote the package's other files."""
    from importlib.metadata import version

    names = ["matplotlib", *(["sqlite-utils"] if "sqlite" in formats else []),
             *(["wacz", "cdxj-indexer"] if wacz else [])]
    return {name: version(name) for name in names}


def describe(formats: Sequence[str]) -> str:
    names = [FORMAT_LABELS[f] for f in formats]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return ("News articles archived from the board's website by dvarchive: one schema-valid "
            f"record per article, in {listed}.")


def datasette_metadata(descriptor: dict[str, Any]) -> dict[str, Any]:
    from dvarchive.archive.sqlite import datasette_metadata as metadata

    sources = descriptor["sources"]
    return metadata(title=descriptor["title"], description=descriptor["description"],
                    source=sources[0]["title"] if sources else None,
                    source_url=sources[0]["path"] if sources else None, licence=LICENCE["title"])


def write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)


def manifest_text(folder: Path, names: Iterable[str]) -> str:
    return "".join(f"{sha256_file(folder / name)}  {name}\n" for name in sorted(names))


def write_manifest(folder: Path, manifest: str, names: Iterable[str]) -> None:
    write_text(folder / manifest, manifest_text(folder, names))


def fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as stream:
            os.fsync(stream.fileno())
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def replace_dir(staging: Path, out: Path) -> None:
    """Move ``staging`` to ``out``; an existing ``out`` is moved aside first, then deleted."""
    if not out.exists():
        os.rename(staging, out)
        return
    aside = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(out, aside)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(aside, out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


# --------------------------------------------------------------------------- datapackage.json


def resource_descriptor(fmt: str, path: Path, count: int) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": f"articles-{fmt}",
        "path": path.name,
        "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
        "format": fmt,
        "mediatype": table_formats.MEDIA_TYPES[fmt],
    }
    if fmt != "csv":
        # Frictionless would read JSONL/Parquet as flat tables (JSONL nests objects; Parquet
        # needs pandas): "type": "file" makes it check them as files (bytes and hash).
        resource["type"] = "file"
    if fmt == "jsonl":
        resource["encoding"] = "utf-8"
    elif fmt == "csv":
        resource["encoding"] = "utf-8-sig"  # UTF-8 with a byte-order mark
    resource.update({"bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}", "count": count})
    if fmt == "csv":
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                               "doubleQuote": True, "header": True}
        resource["schema"] = tables.table_schema()
    elif fmt == "jsonl":
        resource["jsonSchema"] = article_schema()  # one JSON object per line follows this schema
    return resource


def package_name(records: Sequence[dict[str, Any]]) -> str:
    sites = sorted({r["site"] for r in records})
    stem = sites[0] if len(sites) == 1 else "dvarchive"
    return re.sub(r"[^a-z0-9._-]+", "-", f"{stem}-articles".lower())


def date_range(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    dated = [r["published"] for r in records if r.get("published")]
    instants = sorted(dated, key=lambda p: datetime.fromisoformat(p))
    return {"first": instants[0] if instants else None, "last": instants[-1] if instants else None,
            "undated": len(records) - len(dated)}


def category_counts(records: Sequence[dict[str, Any]]) -> list[tuple[str | None, int]]:
    counts = Counter(r.get("category") for r in records)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))


def year_counts(records: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    counts = Counter((r.get("published") or "")[:4] or "undated" for r in records)
    return sorted(counts.items(), key=lambda item: (item[0] == "undated", item[0]))


def origins(records: Sequence[dict[str, Any]]) -> list[str]:
    return sorted({f"{urlsplit(r['url']).scheme}://{urlsplit(r['url']).netloc}/" for r in records})


def datapackage_descriptor(
    records: Sequence[dict[str, Any]], resources: list[dict[str, Any]], *,
    source: SourceInfo | None, created: str, stats: dict[str, int],
) -> dict[str, Any]:
    import pyarrow

    fetched = sorted(parse_utc_iso(r["fetched_at"]) for r in records if r.get("fetched_at"))
    warc_files = sorted({r["warc"]["file"] for r in records if r.get("warc")})
    provenance: dict[str, Any] = {
        "software": f"dvarchive/{__version__}",
        "libraries": {"pyarrow": pyarrow.__version__},
        "source": None if source is None else {k: v for k, v in vars(source).items() if v is not None},
        "records_read": stats["records_read"],
        "duplicates_dropped": stats["duplicates_dropped"],
        "fetched": {"first": to_utc_iso(fetched[0]) if fetched else None,
                    "last": to_utc_iso(fetched[-1]) if fetched else None},
        "warc_files": warc_files,
        "created": created,
    }
    return {
        "profile": "data-package",
        "name": package_name(records),
        "title": TITLE,
        "description": describe([r["format"] for r in resources if r["format"] in FORMAT_LABELS]),
        "created": created,
        "licenses": [LICENCE],
        "keywords": ["Vietnam", "news", "web archive", "dân vận"],
        "sources": [{"title": "Website of the board", "path": origin} for origin in origins(records)],
        "resources": resources,
        "count": len(records),
        "published": date_range(records),
        "categories": [{"name": name, "count": count} for name, count in category_counts(records)],
        "provenance": provenance,
    }


# --------------------------------------------------------------------------- README.md


def present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def field_coverage(records: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(name, sum(1 for r in records if present(r.get(name)))) for name in tables.field_order()]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def open_it_lines(descriptor: dict[str, Any]) -> list[str]:
    """How to look at the package: the report, the database, the web archive."""
    paths = {r["path"] for r in descriptor["resources"]}
    lines = ["## Looking at it", "", f"- `{REPORT_NAME}`: counts and charts (open it in a browser)."]
    if table_formats.FILE_NAMES["sqlite"] in paths:
        lines.append(f"- `{table_formats.FILE_NAMES['sqlite']}`: `datasette {table_formats.FILE_NAMES['sqlite']} -m "
                     f"{DATASETTE_METADATA}` gives full-text search and facets by category, author and month.")
    if WACZ_NAME in paths:
        lines.append(f"- `{WACZ_NAME}`: the captured pages; open it in ReplayWeb.page, or "
                     f"`wb-manager add --unpack-wacz <collection> {WACZ_NAME}` and `wayback` (pywb).")
    return lines + [""]


def dataset_card(records: Sequence[dict[str, Any]], descriptor: dict[str, Any]) -> str:
    """README.md: what is in the dataset, how complete it is, how it was made and checked."""
    total = len(records)
    prov = descriptor["provenance"]
    span = descriptor["published"]
    source = prov["source"] or {}
    lines = [f"# {descriptor['title']}", "", descriptor["description"], "",
             f"- Records: **{total}**",
             f"- Published: {span['first'] or '–'} … {span['last'] or '–'} ({span['undated']} undated)",
             f"- Fetched: {prov['fetched']['first'] or '–'} … {prov['fetched']['last'] or '–'}",
             f"- Sources: {', '.join(s['path'] for s in descriptor['sources']) or '–'}", "",
             "## Files", ""]
    lines += _table(["file", "format", "records", "bytes"],
                    [(f"`{r['path']}`", r["format"], r["count"], r["bytes"]) for r in descriptor["resources"]])
    lines += ["Each record follows the JSON Schema embedded in `datapackage.json` (`jsonSchema` of "
              "the JSONL resource). JSONL is the reference form. In the CSV (UTF-8 with BOM), an "
              "empty cell is null and list/object fields (`images`, `attachments`, `tags`, `warc`) "
              "are compact JSON. Parquet columns are typed: `published`/`modified` are "
              "timestamps in +07:00, `fetched_at` in UTC.", "", "## Articles per category", ""]
    lines += _table(["category", "articles"],
                    [(name if name is not None else "(none)", count) for name, count in category_counts(records)])
    lines += ["## Articles per year of publication", ""]
    lines += _table(["year", "articles"], year_counts(records))
    lines += ["## Field coverage", "",
              "Share of records where the field has a value (not null, not empty).", ""]
    lines += _table(["field", "records", "coverage"],
                    [(f"`{name}`", count, _percent(count, total)) for name, count in field_coverage(records)])
    lines += ["## How it was made", "",
              f"Made with {prov['software']} (Scrapy): article pages fetched from the board's "
              "website, extracted into records, normalized to Unicode NFC and validated against "
              "the schema.",
              f"This package was built by `dvarchive package` from `{source.get('name', '(records)')}`"
              + (f" (sha256 `{source['sha256']}`)" if source.get("sha256") else "")
              + f": {prov['records_read']} records read, {prov['duplicates_dropped']} duplicate(s) "
              "dropped (the latest capture of an article is kept), sorted by publication time then id.",
              ""]
    if prov["warc_files"]:
        lines += ["The raw HTTP responses are preserved in WARC files referenced by each record's "
                  "`warc` field: " + ", ".join(f"`{name}`" for name in prov["warc_files"]) + ".", ""]
    lines += open_it_lines(descriptor)
    lines += ["## Licence", "", f"{LICENCE['title']}. Source: "
              + (", ".join(s["path"] for s in descriptor["sources"]) or "–") + ".", ""]
    lines += ["## Checking integrity", "",
              "`manifest-sha256.txt` lists the SHA-256 of every file (BagIt style); "
              "`tagmanifest-sha256.txt` covers the manifest. Run `dvarchive verify <this folder>` "
              "to recompute every checksum and record count.", ""]
    return "\n".join(lines)
