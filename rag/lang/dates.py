"""The days a text names, as (month, day), in any supported language: "31
October", "October 31", "31 октября", "31/10", "ngày 31 tháng 10" are one.
Ingest stores them among each document's vocabulary words; the key-term guard
compares a question's days with them (month names from babel's locale data;
month stems, year cues and words after a year from the language packs)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from rag.lang.basics import NUMERIC_DATE, YEAR_DIGITS, alternation, month_names
from rag.lang.pack import LanguagePack, any_of
from rag.lang.registry import packs


class _Calendar(NamedTuple):
    """What the registered languages write of dates."""

    months: dict[str, int]  # month name (any width, lower case, no dot) -> 1..12
    stems: tuple[tuple[str, int], ...]  # a declining month's stem -> 1..12
    day_slash_month: re.Pattern  # 31/10, 6/1/2025, 31.10.2025; not a share ("3/4 percent")
    year_after: str  # "(?:\s+(?:года|…))?": words written after a year
    cue_before: re.Pattern  # a word before a number that makes it a year: "in", "năm", "с"
    cue_after: re.Pattern  # … or after it: "года", "and"
    day_month_words: re.Pattern  # a day and a month by number: "ngày 31 tháng 10"
    words: dict[str, str]  # "day", "month", "year_before", "decade_prefix", "decade_suffix" -> pattern


@functools.cache
def _calendar(every: tuple[LanguagePack, ...]) -> _Calendar:
    percent = alternation(w for p in every for w in p.percent_words)
    words = {"day": any_of(p.day_word for p in every), "month": any_of(p.month_word for p in every),
             "year_before": any_of(p.year_before for p in every),
             "decade_prefix": any_of(p.decade_prefix for p in every),
             "decade_suffix": any_of(p.decade_suffix for p in every)}
    return _Calendar(
        {name: n for p in every for name, n in month_names(p.code).items()},
        tuple((stem, n) for p in every for n, stem in enumerate(p.month_stems, 1)),
        re.compile(rf"(?<![\d.,/])(?:{NUMERIC_DATE})(?!\d|[.,]\d|\s*(?:%|{percent}))", re.IGNORECASE),
        rf"(?:\s+(?:{any_of(p.year_after for p in every)}))?",
        re.compile(rf"(?:\b(?:{any_of(p.year_cues_before for p in every)})|[(,–—-])\s*$", re.IGNORECASE),
        re.compile(rf"^(?:{alternation(w for p in every for w in p.year_cues_after)})$", re.IGNORECASE),
        re.compile(rf"\b(?:{words['day']})\s+(\d{{1,2}})\s+(?:{words['month']})\s+(\d{{1,2}})\b", re.IGNORECASE),
        words)


def _month_numbers() -> dict[str, int]:
    return _calendar(packs()).months


# "31 October", "31 октября"; "October 31", "Oct. 31" (the word is looked up
# among the month names: simple patterns, as this reads every ingested text)
_DAY_THEN_WORD = re.compile(r"(?<![\d.,])(\d{1,2})\s+([^\W\d_]+)")
_WORD_THEN_DAY = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?!\d|[.,]\d)")


def day_months(text: str) -> set[tuple[int, int]]:
    """The (month, day) pairs a text names, in any of vi/en/ru ("31 October",
    "October 31", "31 октября", "31/10", "ngày 31 tháng 10"); years aside, so
    a question's date meets an article's however either writes it."""
    found = set()
    for m in _calendar(packs()).day_slash_month.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.add((int(month), int(day)))
    for m in _calendar(packs()).day_month_words.finditer(text):
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


def _month_word(calendar: _Calendar) -> str:
    """A month's name, or a declining month by its stem ("в октябре", "31 октября")."""
    names = sorted(calendar.months, key=len, reverse=True)
    stems = "".join(rf"{s}\w*|" for s, _ in calendar.stems)
    return rf"(?<!\w)(?:{stems}{'|'.join(re.escape(n) for n in names)})\.?(?!\w)"


def _month_of(word: str) -> int | None:
    word = word.lower().rstrip(".")
    calendar = _calendar(packs())
    if word in calendar.months:
        return calendar.months[word]
    return next((n for stem, n in calendar.stems if re.match(stem, word)), None)


@functools.cache
def _named_date_patterns(every: tuple[LanguagePack, ...]) -> list[tuple[str, re.Pattern]]:
    calendar = _calendar(every)
    month, year_after = f"({_month_word(calendar)})", calendar.year_after
    words = calendar.words
    day_word, month_word, year_before = words["day"], words["month"], words["year_before"]
    decade_prefix, decade_suffix = words["decade_prefix"], words["decade_suffix"]
    return [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        # "ngày 31 tháng 10 năm 2025", (before "10 tháng" reads as a day and a month name)
        ("numbered_day", rf"(?:(?:{day_word})\s+)?(\d{{1,2}})\s+(?:{month_word})\s+(\d{{1,2}})"
                         rf"(?:\s+(?:{year_before})\s+{_YEAR})?"),
        # "31 October 2025", "31 октября 2025 года", "October 31, 2025"
        ("day_month", rf"(?<![\d.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month}"
                      rf"(?:,?\s+{_YEAR}(?!\d){year_after})?"),
        ("month_day", rf"{month}\s+(\d{{1,2}})(?![\d.,]\d)(?:st|nd|rd|th)?(?:,?\s+{_YEAR}(?!\d))?"),
        # "31/10/2025", "31.10.2025"
        ("numeric", r"(?<![\d.,/])(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}))?(?![\d/]|[.,]\d|\s*%)"),
        # "October 2016", "в октябре 2016 года", "tháng 10 năm 2016", "tháng 10/2016"
        ("month_year", rf"{month}\s+(?:of\s+)?{_YEAR}(?!\d){year_after}"),
        ("numbered_month_year", rf"(?:{month_word})\s+(\d{{1,2}})(?:\s+(?:{year_before})\s+|/){_YEAR}(?!\d)"),
        # "the 1990s", "những năm 1990", "1990-х годов"
        ("decade", rf"(?<!\d)((?:1\d|20)\d0)(?:{decade_suffix})|(?:{decade_prefix})\s+((?:1\d|20)\d0)(?!\d)"),
        # a year: after a word that introduces one, or before "года", or on its own
        ("year", rf"(?<![\d.,/$€£-]){_YEAR}(?!\d|[.,/]\d|\s*(?:%|{decade_suffix}))"),
    )]


_WORD_AFTER = re.compile(r"^\s+([^\W\d_]+)")


def _plausible_year(text: str, start: int, end: int) -> bool:
    """A bare four-digit number is a year unless a noun follows it that no
    year cue precedes ("2000 people", "1500 km")."""
    calendar = _calendar(packs())
    after = _WORD_AFTER.match(text[end:])
    if after is None or calendar.cue_after.match(after.group(1)) or after.group(1)[0].isupper():
        return True
    return bool(calendar.cue_before.search(text[max(0, start - 12):start]))


def named_dates(text: str) -> list[NamedDate]:
    """The dates a text names, most specific first where they overlap: days,
    months, years and decades, in any of vi/en/ru."""
    found: list[NamedDate] = []
    for kind, pattern in _named_date_patterns(packs()):
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
        case "numbered_day":
            date = NamedDate(*span, year(g[2]), int(g[1]), int(g[0]))
        case "numeric":
            if g[1] == "." and (len(g[0]) < 2 or len(g[2]) < 2):
                return None  # "1.75" is a number; "31.10" a date
            date = NamedDate(*span, year(g[3]), int(g[2]), int(g[0]))
        case "month_year":
            date = NamedDate(*span, int(g[1]), _month_of(g[0]))
        case "numbered_month_year":
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
