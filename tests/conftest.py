"""Fixtures only; the helpers test modules share are in ``tests/helpers/`` (``from helpers import ...``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import shared_dir


@pytest.fixture(scope="session")
def shared() -> Path:
    """The original contract folder, when it is beside the clone (or at ``$DVARCHIVE_SHARED``)."""
    path = shared_dir()
    if not (path / "site" / "README.md").is_file():
        pytest.skip(f"shared/ not at {path} (set DVARCHIVE_SHARED): the vendored copy is not compared")
    return path

