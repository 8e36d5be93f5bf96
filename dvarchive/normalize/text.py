"""Text normalisation: NFC, odd spaces, word counts, hashes.

Pure functions over ``str``; every text field of a record goes through :func:`clean_text`.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = [
    "clean_text",
    "is_blank",
    "looks_like_tcvn3_mojibake",
    "nfc",
    "sha256_hex",
    "word_count",
]

# Characters that render as nothing and that editors' tools leave in text: zero-width space,
# ZWNJ/ZWJ, word joiner, BOM/ZWNBSP, soft hyphen, LRM/RLM. Deleted, not turned into spaces.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]")



def nfc(s: str) -> str:
    """``s`` in Unicode NFC (cheap when it already is, which is the common case)."""
    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def clean_text(s: str | None) -> str:
    """One line of reader-visible text: NFC, odd spaces folded, collapsed, stripped.

    Entities are not decoded here: the HTML parser decoded them once, as a browser does, so an
    entity still written out in the text ("&amp;lt;script&amp;gt;" in the source) is what the
    page shows ("&lt;script&gt;") and stays as it is (issue 11: decoded exactly once).

    No-break, en/em/thin, ideographic and other Unicode spaces, tabs and newlines all become one
    ASCII space (``str.split`` knows them all); zero-width characters and soft hyphens vanish.
    Fast path: ``str.isprintable`` is false for every one of those (Unicode "Separator" and
    "Other" categories), so clean prose is only stripped, never split word by word.
    """
    if not s:
        return ""
    s = s.strip()
    if not (s.isprintable() and "  " not in s):
        if not s.isascii() and _INVISIBLE.search(s):
            s = _INVISIBLE.sub("", s)
        s = " ".join(s.split())
    return s if s.isascii() else nfc(s)


def is_blank(s: str | None) -> bool:
    """True when ``s`` shows nothing: empty, spaces of any kind, zero-width characters."""
    if not s:
        return True
    s = s.strip()
    if not s:
        return True
    if s.isprintable():  # every character is a visible one
        return False
    return _INVISIBLE.search(s) is not None and not _INVISIBLE.sub("", s).strip()


# --- legacy Vietnamese encodings read with the wrong charset -------------------------------
# TCVN3 (ABC) and VNI put Vietnamese letters on bytes 0x80-0xFF; read as latin-1/cp1252 they
# show up as symbols and non-Vietnamese Latin letters glued to ASCII letters:
#   TCVN3 "Céng hoµ x· héi chñ nghÜa ViÖt Nam", VNI "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam".
# Letters Vietnamese itself uses (à á â ã è é ê ì í ò ó ô õ ù ú ý) are not counted, nor are
# quotes, dashes, ellipsis, degree, « » that proper text has.
_MOJIBAKE_CHARS = frozenset(
    "¡¢£¤¥¦§¨©ª¬®¯±²³´µ¶·¸¹º¼½¾¿ÄÅÆÇËÎÏÑÖØÛÜÞßäåæçëîïñöøûüþÿ" "ƒˆŠŒŽšœžŸ˜"
)
# The same set as a regex: the first test of every text field of every record, 3x faster than
# frozenset.isdisjoint on a 2,000-character body.
_ANY_MOJIBAKE_CHAR = re.compile("[" + re.escape("".join(sorted(_MOJIBAKE_CHARS))) + "]")
# Letters only proper (Unicode) Vietnamese has: ă đ ơ ư and the whole Latin Extended Additional
# block (ạ ả ấ ầ ẩ ẫ ậ … ỹ). Mojibake text, being latin-1/cp1252, has none of them.
_VIETNAMESE_ONLY = re.compile("[ăâđơưĂĐƠƯ\u1ea0-\u1ef9]")


def looks_like_tcvn3_mojibake(s: str | None) -> bool:
    """True when ``s`` looks like TCVN3/VNI bytes decoded as latin-1/cp1252 (detects, never fixes).

    Counts suspicious characters that sit inside a word (next to a letter) and compares them with
    the letters only real Vietnamese text uses: mojibake has at least two of the former and more
    of them than of the latter, so one "Müller" in a Vietnamese article does not trip it.
    """
    if not s or _ANY_MOJIBAKE_CHAR.search(s) is None:
        return False
    hits = 0
    last = len(s) - 1
    for i, ch in enumerate(s):
        if ch in _MOJIBAKE_CHARS and (
            (i > 0 and (s[i - 1].isalpha() or s[i - 1] in _MOJIBAKE_CHARS))
            or (i < last and (s[i + 1].isalpha() or s[i + 1] in _MOJIBAKE_CHARS))
        ):
            hits += 1
    if hits < 2:
        return False
    return hits > len(_VIETNAMESE_ONLY.findall(s))


def word_count(body: str) -> int:
    """Number of whitespace-separated tokens."""
    flat = body.replace("\n\n", " ")
    if flat and flat.isprintable() and "  " not in flat and flat[0] != " " and flat[-1] != " ":
        return flat.count(" ") + 1  # a record body: one space between words (fast path)
    return len(body.split())


def sha256_hex(body: str) -> str:
    """Hex sha256 of the UTF-8 bytes of ``body`` (the record's ``content_sha256``)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
