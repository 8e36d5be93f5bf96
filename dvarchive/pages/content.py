"""From an article's content subtree to clean paragraphs, images, byline and source.

One walk over the subtree the layout points at (``div.news-content`` …) turns every paragraph
style the site has used into the same list of :class:`Paragraph`:

* a block element (``p``, ``div``, ``li``, ``h2`` … ``td``) is a paragraph boundary;
* two ``<br>`` in a row (whitespace between them allowed) are a paragraph boundary — the
  "one ``<div>`` split by ``<br /><br />``" style;
* **a single ``<br>`` is a space**: the schema wants whitespace inside a paragraph collapsed,
  and editors use a lone ``<br>`` as a soft line wrap inside a sentence at least as often as a
  real break; only the double ``<br>`` separates paragraphs;
* Word's ``<p class="MsoNormal"><span style=…>`` and ``<o:p>`` are just inline wrappers;
  comments (Word's ``<!--[if gte mso 9]>`` blocks), scripts, styles, forms, hidden elements drop;
* entities are decoded by the parser, text is NFC'd and its spaces folded by ``clean_text``,
  so ``&nbsp;&nbsp;&nbsp; text``, ``&#7853;`` and NFD text give the same paragraph.

Then small list passes, each a pure function: images and their captions (``table.image-box``,
``figure``, a centred image paragraph + the centred/italic caption paragraph after it), the
"Tin liên quan" box, "Xem thêm tại" lines, chrome lines, the closing credits (byline, source,
photo credit — rules in :mod:`dvarchive.normalize.bylines`) and a first paragraph that repeats
the sapo. Empty paragraphs (``<p>&nbsp;</p>``) never become paragraphs at all.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from unicodedata import is_normalized, normalize
from urllib.parse import unquote, urlsplit

from lxml import etree

from dvarchive.normalize.bylines import is_photo_credit, parse_byline, parse_credit_line, parse_source
from dvarchive.normalize.chrome import PORTAL_CHROME, ChromeTable
from dvarchive.normalize.html import sanitize_body_html
from dvarchive.normalize.text import clean_text
from dvarchive.pages.urls import absolute_url, is_document_url

__all__ = ["SOURCE_TAGS", "Content", "Paragraph", "extract_content", "visible_text", "walk_paragraphs"]

BLOCK_TAGS = frozenset(
    """p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote table caption tbody thead tfoot tr td th
    section article main header footer aside nav figure figcaption center pre address hr form
    fieldset details summary""".split()
)
EMPHASIS_TAGS = frozenset(("strong", "b", "em", "i"))
SKIP_TAGS = frozenset(
    """script style noscript iframe frame frameset object embed applet param form input button
    select option textarea label svg math template head title meta link base audio video source
    canvas map area xml""".split()
)

_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|right|center|justify)", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_RELATED = re.compile(r"^(?:tin|bài|đọc|xem)?\s*(?:liên quan|cùng chuyên mục|tin khác)\s*:?$|^Tin liên quan\b", re.I)
_SEE_MORE = re.compile(r"^\(?\s*(?:Xem thêm|Đọc thêm|Mời xem thêm)\b", re.I)

MAX_CAPTION_CHARS = 300
MAX_CREDIT_LINES = 4
MAX_CREDIT_CHARS = 120


@dataclass(slots=True)
class Paragraph:
    """One visual paragraph of the content, with what its markup says about it."""

    text: str
    block: etree._Element                   # innermost block element it was read from
    align: str | None = None                # 'right' / 'center' / 'left' / 'justify' (inherited)
    emphasized: bool = False                # all of its text inside strong/b/em/i
    link_chars: int = 0                     # characters of text inside <a href>
    images: list[etree._Element] = field(default_factory=list)
    captions: list[str | None] | None = None  # already known (image table, figure)
    leaf: bool = False                      # ``block`` has no child elements: text is all of it

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass(slots=True)
class Content:
    """What a content subtree yields for a record."""

    paragraphs: list[Paragraph]
    images: list[dict[str, str | None]]
    author: str | None
    source: str | None
    removed: list[Paragraph]               # dropped paragraphs (credits, boxes, chrome)
    body_links: list[etree._Element]
    skipped: list[etree._Element] = field(default_factory=list)  # left out by a layout's skip rule

    @property
    def body(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs if p.text)

    @property
    def word_count(self) -> int:
        """Whitespace tokens of the body: clean paragraphs have one space between words."""
        return sum(p.text.count(" ") + 1 for p in self.paragraphs if p.text)


SOURCE_TAGS = ("script", "style", "noscript", "template")


def visible_text(el: etree._Element) -> str:
    """The text a reader sees in ``el``: script, style, noscript and template source left out
    (a ``<style>`` inside a headline, a ``<script>`` inside a caption)."""
    if len(el) == 0:   # a leaf (most titles, dates, captions): its text is all of it
        return "" if el.tag in SOURCE_TAGS else el.text or ""
    if next(el.iter(*SOURCE_TAGS), None) is None:
        return "".join(el.itertext())
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in SOURCE_TAGS:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    if el.tag in SOURCE_TAGS:
        return ""
    walk(el)
    return "".join(parts)


# --- the walk ---------------------------------------------------------------------------------
def _own_align(el: etree._Element, style: str | None) -> str | None:
    align = el.get("align")
    if align:
        return align.strip().lower() or None
    if style and (m := _ALIGN_STYLE.search(style)):
        return m.group(1).lower()
    if el.tag == "center":
        return "center"
    return None


class _Walker:
    """Accumulates inline text into paragraphs while walking a subtree once.

    Hot code (it sees every element of every body): the checks are ordered by frequency
    (``<br>`` first), and a paragraph's text is only cleaned when some non-space text was added.
    Decomposed (NFD) text nodes are NFC'd in the tree itself, so the sanitizer that walks the
    same subtree afterwards finds them composed (NFC'ing costs more than anything else here).
    """

    __slots__ = ("paragraphs", "parts", "has_text", "emph_all", "link_chars", "images",
                 "pending_br", "blocks", "skip", "links", "skipped")

    def __init__(self, root: etree._Element, skip: Callable[[etree._Element], bool] | None) -> None:
        self.paragraphs: list[Paragraph] = []
        self.parts: list[str] = []
        self.has_text = False
        self.emph_all = True
        self.link_chars = 0
        self.images: list[etree._Element] = []
        self.pending_br = False
        self.blocks: list[tuple[etree._Element, str | None]] = [(root, _own_align(root, root.get("style")))]
        self.skip = skip
        self.links: list[etree._Element] = []
        self.skipped: list[etree._Element] = []

    def add(self, s: str, emph: bool, link: bool) -> None:
        if s.isspace():
            self.parts.append(" ")
            return
        self.parts.append(s)
        self.has_text = True
        self.pending_br = False
        if not emph:
            self.emph_all = False
        if link:
            self.link_chars += len(s.strip())

    def flush(self) -> None:
        if not self.has_text and not self.images:  # only spaces since the last boundary
            if self.parts:
                self.parts = []
            self.pending_br = False
            return
        text = clean_text("".join(self.parts)) if self.has_text else ""
        if text or self.images:
            block, align = self.blocks[-1]
            self.paragraphs.append(Paragraph(
                text=text, block=block, align=align, emphasized=bool(text) and self.emph_all,
                link_chars=min(self.link_chars, len(text)), images=self.images,
            ))
            self.images = []
        if self.parts:
            self.parts = []
        self.has_text = False
        self.emph_all = True
        self.link_chars = 0
        self.pending_br = False

    def figure(self, el: etree._Element, images: list[etree._Element], captions: list[str | None]) -> None:
        self.flush()
        self.paragraphs.append(Paragraph(text="", block=el, align=self.blocks[-1][1],
                                         images=images, captions=captions))

    def walk(self, el: etree._Element, emph: bool, link: bool) -> None:
        text = el.text
        if text:
            if not text.isascii() and not is_normalized("NFC", text):
                el.text = text = normalize("NFC", text)  # once, for the sanitizer too
            self.add(text, emph, link)
        for child in el:
            tag = child.tag
            if tag == "br":                               # the most frequent element of old bodies
                if self.pending_br:
                    self.flush()
                else:
                    self.pending_br = True
                    self.parts.append(" ")
            elif tag.__class__ is str:                    # (comments and PIs have a function here)
                style = child.get("style")
                if tag in SKIP_TAGS or (style is not None and _HIDDEN.search(style)):
                    pass
                elif self.skip is not None and self.skip(child):
                    self.skipped.append(child)
                elif tag in BLOCK_TAGS:
                    if tag == "table" and (figure := _image_table(child)) is not None:
                        self.figure(child, *figure)
                    elif tag == "figure" and (figure := _figure(child)) is not None:
                        self.figure(child, *figure)
                    else:
                        self.block(child, style, emph, link)
                elif tag == "img":
                    self.images.append(child)
                else:
                    is_link = tag == "a" and child.get("href") is not None
                    if is_link:
                        self.links.append(child)
                    self.walk(child, emph or tag in EMPHASIS_TAGS, link or is_link)
            tail = child.tail
            if tail:
                if not tail.isascii() and not is_normalized("NFC", tail):
                    child.tail = tail = normalize("NFC", tail)
                self.add(tail, emph, link)

    def block(self, child: etree._Element, style: str | None, emph: bool, link: bool) -> None:
        self.flush()
        align = _own_align(child, style) or self.blocks[-1][1]
        if len(child) == 0:  # a leaf block (most <p>): its text is the paragraph
            if text := clean_text(child.text):
                self.paragraphs.append(Paragraph(
                    text=text, block=child, align=align, emphasized=emph,
                    link_chars=len(text) if link else 0, images=[], leaf=True,
                ))
        else:
            self.blocks.append((child, align))
            self.walk(child, emph, link)
            self.flush()
            self.blocks.pop()


def walk_paragraphs(
    root: etree._Element, *, skip: Callable[[etree._Element], bool] | None = None
) -> tuple[list[Paragraph], list[etree._Element], list[etree._Element]]:
    """Paragraphs of ``root`` in document order (text ones and image ones), its links, and the
    elements ``skip`` left out."""
    walker = _Walker(root, skip)
    walker.walk(root, root.tag in EMPHASIS_TAGS, False)
    walker.flush()
    return walker.paragraphs, walker.links, walker.skipped


# --- images -----------------------------------------------------------------------------------
def _row_cells_text(row: etree._Element) -> str:
    return clean_text(visible_text(row))


def _shown_images(el: etree._Element) -> list[etree._Element]:
    """The ``<img>`` in ``el`` a reader sees: none inside noscript/template/script/style (the
    walk skips those; an image table or figure must not count them either)."""
    return [img for img in el.iter("img") if next(img.iterancestors(*SOURCE_TAGS), None) is None]


def _image_table(table: etree._Element) -> tuple[list[etree._Element], list[str | None]] | None:
    """Images and captions of a layout table that only frames pictures (``table.image-box``).

    A caption is the text of the row after an image row, or the text beside the image in its own
    row. Tables with real data (more text than a caption) are not image tables.
    """
    images = _shown_images(table)
    if not images:
        return None
    classes = (table.get("class") or "").split()
    text = clean_text(visible_text(table))
    if "image-box" not in classes and (len(text) > MAX_CAPTION_CHARS or len(images) > 6):
        return None
    found: list[etree._Element] = []
    captions: list[str | None] = []
    waiting: list[int] = []  # indexes of images still without a caption
    for row in table.iter("tr"):
        row_images = _shown_images(row)
        row_text = _row_cells_text(row)
        if row_images:
            found.extend(row_images)
            captions.extend([None] * len(row_images))
            if row_text:
                captions[-1] = row_text
                waiting = []
            else:
                waiting = list(range(len(found) - len(row_images), len(found)))
        elif row_text and waiting:
            captions[waiting[-1]] = row_text
            waiting = []
    if not found:  # <img> outside rows (broken markup)
        found, captions = images, [text or None] + [None] * (len(images) - 1)
    return found, captions


def _figure(el: etree._Element) -> tuple[list[etree._Element], list[str | None]] | None:
    images = _shown_images(el)
    if not images:
        return None
    caption_el = next(el.iter("figcaption"), None)
    caption = clean_text(visible_text(caption_el)) if caption_el is not None else ""
    return images, [None] * (len(images) - 1) + [caption or None]


def _image_url(img: etree._Element, base_url: str) -> str | None:
    src = img.get("src")
    if not src or src.startswith("data:"):
        src = img.get("data-src") or img.get("data-original") or src
    return absolute_url(src, base_url)


def _is_caption(p: Paragraph) -> bool:
    """A short centred or italic/bold line — but never a box heading or a credit line."""
    text = p.text
    return (
        bool(text) and not p.images and len(text) <= MAX_CAPTION_CHARS
        and p.align != "right" and (p.align == "center" or p.emphasized)
        and not _RELATED.match(text) and not _SEE_MORE.match(text)
        and parse_source(text) is None and parse_credit_line(text) is None
    )


def split_images(paragraphs: list[Paragraph], base_url: str) -> tuple[list[Paragraph], list[dict[str, str | None]]]:
    """Text paragraphs without captions, and ``images`` [{url, caption}] in document order."""
    kept: list[Paragraph] = []
    images: list[dict[str, str | None]] = []
    seen: set[str] = set()

    def add(img: etree._Element, caption: str | None) -> None:
        url = _image_url(img, base_url)
        if url and url not in seen:
            seen.add(url)
            images.append({"url": url, "caption": caption or None})

    i, n = 0, len(paragraphs)
    while i < n:
        p = paragraphs[i]
        i += 1
        if not p.images:
            kept.append(p)
            continue
        if p.captions is not None:                       # image table / figure
            for img, caption in zip(p.images, p.captions):
                add(img, caption)
            continue
        if not any(_image_url(img, base_url) for img in p.images):
            if p.text:                                   # no real picture (javascript:, data:)
                kept.append(p)
            continue
        caption = None
        if not p.text:                                   # picture paragraph; caption follows?
            if i < n and _is_caption(paragraphs[i]):
                caption = paragraphs[i].text
                i += 1
        elif _is_caption(Paragraph(text=p.text, block=p.block, align=p.align, emphasized=p.emphasized)):
            caption = p.text                             # <p><img><br><em>caption</em></p>
        else:
            kept.append(p)                               # an inline picture inside real text
        for img in p.images[:-1]:
            add(img, None)
        add(p.images[-1], caption)
    return kept, images


# --- boxes and lines that are not article text --------------------------------------------
def drop_related(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Remove a "Tin liên quan:" box: its heading and the link lines after it."""
    kept: list[Paragraph] = []
    removed: list[Paragraph] = []
    in_box = False
    for p in paragraphs:
        if _RELATED.match(p.text) and (len(p.text) <= 40 or p.link_density >= 0.5):
            in_box = True
            removed.append(p)
        elif in_box and p.link_density >= 0.6:
            removed.append(p)
        else:
            in_box = False
            kept.append(p)
    return kept, removed


def _is_see_more(p: Paragraph) -> bool:
    return bool(_SEE_MORE.match(p.text)) and (p.link_chars > 0 or "http" in p.text or "www." in p.text
                                              or len(p.text) <= 200)


def drop_lines(paragraphs: list[Paragraph], chrome: ChromeTable = PORTAL_CHROME
               ) -> tuple[list[Paragraph], list[Paragraph]]:
    """Remove "Xem thêm tại: <link>" lines and paragraphs that are chrome of the layout's table."""
    kept: list[Paragraph] = []
    removed: list[Paragraph] = []
    for p in paragraphs:
        (removed if _is_see_more(p) or chrome.is_line(p.text) else kept).append(p)
    return kept, removed


def split_credits(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], str | None, str | None, list[Paragraph]]:
    """Peel the closing credits off the end: (rest, author, source, removed)."""
    authors: list[str] = []
    source: str | None = None
    removed: list[Paragraph] = []
    rest = list(paragraphs)
    while rest and len(removed) < MAX_CREDIT_LINES:
        p = rest[-1]
        text = p.text
        if not text or len(text) > MAX_CREDIT_CHARS:
            break
        if (found := parse_source(text)) is not None:
            source = source or found
        elif (name := parse_byline(text, right_aligned=p.align == "right", emphasized=p.emphasized)) is not None:
            authors.insert(0, name)
        elif not is_photo_credit(text):
            break
        removed.append(rest.pop())
    return rest, ", ".join(authors) or None, source, removed


def drop_repeated_sapo(paragraphs: list[Paragraph], subtitle: str | None) -> tuple[list[Paragraph], list[Paragraph]]:
    """The sapo is the record's subtitle; a first paragraph that repeats it leaves the body."""
    if subtitle and paragraphs and paragraphs[0].text.rstrip(" .") == subtitle.rstrip(" ."):
        return paragraphs[1:], paragraphs[:1]
    return paragraphs, []


def extract_content(
    root: etree._Element,
    base_url: str,
    *,
    subtitle: str | None = None,
    skip: Callable[[etree._Element], bool] | None = None,
    chrome: ChromeTable = PORTAL_CHROME,
) -> Content:
    """Run the walk and every pass over the content subtree ``root``; ``chrome`` is the layout's
    table of frame lines to drop."""
    paragraphs, links, skipped = walk_paragraphs(root, skip=skip)
    removed: list[Paragraph] = []
    paragraphs, images = split_images(paragraphs, base_url)
    paragraphs, gone = drop_related(paragraphs)
    removed += gone
    paragraphs, gone = drop_lines(paragraphs, chrome)
    removed += gone
    paragraphs, author, source, gone = split_credits(paragraphs)
    removed += gone
    paragraphs, gone = drop_repeated_sapo(paragraphs, subtitle)
    removed += gone
    return Content(paragraphs=paragraphs, images=images, author=author, source=source,
                   removed=removed, body_links=links, skipped=skipped)


def body_html(root: etree._Element, content: Content, base_url: str) -> str:
    """Sanitized HTML of ``root`` without the removed paragraphs' own block elements."""
    all_blocks = Counter(id(p.block) for p in content.paragraphs)
    all_blocks.update(id(p.block) for p in content.removed)
    skip = {p.block for p in content.removed if all_blocks[id(p.block)] == 1 and p.block is not root}
    skip.update(content.skipped)
    texts = {p.block: p.text for p in content.paragraphs if p.leaf}  # already cleaned: reuse
    return sanitize_body_html(root, base_url, skip=skip, texts=texts)


def document_links(links: Iterable[etree._Element], base_url: str) -> list[dict[str, str]]:
    """Attachments [{url, name}] from links to pdf/doc/docx/xls/xlsx/ppt/zip/rar files."""
    found: list[dict[str, str]] = []
    for a in links:
        href = a.get("href")
        if not href or not is_document_url(href):  # cheap test on the raw href first
            continue
        url = absolute_url(href, base_url)
        if url and is_document_url(url):
            name = clean_text(visible_text(a)) or clean_text(a.get("title")) or _file_name(url)
            found.append({"url": url, "name": name})
    return found


def _file_name(url: str) -> str:
    return clean_text(unquote(urlsplit(url).path.rsplit("/", 1)[-1])) or url
