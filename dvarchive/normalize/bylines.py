"""Bylines and credited sources: the short lines that close an article's body.

Rules (applied by extractors to the last few non-empty paragraphs of a body, from the end):

* **Source** — ``(Nguồn: X)``, ``Nguồn: X``, ``Nguồn X`` (brackets and a final full stop
  dropped) → ``X``. ``Theo X`` / ``(Theo X)`` counts only as a short closing line (at most
  twelve words, no comma/semicolon, ``X`` capitalised or a domain name): "Theo đó, mỗi hộ …"
  is prose, not a source.
* **Credit line** — ``Tin, ảnh: X``, ``Tin và ảnh: X``, ``Bài, ảnh: X``, ``Bài và ảnh: X``,
  ``Tin: X``, ``Bài: X``, ``Tin/ảnh: X`` … → author ``X``, whatever the paragraph's style.
* **Photo credit** — ``Ảnh: X`` alone (or ``Ảnh minh họa``) names the photographer, not the
  author: it is *not* a byline (``author`` stays unset by it) but it is not article text either;
  extractors drop it from the closing block like a caption.
* **Styled byline** — a short paragraph (≤ 60 characters, ≤ 10 words, no digits, no sentence
  punctuation) whose words are capitalised like names (first word and ≥ 60 % of them: "Duy Nghi",
  "T.XUÂN - H.BIN", "Đ.ĐẠO", "Ban Dân vận Huyện ủy"), right-aligned or entirely bold/italic; a
  compiler's note after it ("Hà Thu (tổng hợp)", "(theo Reuters)") is not part of the name.
"""
from __future__ import annotations

import re

__all__ = [
    "clean_name",
    "is_photo_credit",
    "looks_like_name",
    "parse_byline",
    "parse_credit_line",
    "parse_source",
]

_SOURCE = re.compile(r"^\(?\s*Nguồn\s*:?\s*(?P<x>.+?)\s*\)?\s*\.?\s*$", re.I)
_THEO = re.compile(r"^\(?\s*Theo\s+(?P<x>[^,;:]+?)\s*\)?\s*\.?\s*$")
_CREDIT = re.compile(
    r"^\(?\s*(?:Tin|Bài|Tin\s+bài)(?:\s*(?:,|và|/|\+|-|&)\s*(?:ảnh|hình|video|clip))?\s*:\s*(?P<x>.+?)\s*\)?\s*$",
    re.I,
)
_PHOTO = re.compile(r"^\(?\s*(?:Ảnh|Hình|Hình ảnh)\s*(?::\s*.+|minh họa|minh hoạ)\s*\)?\.?$", re.I)
# A compiler's note after a styled byline: "(tổng hợp)", "(theo Reuters)", "(lược dịch)".
_COMPILED_NOTE = re.compile(r"^(?P<name>[^()]+?)\s*\((?:tổng hợp|tổng hợp và biên dịch|theo\s[^()]+|lược dịch|"
                            r"biên dịch|dịch|ctv|tg)\)\s*$", re.I)
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+/?$")
_NAME_SPLIT = re.compile(r"[\s,\-–—/&]+")
_BAD_NAME_CHARS = frozenset("0123456789:;!?“”\"|()[]{}<>@#%*=+")

MAX_BYLINE_CHARS = 60
MAX_BYLINE_WORDS = 10
MAX_THEO_WORDS = 12


def clean_name(text: str) -> str:
    """A credited name without wrapping brackets, dashes or a final full stop ("Đ.ĐẠO" keeps its dot)."""
    text = text.strip().strip("()[]").strip(" -–—").strip()
    if text.endswith(".") and not re.search(r"(?:^|[\s.])\w\.$", text):
        text = text[:-1].rstrip()
    return text


def looks_like_name(text: str) -> bool:
    """Short, no digits or sentence punctuation, words capitalised like a name (initials allowed):
    the first word and at least 60 % of them."""
    if not text or len(text) > MAX_BYLINE_CHARS or _BAD_NAME_CHARS.intersection(text):
        return False
    words = [w for w in _NAME_SPLIT.split(text) if w]
    if not words or len(words) > MAX_BYLINE_WORDS:
        return False
    # Names capitalise every word; organisations most ("Ban Dân vận Huyện ủy Quế Sơn").
    capitalised = sum(1 for w in words if w[0].isupper())
    return words[0][0].isupper() and capitalised >= 0.6 * len(words)


def parse_source(text: str) -> str | None:
    """``X`` of a source line ("(Nguồn: X)", "Nguồn: X", short closing "Theo X"), else None."""
    if not text or len(text) > 120:
        return None
    if m := _SOURCE.match(text):
        x = clean_name(m["x"])
        return x or None
    if (m := _THEO.match(text)) and len(text.split()) <= MAX_THEO_WORDS:
        x = clean_name(m["x"])
        if x and (x[0].isupper() or x[0].isdigit() or _DOMAIN.match(x)):
            return x
    return None


def parse_credit_line(text: str) -> str | None:
    """Author ``X`` of "Tin, ảnh: X" / "Tin và ảnh: X" / "Bài, ảnh: X" / "Bài: X" …, else None."""
    if not text or len(text) > 100:
        return None
    if m := _CREDIT.match(text):
        x = clean_name(m["x"])
        return x or None
    return None


def is_photo_credit(text: str) -> bool:
    """True for a bare photo credit ("Ảnh: Minh Khoa", "(Ảnh minh họa)"): not a byline."""
    return bool(text) and len(text) <= 100 and bool(_PHOTO.match(text))


def parse_byline(text: str, *, right_aligned: bool = False, emphasized: bool = False) -> str | None:
    """Author of a closing byline paragraph, or None when ``text`` is not one.

    ``right_aligned``/``emphasized`` describe the paragraph's markup (``text-align: right`` /
    ``align="right"``; all of its text inside strong/b/em/i). A credit line ("Tin, ảnh: X") is a
    byline whatever its style; a bare name needs one of the two styles.
    """
    if credited := parse_credit_line(text):
        return credited
    if not (right_aligned or emphasized) or is_photo_credit(text):
        return None
    if m := _COMPILED_NOTE.match(text):   # "Hà Thu (tổng hợp)", "Minh Khoa (theo Reuters)"
        text = m["name"]
    name = clean_name(text)
    return name if looks_like_name(name) else None
