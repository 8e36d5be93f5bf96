"""CI runs exactly the README's test command (the brief: one command, written once for people)."""
from __future__ import annotations

import re

from helpers import REPO


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Install and run the tests"):]
    block = re.search(r"```bash\n(.+?)\n```", section, flags=re.S)
    assert block, "README: no bash block after 'Install and run the tests'"
    command = block[1].strip()
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith(("#", "set ", "cd "))]
    assert ci_lines == [command]
    assert "ruff check ." in command and "mypy dvarchive" in command and "python -m pytest -q" in command
