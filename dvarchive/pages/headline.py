"""The headline block of an article page nobody described to us: the visible headline, the
date shown next to it, the byline, the lead — and the site's zone for dates written without one.

Pure functions over a parsed page. News pages put these between the ``<h1>`` and the first
paragraph of the body (a few put the date or byline just above the headline, or the byline at
the end of the body, which :mod:`dvarchive.pages.content` reads). Metadata (``og:*``, JSON-LD)
are fallbacks only: several sites name the publisher there, not the journalist.
"""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

from lxml import etree

from dvarchive.normalize.bylines import parse_credit_line
from dvarchive.normalize.dates import VIETNAM_TZ, is_ambiguous_numeric_date, parse_date
from dvarchive.normalize.text import clean_text
from dvarchive.pages.content import visible_text

__all__ = ["Headline", "foreign_date_text", "is_editor_credit", "is_person_name", "page_zone", "split_names"]

INVISIBLE = frozenset(("script", "style", "noscript", "template", "svg", "head", "title", "iframe",
                       "button", "select", "option", "textarea"))
WINDOW_BEFORE = 25          # elements before the headline searched for a date or byline
WINDOW_AFTER = 250          # elements after it, at most, up to the body's first paragraph

_DATE_MARKER = re.compile(r"date|time|publish|posted|ngay|thoi-?gian|dateline|datum|fecha|stand|"
                          r"meta|info|byline|created", re.I)
_STRONG_DATE_MARKER = re.compile(r"date|time|publish|posted|ngay|datum|fecha", re.I)
_SEGMENTS = re.compile(r"\s+[/|·•]\s+")
_UPDATED_MARKER = re.compile(r"updat|modif|cap-?nhat|edited|aktualisiert", re.I)
_AUTHOR_MARKER = re.compile(r"author|byline|by-?line|writer|reporter|tac-?gia|journalist|autor|auteur|"
                            r"(?:^|[\s_-])name(?:$|[\s_-])|signature|firma", re.I)
_AUTHOR_NOT = re.compile(r"avatar|photo|foto|bild|kuva|image|imagen|img|share|social|follow|bio|desc|title|job|"
                         r"role|section|site|brand|categor|menu|nav|logo|page|file|user|login|account|"
                         r"comment|caption|credit", re.I)
_LEAD_MARKER = re.compile(r"sapo|(?:^|[\s_-])lead|lede|standfirst|description|summary|excerpt|intro|"
                          r"teaser|chapeau|chapo|sub-?title|subtitul|subhead|(?:^|[\s_-])dek(?:$|[\s_-])|"
                          r"deck|strapline|einleitung|vorspann|entradilla|sommario|ingress|abstract|"
                          r"underline", re.I)
_BY_PREFIX = re.compile(
    r"^(?:by|von|par|por|di|da|af|av|door|bởi|tác giả|theo|text|texto|testo|autor|auteur|author|"
    r"kirjoittaja|written by|reporting by|story by)\s*:?\s+", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\||\band\b|\bund\b|\bvà\b|\bet\b|\by\b|\be\b|\bja\b|\bog\b)\s*")
_TIME_OF_DAY = re.compile(r"\d{1,2}\s*[:h.]\s*\d{2}(?!\d)|\b\d{1,2}\s*(?:am|pm|a\.\s?m\.|p\.\s?m\.)|"
                          r"\d{1,2}時|T\d\d:\d\d", re.I)
_ROLE_WORDS = frozenset("""by von par por di da af av door bởi theo
    staff writer reporter editor correspondent contributor photographer
    columnist redaktion redaktor journalist phóng viên biên tập viên ctv pv btv nhóm phóng viên
    chefredakteur""".split())

# Foreign date words the Vietnamese date parser does not know, mapped to English.
_MONTHS = {
    **dict.fromkeys(("janvier", "januar", "jänner", "enero", "gennaio", "tammikuuta", "janeiro"), "January"),
    **dict.fromkeys(("février", "fevrier", "februar", "febrero", "febbraio", "helmikuuta", "fevereiro"), "February"),
    **dict.fromkeys(("mars", "märz", "marzo", "maaliskuuta", "março"), "March"),
    **dict.fromkeys(("avril", "abril", "aprile", "huhtikuuta"), "April"),
    **dict.fromkeys(("mai", "mayo", "maggio", "toukokuuta", "maio"), "May"),
    **dict.fromkeys(("juin", "juni", "junio", "giugno", "kesäkuuta", "junho"), "June"),
    **dict.fromkeys(("juillet", "juli", "julio", "luglio", "heinäkuuta", "julho"), "July"),
    **dict.fromkeys(("août", "aout", "august", "agosto", "elokuuta"), "August"),
    **dict.fromkeys(("septembre", "september", "septiembre", "settembre", "syyskuuta", "setembro"), "September"),
    **dict.fromkeys(("octobre", "oktober", "octubre", "ottobre", "lokakuuta", "outubro"), "October"),
    **dict.fromkeys(("novembre", "november", "noviembre", "marraskuuta", "novembro"), "November"),
    **dict.fromkeys(("décembre", "decembre", "dezember", "diciembre", "dicembre", "joulukuuta", "dezembro"), "December"),
}
_MONTH_WORD = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")(?!\w)",
                         re.I)
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DOTTED_TIME = re.compile(r"(?:\bklo|\bkello|\bum|\bà|\bbei)?\s*\b(\d{1,2})[.h](\d{2})\b(?!\.\d)(?:\s*(?:uhr|h)\b)?", re.I)
_HOUR_ONLY = re.compile(r"(?<![:.\d])\b(\d{1,2})\s*(a\.?\s?m\.?|p\.?\s?m\.?)(?!\w)", re.I)
_ABBREV_MONTH_DOT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.", re.I)
_LABEL = re.compile(r"^[^\d]{0,30}?:\s*(?=\S)")
_FILLER = re.compile(r"\b(?:le|am|el|il|den|der|del|de|at|on|um|alle|às|a las|à)\b", re.I)
_UHR = re.compile(r"\s*\b(?:uhr|heure|horas?|ore)\b\.?", re.I)

# A site's zone when the page writes none: by the page's region, else its country domain,
# else its language (a country's usual standard time: dates, not instants, are what is scored).
_REGION_HOURS = {"vn": 7, "us": -5, "ca": -5, "gb": 0, "uk": 0, "ie": 0, "pt": 0, "de": 1, "at": 1,
                 "ch": 1, "fr": 1, "it": 1, "es": 1, "nl": 1, "be": 1, "lu": 1, "pl": 1, "cz": 1,
                 "sk": 1, "hu": 1, "se": 1, "no": 1, "dk": 1, "tn": 1, "dz": 1, "ma": 1, "fi": 2,
                 "ee": 2, "lv": 2, "lt": 2, "gr": 2, "ro": 2, "bg": 2, "ua": 2, "il": 2, "eg": 2,
                 "ru": 3, "tr": 3, "in": 5.5, "th": 7, "la": 7, "kh": 7, "id": 7, "cn": 8, "hk": 8,
                 "tw": 8, "sg": 8, "my": 8, "ph": 8, "kr": 9, "jp": 9, "au": 10, "nz": 12,
                 "br": -3, "ar": -3, "mx": -6, "cl": -4}
_LANGUAGE_HOURS = {"vi": 7, "de": 1, "it": 1, "fr": 1, "es": 1, "nl": 1, "pl": 1, "cs": 1, "sv": 1,
                   "da": 1, "nb": 1, "no": 1, "fi": 2, "el": 2, "he": 2, "ro": 2, "ru": 3, "tr": 3,
                   "th": 7, "zh": 8, "ko": 9, "ja": 9}


def _hours(value: float) -> tzinfo:
    return VIETNAM_TZ if value == 7 else timezone(timedelta(minutes=round(value * 60)))


def page_language(root: etree._Element) -> str:
    """The page's language code ('vi', 'de-CH' …) from ``<html lang>`` or ``og:locale``, else ''."""
    lang = (root.get("lang") or root.get("xml:lang") or "").strip()
    if not lang:
        for m in root.iterfind(".//meta[@property='og:locale']"):
            lang = (m.get("content") or "").replace("_", "-")
            break
    return lang


def is_vietnamese(root: etree._Element, url: str) -> bool:
    lang = page_language(root).lower()
    if lang:
        return lang.startswith("vi")
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(".vn")


def page_zone(root: etree._Element, url: str, metadata_dates: list[str]) -> tzinfo:
    """The zone of dates the page writes without one: an explicit non-UTC offset in its own
    metadata, else its region (``lang="fr-CA"``), country domain or language; Vietnam time for
    Vietnamese pages and as the last resort."""
    for value in metadata_dates:
        if m := re.search(r"T\d\d:\d\d(?::\d\d(?:\.\d+)?)?([+-])(\d\d):?(\d\d)$", value.strip()):
            minutes = int(m[2]) * 60 + int(m[3])
            if minutes:
                return _hours((minutes if m[1] == "+" else -minutes) / 60)
    lang = page_language(root).lower().replace("_", "-")
    if lang.startswith("vi"):
        return VIETNAM_TZ
    if not lang:
        lang = _script_language(root)
    region = lang.split("-")[1] if "-" in lang else ""
    tld = (urlsplit(url).hostname or "").rsplit(".", 1)[-1].lower()
    for key, table in ((region, _REGION_HOURS), (tld, _REGION_HOURS), (lang.split("-")[0], _LANGUAGE_HOURS)):
        if key and key in table:
            return _hours(table[key])
    return VIETNAM_TZ


def _script_language(root: etree._Element) -> str:
    """A language guess from the headline's script, for pages that declare none."""
    h1 = next(root.iter("h1"), None)
    text = "".join(h1.itertext()) if h1 is not None else ""
    if re.search(r"[\uac00-\ud7af]", text):
        return "ko"
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if len(re.findall(r"[\u4e00-\u9fff]", text)) >= 2:
        return "zh"
    return ""


def foreign_date_text(text: str) -> str:
    """A date as foreign pages print it, rewritten into forms the date parser reads:
    month names in English, '14.00'/'14h00'/'klo 14.00'/'07:30 Uhr' as '14:00', '4 AM' as
    '4:00 AM', '2020年01月02日' as '2020-01-02', a leading label ('Stand:') dropped."""
    s = clean_text(text)
    s = _CJK_DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", s)
    s = _LABEL.sub("", s)
    s = _MONTH_WORD.sub(lambda m: _MONTHS[m[1].lower()], s)
    s = _ABBREV_MONTH_DOT.sub(lambda m: m[1], s)
    s = re.sub(r"(\d{1,2})\.\s+(?=[A-Z][a-z])", r"\1 ", s)   # '19. Februar 2020'
    s = _UHR.sub("", s)
    s = _DOTTED_TIME.sub(lambda m: f" {m[1]}:{m[2]}", s)
    s = _HOUR_ONLY.sub(lambda m: f"{m[1]}:00 {m[2]}", s)
    s = re.sub(r"(\d{4})\s*,?\s*(?:at|à|um|alle|klo|kello)\s+", r"\1 ", s, flags=re.I)
    return clean_text(s)


def has_time_of_day(text: str) -> bool:
    return bool(_TIME_OF_DAY.search(text))


def parse_shown_date(text: str, *, zone: tzinfo, vietnamese: bool, now: datetime | None) -> datetime | None:
    """A date shown on a page, read in ``zone`` when it writes none; never a guess on an
    ambiguous slashed date of a non-Vietnamese page."""
    if not text or len(text) > 160:
        return None
    if not vietnamese and is_ambiguous_numeric_date(text):
        return None
    found = parse_date(text if vietnamese else foreign_date_text(text), now=now, zone=zone)
    if found is None and _SEGMENTS.search(text):   # 'Written: 2023-11-07 15:03 / Updated: …'
        for segment in _SEGMENTS.split(text):
            if segment.strip() and not _UPDATED_MARKER.search(segment) and not re.search(r"updated", segment, re.I):
                if (found := parse_shown_date(segment, zone=zone, vietnamese=vietnamese, now=now)) is not None:
                    return found
    return found


def marker(el: etree._Element) -> str:
    """What an element says it is: class, id, itemprop, data-testid."""
    return (f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''} "
            f"{el.get('data-testid') or ''}")


def is_lead_marked(el: etree._Element) -> bool:
    """The element's class/id says it is a sapo, standfirst, lead, summary …"""
    return bool(_LEAD_MARKER.search(marker(el))) and not _AUTHOR_MARKER.search(marker(el))


def is_person_name(text: str) -> bool:
    """A byline name: 1-6 words, no digits, not a role or a domain; capitalised words for
    alphabetic scripts (CJK names have no case)."""
    if not text or len(text) > 60 or any(c.isdigit() for c in text) or "@" in text:
        return False
    if re.search(r"\.[a-z]{2,4}$", text.lower()) or "http" in text.lower():
        return False
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text):
        return True
    words = text.split()
    if not 1 <= len(words) <= 8 or all(w.lower() in _ROLE_WORDS for w in words):
        return False
    capitals = sum(1 for w in words if w[:1].isupper())
    return words[0][:1].isupper() and 2 * capitals >= len(words) and not text.endswith(":")


# 'By Jane Doe', '半月谈记者 史卫燕', 'Phóng viên: Minh Châu' standing alone in the headline block.
_LABELLED_BYLINE = re.compile(r"^(?:by|von|par|por|\S{0,8}记者|phóng viên|pv|reporter|text|texto|autor|author)\s*[:：]?\s*"
                              r"(?P<names>\S.*)$", re.I)
_VISIBLE_PIECES = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                              " or ancestor::template)]", smart_strings=False)
_EDITOR_LABEL = re.compile(r"^(?:责任编辑|编辑|editor|edited by|redaktion|redakteur|biên tập|btv|photo|foto|ảnh)\b",
                           re.I)


def is_editor_credit(text: str) -> bool:
    """'责任编辑：孔德明', 'Editor: …', 'Biên tập: …': the editor's credit, not a byline."""
    return bool(_EDITOR_LABEL.match(clean_text(text)))


def split_names(text: str) -> list[str]:
    """'By Jessica Holly and Gail Levy' -> ['Jessica Holly', 'Gail Levy'] (prefix, roles dropped);
    nothing for an editor's or photographer's credit."""
    text = clean_text(text)
    if _EDITOR_LABEL.match(text):
        return []
    if credited := parse_credit_line(text):   # 'Tin, ảnh: Minh Châu'
        text = credited
    text = _BY_PREFIX.sub("", text)
    text = re.sub(r"\s*\((?:tổng hợp|ctv|tg)\)\s*$", "", text, flags=re.I)
    names = []
    for part in _NAME_SPLIT.split(text):
        part = _BY_PREFIX.sub("", part.strip(" -–—:|·"))
        if is_person_name(part):
            names.append(part)
    return names


class Headline:
    """The headline block of one page: its ``<h1>``, the elements around it, what they show."""

    def __init__(self, root: etree._Element, h1: etree._Element | None, body_start: etree._Element | None) -> None:
        self.root = root
        self.h1 = h1
        self.before: list[etree._Element] = []
        self.after: list[etree._Element] = []
        if h1 is not None:
            self._window(h1, body_start)

    def _window(self, h1: etree._Element, body_start: etree._Element | None) -> None:
        """Visible elements just before the headline, and after it up to the body's start."""
        ancestors = set(h1.iterancestors())
        seen_h1 = False
        before: list[etree._Element] = []
        for el in self.root.iter(etree.Element):
            if el is h1:
                seen_h1 = True
                continue
            if el.tag in INVISIBLE or el in ancestors:
                continue
            if not seen_h1:
                before.append(el)
                if len(before) > WINDOW_BEFORE:
                    before.pop(0)
                continue
            if el is body_start or len(self.after) >= WINDOW_AFTER:
                break
            if h1 in el.iterancestors():
                continue
            self.after.append(el)
            if len((el.tail or "").strip()) >= 60:
                break   # loose prose follows: a '<br>text<br>text' body has begun
        block = h1
        for _ in range(3):
            parent = block.getparent()
            if parent is None or parent.tag == "body":
                break
            block = parent
        self.before = [el for el in before if block in el.iterancestors()
                       and not any(a.tag in INVISIBLE for a in el.iterancestors())]
        self.after = [el for el in self.after if not any(a.tag in INVISIBLE for a in el.iterancestors())]

    # -- date --
    def date_candidates(self) -> list[tuple[etree._Element, str]]:
        """(element, text) of elements that say they hold a date, after the headline first."""
        found = []
        for el in (*self.after, *reversed(self.before)):
            mark = marker(el)
            if el.tag != "time" and not _DATE_MARKER.search(mark):
                continue
            if _UPDATED_MARKER.search(mark):
                continue
            if el.tag != "time" and any(d.tag == "time" or _STRONG_DATE_MARKER.search(marker(d))
                                        for d in el.iterdescendants(etree.Element)):
                continue  # the innermost dated element speaks ('<div class=meta><time>…</time> · 1.024 views')
            text = clean_text(visible_text(el))
            if text and len(text) <= 160:
                found.append((el, text))
            if el.tag == "time" and (attr := el.get("datetime")):
                found.append((el, attr))
        return found

    # -- byline --
    def authors(self) -> list[str]:
        names: list[str] = []
        for el in (*self.after, *reversed(self.before)):
            mark = marker(el) + f" {el.get('rel') or ''}"
            if not _AUTHOR_MARKER.search(mark) or _AUTHOR_NOT.search(el.get("class") or ""):
                continue
            if any(_AUTHOR_MARKER.search(marker(c)) for c in el.iterdescendants(etree.Element)):
                continue  # the innermost byline element speaks
            text = clean_text(visible_text(el))
            if not text or len(text) > 120:
                continue
            for name in split_names(text):
                if name.casefold() not in {n.casefold() for n in names}:
                    names.append(name)
        if not names:   # no element says it is a byline: a line that says so in words
            for el in (*self.after, *reversed(self.before)):
                pieces = [clean_text(t) for t in _VISIBLE_PIECES(el)]
                text = "; ".join(p for p in pieces if p)   # 'By; Evan Halper; Staff Writer'
                if len(text) <= 80 and (m := _LABELLED_BYLINE.match(text)):
                    names = split_names(m["names"])
                    if names:
                        break
        return names

    # -- lead --
    def lead_element(self, title: str | None) -> etree._Element | None:
        """A sapo/standfirst between the headline and the body: marked as such, else a heading
        or an all-bold paragraph right under the headline."""
        for el in self.after:
            if el.tag in ("a", "span", "time", "img", "li", "ul", "figure", "figcaption"):
                continue
            text = clean_text(visible_text(el))
            if not 25 <= len(text) <= 800 or text == title:
                continue
            if _LEAD_MARKER.search(marker(el)) and not _AUTHOR_MARKER.search(marker(el)):
                if not any(_LEAD_MARKER.search(marker(c)) and len(clean_text(visible_text(c))) >= 25
                           for c in el.iterdescendants(etree.Element)):
                    return el
        head = self._header_block()
        for el in self.after:
            text = clean_text(visible_text(el))
            if el.tag in ("h2", "h3", "h4", "h5", "h6") and 40 <= len(text) <= 800 and next(el.iter("a"), None) is None:
                return el
            if el.tag == "p" and 40 <= len(text) <= 800 and head is not None and head in el.iterancestors():
                return el   # a paragraph inside the headline's own header block
            if el.tag in ("b", "strong") and 40 <= len(text) <= 800 and el.getparent() is not None \
                    and el.getparent().tag not in ("p", "h1", "h2", "h3", "a", "li"):
                return el   # a bold line of its own between headline and body: the sapo of old portals
            if el.tag == "p" and len(text) >= 25:
                return None  # the body started with no lead
        return None

    def _header_block(self) -> etree._Element | None:
        """The headline's header container (``<header>`` or a class naming a header), if any,
        within three levels."""
        for i, a in enumerate(self.h1.iterancestors() if self.h1 is not None else ()):
            if i >= 3 or a.tag in ("body", "main", "article"):
                return None
            if a.tag == "header" or re.search(r"header|(?:^|[_-])head(?:$|[_-])", a.get("class") or "", re.I):
                return a
        return None


def unescape_once(value: str) -> str:
    """JSON-LD and other script-borne strings are raw text (the HTML parser decodes no entity
    inside ``<script>``): decoded once here, as a browser would show them."""
    return html.unescape(value) if "&" in value else value
