"""The publication date of an article, read from its opening with dateparser
(vi/en/ru, offline).

News ledes often carry a day and month without the year ("On the afternoon of
January 15, …", "Утром 31 октября …", "Sáng 31/10, …"). The year then comes
from the article's own context: the latest explicit year mentioned in its
opening that is not in the future ("… to review the work in 2024 and deploy
tasks in 2025" → 2025). With no year in sight the article stays undated rather
than being given this year's.

dateparser's search costs ~10 ms per opening, so it only runs on an opening
that names a month (its own month words for the language) or writes a
numeric date (a digit, '/', '.' or '-', a digit)."""

from __future__ import annotations

import datetime as dt
import functools
import logging

logger = logging.getLogger(__name__)

# Characters of the article's opening searched for a dateline and year context.
WINDOW = 800
_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "DATE_ORDER": "DMY",  # 31/10: day first in all three languages' press
}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


def _languages(language: str) -> tuple[str, ...]:
    from rag.lang.registry import supported

    return (language,) if language in supported() else supported()


@functools.lru_cache(maxsize=8)
def _parser(languages: tuple[str, ...]):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=list(languages), settings=_SETTINGS)


@functools.lru_cache(maxsize=8)
def _month_words(languages: tuple[str, ...]) -> frozenset[str]:
    """First words of every month name dateparser knows in these languages."""
    from dateparser.languages.loader import default_loader

    words = set()
    for language in languages:
        info = default_loader.get_locale(language).info
        for month in _MONTHS:
            words.update(form.split()[0].lower() for form in info.get(month, []) if form)
    return frozenset(words)


def _numbers(text: str) -> list[str]:
    return "".join(c if c.isdigit() else " " for c in text).split()


def _may_hold_a_date(window: str, languages: tuple[str, ...]) -> bool:
    for i in range(1, len(window) - 1):
        if window[i] in "/.-" and window[i - 1].isdigit() and window[i + 1].isdigit():
            return True
    words = {w.strip(".,;:!?()«»\"'").lower() for w in window.split()}
    return bool(words & _month_words(languages))


def _found(window: str, languages: tuple[str, ...]) -> list[str]:
    from dateparser.search import search_dates

    try:
        return [text for text, _ in search_dates(window, languages=list(languages),
                                                 settings=_SETTINGS) or []]
    except Exception as exc:  # a parser bug must not cost the document
        logger.debug("date search failed: %s", exc)
        return []


def publication_date(text: str, language: str, today: dt.date | None = None) -> str | None:
    """ISO date (YYYY-MM-DD) found in the opening of `text`, or None."""
    languages = _languages(language)
    today = today or dt.date.today()
    window = text[:WINDOW]
    if not _may_hold_a_date(window, languages):
        return None
    dateline = None
    years: list[int] = []
    for expression in _found(window, languages):
        numbers = _numbers(expression)
        if not numbers:
            continue  # weekday names and "today" say nothing about the article
        explicit = [int(n) for n in numbers if len(n) == 4]
        years += [y for y in explicit if y <= today.year]
        if len(numbers) == 1 and explicit or dateline is not None:
            continue  # a bare year ("in 2024"), or the dateline is already known
        found = _parser(languages).get_date_data(expression)
        if found.date_obj is not None and found.period == "day":
            dateline = (found.date_obj, found.date_obj.year in explicit)
    if dateline is None:
        return None
    value, explicit_year = dateline
    if not explicit_year:
        if not years:
            return None
        try:
            value = value.replace(year=max(years))
        except ValueError:  # 29 February in a year that has none
            return None
    if value.date() > today:
        return None
    return value.date().isoformat()
