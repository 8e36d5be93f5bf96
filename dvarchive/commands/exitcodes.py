"""Moved to :mod:`dvarchive.exitcodes` (the runner must not import ``commands``); kept as an alias."""
from dvarchive.exitcodes import *  # noqa: F401,F403
from dvarchive.exitcodes import CommandError  # noqa: F401
