"""Dates as staff type them, in each interface language: "31/10/2025",
"31.10.2025", "2025-10-31", "31 tháng 10 năm 2025", "31 октября 2025",
"Oct 31, 2025", a month ("10/2025", "октябрь 2025") or a year ("2025"). A day
written with numbers is read day first in Vietnamese and Russian and month first in
English, as each language writes it (dateparser); the page shows the date it read
in words, so an ambiguous one is seen. A period stands for its first day in a
"from" field and its last day in an "until" field. Anything else is refused with
a message in the interface language."""

from __future__ import annotations

import datetime as dt
import functools

from ui.i18n import UI_LANGUAGES, t

_DAY_FIRST = {"vi": "DMY", "ru": "DMY", "en": "MDY"}


class DateRefused(ValueError):
    """`message` says, in the interface language, how to write the date."""

    def __init__(self, value: str, lang: str):
        super().__init__(value)
        self.message = t("date_refused", lang, value=value)


@functools.lru_cache(maxsize=8)
def _parser(lang: str, end: bool):
    from dateparser.date import DateDataParser

    languages = [lang, *(x for x in UI_LANGUAGES if x != lang)]
    return DateDataParser(languages=languages, settings={
        "DATE_ORDER": _DAY_FIRST.get(lang, "DMY"), "REQUIRE_PARTS": ["year"],
        "PREFER_DAY_OF_MONTH": "last" if end else "first", "PREFER_DATES_FROM": "past",
    })


def parse_date(value: str | None, lang: str, *, end: bool = False) -> dt.date | None:
    """The date typed in `value` (None when empty); `end`: a month or a year stands for
    its last day. Raises DateRefused."""
    text = " ".join(str(value or "").split())
    if not text:
        return None
    try:
        data = _parser(lang if lang in UI_LANGUAGES else "en", end).get_date_data(text)
    except Exception:  # dateparser on odd input: refuse rather than fail
        data = None
    if data is None or data.date_obj is None:
        raise DateRefused(text, lang)
    day = data.date_obj.date()
    if data.period == "year":
        day = dt.date(day.year, 12, 31) if end else dt.date(day.year, 1, 1)
    return day


def date_words(day: dt.date, lang: str) -> str:
    """31 October 2025 / 31 tháng 10, 2025 / 31 октября 2025 г. (CLDR, babel)."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=lang if lang in UI_LANGUAGES else "en")
