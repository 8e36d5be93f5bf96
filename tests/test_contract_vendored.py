"""The vendored contract (``tests/contract/``, ``dvarchive/schema/``) equals ``shared/`` byte for byte.

The tests read only the vendored copies, so a clone alone passes; this is the one test that needs
``shared/`` itself (beside the clone or at ``$DVARCHIVE_SHARED``) and it skips, saying so, without it.
``shared/realpages/`` is never vendored: the benchmarks read it in place.
"""
from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from dvarchive.schema import SCHEMA_FILE
from helpers import CONTRACT, REPO

VENDORED_DIRS = ("site", "seed")
NEVER_VENDORED = "realpages"
SCHEMA = REPO / "dvarchive" / "schema" / SCHEMA_FILE


def files_under(root: Path, folder: str) -> dict[str, bytes]:
    """Every file below ``root/folder``, by its path relative to ``root``."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted((root / folder).rglob("*")) if path.is_file()}


def repository_files() -> list[Path]:
    """The files git tracks or would add (ignored ones, like the venv and crawl data, left out)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    return [REPO / name for name in listed if name and (REPO / name).is_file()]


def test_vendored_copies_equal_shared(shared: Path) -> None:
    for folder in VENDORED_DIRS:
        vendored, original = files_under(CONTRACT, folder), files_under(shared, folder)
        assert sorted(vendored) == sorted(original), f"{folder}/: the file lists differ (copy it again)"
        stale = [name for name in original if vendored[name] != original[name]]
        assert not stale, f"tests/contract/ is stale (copy these again from {shared}): {stale}"
    assert SCHEMA.read_bytes() == (shared / "spec" / "article.schema.json").read_bytes()


def test_no_real_page_is_copied_into_the_repository(shared: Path) -> None:
    real = {hashlib.sha256(path.read_bytes()).hexdigest(): path.name
            for path in (shared / NEVER_VENDORED).rglob("*") if path.is_file()}
    copied = [path.relative_to(REPO).as_posix() for path in repository_files()
              if hashlib.sha256(path.read_bytes()).hexdigest() in real]
    assert copied == [], f"shared/{NEVER_VENDORED} pages are read in place, never copied: {copied}"
