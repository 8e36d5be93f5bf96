"""Plain values the crawl state hands out: results, targets, summaries, and its errors."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

StoreStatus = Literal["new", "changed", "unchanged"]
RunMode = Literal["full", "incremental", "revisit"]
RUN_MODES: tuple[str, ...] = ("full", "incremental", "revisit")


class StateError(Exception):
    """The crawl state can't be used: corrupt or unreadable database, wrong schema, bad call.

    The message is one clear line meant for a person (the CLI prints it as is).
    """


class StateLocked(StateError):
    """Another process holds the state's lock (a crawl is still running)."""


@dataclass(frozen=True)
class StoreResult:
    """What :meth:`CrawlState.store` did with a record, and the version it now has."""

    status: StoreStatus
    version: int


@dataclass(frozen=True)
class RevisitTarget:
    """An article to re-fetch in a revisit run, with the validators of its last response."""

    id: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    withdrawn: bool = False
    category: str | None = None     # as last stored (a generic crawl's "found under" on a revisit)
    extractor: str | None = None    # that made the latest version ('generic/v1', 'danvan/v1', …)


@dataclass(frozen=True)
class CategorySummary:
    """Counts of one category (by the name the site's menu shows; ``None`` = no category)."""

    name: str | None
    articles: int
    withdrawn: int
    newest_published: str | None


@dataclass(frozen=True)
class RunSummary:
    """One row of the ``runs`` table."""

    run_id: int
    mode: str
    start_url: str
    started_at: str
    ended_at: str | None
    requests: int
    new: int
    changed: int
    unchanged: int
    withdrawn: int
    errors: int
    finish_reason: str | None

    @property
    def duration_seconds(self) -> float | None:
        """Seconds from start to end; ``None`` while running, after a kill, or on odd timestamps."""
        start, end = parse_instant(self.started_at), parse_instant(self.ended_at)
        if start is None or end is None:
            return None
        return (end - start).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"duration_seconds": self.duration_seconds}


@dataclass(frozen=True)
class StateSummary:
    """What a researcher wants to know about a scheduled crawl's state."""

    path: str
    schema_version: int
    articles: int
    versions: int
    withdrawn: int
    runs: int
    categories: list[CategorySummary] = field(default_factory=list)
    last_run: RunSummary | None = None
    dead_links: int = 0  # listed links that were gone before they could be captured

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "schema_version": self.schema_version,
            "articles": self.articles,
            "versions": self.versions,
            "withdrawn": self.withdrawn,
            "runs": self.runs,
            "dead_links": self.dead_links,
            "categories": [asdict(c) for c in self.categories],
            "last_run": self.last_run.as_dict() if self.last_run else None,
        }


def parse_instant(text: str | None) -> datetime | None:
    """An ISO 8601 instant ('…Z' or with an offset) as an aware datetime, or ``None``."""
    if not text:
        return None
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else None
