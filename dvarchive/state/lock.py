"""The crawl lock: one writer per state directory.

An exclusive, non-blocking ``flock`` on ``DIR/lock``. The kernel drops it when the holder's
file descriptor closes — also when the process dies by SIGKILL or a crash — so a stale lock
is impossible. The holder writes its pid and start time into the file only so that the
process that is refused can say who holds the state; the file itself is never deleted
(unlinking a flock'ed file lets two processes lock two different inodes).

Within one process the lock is re-entrant: a second ``acquire`` of the same directory shares
the held lock (reference-counted), so a command that took the lock early (to exit 75 at once)
and a pipeline that opens the state again in the same process don't lock each other out.
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path
from typing import Any

from dvarchive.atomic import pid_alive
from dvarchive.state.models import StateError, StateLocked
from dvarchive.timeutil import to_utc_iso, utc_now

LOCK_FILE = "lock"

# Locks this process holds: lock file path -> [owner pid, fd, reference count].
_HELD: dict[Path, list[int]] = {}


class StateLock:
    """A held lock on a state directory; :meth:`release` (or process death) frees it."""

    def __init__(self, directory: Path, fd: int) -> None:
        self.directory = directory
        self._key = (directory / LOCK_FILE).resolve()
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, directory: Path) -> "StateLock":
        """Lock ``directory`` or raise :class:`StateLocked` naming the holder."""
        path = directory / LOCK_FILE
        held = _HELD.get(path.resolve())
        if held and held[0] == os.getpid():  # (a forked child inherits the dict, not the right to share)
            held[2] += 1
            return cls(directory, held[1])
        try:
            # No O_TRUNC: truncating before we hold the lock would erase the holder's details.
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StateError(f"cannot open the lock file {path}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StateLocked(locked_message(directory, read_holder(directory))) from None
        except OSError as exc:
            os.close(fd)
            raise StateError(f"cannot lock {path}: {exc.strerror}") from exc
        lock = cls(directory, fd)
        lock._write_holder()
        _HELD[lock._key] = [os.getpid(), fd, 1]
        return lock

    def _write_holder(self) -> None:
        assert self._fd is not None
        holder = {"pid": os.getpid(), "started": to_utc_iso(utc_now()), "host": socket.gethostname()}
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, (json.dumps(holder) + "\n").encode("utf-8"), 0)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Clear the holder's details and unlock (idempotent)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        held = _HELD.get(self._key)
        if held and held[0] == os.getpid() and held[1] == fd:
            held[2] -= 1
            if held[2] > 0:
                return
            del _HELD[self._key]
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the descriptor releases the flock


def read_holder(directory: Path) -> dict[str, Any] | None:
    """The pid/start time the current (or last, if it was killed) holder wrote, if readable."""
    try:
        text = (directory / LOCK_FILE).read_text(encoding="utf-8").strip()
        holder = json.loads(text) if text else None
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) else None


def running_holder(directory: Path) -> dict[str, Any] | None:
    """The holder's details if that process is alive — a crawl is probably running now.

    Does not touch the lock itself (even briefly), so it can never make a starting crawl
    fail; the pid test can be fooled by pid reuse after a kill, hence "probably".
    """
    holder = read_holder(directory)
    if not holder or not isinstance(holder.get("pid"), int):
        return None
    return holder if pid_alive(holder["pid"]) else None



def locked_message(directory: Path, holder: dict[str, Any] | None) -> str:
    if holder and holder.get("pid"):
        who = f"pid {holder['pid']}, started {holder.get('started', 'at an unknown time')}"
        if holder.get("host") and holder["host"] != socket.gethostname():
            who += f", on {holder['host']}"
    else:
        who = "pid unknown"
    return f"another crawl ({who}) holds {directory}; try again when it has finished"
