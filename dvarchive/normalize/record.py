"""Whole-record normalization (pure): every string of a record in NFC.

Used by the normalize pipeline (crawl) and by ``reextract`` (no crawl), so both give the same record.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from dvarchive.items import Record


def nfc_value(value: Any) -> Any:
    """``value`` with every string inside it in NFC (lists and dicts walked)."""
    if isinstance(value, str):
        return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc_value(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc_value(v) for k, v in value.items()}
    return value


def normalize_record(record: Record) -> Record:
    """A copy of ``record`` with every string in NFC. Pure; extraction already does this."""
    return {key: nfc_value(value) for key, value in record.items()}
