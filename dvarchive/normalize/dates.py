"""Publication dates as Vietnamese news sites print them -> aware datetimes in Vietnam time.

``parse_date`` runs the cheapest stage that can decide and stops there:

1. **clean** - NFC and deletion of invisible characters (only for non-ASCII input, and only when
   needed), dashes folded to ``-``, whitespace collapsed to single spaces, lower-cased.
2. **fast path** - ``fullmatch`` of a few precompiled regexes for the common forms: numeric
   (``28.2.2018 - 9:21``, ``28/02/2018 09:21:33``, ``09:21 28/02/2018``, ``03/04/2020 | 10:36 PM``),
   ``5 tháng Sáu 2019``, ISO 8601 and RFC 822; bare, or after one anchored regex has taken off a
   leading label/weekday (``Cập nhật:``, ``Thứ Tư,``) and one a trailing ``(GMT+7)``.
3. **structured path** - relative forms (``2 giờ trước``, ``hôm qua 14:30``) by their own regexes;
   otherwise one tokenizing pass (``_TOKEN_RE``) sorts the string into date, time, weekday, zone
   (``(GMT+7)``), words and punctuation.  A date field is: at most one date (numeric, ISO or
   Vietnamese words such as ``ngày 5 tháng Năm năm 2019``), at most one time (``9:21``, ``9h21``,
   ``9 giờ 21 phút``), any weekday names (which must agree with the date), a zone, leading labels
   (``Cập nhật lúc``, ``Ngày đăng:``, any ``<few words>:``) or a place (``Hà Nội, ngày …``), filler
   words (``ngày``, ``lúc``, ``vào``) and punctuation - and nothing else.
4. **fallback** - dateparser, imported lazily, only when no date token was found and the leftover
   names exactly one English month (Vietnamese month words are translated to English names first,
   so dateparser never sees ``Sáu``/``Năm``) and holds exactly one four-digit year.  Its relative
   parsers are off and its answer is cross-checked against the numbers in the text.

Stages 1-3 never import or call dateparser.  A stage that recognises the *shape* of a date but
finds impossible values (``31/02/2018``, ``25:61``) decides: the answer is ``None``, never handed on
to a later, more lenient stage.  The rules for ambiguous input (two dates, two-digit years,
contradicting weekdays, …) are documented in ``docs/dates.md``.
"""
from __future__ import annotations

import contextvars
import functools
import re
import unicodedata
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, Callable, Final

__all__ = ["MAX_INPUT_LEN", "MIN_YEAR", "VIETNAM_TZ", "fallback_calls", "format_iso", "is_ambiguous_numeric_date",
           "parse_date"]

VIETNAM_TZ: Final = timezone(timedelta(hours=7))
# The zone of a time written without one (parse_date(zone=...)): Vietnam time unless a caller says.
_ASSUMED_ZONE: contextvars.ContextVar[tzinfo] = contextvars.ContextVar("assumed_zone", default=VIETNAM_TZ)
"""Vietnam time: fixed UTC+07:00 (its only offset since 1975; no DST), not ``Asia/Ho_Chi_Minh`` history."""

MIN_YEAR: Final = 1990
"""Earliest plausible publication year; also rejects CMS placeholders such as 1970-01-01 (epoch 0)."""

MAX_INPUT_LEN: Final = 200
"""A longer string (after whitespace collapsing) is a sentence, not a date field: ``None``."""

_IMPORT_YEAR: Final = datetime.now(VIETNAM_TZ).year

_fallback_calls = 0


class _Reject(Exception):
    """Raised inside the stages when the answer is decided: ``None``."""


# =========================================================================== 1. clean
# Invisible characters are deleted (not turned into spaces), as dvarchive.normalize.text does.
_CLEAN_TABLE: Final = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None),
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
}
_ODD_CHARS: Final = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u2010-\u2015\u2212]")


def _clean(text: str) -> str:
    """NFC, invisible characters gone, dashes folded, one space between words, lower case."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if _ODD_CHARS.search(text):
            text = text.translate(_CLEAN_TABLE)
    return " ".join(text.split()).lower()


# =========================================================================== vocabulary
_EN_MONTHS: Final = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_EN_MONTH_NAMES: Final = ("", "january", "february", "march", "april", "may", "june", "july",
                          "august", "september", "october", "november", "december")
_EN_WEEKDAYS: Final = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_VI_WEEKDAYS: Final = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5, "bẩy": 5,
                       **{str(n): n - 2 for n in range(2, 8)}}
# The fast path's weekday spellings: "thứ tư", "thứtư" (a deleted zero-width space), "thứ 4", "t4", "cn".
_VI_WEEKDAY_WORDS: Final = {
    "cn": 6, "chủ nhật": 6, "chủnhật": 6,
    **{f"thứ{sep}{word}": day for word, day in _VI_WEEKDAYS.items() for sep in ("", " ")},
    **{f"t{n}": n - 2 for n in range(2, 8)},
}
_VI_MONTHS: Final = {"giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
                     "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11,
                     "mười hai": 12, "chạp": 12}
_VI_NUMBERS: Final = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
                      "tám": 8, "chín": 9, "mười": 10}
_RFC822_ZONES: Final = {"z": 0, "ut": 0, "utc": 0, "gmt": 0, "est": -5, "edt": -4, "cst": -6,
                        "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
# Words allowed between and after the date and time ("9h21 ngày 28/2/2018", "28.2.2018 lúc 9:21").
_FILLER_WORDS: Final = frozenset({"ngày", "lúc", "vào", "mùng", "mồng"})
# Words a leading label is made of ("Cập nhật lúc", "Ngày đăng", "Thời gian", "Published on").
_LABEL_WORDS: Final = _FILLER_WORDS | frozenset(
    "cập nhật đăng xuất bản thời gian giờ lần cuối updated published posted on date".split())
_PUNCTUATION: Final = frozenset(",;|()[]-.:/'")
_EDGE_PUNCT: Final = " ,;|()[]-.:"       # stripped from the ends of a fast-path core / relative form
_MAX_LABEL_WORDS: Final = 5

# =========================================================================== regex sources
_NOT_LETTER: Final = r"(?![^\W\d_])"
# "Tháng Mười Ba" is no month: a bare "mười" must not be followed by another number word.
# "năm" after "mười" is the word "year" ("tháng Mười năm 2019"), so it is allowed there.
_VI_MONTH_SRC: Final = (
    r"(?:mười một|mười hai|mười(?! (?:một|mốt|hai|ba|bốn|tư|lăm|sáu|bảy|bẩy|tám|chín)(?!\w))"
    r"|giêng|chạp|một|hai|ba|tư|bốn|năm|sáu|bảy|bẩy|tám|chín)(?!\w)"
)
# Day before month, four-digit year; the same separator twice.
_DATE_SRC: Final = (
    r"(?P<d1>\d{1,2})(?P<s1>[./-])(?P<m1>\d{1,2})(?P=s1)(?P<y1>\d{4})(?!\d|[./:]\d)"
    r"|(?P<y2>\d{4})(?P<s2>[./-])(?P<m2>\d{1,2})(?P=s2)(?P<d2>\d{1,2})(?!\d|[./:]\d)"
    rf"|(?P<d3>\d{{1,2}}) ?(?:tháng|thg) ?(?P<m3>\d{{1,2}}|{_VI_MONTH_SRC})(?: ?, ?| )(?:năm )?"
    r"(?P<y3>\d{4})(?!\d)"
)
_TIME_SRC: Final = (
    r"(?:(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"|(?P<h>\d{1,2}) ?(?:h|g|giờ)(?: ?(?P<mi>\d{1,2})(?: ?(?:phút|p|'))?(?: ?(?P<s>\d{1,2}) ?(?:giây|s))?)?)"
    rf"(?: ?(?P<ap>sa|ch|am|pm|a\.m\.|p\.m\.))?{_NOT_LETTER}(?![\d:])"
)
_ISO_TOKEN_SRC: Final = (
    r"\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:z|[+-]\d{2}(?::?\d{2})?)?(?![\w:])"
)
_WEEKDAY_SRC: Final = (
    r"thứ ?(?P<vn>hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])(?!\w)|t(?P<t>[2-7])(?!\w)|(?P<cn>cn|chủ ?nhật)(?!\w)"
    r"|(?P<en>mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday|s|rs|r)?(?= ?,)"
)
# Known labels, longest first; every word of them is in _LABEL_WORDS.
_LABEL_SRC: Final = (
    r"(?:ngày cập nhật|cập nhật lần cuối|cập nhật lúc|cập nhật ngày|cập nhật|ngày đăng|ngày xuất bản"
    r"|xuất bản lúc|xuất bản ngày|xuất bản|đăng lúc|đăng ngày|đăng vào lúc|đăng vào|đăng|thời gian"
    r"|ngày giờ|vào lúc|ngày|lúc|updated|published|posted on|posted|date)"
)
# "(GMT+7)", "GMT +7", "UTC+07:00", "(GMT)", "(ICT)", "+0700".
_ZONE_SRC: Final = (
    r"\(? ?(?:(?:gmt|utc)(?: ?(?P<sign>[+-]) ?(?P<hh>\d{1,2})(?::?(?P<mm>\d{2}))?)?|(?P<ict>ict)"
    rf"|(?P<plus>\+\d{{2}}:?\d{{2}})){_NOT_LETTER}(?![\d:]) ?\)?"
)

# =========================================================================== 2. fast path
_F_TIME: Final = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?: ?(?P<ap>sa|ch|am|pm))?"
_F_DATE: Final = r"(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
_F_SEP: Final = r"(?: ?[-|,] ?| )"
# The weekday without groups (so it can appear twice in one pattern); see _VI_WEEKDAY_WORDS.
_F_WEEKDAY: Final = r"thứ ?(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|t[2-7]|cn|chủ ?nhật"
_FAST_DATE_TIME: Final = re.compile(rf"{_F_DATE}(?:{_F_SEP}{_F_TIME})?")
# "16:20, Thứ Năm, 10/01/2019": the weekday may sit between time and date.
_FAST_TIME_DATE: Final = re.compile(rf"{_F_TIME}(?:{_F_SEP}|, ?(?P<wd>{_F_WEEKDAY}) ?, ?){_F_DATE}")
_FAST_WORDS: Final = re.compile(
    rf"(?P<d>\d{{1,2}}) ?(?:tháng|thg) ?(?P<m>\d{{1,2}}|{_VI_MONTH_SRC})(?: ?, ?| )(?:năm )?(?P<y>\d{{4}})"
    rf"(?:{_F_SEP}{_F_TIME})?"
)
_ISO: Final = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[t ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r" ?(?P<tz>z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_RFC822: Final = re.compile(
    r"(?:(?P<wd>mon|tue|wed|thu|fri|sat|sun), ?)?(?P<d>\d{1,2}) "
    r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) (?P<y>\d{4}) "
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?: (?P<tz>[+-]\d{4}|gmt|ut|utc|z|[ecmp][sd]t))?"
)
# Decorations the fast path strips: a leading label, weekday and "ngày"; a trailing "(GMT+7)".
_FAST_HEAD: Final = re.compile(
    rf"(?:{_LABEL_SRC}{_NOT_LETTER} ?:? ?)?(?:(?P<wd>{_F_WEEKDAY})(?!\w) ?,? ?)?(?:ngày )?")
_FAST_TAIL: Final = re.compile(rf" ?(?:{_ZONE_SRC})$")
_FAST_TAIL_WINDOW: Final = 20              # " ( gmt + 07:00 )" is 16 characters
_ZONE_ALONE: Final = re.compile(rf" ?(?:{_ZONE_SRC})")

# =========================================================================== 3. structured path
# One alternative per token kind, tried in this order at each position; the last three
# (word, number, any other character) make sure no character is skipped unseen.
_TOKEN_RE: Final = re.compile(
    rf"(?P<iso>{_ISO_TOKEN_SRC})|(?P<date>{_DATE_SRC})|(?P<time>{_TIME_SRC})|(?P<zone>{_ZONE_SRC})"
    rf"|(?P<weekday>{_WEEKDAY_SRC})|(?P<word>[^\W\d_]+)|(?P<num>\d+)|(?P<punct>\S)"
)
_TIME_RE: Final = re.compile(_TIME_SRC)
_WEEKDAY_RE: Final = re.compile(rf"(?<![^\W\d_])(?:{_WEEKDAY_SRC})")
_ZONE_RE: Final = re.compile(rf"(?<![^\W\d_])(?:{_ZONE_SRC})")
# Labels, for the relative and fallback stages: known ones, or "<up to 5 words>:" (not "hôm …:").
_LABEL_RE: Final = re.compile(
    rf"(?:{_LABEL_SRC}{_NOT_LETTER} ?:?|(?!hôm )[^\W\d_]+(?: [^\W\d_]+){{0,4}} ?:) ?")
# "Hà Nội, ngày …", "Tam Kỳ, ngày …" (and the render banner "Hôm nay, ngày …").
_PLACE_RE: Final = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){0,4} ?, ?(?=ngày(?!\w))")

_REL_NOW: Final = re.compile(r"vừa xong|vừa mới|vài giây trước|just now")
_REL_AGO: Final = re.compile(
    r"(?P<n>\d{1,5}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) ?(?P<unit>giây|phút|giờ|tiếng|ngày|tuần)"
    r" trước"
)
_REL_DAY: Final = re.compile(
    r"(?:(?P<pre>.+?) ?,? )?(?:ngày )?(?P<day>hôm nay|hôm qua|hôm kia)(?: ?,? ?(?:lúc )?(?P<post>.+))?"
)
_REL_DAYS_BACK: Final = {"hôm nay": 0, "hôm qua": 1, "hôm kia": 2}
_REL_UNITS: Final = {"giây": timedelta(seconds=1), "phút": timedelta(minutes=1),
                     "giờ": timedelta(hours=1), "tiếng": timedelta(hours=1),
                     "ngày": timedelta(days=1), "tuần": timedelta(weeks=1)}

# =========================================================================== 4. fallback
_VI_MONTH_PHRASE: Final = re.compile(rf"(?:tháng|thg) ?(?P<m>\d{{1,2}}(?!\d)|{_VI_MONTH_SRC})")
_EN_MONTH_RE: Final = re.compile(
    r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?(?![a-z])"
)
_EN_WEEKDAY_RE: Final = re.compile(
    r"(?<![a-z])(mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday|s|rs|r)?(?![a-z])")
_FALLBACK_ZONE: Final = re.compile(
    r"(?<![\w+-])(?:[+-]\d{2}:?\d{2}|z|ut|utc|gmt|[ecmp][sd]t)(?![\w:])")
_FALLBACK_TOKEN: Final = re.compile(r"[^\W\d_]+|\d+|\S")
# Besides numbers, month and weekday names: what may surround an English date (and the
# Vietnamese fillers left after translation, "ngày 5 june năm 2019").
_FALLBACK_VOCABULARY: Final = frozenset(
    "st nd rd th of at on the am pm a p m ngày lúc vào năm , . / - : ( ) '".split())
_YEAR_TOKEN: Final = re.compile(r"(?<!\d)\d{4}(?!\d)")
_INT_TOKEN: Final = re.compile(r"\d+")
_MAX_FALLBACK_WORDS: Final = 12
_DATEPARSER_SETTINGS: Final[dict[str, Any]] = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",     # moot with REQUIRE_PARTS, but never "current"
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
    # No 'relative-time' (reads "9 giờ 21 phút" as "9 hours ago"), no 'timestamp' (any long
    # number is an epoch), no 'no-spaces-time' (any digit run is a compact date).
    "PARSERS": ["custom-formats", "absolute-time"],
    # Zones are stripped beforehand and applied by us, so the wall clock it returns is as written.
    "TIMEZONE": "+0700",
    "RETURN_AS_TIMEZONE_AWARE": True,
}


# =========================================================================== public API
def parse_date(text: str, *, now: datetime | None = None, zone: tzinfo | None = None) -> datetime | None:
    """Parse a date as a Vietnamese news page prints it; an aware datetime in UTC+07:00, or None.

    ``now`` anchors relative forms ("2 giờ trước", "hôm qua 14:30") and the plausibility window
    (year ``MIN_YEAR`` .. ``now.year + 1``); default: the current time.  A naive ``now`` is taken
    as Vietnam time.  Date-only input gives local midnight.  Anything unparseable, invalid,
    ambiguous or implausible gives ``None`` - never a guess.  ``zone`` is the zone of a time
    written without one (default: Vietnam time; a foreign site's own zone); the result is still
    converted to UTC+07:00.
    """
    if zone is not None and zone is not VIETNAM_TZ:
        token = _ASSUMED_ZONE.set(zone)
        try:
            return _parse_date(text, now)
        finally:
            _ASSUMED_ZONE.reset(token)
    return _parse_date(text, now)


def _parse_date(text: str, now: datetime | None) -> datetime | None:
    if not isinstance(text, str) or len(text) > 4 * MAX_INPUT_LEN:
        return None
    s = _clean(text)
    if not s or len(s) > MAX_INPUT_LEN:
        return None
    try:
        dt = _parse_fast(s) or _parse_structured(s, now)
    except _Reject:
        return None
    return dt if dt is not None and _plausible(dt, now) else None


def format_iso(dt: datetime) -> str:
    """``'2018-02-28T09:21:00+07:00'``: converted to Vietnam time, whole seconds (truncated).

    A naive ``dt`` is taken to be Vietnam time already.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=VIETNAM_TZ)
    return dt.astimezone(VIETNAM_TZ).isoformat(timespec="seconds")


def fallback_calls() -> int:
    """How many times dateparser has been called in this process (for tests and stats)."""
    return _fallback_calls


# =========================================================================== building blocks
def _now_vn(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(VIETNAM_TZ)
    if now.tzinfo is None or now.utcoffset() is None:
        return now.replace(tzinfo=VIETNAM_TZ)
    return now.astimezone(VIETNAM_TZ)


def _plausible(dt: datetime, now: datetime | None) -> bool:
    """Year within MIN_YEAR .. now.year + 1 (no clock read in the common case)."""
    if dt.year < MIN_YEAR:
        return False
    if now is None and dt.year <= _IMPORT_YEAR + 1:
        return True
    return dt.year <= _now_vn(now).year + 1


@functools.lru_cache(maxsize=64)
def _fixed_offset(minutes: int) -> tzinfo:
    """A cached fixed-offset zone; VIETNAM_TZ itself for +07:00 (so the no-convert check is cheap)."""
    if minutes == 7 * 60:
        return VIETNAM_TZ
    if abs(minutes) >= 24 * 60:
        raise _Reject
    return timezone(timedelta(minutes=minutes))


def _numeric_offset(text: str) -> tzinfo:
    """'+07:00', '+0700', '+07', '-0500' -> zone (sign required)."""
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    total = hours * 60 + minutes
    if minutes > 59 or total > 14 * 60:     # real zones lie within -12:00 .. +14:00
        raise _Reject
    return _fixed_offset(-total if text[0] == "-" else total)


def _zone(text: str | None) -> tzinfo:
    """A zone written after a time: numeric offset or RFC 822 name; none means Vietnam time."""
    if not text:
        return _ASSUMED_ZONE.get()
    if text[0] in "+-":
        return _numeric_offset(text)
    return _fixed_offset(_RFC822_ZONES[text] * 60)


def _hour(hour: int, ampm: str | None) -> int:
    """24-hour clock value; SA/AM and CH/PM as on Vietnamese pages.

    "12:05 SA" is 00:05 and "12:05 CH" 12:05.  A redundant marker on a 24-hour value
    ("22:36 PM", "0:30 AM", as printed by HH:mm + tt templates) is accepted; a contradicting
    one ("13:00 AM", "0:30 PM") is rejected.
    """
    if hour > 23:
        raise _Reject
    if ampm is None:
        return hour
    if ampm[0] in "sa":                    # sa, am, a.m.
        if hour > 12:
            raise _Reject
        return 0 if hour == 12 else hour
    if hour == 0:
        raise _Reject
    return hour + 12 if hour < 12 else hour


def _make(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0,
          tz: tzinfo = VIETNAM_TZ, weekday: int | None = None) -> datetime:
    """The instant, converted to Vietnam time; ``weekday`` (Mon=0) must match the written date."""
    try:
        dt = datetime(y, mo, d, h, mi, s, us, tzinfo=tz)
        if weekday is not None and dt.weekday() != weekday:
            raise _Reject
        return dt if tz is VIETNAM_TZ else dt.astimezone(VIETNAM_TZ)
    except (ValueError, OverflowError):
        raise _Reject from None


def _opt_int(text: str | None) -> int:
    return int(text) if text else 0


def _time_parts(m: re.Match[str]) -> tuple[int, int, int]:
    """(hour, minute, second) of a _TIME_SRC match, validated."""
    minute, second = _opt_int(m["M"] or m["mi"]), _opt_int(m["S"] or m["s"])
    if minute > 59 or second > 59:
        raise _Reject
    return _hour(int(m["H"] or m["h"]), m["ap"]), minute, second


def _date_parts(m: re.Match[str]) -> tuple[int, int, int]:
    """(year, month, day) of a _DATE_SRC match (validated later, by datetime)."""
    if m["y1"]:
        return int(m["y1"]), int(m["m1"]), int(m["d1"])
    if m["y2"]:
        return int(m["y2"]), int(m["m2"]), int(m["d2"])
    month = m["m3"]
    return int(m["y3"]), int(month) if month.isdigit() else _VI_MONTHS[month], int(m["d3"])


def _weekday_of(m: re.Match[str]) -> int:
    """Mon=0 .. Sun=6 of a _WEEKDAY_SRC match ("Thứ Hai" = "Thứ 2" = "T2" = Monday)."""
    if m["vn"] or m["t"]:
        return _VI_WEEKDAYS[m["vn"] or m["t"]]
    return 6 if m["cn"] else _EN_WEEKDAYS[m["en"]]


def _zone_of(m: re.Match[str]) -> tzinfo:
    """The zone of a _ZONE_SRC match ("(GMT)" alone is UTC, "(ICT)" is Vietnam time)."""
    return _zone_of_text(m[0])


@functools.lru_cache(maxsize=256)
def _zone_of_text(text: str) -> tzinfo:
    m = _ZONE_ALONE.fullmatch(text)
    assert m is not None                    # text is a _ZONE_SRC match
    if m["ict"]:
        return VIETNAM_TZ
    if m["plus"]:
        return _numeric_offset(m["plus"])
    if not m["sign"]:
        return _fixed_offset(0)
    return _numeric_offset(f"{m['sign']}{int(m['hh']):02d}{m['mm'] or '00'}")


# =========================================================================== 2. fast path
def _fast_match(s: str) -> re.Match[str] | None:
    return (_FAST_DATE_TIME.fullmatch(s) or _FAST_TIME_DATE.fullmatch(s) or _FAST_WORDS.fullmatch(s)
            or _ISO.fullmatch(s) or _RFC822.fullmatch(s))


def _parse_fast(s: str) -> datetime | None:
    """Stage 2: a bare fast form, or one with decorations; None when ``s`` has neither shape."""
    match = _fast_match(s)
    if match is not None:
        return _FAST_BUILDERS[match.re](match, None, None)
    return _parse_decorated(s)


def _parse_decorated(s: str) -> datetime | None:
    """A fast form behind a label/weekday ("Thứ Tư, 28/02/2018 - 09:21"), before "(GMT+7)", in brackets.

    None when ``s`` does not have that shape (the structured path then decides).  Everything
    accepted here is accepted by the structured path too, with the same answer (tested).
    """
    head = _FAST_HEAD.match(s)
    assert head is not None                # every part of it is optional
    core, zone = s[head.end():], None
    if "gmt" in core or "utc" in core or "ict" in core or "+" in core:
        bracket = core.rfind("(") if core[-1] == ")" else -1
        tail = (_FAST_TAIL.match(core, bracket) if bracket >= 0
                else _FAST_TAIL.search(core, max(0, len(core) - _FAST_TAIL_WINDOW)))
        if tail is not None:
            core, zone = core[:tail.start()], _zone_of(tail)
    core = core.strip(_EDGE_PUNCT)          # "(17.2.2018)" in listings
    match = _fast_match(core) if core != s else None
    if match is None:
        return None
    weekday = _VI_WEEKDAY_WORDS[head["wd"]] if head["wd"] else None
    return _FAST_BUILDERS[match.re](match, zone, weekday)


def _merge_weekday(written: str | None, table: dict[str, int], weekday: int | None) -> int | None:
    """The weekday a form names itself, reconciled with one named elsewhere (reject if they differ)."""
    if written is None:
        return weekday
    own = table[written]
    if weekday is not None and own != weekday:
        raise _Reject
    return own


def _build_date_time(m: re.Match[str], zone: tzinfo | None = None, weekday: int | None = None,
                     month: int | None = None) -> datetime:
    """_FAST_DATE_TIME and _FAST_WORDS (the latter passes the month it decoded)."""
    hour = _hour(int(m["H"]), m["ap"]) if m["H"] else 0
    return _make(int(m["y"]), month or int(m["m"]), int(m["d"]), hour, _opt_int(m["M"]),
                 _opt_int(m["S"]), tz=zone or _ASSUMED_ZONE.get(), weekday=weekday)


def _build_time_date(m: re.Match[str], zone: tzinfo | None = None,
                     weekday: int | None = None) -> datetime:
    weekday = _merge_weekday(m["wd"], _VI_WEEKDAY_WORDS, weekday)
    return _build_date_time(m, zone, weekday)


def _build_words(m: re.Match[str], zone: tzinfo | None = None, weekday: int | None = None) -> datetime:
    month = m["m"]
    return _build_date_time(m, zone, weekday, int(month) if month.isdigit() else _VI_MONTHS[month])


def _build_iso(m: re.Match[str], zone: tzinfo | None = None, weekday: int | None = None) -> datetime:
    """``zone`` comes from a separate "(GMT+7)" and must not contradict the string's own offset."""
    if m["tz"] and zone is not None:
        raise _Reject
    fraction = m["f"]
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    return _make(int(m["y"]), int(m["m"]), int(m["d"]), _hour(_opt_int(m["H"]), None),
                 _opt_int(m["M"]), _opt_int(m["S"]), micro, zone or _zone(m["tz"]), weekday)


def _build_rfc822(m: re.Match[str], zone: tzinfo | None = None,
                  weekday: int | None = None) -> datetime:
    if m["tz"] and zone is not None:
        raise _Reject
    weekday = _merge_weekday(m["wd"], _EN_WEEKDAYS, weekday)
    return _make(int(m["y"]), _EN_MONTHS[m["mon"]], int(m["d"]), _hour(int(m["H"]), None),
                 int(m["M"]), _opt_int(m["S"]), tz=zone or _zone(m["tz"]), weekday=weekday)


_FastBuilder = Callable[[re.Match[str], "tzinfo | None", "int | None"], datetime]
_FAST_BUILDERS: Final[dict[re.Pattern[str], _FastBuilder]] = {
    _FAST_DATE_TIME: _build_date_time,
    _FAST_TIME_DATE: _build_time_date,
    _FAST_WORDS: _build_words,
    _ISO: _build_iso,
    _RFC822: _build_rfc822,
}


# =========================================================================== 3. structured path
def _parse_structured(s: str, now: datetime | None) -> datetime | None:
    if "trước" in s or "hôm" in s or "vừa" in s or "just now" in s:
        relative = _parse_relative(_strip_labels(s), now)
        if relative is not None:
            return relative
    scan = _Scan(s)
    if scan.date is None and scan.iso is None:
        # The fallback needs a month name: English, or Vietnamese "tháng …"/"thg …".
        return _fallback(s) if "th" in s or _EN_MONTH_RE.search(s) else None
    if scan.stray or not scan.prefix_ok():
        raise _Reject                      # a date inside other text is not a date field
    return scan.build()


class _Scan:
    """The tokens of one date string, sorted into the parts a date field may have.

    Two dates, two times, two different weekdays or two different zones raise _Reject at once;
    anything else unexpected only sets ``stray`` (the caller decides: with no date token at all
    the string may still be an English date for the fallback).
    """

    __slots__ = ("date", "time", "iso", "weekday", "zone", "stray", "segments", "_words", "_core")

    def __init__(self, s: str) -> None:
        self.date: re.Match[str] | None = None
        self.time: re.Match[str] | None = None
        self.iso: re.Match[str] | None = None
        self.weekday: int | None = None
        self.zone: tzinfo | None = None
        self.stray = False
        # Word runs before the first date/time, each with the punctuation that ended it.
        self.segments: list[tuple[list[str], str]] = []
        self._words: list[str] = []
        self._core = False
        for m in _TOKEN_RE.finditer(s):
            self._feed(m.lastgroup or "punct", m)
        self._end_segment("")

    def _feed(self, kind: str, m: re.Match[str]) -> None:
        if kind == "word":
            word = m[0]
            if self._core:
                self.stray |= word not in _FILLER_WORDS
            else:
                self._words.append(word)
            return
        self._end_segment(m[0] if kind == "punct" else "")
        if kind == "punct":
            self.stray |= m[0] not in _PUNCTUATION
        elif kind == "num":
            self.stray = True
        else:
            _SCAN_HANDLERS[kind](self, m)

    def _end_segment(self, terminator: str) -> None:
        if self._words and not self._core:
            self.segments.append((self._words, terminator))
        self._words = []

    def _on_date(self, m: re.Match[str]) -> None:
        if self.date is not None or self.iso is not None:
            raise _Reject
        self.date, self._core = m, True

    def _on_iso(self, m: re.Match[str]) -> None:
        if self.date is not None or self.time is not None or self.iso is not None:
            raise _Reject
        self.iso, self._core = m, True

    def _on_time(self, m: re.Match[str]) -> None:
        if self.time is not None or self.iso is not None:
            raise _Reject
        self.time, self._core = m, True

    def _on_weekday(self, m: re.Match[str]) -> None:
        weekday = _weekday_of(m)
        if self.weekday is not None and weekday != self.weekday:
            raise _Reject
        self.weekday = weekday

    def _on_zone(self, m: re.Match[str]) -> None:
        zone = _zone_of(m)
        if self.zone is not None and zone != self.zone:
            raise _Reject
        self.zone = zone

    def prefix_ok(self) -> bool:
        """Every word run before the date/time is a label or a place.

        A run is a label if it ends with ':' (at most 5 words) or is made of label words
        ("Cập nhật lúc"); a place if it ends with ',' and the next run starts with "ngày".
        """
        segments = self.segments
        for i, (words, terminator) in enumerate(segments):
            short = len(words) <= _MAX_LABEL_WORDS
            if short and terminator == ":":
                continue
            if (short and terminator == "," and i + 1 < len(segments)
                    and segments[i + 1][0][0] == "ngày"):
                continue
            if not all(word in _LABEL_WORDS for word in words):
                return False
        return True

    def build(self) -> datetime:
        if self.iso is not None:                # (a date or time beside it was rejected already)
            match = _ISO.fullmatch(self.iso[0])
            assert match is not None        # _ISO_TOKEN_SRC is a subset of _ISO
            return _build_iso(match, self.zone, self.weekday)
        assert self.date is not None
        h, mi, sec = _time_parts(self.time) if self.time else (0, 0, 0)
        y, mo, d = _date_parts(self.date)
        return _make(y, mo, d, h, mi, sec, tz=self.zone or _ASSUMED_ZONE.get(), weekday=self.weekday)


_SCAN_HANDLERS: Final[dict[str, Callable[[_Scan, re.Match[str]], None]]] = {
    "date": _Scan._on_date, "iso": _Scan._on_iso, "time": _Scan._on_time,
    "weekday": _Scan._on_weekday, "zone": _Scan._on_zone,
}


def _strip_labels(s: str) -> str:
    """Leading labels ("Cập nhật lúc", "Ngày đăng:", any "<few words>:") and a place prefix."""
    while True:
        stripped = s.lstrip(_EDGE_PUNCT)
        label = _LABEL_RE.match(stripped)
        if label:
            stripped = stripped[label.end():]
        if stripped == s:
            break
        s = stripped
    place = _PLACE_RE.match(s)
    if place:
        s = s[place.end():]
    return s.strip(_EDGE_PUNCT)


def _parse_relative(s: str, now: datetime | None) -> datetime | None:
    """Relative forms against ``now`` (Vietnam time, whole seconds); None if ``s`` is not one."""
    if _REL_NOW.fullmatch(s):
        return _now_vn(now).replace(microsecond=0)
    m = _REL_AGO.fullmatch(s)
    if m:
        n = _VI_NUMBERS.get(m["n"]) or int(m["n"])
        return _now_vn(now).replace(microsecond=0) - n * _REL_UNITS[m["unit"]]
    m = _REL_DAY.fullmatch(s)
    if m is None or (m["pre"] and m["post"]):
        return None
    clock = m["pre"] or m["post"]
    time_match = _TIME_RE.fullmatch(clock) if clock else None
    if clock and time_match is None:
        return None                        # "hôm nay 22/01/2019": not a relative form
    h, mi, sec = _time_parts(time_match) if time_match else (0, 0, 0)
    day = _now_vn(now) - timedelta(days=_REL_DAYS_BACK[m["day"]])
    return day.replace(hour=h, minute=mi, second=sec, microsecond=0)


# =========================================================================== 4. fallback
def _fallback(s: str) -> datetime | None:
    """dateparser for leftovers naming one English month; the answer is cross-checked."""
    s, weekday = _strip_all(s, _WEEKDAY_RE, _weekday_of)
    s, zone = _strip_all(s, _ZONE_RE, _zone_of)
    s = _to_english(_strip_labels(s))
    zone_token = _only_one(_FALLBACK_ZONE, s)
    if zone_token is not None:
        if zone is not None:
            raise _Reject                  # two zones
        zone, s = _zone(zone_token[0]), f"{s[:zone_token.start()]} {s[zone_token.end():]}"
    if not _worth_a_fallback(s):
        return None
    weekday = _english_weekday(s, weekday)
    dt = _call_dateparser(s)
    if dt is None or not _consistent(dt, s):
        return None
    return _make(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second,
                 tz=zone or _ASSUMED_ZONE.get(), weekday=weekday)


def _strip_all(s: str, regex: re.Pattern[str], value: Callable[[re.Match[str]], Any]) -> tuple[str, Any]:
    """Remove every match of ``regex``; return the one value they all name (reject if they differ)."""
    values = {value(m) for m in regex.finditer(s)}
    if len(values) > 1:
        raise _Reject
    return (regex.sub(" ", s), values.pop()) if values else (s, None)


def _only_one(regex: re.Pattern[str], s: str) -> re.Match[str] | None:
    """The single match of ``regex`` in ``s``; two or more is ambiguous: reject."""
    matches = list(regex.finditer(s))
    if len(matches) > 1:
        raise _Reject
    return matches[0] if matches else None


def _to_english(s: str) -> str:
    """Vietnamese month phrases -> English month names; times -> 24-hour "HH:MM:SS"."""
    s = _VI_MONTH_PHRASE.sub(_english_month, s)
    return _TIME_RE.sub(lambda m: "{:02d}:{:02d}:{:02d}".format(*_time_parts(m)), s)


def _english_month(m: re.Match[str]) -> str:
    word = m["m"]
    number = int(word) if word.isdigit() else _VI_MONTHS[word]
    if not 1 <= number <= 12:
        raise _Reject                      # "tháng 13"
    return f" {_EN_MONTH_NAMES[number]} "


def _worth_a_fallback(s: str) -> bool:
    """Only English date words, numbers and date punctuation; one month name, one four-digit year."""
    if len(s.split()) > _MAX_FALLBACK_WORDS or len(_YEAR_TOKEN.findall(s)) != 1:
        return False
    if not all(token.isdigit() or token in _FALLBACK_VOCABULARY or _EN_MONTH_RE.fullmatch(token)
               or _EN_WEEKDAY_RE.fullmatch(token) for token in _FALLBACK_TOKEN.findall(s)):
        return False
    return len({m[1] for m in _EN_MONTH_RE.finditer(s)}) == 1


def _english_weekday(s: str, weekday: int | None) -> int | None:
    """An English weekday left in the text (no comma after it) must agree with any other one."""
    found = {_EN_WEEKDAYS[m[1]] for m in _EN_WEEKDAY_RE.finditer(s)}
    if weekday is not None:
        found.add(weekday)
    if len(found) > 1:
        raise _Reject
    return found.pop() if found else None


@functools.cache
def _date_data_parser() -> Any:
    from dateparser.date import DateDataParser  # lazy: ~0.2 s import, rarely needed

    return DateDataParser(languages=["vi", "en"], settings=_DATEPARSER_SETTINGS)


def _call_dateparser(s: str) -> datetime | None:
    global _fallback_calls
    _fallback_calls += 1
    result: datetime | None = _date_data_parser().get_date_data(s).date_obj
    return result


def _consistent(dt: datetime, s: str) -> bool:
    """Every field dateparser filled in must be visible in the text (no invented parts)."""
    numbers = {int(n) for n in _INT_TOKEN.findall(s)}
    months = {_EN_MONTHS[m[1]] for m in _EN_MONTH_RE.finditer(s)}
    if dt.year not in numbers or dt.day not in numbers or months != {dt.month}:
        return False
    if (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return True
    hours = {dt.hour, dt.hour - 12, 12 if dt.hour in (0, 12) else dt.hour}
    return dt.minute in numbers and bool(hours & numbers)


_SLASHED_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])")


def is_ambiguous_numeric_date(text: str) -> bool:
    """True for a slashed numeric date that reads both ways ('11/01/2023': 11 January in
    Vietnam and Europe, November 1 in the US). Vietnamese pages are always day first; on other
    pages such a date is no evidence of its own."""
    m = _SLASHED_DATE.search(text)
    return m is not None and m[1] != m[2] and int(m[1]) <= 12 and int(m[2]) <= 12
