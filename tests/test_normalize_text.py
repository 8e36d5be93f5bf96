"""dvarchive.normalize.text: clean_text, nfc, mojibake detection, word counts, hashes."""
from __future__ import annotations

import hashlib
import unicodedata

import pytest

from dvarchive.normalize.text import (
    clean_text,
    is_blank,
    looks_like_tcvn3_mojibake,
    nfc,
    sha256_hex,
    word_count,
)


@pytest.mark.parametrize("raw, clean", [
    ("", ""),
    (None, ""),
    ("  Dân vận  ", "Dân vận"),
    ("\u00a0\u00a0\u00a0 Trong quá trình", "Trong quá trình"),
    ("Một\thai\nba\r\nbốn", "Một hai ba bốn"),
    ("Một\u2002hai\u2003ba\u2009bốn\u202fnăm\u205fsáu\u3000bảy\u00a0tám", "Một hai ba bốn năm sáu bảy tám"),
    ("Dân\u200b vận\u200c\u200d \ufeffkhéo\u00ad", "Dân vận khéo"),
    ("Đảng ủy\u2028xã", "Đảng ủy xã"),
    # entities were decoded once by the HTML parser: what is left is text the page shows
    ("V&#7853;n &#273;&#7897;ng", "V&#7853;n &#273;&#7897;ng"),
    ("&quot;một cửa&quot; &amp; &nbsp;x", "&quot;một cửa&quot; &amp; &nbsp;x"),
    ("AT&T và R&D", "AT&T và R&D"),
    (unicodedata.normalize("NFD", "Tầm quan trọng của công tác dân vận"), "Tầm quan trọng của công tác dân vận"),
])
def test_clean_text(raw: str | None, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_is_idempotent_and_nfc() -> None:
    text = unicodedata.normalize("NFD", " \u00a0Quy chế giám sát\u200b và  phản biện\n")
    once = clean_text(text)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


def test_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Việt Nam")
    assert decomposed != "Việt Nam"
    assert nfc(decomposed) == "Việt Nam"
    already = "Việt Nam"
    assert nfc(already) is already


@pytest.mark.parametrize("text, blank", [
    ("", True), (None, True), (" \n\t", True), ("\u00a0\u00a0", True), ("\u200b\ufeff ", True),
    ("a", False), ("\u00a0x", False), (" đ ", False),
])
def test_is_blank(text: str | None, blank: bool) -> None:
    assert is_blank(text) is blank


# TCVN3 (ABC) and VNI bytes of "Cộng hòa xã hội chủ nghĩa Việt Nam" read as cp1252.
TCVN3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"


@pytest.mark.parametrize("text", [
    TCVN3,
    VNI,
    "Ban D©n vËn TØnh ñy",
    "§¶ng bé tØnh Qu¶ng Nam",
])
def test_mojibake_is_detected(text: str) -> None:
    assert looks_like_tcvn3_mojibake(text)


@pytest.mark.parametrize("text", [
    "",
    None,
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Ban Dân vận Tỉnh ủy",
    "Tầm quan trọng của công tác dân vận chính quyền trong tình hình mới",
    "Nhiệt độ 30°C, giá 1.200.000 đồng – “Dân vận khéo” … « trích »",
    "Ông Müller (CHLB Đức) thăm tỉnh Quảng Nam và làm việc với Ban Dân vận.",
    "Café, résumé, naïve",
    "plain ASCII text",
])
def test_proper_text_is_not_mojibake(text: str | None) -> None:
    assert not looks_like_tcvn3_mojibake(text)


def test_mojibake_is_only_detected_not_fixed() -> None:
    assert clean_text(TCVN3) == TCVN3


@pytest.mark.parametrize("body, count", [
    ("", 0),
    ("một", 1),
    ("Một hai ba.\n\nBốn năm.", 5),
    ("  Một  hai\tba\n", 3),
    ("Một\u00a0hai", 2),
])
def test_word_count(body: str, count: int) -> None:
    assert word_count(body) == count == len(body.split())


def test_sha256_hex_is_of_utf8_bytes() -> None:
    body = "Dân vận khéo"
    assert sha256_hex(body) == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert len(sha256_hex("")) == 64
