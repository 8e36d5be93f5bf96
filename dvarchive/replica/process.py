"""``start_replica_process``: the replica in its own process, the way tests use Scrapy's MockServer."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from dvarchive.replica.site import DEFAULT_SEED

READY_PREFIX = "READY "
PACKAGE_ROOT = Path(__file__).resolve().parents[2]     # the folder holding dvarchive/


class ReplicaProcessError(RuntimeError):
    """The replica process exited or stayed silent instead of printing READY."""


class ReplicaProcess:
    """A running ``python -m dvarchive.replica``; ``base_url`` like ``http://127.0.0.1:PORT``."""

    def __init__(self, popen: subprocess.Popen[str], base_url: str) -> None:
        self.popen = popen
        self.base_url = base_url

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, wait, SIGKILL if it will not go; returns the exit code."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout)
        if self.popen.stdout is not None:
            self.popen.stdout.close()
        return self.popen.returncode

    def __enter__(self) -> ReplicaProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


def replica_command(articles: int, seed: int, faults: Iterable[str], extra_args: Sequence[str],
                    style: str = "danvan") -> list[str]:
    command = [sys.executable, "-m", "dvarchive.replica", "--articles", str(articles), "--seed", str(seed),
               "--host", "127.0.0.1", "--port", "0"] + (["--style", style] if style != "danvan" else [])
    fault_list = ",".join(faults)
    if fault_list:
        command += ["--faults", fault_list]
    return command + list(extra_args)


def start_replica_process(articles: int = 300, seed: int = DEFAULT_SEED, faults: Iterable[str] = (),
                          extra_args: Sequence[str] = (), *, ready_timeout: float = 60.0,
                          style: str = "danvan") -> ReplicaProcess:
    """Start the replica on a free loopback port and wait until it prints ``READY <url>``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(PACKAGE_ROOT), env.get("PYTHONPATH"))))
    popen = subprocess.Popen(replica_command(articles, seed, faults, extra_args, style), stdout=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert popen.stdout is not None
    threading.Thread(target=lambda: lines.put(popen.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
    try:
        line = lines.get(timeout=ready_timeout)
    except queue.Empty:
        ReplicaProcess(popen, "").stop()
        raise ReplicaProcessError(f"replica printed nothing within {ready_timeout} s") from None
    if not line.startswith(READY_PREFIX):
        code = ReplicaProcess(popen, "").stop()
        raise ReplicaProcessError(f"replica exited ({code}) instead of READY: {line!r}")
    return ReplicaProcess(popen, line[len(READY_PREFIX):].strip())
