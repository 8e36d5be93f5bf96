"""Generic discovery: crawl a portal no layout knows from its start URL alone.

Pure logic only (the ``portal`` spider routes): ``urls`` (normal form, patterns, page numbers,
trap kinds), ``feeds`` (robots ``Sitemap:``, sitemaps, RSS/Atom) and ``budget`` (per-pattern trap
budgets). What a page holds (links, menu, pager, breadcrumb, article recognition) is read by
:mod:`dvarchive.pages.structure`.
"""
from __future__ import annotations

from dvarchive.discovery.budget import TrapGuard, content_digest
from dvarchive.discovery.urls import UrlNormalizer, normalize_url, page_number, path_matches, trap_kind, url_pattern

__all__ = ["TrapGuard", "UrlNormalizer", "content_digest", "normalize_url", "page_number", "path_matches", "trap_kind",
           "url_pattern"]
