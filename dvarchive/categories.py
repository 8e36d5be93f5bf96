"""A news category of a site: the one class the crawler and the replica share."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    """A category as the main menu shows it: ``slug`` of its one-segment directory, ``name`` as
    displayed, and ``url`` — the absolute URL where a crawl found it ('' in the replica's model,
    which serves it at :attr:`path` on whatever host it runs)."""

    slug: str
    name: str
    url: str = ""

    @property
    def path(self) -> str:
        return f"/{self.slug}/"
