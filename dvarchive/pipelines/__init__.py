"""Item pipelines: thin Scrapy wrappers over pure functions, ordered with gaps (see settings)."""
from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from dvarchive.items import Record


def as_record(item: Any) -> Record:
    """The item as a plain dict: the spider yields dicts already, so no copy is made for them."""
    return item if isinstance(item, dict) else ItemAdapter(item).asdict()
