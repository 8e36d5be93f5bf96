"""Machine-readable sources of article URLs: robots.txt ``Sitemap:`` lines, sitemaps (indexes,
news sitemaps) and RSS/Atom feeds. Never expands entities, never loads a DTD."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

# Entity expansion off, no network, no huge trees, no DTD: sitemaps and feeds need none of them.
SAFE_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                                  recover=True)
# A DOCTYPE and its internal subset (a "billion laughs" bomb's entity declarations), in the head.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.DOTALL | re.IGNORECASE)
_DOCTYPE_SEARCH_BYTES = 256 * 1024


@dataclass
class XmlSource:
    """What a sitemap or feed lists: pages, and (for an index) more sitemaps."""

    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    kind: str = "unknown"          # urlset | sitemapindex | rss | atom | unknown


def strip_doctype(body: bytes) -> tuple[bytes, bool]:
    """``body`` without its DOCTYPE (and any entity declarations in it); True if one was removed.

    libxml2 rightly refuses a document whose entities amplify (billion laughs) — and then every
    URL in it is lost. Dropping the DTD first keeps the items and leaves the bomb inert: its
    references become undefined entities that the recovering parser skips.
    """
    match = _DOCTYPE.search(body[:_DOCTYPE_SEARCH_BYTES])
    return (body, False) if not match else (body[:match.start()] + body[match.end():], True)


def robots_sitemaps(text: str) -> list[str]:
    """URLs of the ``Sitemap:`` lines of a robots.txt (any case, any group)."""
    found = []
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "sitemap" and value.strip():
            found.append(value.strip())
    return found


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def parse_xml_source(body: bytes) -> XmlSource:
    """A sitemap (``urlset``/``sitemapindex``), an RSS 2.0 or an Atom feed; empty for anything else."""
    cleaned, _ = strip_doctype(body)
    try:
        root = etree.fromstring(cleaned, parser=SAFE_XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return XmlSource()
    if root is None:
        return XmlSource()
    kind = _local(root.tag)
    source = XmlSource(kind=kind if kind in ("urlset", "sitemapindex", "rss", "feed") else "unknown")
    for el in root.iter():
        name = _local(el.tag)
        parent = _local(el.getparent().tag) if el.getparent() is not None else ""
        if name == "loc" and el.text:
            (source.sitemaps if parent == "sitemap" else source.pages).append(el.text.strip())
        elif name == "link" and parent == "item" and el.text:
            source.pages.append(el.text.strip())
        elif name == "link" and parent == "entry" and el.get("href") and el.get("rel", "alternate") == "alternate":
            source.pages.append(el.get("href", "").strip())
    if source.kind == "feed":
        source.kind = "atom"
    return source
