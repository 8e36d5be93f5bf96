"""Spider arguments (``scrapy crawl articles -a NAME=VALUE``, a Scrapyd job's parameters) → settings.

Every component reads its options from the crawler's settings — one channel each. For Scrapy and
Scrapyd users, who can only pass spider arguments, the spider copies these arguments into the
settings (at spider priority: ``dvarchive crawl`` sets them on its command line, which wins).
"""
from __future__ import annotations

from typing import Any

from scrapy.settings import Settings

ARGUMENT_SETTINGS: dict[str, str] = {
    "start_url": "DVARCHIVE_START_URL",
    "site": "DVARCHIVE_SITE",
    "state_dir": "STATE_DIR",
    "since": "DVARCHIVE_SINCE",
    "until": "DVARCHIVE_UNTIL",
    "revisit": "DVARCHIVE_REVISIT",
    "rss": "DVARCHIVE_RSS",
    "max_articles": "DVARCHIVE_MAX_ARTICLES",
    "attachments": "DVARCHIVE_ATTACHMENTS",
    "attachments_dir": "DVARCHIVE_ATTACHMENTS_DIR",
}
BOOLEAN_ARGUMENTS = frozenset({"revisit", "rss", "attachments"})


def is_true(value: Any) -> bool:
    """Arguments arrive as strings from ``-a``; '0', 'false', 'no', 'off', 'none' and '' are false."""
    return str(value).strip().lower() not in ("0", "false", "no", "off", "", "none")


def arguments_to_settings(arguments: dict[str, Any], settings: Settings) -> None:
    """Copy the known arguments that were given into ``settings`` (``None`` / '' mean "not given")."""
    for name, setting in ARGUMENT_SETTINGS.items():
        value = arguments.get(name)
        if value is None or value == "":
            continue
        if name in BOOLEAN_ARGUMENTS:
            value = is_true(value)
        elif name == "max_articles":
            value = int(value)
        settings.set(setting, value, priority="spider")
