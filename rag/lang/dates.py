"""The days a text names, as (month, day), in any of vi/en/ru: "31 October",
"October 31", "31 октября", "31/10", "ngày 31 tháng 10" are one. Ingest stores
them among each document's vocabulary words; the key-term guard compares a
question's days with them (month names from babel's locale data)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from rag.lang.basics import NUMERIC_DATE, YEAR_DIGITS, month_names


@functools.cache
def _month_numbers() -> dict[str, int]:
    """Month name (any width, case, vi/en/ru, folded to lower case, no dot) -> 1..12."""
    return {name: n for language in ("en", "ru", "vi") for name, n in month_names(language).items()}


# 31/10, 6/1/2025, 31.10.2025; not a share ("3/4 percent")
_DAY_SLASH_MONTH = re.compile(
    rf"(?<![\d.,/])(?:{NUMERIC_DATE})(?!\d|[.,]\d|\s*(?:%|percent|процент|phần trăm))", re.IGNORECASE)
# "31 October", "31 октября"; "October 31", "Oct. 31" (the word is looked up
# among the month names: simple patterns, as this reads every ingested text)
_DAY_THEN_WORD = re.compile(r"(?<![\d.,])(\d{1,2})\s+([^\W\d_]+)")
_WORD_THEN_DAY = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?!\d|[.,]\d)")
_VI_DAY_WORD_MONTH = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\b", re.IGNORECASE)


def day_months(text: str) -> set[tuple[int, int]]:
    """The (month, day) pairs a text names, in any of vi/en/ru ("31 October",
    "October 31", "31 октября", "31/10", "ngày 31 tháng 10"); years aside, so
    a question's date meets an article's however either writes it."""
    found = set()
    for m in _DAY_SLASH_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.add((int(month), int(day)))
    for m in _VI_DAY_WORD_MONTH.finditer(text):
        found.add((int(m.group(2)), int(m.group(1))))
    months = _month_numbers()
    for m in _DAY_THEN_WORD.finditer(text):
        if m.group(2).lower() in months:
            found.add((months[m.group(2).lower()], int(m.group(1))))
    for m in _WORD_THEN_DAY.finditer(text):
        if m.group(1).lower() in months:
            found.add((months[m.group(1).lower()], int(m.group(2))))
    return {(month, day) for month, day in found if 1 <= day <= 31}


# Stored among a document's vocabulary words at ingest: the dates it names, and a
# marker that they were recorded (an older index has none, and is not judged).
DATES_RECORDED = "dates_recorded"


def date_word(month: int, day: int) -> str:
    return f"date_{month}_{day}"


def date_words(text: str) -> str:
    """The dates a text names as vocabulary words, with the marker."""
    return " ".join([DATES_RECORDED, *sorted(date_word(m, d) for m, d in day_months(text))])


# -- dates an answer can lead with ------------------------------------------------

@dataclass(frozen=True)
class NamedDate:
    """A date as a text writes it: a day, a month, a year or a decade (the
    parts it does not name are None)."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    decade: bool = False

    @property
    def parts(self) -> tuple:
        return self.year, self.month, self.day, self.decade


_YEAR = f"({YEAR_DIGITS})"
# Russian months decline ("в октябре", "31 октября"): matched by stem.
_RU_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма[йяе]", "июн", "июл", "август",
                   "сентябр", "октябр", "ноябр", "декабр")
_YEAR_AFTER = r"(?:\s+(?:года|году|год|г\.))?"


@functools.cache
def _month_word() -> str:
    names = sorted(_month_numbers(), key=len, reverse=True)
    stems = "|".join(rf"{s}\w*" for s in _RU_MONTH_STEMS)
    return rf"(?<!\w)(?:{stems}|{'|'.join(re.escape(n) for n in names)})\.?(?!\w)"


def _month_of(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word in _month_numbers():
        return _month_numbers()[word]
    return next((n for n, stem in enumerate(_RU_MONTH_STEMS, 1) if re.match(stem, word)), None)


@functools.cache
def _named_date_patterns() -> list[tuple[str, re.Pattern]]:
    month = f"({_month_word()})"
    return [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        # "ngày 31 tháng 10 năm 2025", (before "10 tháng" reads as a day and a month name)
        ("vi_day", r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+" + _YEAR + r")?"),
        # "31 October 2025", "31 октября 2025 года", "October 31, 2025"
        ("day_month", rf"(?<![\d.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month}"
                      rf"(?:,?\s+{_YEAR}(?!\d){_YEAR_AFTER})?"),
        ("month_day", rf"{month}\s+(\d{{1,2}})(?![\d.,]\d)(?:st|nd|rd|th)?(?:,?\s+{_YEAR}(?!\d))?"),
        # "31/10/2025", "31.10.2025"
        ("numeric", r"(?<![\d.,/])(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}))?(?![\d/]|[.,]\d|\s*%)"),
        # "October 2016", "в октябре 2016 года", "tháng 10 năm 2016", "tháng 10/2016"
        ("month_year", rf"{month}\s+(?:of\s+)?{_YEAR}(?!\d){_YEAR_AFTER}"),
        ("vi_month_year", r"tháng\s+(\d{1,2})(?:\s+năm\s+|/)" + _YEAR + r"(?!\d)"),
        # "the 1990s", "những năm 1990", "1990-х годов"
        ("decade", r"(?<!\d)((?:1\d|20)\d0)(?:'?s\b|-[хе]\b)|những năm\s+((?:1\d|20)\d0)(?!\d)"),
        # a year: after a word that introduces one, or before "года", or on its own
        ("year", r"(?<![\d.,/$€£-])" + _YEAR + r"(?!\d|[.,/]\d|\s*(?:%|-[хе]\b|'?s\b))"),
    )]


_YEAR_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|from|until|till|of|during|before|after|year|"
    r"năm|từ|đến|в|с|до|по|к|от|года?)|[(,–—-])\s*$", re.IGNORECASE)
_WORD_AFTER = re.compile(r"^\s+([^\W\d_]+)")
_YEAR_CUE_AFTER = re.compile(r"^(?:года|году|год|г|гг|and|và|и|to|đến|до)$", re.IGNORECASE)


def _plausible_year(text: str, start: int, end: int) -> bool:
    """A bare four-digit number is a year unless a noun follows it that no
    year cue precedes ("2000 people", "1500 km")."""
    after = _WORD_AFTER.match(text[end:])
    if after is None or _YEAR_CUE_AFTER.match(after.group(1)) or after.group(1)[0].isupper():
        return True
    return bool(_YEAR_CUE_BEFORE.search(text[max(0, start - 12):start]))


def named_dates(text: str) -> list[NamedDate]:
    """The dates a text names, most specific first where they overlap: days,
    months, years and decades, in any of vi/en/ru."""
    found: list[NamedDate] = []
    for kind, pattern in _named_date_patterns():
        for m in pattern.finditer(text):
            if any(d.start <= m.start() < d.end or m.start() <= d.start < m.end() for d in found):
                continue
            date = _read(kind, m, text)
            if date is not None:
                found.append(date)
    return sorted(found, key=lambda d: d.start)


def _read(kind: str, m: re.Match, text: str) -> NamedDate | None:
    g = m.groups()
    span = m.start(), m.end()
    year = lambda value: int(value) if value else None  # noqa: E731
    match kind:
        case "day_month":
            date = NamedDate(*span, year(g[2]), _month_of(g[1]), int(g[0]))
        case "month_day":
            date = NamedDate(*span, year(g[2]), _month_of(g[0]), int(g[1]))
        case "vi_day":
            date = NamedDate(*span, year(g[2]), int(g[1]), int(g[0]))
        case "numeric":
            if g[1] == "." and (len(g[0]) < 2 or len(g[2]) < 2):
                return None  # "1.75" is a number; "31.10" a date
            date = NamedDate(*span, year(g[3]), int(g[2]), int(g[0]))
        case "month_year":
            date = NamedDate(*span, int(g[1]), _month_of(g[0]))
        case "vi_month_year":
            date = NamedDate(*span, int(g[1]), int(g[0]))
        case "decade":
            date = NamedDate(*span, int(g[0] or g[1]), decade=True)
        case _:
            if not _plausible_year(text, *span):
                return None
            date = NamedDate(*span, int(g[0]))
    if date.month is not None and not 1 <= date.month <= 12:
        return None
    if date.day is not None:
        try:  # "31/2" is no day
            dt.date(date.year or 2000, date.month, date.day)
        except ValueError:
            return None
    return date
