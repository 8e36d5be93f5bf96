"""House rules that a review would otherwise have to re-measure by hand (issue 10)."""
from __future__ import annotations

from helpers import REPO

MAX_SPIDER_LINES = 250


def test_no_spider_module_is_over_250_lines() -> None:
    """Spiders only route: extraction, state, attachments and URL rules live elsewhere."""
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines())
             for path in (REPO / "dvarchive" / "spiders").glob("*.py")}
    assert sizes and {name: n for name, n in sizes.items() if n > MAX_SPIDER_LINES} == {}


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in tests/helpers/ (a test module is not a library)."""
    importers = [path.name for path in (REPO / "tests").glob("test_*.py")
                 if any(line.startswith(("from test_", "import test_", "from conftest", "import conftest"))
                        for line in (raw.strip() for raw in path.read_text(encoding="utf-8").splitlines()))]
    assert importers == []
