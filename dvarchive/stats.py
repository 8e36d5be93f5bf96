"""Names of dvarchive's crawl stats (``crawler.stats``), in one place.

Every ``dvarchive/...`` key the spider, middlewares, pipelines, extensions and the runner's
summary read or write is a constant here (or a prefix plus a name), so a typo is an import error
rather than a counter that silently stays at zero.
"""
from __future__ import annotations

from typing import Final

# --- the crawl as a whole ---------------------------------------------------------------------------
FATAL: Final = "dvarchive/fatal"  # why the crawl could not run (a string): exit 1
CATEGORIES: Final = "dvarchive/categories"
LAYOUT_SHARE: Final = "dvarchive/layout_share"
DEGRADED: Final = "dvarchive/degraded"  # why a crawl that ran is not trustworthy (the stage): exit 4

# --- generic discovery (spider `portal`) -------------------------------------------------------------
DISCOVERY_MODE: Final = "dvarchive/discovery/mode"  # 'layout' or 'generic'
DISCOVERY_CUT_PREFIX: Final = "dvarchive/discovery/cut/"  # + trap kind: requests not made, on budget
DISCOVERY_KNOWN_SKIPPED: Final = "dvarchive/discovery/known_skipped"  # links to articles an earlier run archived

# --- pages ------------------------------------------------------------------------------------------------
PAGES_ARTICLE: Final = "dvarchive/pages/article"
PAGES_LISTING: Final = "dvarchive/pages/listing"
PAGES_RSS: Final = "dvarchive/pages/rss"
EXTRACTED_PREFIX: Final = "dvarchive/extracted/"  # + extractor name ('danvan/v1', 'generic/v1')
ARTICLE_FAILED: Final = "dvarchive/article_failed"
LINKS_SKIPPED: Final = "dvarchive/links/skipped"

# --- drops (top-level reasons are listed by the summary) ---------------------------------------------
DROPPED_PREFIX: Final = "dvarchive/dropped/"
DROPPED_NOT_ARTICLE: Final = "dvarchive/dropped/not_article"
DROPPED_EXTRACT_ERROR: Final = "dvarchive/dropped/extract_error"
DROPPED_DUPLICATE: Final = "dvarchive/dropped/duplicate"
DROPPED_INVALID: Final = "dvarchive/dropped/invalid"  # + '/<reason>' per reason

# --- listings -----------------------------------------------------------------------------------------
LISTING_EMPTY_PAGE: Final = "dvarchive/listing/empty_page"
LISTING_EMPTY_FIRST_PAGE: Final = "dvarchive/listing/empty_first_page"  # a category whose page 1 lists nothing
LISTING_FAILED_PAGE: Final = "dvarchive/listing/failed_page"
LISTING_ABANDONED_CATEGORY: Final = "dvarchive/listing/abandoned_category"
LISTING_INCREMENTAL_STOP: Final = "dvarchive/listing/incremental_stop"
LISTING_SINCE_STOP: Final = "dvarchive/listing/since_stop"
LISTING_REPEATED_STOP: Final = "dvarchive/listing/repeated_stop"  # page N+1 listed what page N did
LISTING_LINKS_CAPPED: Final = "dvarchive/listing/links_capped"  # pages with more links than the cap
LISTING_LINKS_DROPPED: Final = "dvarchive/listing/links_dropped"  # links beyond the cap, not followed
LISTING_MAX_ARTICLES_STOP: Final = "dvarchive/listing/max_articles_stop"

# --- RSS -------------------------------------------------------------------------------------------------
RSS_DOCTYPE_REMOVED: Final = "dvarchive/rss/doctype_removed"
RSS_UNUSABLE: Final = "dvarchive/rss/unusable"
RSS_FAILED: Final = "dvarchive/rss/failed"

# --- the --since/--until window -------------------------------------------------------------------
WINDOW_SKIPPED: Final = "dvarchive/window/skipped"  # links whose listing/feed date is outside
WINDOW_DROPPED: Final = "dvarchive/window/dropped"  # records whose own `published` is outside

# --- scope -----------------------------------------------------------------------------------------------
OFFSITE_REFUSED: Final = "dvarchive/offsite/refused"  # every request outside the start origin
OFFSITE_REDIRECT: Final = "dvarchive/offsite/redirect"  # ... of which redirect hops

# --- conditional requests and gone pages ----------------------------------------------------------
GONE: Final = "dvarchive/gone"
REVISIT_NOT_MODIFIED: Final = "dvarchive/revisit/not_modified"
REVISIT_WITHDRAWN: Final = "dvarchive/state/withdrawn"  # the summary's "crawl state" line, like `status`
STATE_PREFIX: Final = "dvarchive/state/"  # + store result ('new', 'changed', 'unchanged')
STATE_DEAD_LINK: Final = "dvarchive/state/dead_link"
STATE_VALIDATORS: Final = "dvarchive/validators/stored"
STATE_ERROR: Final = "dvarchive/state_error"  # the state could not be opened (message)
STATE_LOCKED: Final = "dvarchive/state_locked"  # ... because another crawl holds it: exit 75

# --- attachments -----------------------------------------------------------------------------------
ATTACHMENTS_FETCHED: Final = "dvarchive/attachments/fetched"
ATTACHMENTS_FAILED: Final = "dvarchive/attachments/failed"
ATTACHMENTS_OFFSITE: Final = "dvarchive/attachments/offsite"
ATTACHMENTS_SAVED: Final = "dvarchive/attachments/saved"
ATTACHMENTS_SAVED_BYTES: Final = "dvarchive/attachments/saved_bytes"
ATTACHMENTS_RENAMED: Final = "dvarchive/attachments/renamed"  # same name, other bytes: kept both
ATTACHMENTS_WRITE_FAILED: Final = "dvarchive/attachments/write_failed"
ATTACHMENTS_NOT_KEPT: Final = "dvarchive/attachments/not_kept"  # no folder, no WARC: digest left null

# --- normalization and robots.txt ---------------------------------------------------------------------
NORMALIZE_NFC_FIXED: Final = "dvarchive/normalize/nfc_fixed"
NORMALIZE_MOJIBAKE_PREFIX: Final = "dvarchive/normalize/mojibake/"
ROBOTS_UNREACHABLE: Final = "dvarchive/robots/unreachable"
ROBOTS_UNAVAILABLE: Final = "dvarchive/robots/unavailable"
