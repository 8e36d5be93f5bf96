"""dvarchive.normalize.dates: every date form the site and its siblings print, and what is refused."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

import dvarchive
from dvarchive.normalize import dates
from dvarchive.normalize.dates import VIETNAM_TZ, fallback_calls, format_iso, parse_date
from helpers import CONTRACT

# Every test passes ``now`` explicitly: relative forms and the plausibility window depend on it.
NOW = datetime(2025, 1, 22, 10, 0, 0, tzinfo=VIETNAM_TZ)


def iso(text: str, now: datetime = NOW) -> str | None:
    """parse_date(text) as the schema writes it, after checking it is aware and in UTC+07:00."""
    result = parse_date(text, now=now)
    if result is None:
        return None
    assert result.utcoffset() == timedelta(hours=7), text
    return format_iso(result)


# The list in shared/site/README.md ("Date formats seen on this and sibling provincial sites").
README_FORMS = [
    ("28.2.2018 - 9:21", "2018-02-28T09:21:00+07:00"),
    ("28.2.2018", "2018-02-28T00:00:00+07:00"),
    ("Cập nhật: 1.3.2018 - 10:05", "2018-03-01T10:05:00+07:00"),
    ("Thứ Tư, 28/02/2018 - 09:21", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21:33", "2018-02-28T09:21:33+07:00"),
    ("09:21 28/02/2018", "2018-02-28T09:21:00+07:00"),
    ("Cập nhật lúc 16:20, Thứ Năm, 10/01/2019 (GMT+7)", "2019-01-10T16:20:00+07:00"),
    ("Ngày đăng: 24/09/2018", "2018-09-24T00:00:00+07:00"),
    ("03/04/2020 | 10:36 PM", "2020-04-03T22:36:00+07:00"),
    ("21/01/2019 3:45:12 CH", "2019-01-21T15:45:12+07:00"),
    ("9h21 ngày 28/2/2018", "2018-02-28T09:21:00+07:00"),
    ("Chủ nhật, ngày 08 tháng 12 năm 2024 16:02 (GMT +7)", "2024-12-08T16:02:00+07:00"),
    ("Thứ hai, 11 Tháng 12 2023 16:03", "2023-12-11T16:03:00+07:00"),
    ("5 Tháng Sáu 2019", "2019-06-05T00:00:00+07:00"),
    ("T4, 28/02/2018", "2018-02-28T00:00:00+07:00"),
    ("Wed, 28 Feb 2018 09:21:00 +0700", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28T09:21:00+07:00", "2018-02-28T09:21:00+07:00"),
]

MORE_FORMS = [
    # times written in words / with SA-CH / AM-PM
    ("9 giờ 21 phút ngày 28/2/2018", "2018-02-28T09:21:00+07:00"),
    ("9 giờ ngày 28/2/2018", "2018-02-28T09:00:00+07:00"),
    ("9g21 28/2/2018", "2018-02-28T09:21:00+07:00"),
    ("28/2/2018 9h", "2018-02-28T09:00:00+07:00"),
    ("28/2/2018 9h21'", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21 SA", "2018-02-28T09:21:00+07:00"),
    ("12:05 SA 28/02/2018", "2018-02-28T00:05:00+07:00"),
    ("28/02/2018 12:05 CH", "2018-02-28T12:05:00+07:00"),
    ("28/02/2018 12:05 AM", "2018-02-28T00:05:00+07:00"),
    ("28/02/2018 9:21am", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 22:36 PM", "2018-02-28T22:36:00+07:00"),  # HH + redundant marker
    # separators and filler words
    ("28.2.2018, 9:21", "2018-02-28T09:21:00+07:00"),
    ("28.2.2018-9:21", "2018-02-28T09:21:00+07:00"),
    ("28.2.2018 lúc 9:21", "2018-02-28T09:21:00+07:00"),
    ("ngày 28/02/2018 lúc 09:21", "2018-02-28T09:21:00+07:00"),
    ("lúc 9 giờ ngày 28.2.2018", "2018-02-28T09:00:00+07:00"),
    ("28-02-2018", "2018-02-28T00:00:00+07:00"),
    ("(28/02/2018)", "2018-02-28T00:00:00+07:00"),
    ("(17.2.2018)", "2018-02-17T00:00:00+07:00"),                     # listing, sample page
    ("28.2.2018.", "2018-02-28T00:00:00+07:00"),
    ("[28.2.2018 - 9:21]", "2018-02-28T09:21:00+07:00"),
    ("2018/02/28 09:21", "2018-02-28T09:21:00+07:00"),
    ("2018-2-28", "2018-02-28T00:00:00+07:00"),
    # labels
    ("Ngày: 28/2/2018", "2018-02-28T00:00:00+07:00"),
    ("Thời gian: 28/2/2018 09:21", "2018-02-28T09:21:00+07:00"),
    ("Đăng lúc: 09:21 28/2/2018", "2018-02-28T09:21:00+07:00"),
    ("Đăng ngày 28/2/2018", "2018-02-28T00:00:00+07:00"),
    ("Cập nhật lúc: 16:20 10/01/2019", "2019-01-10T16:20:00+07:00"),
    ("Ngày cập nhật: 28/02/2018 09:21", "2018-02-28T09:21:00+07:00"),
    ("Ngày xuất bản: 28/02/2018", "2018-02-28T00:00:00+07:00"),
    ("Ngày giờ đăng tin: 28/02/2018", "2018-02-28T00:00:00+07:00"),  # any "<few words>:"
    ("Published: 2018-02-28T09:21:00+07:00", "2018-02-28T09:21:00+07:00"),
    # weekdays, every spelling, any case
    ("Thứ Hai, 26/02/2018", "2018-02-26T00:00:00+07:00"),
    ("Thứ ba, 27/02/2018", "2018-02-27T00:00:00+07:00"),
    ("THỨ TƯ, 28/02/2018", "2018-02-28T00:00:00+07:00"),
    ("Thứ Năm, 1/3/2018", "2018-03-01T00:00:00+07:00"),
    ("Thứ Sáu, 2/3/2018", "2018-03-02T00:00:00+07:00"),
    ("Thứ Bảy, 3/3/2018", "2018-03-03T00:00:00+07:00"),
    ("Chủ Nhật, 4/3/2018", "2018-03-04T00:00:00+07:00"),
    ("CHỦ NHẬT, 04/03/2018", "2018-03-04T00:00:00+07:00"),
    ("Thứ 2, 26/02/2018", "2018-02-26T00:00:00+07:00"),
    ("Thứ 7, 3/3/2018", "2018-03-03T00:00:00+07:00"),
    ("T2, 26/02/2018", "2018-02-26T00:00:00+07:00"),
    ("t7, 3/3/2018", "2018-03-03T00:00:00+07:00"),
    ("CN, 4/3/2018", "2018-03-04T00:00:00+07:00"),
    ("Thứ Tư 28/02/2018", "2018-02-28T00:00:00+07:00"),
    ("28/02/2018 (Thứ Tư)", "2018-02-28T00:00:00+07:00"),
    ("Thứ Tư, ngày 28/02/2018 - 09:21", "2018-02-28T09:21:00+07:00"),
    ("Cập nhật: Thứ Tư, 28/02/2018 09:21", "2018-02-28T09:21:00+07:00"),
    ("Thứ Tư, 28/02/2018 lúc 09:21", "2018-02-28T09:21:00+07:00"),
    # place prefixes and month words
    ("Hà Nội, ngày 5 tháng 3 năm 2018", "2018-03-05T00:00:00+07:00"),
    ("Tam Kỳ, ngày 5 tháng 3 năm 2018", "2018-03-05T00:00:00+07:00"),
    ("Tam Kỳ, ngày 12 tháng Giêng năm 2019", "2019-01-12T00:00:00+07:00"),
    ("5 tháng Một 2019", "2019-01-05T00:00:00+07:00"),
    ("5 Tháng Hai 2019", "2019-02-05T00:00:00+07:00"),
    ("5 tháng Ba 2019", "2019-03-05T00:00:00+07:00"),
    ("5 tháng Tư 2019", "2019-04-05T00:00:00+07:00"),
    ("5 tháng Bốn 2019", "2019-04-05T00:00:00+07:00"),
    ("5 tháng Năm 2019", "2019-05-05T00:00:00+07:00"),
    ("ngày 5 tháng Năm năm 2019", "2019-05-05T00:00:00+07:00"),
    ("ngày 5 tháng năm, 2019", "2019-05-05T00:00:00+07:00"),
    ("5 tháng Sáu năm 2019", "2019-06-05T00:00:00+07:00"),
    ("5 tháng Bảy 2019", "2019-07-05T00:00:00+07:00"),
    ("5 tháng Bẩy 2019", "2019-07-05T00:00:00+07:00"),
    ("5 tháng Tám 2019", "2019-08-05T00:00:00+07:00"),
    ("5 tháng Chín 2019", "2019-09-05T00:00:00+07:00"),
    ("5 tháng Mười 2019", "2019-10-05T00:00:00+07:00"),
    ("5 tháng Mười năm 2019", "2019-10-05T00:00:00+07:00"),
    ("5 tháng Mười Một 2019", "2019-11-05T00:00:00+07:00"),
    ("5 tháng Mười Hai 2019", "2019-12-05T00:00:00+07:00"),
    ("5 tháng Chạp 2019", "2019-12-05T00:00:00+07:00"),
    ("ngày 5 tháng 12 năm 2019", "2019-12-05T00:00:00+07:00"),
    ("mùng 5 tháng Giêng năm 2019", "2019-01-05T00:00:00+07:00"),
    ("10 tháng tư, 2019", "2019-04-10T00:00:00+07:00"),
    ("28 thg 2, 2018", "2018-02-28T00:00:00+07:00"),
    ("Ngày 28 tháng 02 năm 2018, 09:21", "2018-02-28T09:21:00+07:00"),
    ("Thứ Năm, 2 tháng Năm năm 2019", "2019-05-02T00:00:00+07:00"),
    # the render-date banner: parses as the date it states (callers never pass it)
    ("Hôm nay, ngày 22 tháng 1 năm 2019", "2019-01-22T00:00:00+07:00"),
    # ISO 8601 and RFC 822 carry their own offsets
    ("2018-02-28T02:21:00Z", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28", "2018-02-28T00:00:00+07:00"),
    ("2018-02-28T09:21", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28 09:21:00", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28T09:21:00.123456+07:00", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28T04:21:00+02:00", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28T04:21:00+0200", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28T04:21:00-05:00", "2018-02-28T16:21:00+07:00"),
    ("Wed, 28 Feb 2018 02:21:00 +0000", "2018-02-28T09:21:00+07:00"),
    ("Wed, 28 Feb 2018 02:21:00 GMT", "2018-02-28T09:21:00+07:00"),
    ("Wed, 28 Feb 2018 02:21:00 UT", "2018-02-28T09:21:00+07:00"),
    ("Tue, 27 Feb 2018 21:21:00 EST", "2018-02-28T09:21:00+07:00"),
    ("28 Feb 2018 09:21 +0700", "2018-02-28T09:21:00+07:00"),
    ("Wed, 28 Feb 2018 09:21:00", "2018-02-28T09:21:00+07:00"),
    # zone suffixes
    ("28/02/2018 09:21 (GMT+7)", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21 GMT +7", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21 UTC+7", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21 (GMT+07:00)", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21 +0700", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21 (ICT)", "2018-02-28T09:21:00+07:00"),
    ("28/02/2018 09:21 GMT+8", "2018-02-28T08:21:00+07:00"),
    ("28/02/2018 02:21 (GMT)", "2018-02-28T09:21:00+07:00"),
    ("2018-02-28 09:21 (GMT+7)", "2018-02-28T09:21:00+07:00"),
    # leap day
    ("29.2.2020", "2020-02-29T00:00:00+07:00"),
    # the dateparser fallback: English month names, cross-checked
    ("February 28, 2018", "2018-02-28T00:00:00+07:00"),
    ("28th of February 2018", "2018-02-28T00:00:00+07:00"),
    ("Wednesday, February 28, 2018 9:21 PM", "2018-02-28T21:21:00+07:00"),
    ("Feb 28 2018 9:21am EST", "2018-02-28T21:21:00+07:00"),
    ("Sat, 5 Jan 2019", "2019-01-05T00:00:00+07:00"),
]

NONE_CASES = [
    "", " ", "\u200b", "abc", "-",
    "31/02/2018", "29.2.2019", "32.1.2018", "0.5.2018", "28.13.2018", "28.0.2018",
    "28.2.2018 - 25:61", "28.2.2018 - 24:00", "28.2.2018 9:21:60", "28/02/2018 13:00 AM",
    "28/02/2018 0:30 PM", "2018-02-30", "2018-02-28T25:00:00Z",
    "Tháng Mười Ba 2019", "5 Tháng Mười Ba 2019", "5 tháng 13 năm 2019", "ngày 0 tháng 1 năm 2019",
    "2018", "9:21", "9h21", "12345", "1.2.3", "3.14", "1/2", "12/2018", "tháng 5 năm 2019",
    "1519784460", "20180228", "2018 2019", "28 2 2018", "12 3 2018", "0235.3.852.456",
    "Quyết định số 217-QĐ/TW", "Quyết định số 217-QĐ/TW ngày 12/12/2013", "Số 12/2018/NĐ-CP",
    "abc 28/02/2018", "28/02/2018 abc", "28/02/2018 09:21 sáng",
    # two dates / two times: ambiguous
    "28/02/2018 - 01/03/2018", "28/02/2018 28/02/2018", "28/02/2018 9:21 9:22",
    "Cập nhật: 28/02/2018 09:21 | Ngày đăng: 27/02/2018",
    # two-digit years
    "28/02/18", "28.2.18 - 9:21", "Wed, 28 Feb 18 09:21:00 +0700", "28 tháng 2 năm 18",
    # contradicting weekdays and zones
    "Thứ Năm, 28/02/2018", "T5, 28/02/2018", "CN, 28/02/2018", "Thứ Tư, Thứ Năm, 28/02/2018",
    "Thu, 28 Feb 2018 09:21:00 +0700", "Thursday, February 28, 2018",
    "Cập nhật lúc 16:20, Thứ Sáu, 10/01/2019 (GMT+7)", "Thứ Năm, 28/02/2018 lúc 09:21",
    "Thứ Năm, ngày 8 tháng 12 năm 2024", "Wed, 1 Mar 2018 09:21:00 +0700",
    "28/02/2018 (GMT+7) (GMT+8)", "2018-02-28T09:21:00Z (GMT+7)", "28/02/2018 09:21 GMT+15",
    "2018-02-28T09:21:00+14:30", "2018-02-28T09:21:00+07:60",
    # outside the plausibility window (MIN_YEAR .. now.year + 1)
    "1970-01-01T00:00:00Z", "30/4/1975", "31.12.1989", "1.1.2027",
    # relative forms that are too vague, and dates next to relative words
    "2 tháng trước", "1 năm trước", "vài phút trước", "hôm qua 28/2/2018", "hôm qua 25:00",
]


@pytest.mark.parametrize(("text", "expected"), README_FORMS)
def test_readme_forms(text: str, expected: str) -> None:
    assert iso(text) == expected


@pytest.mark.parametrize(("text", "expected"), MORE_FORMS)
def test_more_forms(text: str, expected: str) -> None:
    assert iso(text) == expected


@pytest.mark.parametrize("text", NONE_CASES)
def test_refused(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def _sample_pages() -> list[tuple[str, str | None, str | None]]:
    """(expected record file, news-date text, news-updated text) for each sample article page."""
    rows = []
    for expected in sorted((CONTRACT / "site" / "expected").glob("article-*.json")):
        html = (CONTRACT / "site" / "pages" / f"{expected.stem}.html").read_text(encoding="utf-8")
        found = {cls: re.search(rf'class="{cls}">([^<]*)<', html) for cls in ("news-date", "news-updated")}
        rows.append((expected.name, *(m[1] if m else None for m in found.values())))
    return rows


def test_sample_article_dates_match_the_expected_records() -> None:
    pages = _sample_pages()
    assert pages
    for name, published, updated in pages:
        record = json.loads((CONTRACT / "site" / "expected" / name).read_text(encoding="utf-8"))
        assert iso(published) == record["published"], name
        assert (iso(updated) if updated else None) == record.get("modified"), name


# --------------------------------------------------------------------------- messy input
def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _nbsp(s: str) -> str:
    return s.replace(" ", "\u00a0")


def _zwsp(s: str) -> str:
    return "\ufeff\u200b" + s.replace(" ", " \u200b") + "\u200b"


def _spaces(s: str) -> str:
    return "  \t" + s.replace(" ", " \n  ") + " \r\n"


def _upper(s: str) -> str:
    return s.upper()


def _en_dash(s: str) -> str:
    return s.replace(" - ", " \u2013 ")


MANGLERS = [_nfd, _nbsp, _zwsp, _spaces, _upper, _en_dash,
            lambda s: _zwsp(_nbsp(_nfd(s)))]
MANGLED_SOURCES = README_FORMS + [
    ("Hà Nội, ngày 5 tháng 3 năm 2018", "2018-03-05T00:00:00+07:00"),
    ("ngày 5 tháng Năm năm 2019", "2019-05-05T00:00:00+07:00"),
    ("Tam Kỳ, ngày 12 tháng Giêng năm 2019", "2019-01-12T00:00:00+07:00"),
    ("9 giờ 21 phút ngày 28/2/2018", "2018-02-28T09:21:00+07:00"),
]


@pytest.mark.parametrize("mangle", MANGLERS, ids=lambda f: getattr(f, "__name__", "all"))
@pytest.mark.parametrize(("text", "expected"), MANGLED_SOURCES)
def test_messy_variants_parse_the_same(mangle, text: str, expected: str) -> None:
    assert iso(mangle(text)) == expected


@pytest.mark.parametrize("mangle", MANGLERS, ids=lambda f: getattr(f, "__name__", "all"))
@pytest.mark.parametrize("text", ["31/02/2018", "Tháng Mười Ba 2019", "Thứ Năm, 28/02/2018",
                                  "Quyết định số 217-QĐ/TW ngày 12/12/2013"])
def test_messy_variants_stay_refused(mangle, text: str) -> None:
    assert parse_date(mangle(text), now=NOW) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Thứ\u200bTư, 28/02/2018", "2018-02-28T00:00:00+07:00"),           # zwsp instead of a space
    ("28.2.2018\u200b-\u200b9:21", "2018-02-28T09:21:00+07:00"),
    ("\u200e28/02/2018\u200f 09:21", "2018-02-28T09:21:00+07:00"),     # LRM / RLM marks
    ("28.2.2018\u2009\u2014\u20099:21", "2018-02-28T09:21:00+07:00"),    # thin spaces, em dash
    ("Ngày\u202fđăng:\u3000 24/09/2018", "2018-09-24T00:00:00+07:00"),
])
def test_invisible_characters_and_odd_spaces(text: str, expected: str) -> None:
    assert iso(text) == expected


def test_nfd_input_really_is_decomposed() -> None:
    text = _nfd("Thứ Tư, 28/02/2018 - 09:21")
    assert not unicodedata.is_normalized("NFC", text)
    assert iso(text) == "2018-02-28T09:21:00+07:00"


# --------------------------------------------------------------------------- relative forms
RELATIVE = [
    ("2 giờ trước", "2025-01-22T08:00:00+07:00"),
    ("30 phút trước", "2025-01-22T09:30:00+07:00"),
    ("45 giây trước", "2025-01-22T09:59:15+07:00"),
    ("3 ngày trước", "2025-01-19T10:00:00+07:00"),
    ("1 tuần trước", "2025-01-15T10:00:00+07:00"),
    ("một giờ trước", "2025-01-22T09:00:00+07:00"),
    ("2 tiếng trước", "2025-01-22T08:00:00+07:00"),
    ("hôm qua", "2025-01-21T00:00:00+07:00"),
    ("Hôm qua 14:30", "2025-01-21T14:30:00+07:00"),
    ("14:30 hôm qua", "2025-01-21T14:30:00+07:00"),
    ("14:30, hôm qua", "2025-01-21T14:30:00+07:00"),
    ("hôm qua lúc 14:30", "2025-01-21T14:30:00+07:00"),
    ("hôm qua 2:30 CH", "2025-01-21T14:30:00+07:00"),
    ("hôm nay 9:21", "2025-01-22T09:21:00+07:00"),
    ("hôm nay", "2025-01-22T00:00:00+07:00"),
    ("hôm kia", "2025-01-20T00:00:00+07:00"),
    ("vừa xong", "2025-01-22T10:00:00+07:00"),
    ("vài giây trước", "2025-01-22T10:00:00+07:00"),
    ("Cập nhật: 2 giờ trước", "2025-01-22T08:00:00+07:00"),
    ("Đăng lúc: hôm qua 14:30", "2025-01-21T14:30:00+07:00"),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_forms(text: str, expected: str) -> None:
    assert iso(text) == expected


@pytest.mark.parametrize(("text", "expected"), RELATIVE[:4] + RELATIVE[7:10])
def test_relative_forms_in_nfd(text: str, expected: str) -> None:
    assert iso(_nfd(text)) == expected


def test_relative_naive_now_is_vietnam_time() -> None:
    naive = datetime(2025, 1, 22, 10, 0, 0)
    assert iso("2 giờ trước", now=naive) == "2025-01-22T08:00:00+07:00"
    assert iso("hôm qua 14:30", now=naive) == "2025-01-21T14:30:00+07:00"


def test_relative_aware_now_is_converted_first() -> None:
    # 18:30 UTC on the 21st is already 01:30 on the 22nd in Vietnam: "hôm qua" is the 21st.
    utc_now = datetime(2025, 1, 21, 18, 30, tzinfo=timezone.utc)
    assert iso("hôm qua", now=utc_now) == "2025-01-21T00:00:00+07:00"
    assert iso("hôm nay 9:21", now=utc_now) == "2025-01-22T09:21:00+07:00"
    assert iso("2 giờ trước", now=utc_now) == "2025-01-21T23:30:00+07:00"


def test_relative_drops_microseconds() -> None:
    now = datetime(2025, 1, 22, 10, 0, 0, 987654, tzinfo=VIETNAM_TZ)
    assert parse_date("vừa xong", now=now) == datetime(2025, 1, 22, 10, 0, 0, tzinfo=VIETNAM_TZ)


def test_default_now_is_the_current_time() -> None:
    before = datetime.now(VIETNAM_TZ).replace(microsecond=0)
    result = parse_date("vừa xong")
    after = datetime.now(VIETNAM_TZ)
    assert result is not None and before <= result <= after


# --------------------------------------------------------------------------- offsets
@pytest.mark.parametrize(("text", "expected"), [
    ("2018-02-28T20:00:00Z", "2018-03-01T03:00:00+07:00"),
    ("2018-02-28T16:59:59Z", "2018-02-28T23:59:59+07:00"),
    ("2018-02-28T17:00:00Z", "2018-03-01T00:00:00+07:00"),
    ("2018-03-01T06:00:00+08:00", "2018-03-01T05:00:00+07:00"),
    ("2018-03-01T01:00:00+09:00", "2018-02-28T23:00:00+07:00"),
    ("2018-12-31T20:30:00-05:00", "2019-01-01T08:30:00+07:00"),
    ("Wed, 28 Feb 2018 20:00:00 -0500", "2018-03-01T08:00:00+07:00"),
    ("Wed, 28 Feb 2018 23:30:00 +0000", "2018-03-01T06:30:00+07:00"),
    ("Thu, 01 Mar 2018 00:30:00 +0900", "2018-02-28T22:30:00+07:00"),
    ("28/02/2018 23:30 (GMT+0)", "2018-03-01T06:30:00+07:00"),
    ("01/03/2018 00:30 GMT+8", "2018-02-28T23:30:00+07:00"),
])
def test_offsets_converted_across_midnight(text: str, expected: str) -> None:
    assert iso(text) == expected


def test_weekday_is_checked_against_the_written_date_not_the_converted_one() -> None:
    # Wednesday 28 Feb in UTC is already Thursday 1 Mar in Vietnam.
    assert iso("Wed, 28 Feb 2018 23:30:00 +0000") == "2018-03-01T06:30:00+07:00"
    assert parse_date("Thu, 28 Feb 2018 23:30:00 +0000", now=NOW) is None


# --------------------------------------------------------------------------- window
def test_plausibility_window_follows_now() -> None:
    assert iso("1.1.2026") == "2026-01-01T00:00:00+07:00"           # now.year + 1
    assert parse_date("1.1.2027", now=NOW) is None
    assert parse_date("1.1.2027", now=datetime(2026, 6, 1)) is not None
    assert iso("1.1.1990") == "1990-01-01T00:00:00+07:00"
    assert parse_date("31.12.1989", now=NOW) is None


# --------------------------------------------------------------------------- format_iso
def test_format_iso() -> None:
    assert format_iso(datetime(2018, 2, 28, 9, 21, tzinfo=VIETNAM_TZ)) == "2018-02-28T09:21:00+07:00"
    assert format_iso(datetime(2018, 2, 28, 2, 21, tzinfo=timezone.utc)) == "2018-02-28T09:21:00+07:00"
    assert format_iso(datetime(2018, 2, 28, 9, 21, 5, 999999)) == "2018-02-28T09:21:05+07:00"  # naive
    assert format_iso(datetime(2018, 2, 28, 20, 0, tzinfo=timezone(timedelta(hours=-5)))) == \
        "2018-03-01T08:00:00+07:00"


def _random_instants(count: int, seed: int = 20180228) -> list[datetime]:
    rng = random.Random(seed)
    start = datetime(1990, 1, 1, tzinfo=VIETNAM_TZ)
    span = int((datetime(2025, 12, 31, 23, 59, 59, tzinfo=VIETNAM_TZ) - start).total_seconds())
    offsets = [timezone(timedelta(minutes=m)) for m in (-600, -300, 0, 330, 420, 480, 545, 840)]
    return [(start + timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(10**6)))
            .astimezone(rng.choice(offsets)) for _ in range(count)]


INSTANTS = _random_instants(400)


def test_round_trip_format_parse_format() -> None:
    for dt in INSTANTS:
        text = format_iso(dt)
        assert format_iso(parse_date(text, now=NOW)) == text, text


def test_round_trip_through_other_renderings() -> None:
    """The same instant printed as the site, RSS and meta tags print it parses back to itself."""
    for dt in INSTANTS:
        local = dt.astimezone(VIETNAM_TZ).replace(microsecond=0)
        expected = format_iso(local)
        renderings = [
            f"{local.day}.{local.month}.{local.year} - {local.hour}:{local.minute:02d}:{local.second:02d}",
            local.strftime("%d/%m/%Y %H:%M:%S"),
            local.strftime("%H:%M:%S %d/%m/%Y"),
            format_datetime(dt.replace(microsecond=0)),                       # RFC 822, own offset
            dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            f"{local.hour}:{local.minute:02d}:{local.second:02d}, ngày {local.day} tháng {local.month} "
            f"năm {local.year}",
        ]
        for text in renderings:
            assert iso(text) == expected, text
        assert iso(local.strftime("%d.%m.%Y")) == format_iso(local.replace(hour=0, minute=0, second=0))


# --------------------------------------------------------------------------- the fast path
def test_fast_and_vietnamese_forms_never_call_dateparser() -> None:
    vietnamese = [text for text, _ in README_FORMS + MORE_FORMS + RELATIVE
                  if not any(m in text for m in ("Feb", "Jan", "Sat,"))]
    before = fallback_calls()
    for text in vietnamese + NONE_CASES[:30]:
        parse_date(text, now=NOW)
    assert fallback_calls() == before


def test_fallback_counter_counts_dateparser_calls() -> None:
    before = fallback_calls()
    assert iso("February 28, 2018") == "2018-02-28T00:00:00+07:00"
    assert fallback_calls() == before + 1


def test_numeric_forms_do_not_even_import_dateparser() -> None:
    texts = [text for text, _ in README_FORMS + RELATIVE] + NONE_CASES[:30]
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from dvarchive.normalize.dates import parse_date\n"
        f"texts = {texts!r}\n"
        "results = [parse_date(t, now=datetime(2025, 1, 22, 10)) for t in texts]\n"
        "assert results[0] is not None\n"
        "print('dateparser' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _fast_path_result(text: str) -> datetime | None:
    try:
        return dates._parse_fast(dates._clean(text))
    except dates._Reject:
        return None


# Fast-path forms the tokenizer reads too (bare ISO 8601 and RFC 822 are left to the fast path).
TOKENIZER_FORMS = [text for text, _ in README_FORMS + MORE_FORMS
                   if _fast_path_result(text) is not None
                   and not dates._ISO.fullmatch(dates._clean(text))
                   and not dates._RFC822.fullmatch(dates._clean(text))]


def test_most_forms_take_the_fast_path() -> None:
    assert len(TOKENIZER_FORMS) > 60


@pytest.mark.parametrize("text", TOKENIZER_FORMS)
def test_fast_path_agrees_with_the_structured_path(text: str) -> None:
    """Whatever the fast path accepts, the general tokenizing path reads the same way."""
    assert dates._parse_structured(dates._clean(text), NOW) == _fast_path_result(text)


def test_readme_numeric_forms_take_the_fast_path() -> None:
    for text in ["28.2.2018 - 9:21", "28.2.2018", "Cập nhật: 1.3.2018 - 10:05",
                 "Thứ Tư, 28/02/2018 - 09:21", "28/02/2018 09:21:33", "09:21 28/02/2018",
                 "Cập nhật lúc 16:20, Thứ Năm, 10/01/2019 (GMT+7)", "Ngày đăng: 24/09/2018",
                 "03/04/2020 | 10:36 PM", "21/01/2019 3:45:12 CH", "T4, 28/02/2018", "(17.2.2018)",
                 "Chủ nhật, ngày 08 tháng 12 năm 2024 16:02 (GMT +7)", "5 Tháng Sáu 2019",
                 "Wed, 28 Feb 2018 09:21:00 +0700", "2018-02-28T09:21:00+07:00"]:
        assert _fast_path_result(text) is not None, text


# --------------------------------------------------------------------------- robustness
FUZZ_PIECES = ["28", "2", "2018", "9", "21", ".", "/", "-", ":", ",", " ", "(", ")", "+", "7", "gmt",
               "Thứ", "Tư", "Năm", "tháng", "năm", "ngày", "hôm", "qua", "trước", "giờ", "phút",
               "h", "SA", "CH", "PM", "Cập nhật", "Feb", "February", "Wed", "T", "Z", "số",
               "\u0301", "\u200b", "\u00a0", "Đ", "x"]


def test_random_junk_never_raises_and_never_returns_a_naive_or_foreign_datetime() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(FUZZ_PIECES) for _ in range(rng.randrange(1, 14)))
        result = parse_date(text, now=NOW)
        assert result is None or result.utcoffset() == timedelta(hours=7), text


# --------------------------------------------------------------------------- API edges
def test_non_strings_and_huge_input() -> None:
    assert parse_date(None, now=NOW) is None                  # type: ignore[arg-type]
    assert parse_date(b"28.2.2018", now=NOW) is None          # type: ignore[arg-type]
    assert parse_date("28.2.2018 " + "x" * 1000, now=NOW) is None
    assert parse_date(" " * 500 + "28.2.2018", now=NOW) is not None


def test_package_reexport() -> None:
    assert dvarchive.parse_date("28.2.2018 - 9:21", now=NOW) == datetime(
        2018, 2, 28, 9, 21, tzinfo=VIETNAM_TZ)


def test_vietnam_tz() -> None:
    assert VIETNAM_TZ.utcoffset(None) == timedelta(hours=7)
