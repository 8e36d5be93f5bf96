"""``body_html``: the article subtree re-serialised through a whitelist.

Why a walker instead of lxml_html_clean/nh3: the extractor already holds the parsed subtree, so
walking it once and writing only whitelisted tags and attributes costs less than serialising it
and re-parsing it in a cleaner (the extraction speed budget is a few lxml parses). Safety does not
depend on clever filtering: the output is *generated*, never copied — tag and attribute names come
from the constant whitelists below, every text and attribute value is escaped, and a URL is only
written when, with every C0 control and whitespace removed (browsers ignore them inside a scheme,
``jav&#x09;ascript:``), it resolves to an absolute ``http``/``https`` URL. Comments (hence IE
conditional comments), processing instructions, ``script``/``style``/``iframe``/``object``/
``embed``/``form``/``svg``/``math``/``meta``/``link``/``base``/… are dropped with their content;
other unknown tags (``div``, ``span``, ``font``, ``o:p`` …) are unwrapped, their text kept.
"""
from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping

from lxml import etree

from dvarchive.normalize.text import nfc
from dvarchive.normalize.urlparts import resolve_url

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "safe_url", "sanitize_body_html"]

ALLOWED_TAGS = frozenset(
    "p br strong em b i u ul ol li table tr td th img figure figcaption a h2 h3 h4 blockquote".split()
)
ALLOWED_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
}
URL_ATTRIBUTES = frozenset(("href", "src"))
VOID_TAGS = frozenset(("br", "img"))

# Dropped together with everything inside them.
DROP_TAGS = frozenset(
    """script style iframe frame frameset object embed applet param form input button select
    option optgroup textarea label fieldset legend meta link base head title svg math template
    noscript noembed noframes xml xmp plaintext canvas audio video source track map area
    dialog portal slot""".split()
)
# Renamed to the nearest allowed tag.
RENAME_TAGS = {"h1": "h2", "h5": "h4", "h6": "h4", "dir": "ul", "menu": "ul", "tbody": None,
               "thead": None, "tfoot": None}
# Unwrapped block containers become a <p> when they hold only inline content, so that
# ``<div>one</div><div>two</div>`` keeps its two paragraphs.
BLOCKISH = frozenset(
    "div section article main center address pre dl dt dd header footer aside nav hgroup".split()
)
TRIM_TAGS = frozenset("p li td th h2 h3 h4 blockquote figcaption ul ol table tr figure".split())
PRUNE_TAGS = frozenset("p ul ol li blockquote h2 h3 h4 strong em b i u a figure figcaption".split())
_BLOCK_CHILD = ALLOWED_TAGS - {"br", "strong", "em", "b", "i", "u", "img", "a"} | BLOCKISH

_URL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")
_URL_DEBRIS = re.compile(r"[<>\"`]")
_DIGITS = re.compile(r"^\d{1,3}$")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def safe_url(value: str | None, base_url: str) -> str | None:
    """``value`` as an absolute http(s) URL, or None when it is anything else (javascript:, data: …).

    Resolution is :func:`dvarchive.normalize.urlparts.resolve_url` (C0 controls removed as a
    browser does, so ``jav&#x09;ascript:`` is seen as the ``javascript:`` it is); on top of it
    the sanitizer refuses a value with quotes, angle brackets or backticks (markup debris, not a
    URL), a fragment alone (it points back into this page) and a double-escaped value whose
    second decoding would be refused.
    """
    if not value:
        return None
    if "&" in value and (decoded := html.unescape(value)) != value and safe_url(decoded, base_url) is None:
        return None  # double-escaped: refused when a second decoding would show something unsafe
    core = _URL_CONTROLS.sub("", value).strip(" ")
    if not core or core[0] == "#" or _URL_DEBRIS.search(core):
        return None
    return resolve_url(core, base_url)


def _text(s: str | None) -> str:
    """Escaped text with each whitespace run folded to one space (edges kept as one space)."""
    if not s:
        return ""
    core = s.strip()
    if not core:
        return " "
    if not (core.isprintable() and "  " not in core):
        core = " ".join(core.split())
    if not core.isascii():
        core = nfc(core)
    if "&" in core or "<" in core or ">" in core:
        core = html.escape(core, quote=False)
    if s[0].isspace():
        core = " " + core
    if s[-1].isspace():
        core += " "
    return core


def _attr(name: str, value: str) -> str:
    return f' {name}="{html.escape(nfc(value), quote=True)}"'


class _Writer:
    __slots__ = ("base_url", "out", "skip", "texts")

    def __init__(self, base_url: str, skip: Collection[etree._Element],
                 texts: Mapping[etree._Element, str] | None) -> None:
        self.base_url = base_url
        self.skip = skip
        self.texts = texts
        self.out: list[str] = []

    def children(self, el: etree._Element) -> None:
        out = self.out
        out.append(_text(el.text))
        for child in el:
            self.node(child)
            out.append(_text(child.tail))

    def node(self, el: etree._Element) -> None:
        tag = el.tag
        if tag == "br":  # the most frequent element of old bodies
            self.out.append("<br>")
            return
        if tag.__class__ is not str or el in self.skip:  # comment, PI, entity; excluded paragraph
            return
        tag = tag.lower()
        if tag in DROP_TAGS or ":" in tag and tag.split(":", 1)[1] in DROP_TAGS:
            return
        style = el.get("style")
        if style and _HIDDEN.search(style):
            return
        if tag in RENAME_TAGS:
            tag = RENAME_TAGS[tag]
            if tag is None:
                self.children(el)
                return
        if tag not in ALLOWED_TAGS:
            if tag in BLOCKISH and not any(
                isinstance(c.tag, str) and c.tag.lower() in _BLOCK_CHILD for c in el.iter()
                if c is not el
            ):
                tag = "p"
            else:
                self.children(el)
                return
        attrs = []
        for name in ALLOWED_ATTRIBUTES.get(tag, ()):
            value = el.get(name)
            if name == "src" and not value:
                value = el.get("data-src") or el.get("data-original")
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                value = safe_url(value, self.base_url)
                if value is None:
                    continue
            elif name in ("colspan", "rowspan"):
                value = value.strip()
                if not _DIGITS.match(value):
                    continue
            attrs.append(_attr(name, value))
        if tag == "img" and not attrs or tag == "img" and not attrs[0].startswith(" src="):
            return  # an image without a safe source is no image
        out = self.out
        start = len(out)
        out.append(f"<{tag}{''.join(attrs)}>")
        if tag in VOID_TAGS:
            return
        if self.texts and (known := self.texts.get(el)) is not None:  # a leaf already cleaned
            if "&" in known or "<" in known or ">" in known:
                known = html.escape(known, quote=False)
            out.append(known)
            out.append(f"</{tag}>")
            return
        self.children(el)
        if tag in TRIM_TAGS:  # no whitespace just inside a block: "<p>text</p>", not "<p> text </p>"
            first = out[start + 1]
            if first and first[0] == " ":
                out[start + 1] = first.lstrip(" ")
            last = out[-1]
            if len(out) > start + 1 and last and last[-1] == " " and last[0] != "<":
                out[-1] = last.rstrip(" ")
        if tag in PRUNE_TAGS and not any(out[start + 1:]):  # nothing inside: leave it out
            del out[start:]
            return
        out.append(f"</{tag}>")


def sanitize_body_html(
    element: etree._Element,
    base_url: str,
    *,
    skip: Collection[etree._Element] = (),
    texts: Mapping[etree._Element, str] | None = None,
) -> str:
    """Whitelisted HTML of ``element``'s content (the element's own tag is not written).

    ``skip`` holds elements of the subtree to leave out (the extractor's byline, source line,
    related-news box …). URLs are made absolute against ``base_url``. ``texts`` may give the
    already-cleaned text of leaf elements (no child elements), written instead of their own text.
    """
    writer = _Writer(base_url, skip, texts)
    writer.children(element)
    return "".join(writer.out).strip()
