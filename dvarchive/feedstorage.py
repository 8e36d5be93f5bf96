"""A FEEDS storage that never leaves a partial JSONL line on disk.

Scrapy's FileFeedStorage writes straight into the target file, so a crawl killed
mid-write leaves a half line there. This storage writes to a hidden temporary file
beside the target and renames it over the target only when the feed is closed
cleanly (``os.replace`` is atomic on POSIX). A killed crawl leaves the previous
file intact and at most a stale ``.<name>.*.tmp`` that the next run removes.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.extensions.feedexport import FileFeedStorage

TEMP_SUFFIX = ".tmp"


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def remove_stale_temps(target: Path) -> int:
    """Delete temporary files left by a killed writer of ``target``; returns how many."""
    removed = 0
    for stale in target.parent.glob(f"{temp_prefix(target)}*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)
        removed += 1
    return removed


def open_atomic(target: Path, *, append: bool = False) -> IO[bytes]:
    """A binary temp file beside ``target``; with ``append`` it starts as a copy of ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
    os.close(fd)
    file = open(temp_name, "wb")  # noqa: SIM115 - closed by commit_atomic
    if append and target.exists():
        with target.open("rb") as existing:
            shutil.copyfileobj(existing, file)
    return file


def commit_atomic(file: IO[bytes], target: Path) -> None:
    """Flush, fsync and rename the temp file over ``target``."""
    file.flush()
    os.fsync(file.fileno())
    file.close()
    os.replace(file.name, target)


class AtomicFileFeedStorage(FileFeedStorage):
    """``FEED_STORAGES`` entry for local files: temp file + rename on close."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.target = Path(self.path)

    def open(self, spider: Spider) -> IO[bytes]:
        return open_atomic(self.target, append=self.write_mode == "ab")

    def store(self, file: IO[bytes]) -> None:
        commit_atomic(file, self.target)
        return None
