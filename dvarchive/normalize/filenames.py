"""File names taken from the web, made safe to write under an output folder on any system.

A saved name is one path component that POSIX, Windows and macOS all accept and show as written:
no separators or '..', no control or format characters (bidi overrides such as U+202E make
``invoice\u202Efdp.exe`` display as ``invoiceexe.pdf``), no Windows device name (``CON``,
``nul.txt``, ``Com1.pdf`` open a device there, whatever the case or extension), no trailing dot or
space, NFC, at most 200 UTF-8 bytes. :func:`distinct_name` keeps two different files that
arrive under one name apart.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

MAX_NAME_BYTES = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_DOTS_AND_SPACES = re.compile(r"^[.\s]+|[.\s]+$")
_RESERVED = {"", ".", ".."}
# Windows device names, reserved with any extension and in any case (COM¹-³/LPT¹-³ too).
_DEVICE = re.compile(r"^(?:CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])\s*(?:\..*)?$",
                     re.IGNORECASE)
# Unicode categories never written into a name: controls (C0, DEL, C1), format characters (bidi
# embeddings/overrides/isolates U+202A-E and U+2066-9, marks, zero-width ones), surrogates,
# private use, line and paragraph separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
DIGEST_CHARS = 12


def safe_filename(candidate: str, fallback: str = "attachment") -> str:
    """One portable path component (see the module doc); ``fallback`` when nothing is left."""
    name = unicodedata.normalize("NFC", unquote(candidate))
    name = PurePosixPath(name.replace("\\", "/")).name  # keep the last component only
    name = _UNSAFE.sub("_", name)
    name = "".join("_" if unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch for ch in name)
    name = _DOTS_AND_SPACES.sub("", name)
    if name in _RESERVED:
        return fallback
    if _DEVICE.match(name):
        name = f"_{name}"
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        _, dot, suffix = name.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        name = encoded[: MAX_NAME_BYTES - len(keep) - 1].decode("utf-8", "ignore").rstrip(". ") + (f".{keep}" if keep else "")
    return name or fallback


def is_portable(name: str) -> bool:
    """True for a name :func:`safe_filename` leaves as it is (the property its tests check)."""
    return bool(name) and safe_filename(name, fallback="") == name


def distinct_name(name: str, sha256: str, chars: int = DIGEST_CHARS) -> str:
    """``name`` with a digest before its extension: ``report.pdf`` → ``report-1a2b3c4d5e6f.pdf``.

    Used when another file already holds ``name`` (compared case-insensitively, as Windows and
    macOS do) with other bytes: both are kept, and the same bytes always get the same name.
    """
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = name, ""
    tag = f"-{sha256[:chars]}"
    limit = MAX_NAME_BYTES - len(tag) - (len(suffix) + 1 if suffix else 0)
    stem = stem.encode("utf-8")[:limit].decode("utf-8", "ignore")
    return f"{stem}{tag}.{suffix}" if suffix else f"{stem}{tag}"


def filename_from_url(url: str, fallback: str = "attachment") -> str:
    return safe_filename(urlsplit(url).path.rsplit("/", 1)[-1], fallback)


def contained_path(folder: Path, *components: str) -> Path:
    """``folder / components`` after making each component safe; refuses anything outside ``folder``."""
    target = folder.joinpath(*(safe_filename(c) for c in components)).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ValueError(f"{target} would escape {folder}")
    return target
