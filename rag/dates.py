"""The days a text names, as (month, day), in any of vi/en/ru: "31 October",
"October 31", "31 октября", "31/10", "ngày 31 tháng 10" are one. Ingest stores
them among each document's vocabulary words; the key-term guard compares a
question's days with them (month names from babel's locale data)."""

from __future__ import annotations

import functools
import re


@functools.cache
def _month_numbers() -> dict[str, int]:
    """Month name (any width, case, vi/en/ru, folded to lower case, no dot) -> 1..12."""
    from babel.dates import get_month_names

    numbers = {}
    for language in ("en", "ru", "vi"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for n, name in get_month_names(width, context=context, locale=language).items():
                    numbers[name.lower().rstrip(".")] = n
    return numbers


# 31/10, 6/1/2025; with dots two-digit day and month (31.10.2025): "3.10" is a number.
_DAY_SLASH_MONTH = re.compile(
    r"(?<![\d.,/])(?:(0?[1-9]|[12]\d|3[01])/(0?[1-9]|1[0-2])(?:/\d{2,4})?"
    r"|([0-2]\d|3[01])\.(0[1-9]|1[0-2])(?:\.\d{2,4})?)"
    r"(?!\d|[.,]\d|\s*(?:%|percent|процент|phần trăm))", re.IGNORECASE)
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
