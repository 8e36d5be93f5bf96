"""File names taken from the web, made safe to write under an output folder."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

MAX_NAME_BYTES = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_DOTS_AND_SPACES = re.compile(r"^[.\s]+|[.\s]+$")
_RESERVED = {"", ".", ".."}


def safe_filename(candidate: str, fallback: str = "attachment") -> str:
    """One path component: no separators, no '..', no control characters, NFC, bounded length."""
    name = unicodedata.normalize("NFC", unquote(candidate))
    name = PurePosixPath(name.replace("\\", "/")).name  # keep the last component only
    name = _UNSAFE.sub("_", name)
    name = _DOTS_AND_SPACES.sub("", name)
    if name in _RESERVED:
        return fallback
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        stem, dot, suffix = name.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        name = encoded[: MAX_NAME_BYTES - len(keep) - 1].decode("utf-8", "ignore").rstrip(". ") + (f".{keep}" if keep else "")
    return name or fallback


def filename_from_url(url: str, fallback: str = "attachment") -> str:
    return safe_filename(urlsplit(url).path.rsplit("/", 1)[-1], fallback)


def contained_path(folder: Path, *components: str) -> Path:
    """``folder / components`` after making each component safe; refuses anything outside ``folder``."""
    target = folder.joinpath(*(safe_filename(c) for c in components)).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ValueError(f"{target} would escape {folder}")
    return target
