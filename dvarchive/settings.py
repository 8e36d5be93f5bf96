"""Scrapy settings of dvarchive: polite by default; `dvarchive crawl --delay 0` relaxes them."""
from __future__ import annotations

from dvarchive import __version__

BOT_NAME = "dvarchive"
SPIDER_MODULES = ["dvarchive.spiders"]
NEWSPIDER_MODULE = "dvarchive.spiders"

# --- Politeness -----------------------------------------------------------------------------
USER_AGENT = (
    f"dvarchive/{__version__} (archival crawler for research; "
    "+https://pypi.org/project/dvarchive/)"
)
ROBOTSTXT_OBEY = True
# RFC 9309: a robots.txt that answers 5xx (or can't be fetched) means "disallow everything".
ROBOTSTXT_UNREACHABLE = "disallow"
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around DOWNLOAD_DELAY, like a person
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
# No listening sockets and no files in the home folder: Scrapy's telnet console and its
# remote-control HTTP server (2.14+, which writes a token file under ~/.local/state/scrapy)
# are for debugging a crawler, not for archiving public sites.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- Robustness -----------------------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # a news page is ~50 KB; 10 MB refuses runaway responses
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
# Never follow <meta http-equiv="refresh">: the site doesn't use it, and one pasted into an
# article body (a planted XSS vector points it at javascript:) would replace the article.
METAREFRESH_ENABLED = False
DNS_TIMEOUT = 20

# --- Components -----------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100): an origin other than the start URL's is never contacted, not even
    # for its robots.txt; every redirect hop comes through here again as a new request.
    "dvarchive.middlewares.OriginScopeMiddleware": 40,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "dvarchive.robots.RobotsPolicyMiddleware": 100,
    # After redirects (600) on the way back: sees final answers (304, 404/410, validators).
    "dvarchive.state.middleware.ConditionalRequestMiddleware": 570,
    "dvarchive.middlewares.FetchTimeMiddleware": 950,
    "dvarchive.archive.warc.WarcCaptureMiddleware": 890,
}
ITEM_PIPELINES = {
    "dvarchive.pipelines.normalize.NormalizePipeline": 100,
    "dvarchive.pipelines.window.WindowPipeline": 150,
    "dvarchive.pipelines.attachments.AttachmentsPipeline": 200,
    "dvarchive.pipelines.validate.ValidatePipeline": 300,
    "dvarchive.pipelines.dedupe.DedupePipeline": 400,
    "dvarchive.pipelines.state.StatePipeline": 500,
}
EXTENSIONS = {
    "dvarchive.state.extension.CrawlStateExtension": 100,
    "dvarchive.extensions.ExtractorCoverage": 500,
    "dvarchive.extensions.Progress": 510,
}
# Attachments follow on-site redirects (the origin scope refuses any other hop).
MEDIA_ALLOW_REDIRECTS = True

# --- Export -----------------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORAGES = {
    "": "dvarchive.feedstorage.AtomicFileFeedStorage",
    "file": "dvarchive.feedstorage.AtomicFileFeedStorage",
    "stdout": "dvarchive.feedstorage.GuardedStdoutFeedStorage",
}
# One byte form of a record everywhere (dvarchive.records): the feed, export, reextract, package.
FEED_EXPORTERS = {
    "jsonlines": "dvarchive.feedstorage.RecordLinesExporter",
    "jsonl": "dvarchive.feedstorage.RecordLinesExporter",
    "jl": "dvarchive.feedstorage.RecordLinesExporter",
}

# --- dvarchive ---------------------------------------------------------------------------------
DVARCHIVE_SITE = "danvan"
# Warn loudly when the site-layout extractor matched fewer article pages than this share.
DVARCHIVE_LAYOUT_MIN_SHARE = 0.90
DVARCHIVE_PROGRESS = False
DVARCHIVE_PROGRESS_INTERVAL = 10.0  # seconds between progress lines
DVARCHIVE_ATTACHMENT_MAXSIZE = 50 * 1024 * 1024  # documents (pdf/doc) may be larger than pages
WARC_PATH = ""
STATE_DIR = ""  # the crawl state (--state; a Scrapyd job's state_dir argument is copied here)
# What a crawl does; `dvarchive crawl` sets these, `-a` spider arguments are copied into them.
DVARCHIVE_START_URL = ""
DVARCHIVE_RSS = True
DVARCHIVE_MAX_ARTICLES = 0  # 0: no limit
DVARCHIVE_SINCE = ""
DVARCHIVE_UNTIL = ""
DVARCHIVE_REVISIT = False
DVARCHIVE_ATTACHMENTS = False
DVARCHIVE_ATTACHMENTS_DIR = ""
DVARCHIVE_LISTING_MAX_LINKS = 500  # article links taken from one listing page (the rest counted)

# --- Engine ------------------------------------------------------------------------------------
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for *every* callback's output (default 100):
# ~1 ms per response, ~15 % of the crawl's CPU (docs/performance.md). An article page yields one
# record, a listing page ~20 requests, and every pipeline is synchronous: nothing to overlap, so
# one response's output is processed in order (other responses still run concurrently).
CONCURRENT_ITEMS = 1
# Scrapy re-reads and re-parses a callback's source on every response to warn about
# `return value` in generators (its cache is keyed by the short-lived bound method): 6 % of the
# crawl's CPU. tests/test_spider_callbacks.py runs the same check once per callback instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
