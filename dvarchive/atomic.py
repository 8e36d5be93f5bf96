"""The one atomic file writer: a temp file beside the target, renamed over it only on success.

Every file dvarchive writes whole (the crawl's JSONL feed, ``export``, ``reextract``, the
crawl's ``--stats``) goes through :class:`AtomicFile`: the bytes go to a hidden
``.<name>.<pid>.<random>.tmp`` beside the target, and ``commit()`` fsyncs it and renames it
over the target (``os.replace`` is atomic on POSIX). ``discard()`` removes it; ``keep_as()``
moves it to another name (a crawl that did not finish keeps what it got beside the user's
file, never over it). Files get the mode a plain ``open()`` would give (0666 minus the
umask), not ``mkstemp``'s 0600.
"""
from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")


def current_umask() -> int:
    """The process umask, read without changing it when /proc tells it (no thread race)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode ``open(path, "w")`` would create a file with."""
    return 0o666 & ~current_umask()


def dir_mode() -> int:
    """The mode ``mkdir`` would create a folder with (``mkdtemp`` gives 0700 instead)."""
    return 0o777 & ~current_umask()


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def temp_files(target: Path) -> list[Path]:
    """Temp files of ``target`` left by any writer (this process's included)."""
    return sorted(p for p in target.parent.glob(f"{temp_prefix(target)}*{TEMP_SUFFIX}")
                  if _TEMP_NAME.search(p.name))


def temp_pid(temp: Path) -> int:
    match = _TEMP_NAME.search(temp.name)
    return int(match["pid"]) if match else 0


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists (0 and negative ids name none: ``kill`` would signal a group)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(target: Path) -> int:
    """Delete temp files of ``target`` whose writer process is gone; returns how many."""
    removed = 0
    for stale in temp_files(target):
        if stale.name.startswith(temp_prefix(target)) and not pid_alive(temp_pid(stale)):
            stale.unlink(missing_ok=True)
            removed += 1
    return removed


class AtomicFile:
    """A binary file written beside ``target`` and renamed over it by :meth:`commit`.

    Usable as a context manager: committed when the block ends normally, discarded when it
    raises (no temp file is ever left behind by a failure this process sees).
    """

    def __init__(self, target: str | os.PathLike[str], *, append: bool = False) -> None:
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(self.target)
        self.temp = self.target.with_name(
            f"{temp_prefix(self.target)}{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        self.stream = os.fdopen(fd, "wb")
        if append and self.target.exists():
            try:
                with self.target.open("rb") as existing:
                    while chunk := existing.read(1 << 20):
                        self.stream.write(chunk)
            except BaseException:
                self.discard()
                raise

    # --- file-like ---------------------------------------------------------------------------
    def write(self, data: bytes) -> int:
        return self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return self.stream.closed

    @property
    def name(self) -> str:
        return str(self.temp)

    def close(self) -> None:
        """Close without committing (Scrapy's exporters may call this; commit() still works)."""
        self._sync_and_close()

    # --- outcome -----------------------------------------------------------------------------
    def commit(self) -> None:
        """Flush, fsync and rename the temp file over the target; on failure nothing is left."""
        try:
            self._sync_and_close()
            os.replace(self.temp, self.target)
        except BaseException:
            self.discard()
            raise

    def keep_as(self, path: Path) -> None:
        """Move what was written to ``path`` instead of the target (the target is untouched)."""
        try:
            self._sync_and_close()
            os.replace(self.temp, path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        try:
            self.stream.close()
        except OSError:
            pass
        self.temp.unlink(missing_ok=True)

    def size(self) -> int:
        try:
            return self.temp.stat().st_size
        except OSError:
            return 0

    def _sync_and_close(self) -> None:
        if not self.stream.closed:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_atomic(target: str | os.PathLike[str], chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` to ``target`` atomically; returns how many chunks were written."""
    count = 0
    with AtomicFile(target) as file:
        for chunk in chunks:
            file.write(chunk)
            count += 1
    return count
