"""The basics every language rule builds on, defined once: scripts (Cyrillic,
Vietnamese letters), years, month and weekday names (babel), runs of
capitalised words, and numbers and numeric dates as news text writes them.
The per-language tables are in the language packs (rag.lang.pack)."""

from __future__ import annotations

import functools
import re

# -- scripts -----------------------------------------------------------------------

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Every Vietnamese letter with a mark, and those no other Latin-script language
# writes (à, é … are French and Spanish too): one of these tells Vietnamese apart.
VIETNAMESE_MARKED = ("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
VIETNAMESE_DISTINCT = "".join(c for c in VIETNAMESE_MARKED if c not in "àáãèéìíĩòóõùúũý")
VIETNAMESE_LETTER = re.compile(f"[{VIETNAMESE_MARKED}]", re.IGNORECASE)
VIETNAMESE_DISTINCT_LETTER = re.compile(f"[{VIETNAMESE_DISTINCT}]", re.IGNORECASE)
# Capital letters of the Latin and Cyrillic alphabets (a regex class body).
CAPITAL = "A-ZА-ЯЁ"


def has_cyrillic(text: str) -> bool:
    return CYRILLIC.search(text) is not None


def starts_cyrillic(word: str) -> bool:
    return CYRILLIC.match(word) is not None


# -- years ---------------------------------------------------------------------------

YEAR_DIGITS = r"(?:1\d|20)\d\d"  # 1000–2099
# A year in running text: not part of a longer number, a decimal or a date.
YEAR = re.compile(rf"(?<![\d.,]){YEAR_DIGITS}(?!\d|[.,]\d)")
# A year a question names (1800–2099; not a part of "31/10/2025" either), as group 1.
YEAR_PATTERN = re.compile(r"(?<![\d.,/])(1[89]\d\d|20\d\d)(?!\d|[.,/]\d)")


def years_in(text: str) -> set[int]:
    return {int(y) for y in YEAR_PATTERN.findall(text)}


# -- numbers and numeric dates ---------------------------------------------------------

# "1.75", "1,75", "500", "6 000": a number as news text writes it.
NUMBER = r"\d+(?:[.,\u00a0 ]\d{3})*(?:[.,]\d+)?"
# 31/10, 6/1/2025 (day, month); with dots two-digit day and month (31.10.2025):
# "3.10" is a number. Groups: day and month of the first form, then of the second.
NUMERIC_DATE = (r"(0?[1-9]|[12]\d|3[01])/(0?[1-9]|1[0-2])(?:/\d{2,4})?"
                r"|([0-2]\d|3[01])\.(0[1-9]|1[0-2])(?:\.\d{2,4})?")


NEVER = r"(?!)"  # a pattern that matches nothing


def alternation(words) -> str:
    """A regex alternative of the words, longest first, each escaped (NEVER for none)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or NEVER


# -- month and weekday names (babel's CLDR data) ---------------------------------------

@functools.cache
def month_names(locale: str, contexts: tuple[str, ...] = ("format", "stand-alone")) -> dict[str, int]:
    """Month name in `locale` (wide and abbreviated, in each of babel's `contexts`:
    "format" is "31 октября", "stand-alone" "октябрь"; lower case, no dot) -> 1..12."""
    from babel.dates import get_month_names

    numbers = {}
    for width in ("wide", "abbreviated"):
        for context in contexts:
            for n, name in get_month_names(width, context=context, locale=locale).items():
                numbers[name.lower().rstrip(".")] = n
    return numbers


@functools.cache
def day_names(locale: str) -> frozenset[str]:
    """Weekday names in `locale` (wide and abbreviated, lower case, no dot)."""
    from babel.dates import get_day_names

    return frozenset(n.lower().rstrip(".") for width in ("wide", "abbreviated")
                     for n in get_day_names(width, locale=locale).values())


# -- runs of capitalised words ---------------------------------------------------------

_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def capitalised_runs(text: str, skip_first: bool = False, across_lines: bool = True
                     ) -> list[list[str]]:
    """Runs of two or more capitalised words with only spaces between them
    (people, places, bodies); `skip_first`: not counting the text's first
    word (capitalised anyway); `across_lines`: a line break may fall inside a run."""
    first = len(text) - len(text.lstrip())
    runs, run, end = [], [], 0
    for match in _NAME_WORD.finditer(text):
        word, gap = match.group(0), text[end:match.start()]
        end = match.end()
        capital = word[:1].isupper() and not (skip_first and match.start() == first)
        joined = not (gap.strip() if across_lines else gap.strip(" \t"))
        if capital and (joined or not run):
            run.append(word)
            continue
        if len(run) >= 2:
            runs.append(run)
        run = [word] if capital else []
    if len(run) >= 2:
        runs.append(run)
    return runs
