"""Exit codes shared by every command (and the runner), and the error type that carries one."""
from __future__ import annotations

OK = 0
FAILED = 1  # the job could not run (bad start URL, unwritable output, corrupt state, crawl error)
USAGE = 2  # argparse's own code for bad arguments
DIFFERENCES = 3  # `verify` found a checksum or count that differs
DEGRADED = 4  # the crawl ran but found no category/article, an empty first listing, or mostly generic extraction
INTERRUPTED = 130
LOCKED = 75  # EX_TEMPFAIL: another crawl holds the state's lock


class CommandError(Exception):
    """A failure to report as one clear line (no traceback) with a meaningful exit code."""

    def __init__(self, message: str, exit_code: int = FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code
