"""A lead in the user's language: numbers, currencies and dates with babel
(the article's own date supplies a day's missing year)."""

from __future__ import annotations

import datetime as dt
import functools
import re

from rag.answer.spans import APPROX_WORDS, Quantity
from rag.lang.dates import NamedDate

_BABEL_LOCALE = {"vi": "vi", "en": "en_GB", "ru": "ru"}
# How each language writes a full date in running text.
_DATE_FORMAT = {"vi": "dd/MM/yyyy", "en": "d MMMM yyyy", "ru": "long"}
_DAY_MONTH_FORMAT = {"vi": "d/M", "en": "d MMMM", "ru": "d MMMM"}


def _plain(text: str) -> str:
    """babel separates with (narrow) no-break spaces; answers are plain text."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def render_quantity(quantity: Quantity, language: str) -> str:
    from babel.numbers import format_compact_decimal, format_decimal, get_currency_name

    locale = _BABEL_LOCALE.get(language, "en_GB")
    value = quantity.value
    if quantity.scaled:
        # Russian news writes "500 млн"; Vietnamese and English spell the scale out.
        width = "short" if language == "ru" else "long"
        number = format_compact_decimal(value, format_type=width, locale=locale, fraction_digits=2)
    else:
        number = format_decimal(value, locale=locale)
    text = number
    if quantity.unit == "%":
        text = f"{number}%"
    elif quantity.unit:
        name = get_currency_name(quantity.unit, count=value, locale=locale) if language == "ru" \
            else quantity.unit
        text = f"{number} {name}"
    if quantity.approx:
        text = f"{APPROX_WORDS[quantity.approx].get(language, quantity.approx)} {text}"
    return _plain(text)


def render_names(names: list[str], language: str) -> str:
    """"A, B and C" in the user's language (babel's list patterns)."""
    from babel.lists import format_list

    return format_list(names, locale=_BABEL_LOCALE.get(language, "en_GB"))


def render_count(quantity: Quantity, sentence: str, sentence_language: str, question: str,
                 language: str) -> str:
    """A figure with what it counts, so a reader can check it at a glance: a
    bare count takes the words it stands before in the sentence when those
    are in the user's language ("320 gian hàng", "19 working delegations"),
    else the source words it stands on, quoted; a figure with a unit (money,
    a share) is rendered as it is."""
    figure = render_quantity(quantity, language)
    if quantity.unit is not None:
        return figure
    noun = counted_noun(sentence, quantity.end, sentence_language)
    if not noun:
        return figure
    if sentence_language == language:
        if language == "ru" and not quantity.scaled and quantity.value.is_integer():
            noun = agreed_with_number(noun, int(quantity.value))  # "со 195 странами": "195 стран"
        return f"{figure} {noun}"
    return f"{figure} («{sentence[quantity.end - len(quantity.text):quantity.end]} {noun}»)"


@functools.cache
def _russian_morphology():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def agreed_with_number(phrase: str, number: int) -> str:
    """A Russian noun phrase in the form a number takes on its own ("со 195
    странами" -> "195 стран", "2 делегации", "21 страна"), by pymorphy3; a word
    already in that form, or that is not a noun or adjective, is kept."""
    morph = _russian_morphology()
    words = []
    for word in phrase.split():
        parses = morph.parse(word)
        parse = next((p for p in parses if {"NOUN", "ADJF", "PRTF"} & p.tag.grammemes), None)
        if parse is None:
            words.append(word)
            continue
        nominative = parse.inflect({"nomn"}) or parse
        target = nominative.make_agree_with_number(number) or nominative
        wanted = set(target.tag.grammemes) & {"sing", "plur", "nomn", "gent"}
        kept = any(wanted <= set(p.tag.grammemes) and p.normal_form == parse.normal_form
                   for p in parses)
        words.append(word if kept else target.word)
    return " ".join(words)


# Words that may join an English counted noun phrase ("regional and global organizations").
_JOINERS = frozenset("and or".split())


def counted_noun(sentence: str, end: int, language: str, most: int | None = None) -> str:
    """The words right after a figure that say what it counts ("working
    delegations" in "19 working delegations led by …"): up to punctuation, a
    figure or a function word other than "and"/"or" (at most `most`, an
    English past participle after the first ending it), less joiners left
    at the end."""
    from rag.lang.text import fold_diacritics, function_words

    if not sentence[end:end + 1].isspace():  # "139th", "5-cylinder": not a count of things
        return ""
    # Vietnamese words are one or more syllables: count syllables, and compare them
    # with their marks ("tự do" is not "từ", a function word, folded alike)
    most = most or (8 if language == "vi" else 5)
    stop = function_words(language, folded=language != "vi") - (_JOINERS if language == "en" else frozenset())
    words: list[str] = []
    for match in re.finditer(r"\S+", sentence[end:]):
        word = match.group(0)
        bare = word.strip(",.;:!?()«»\"'“”")
        key = bare.lower() if language == "vi" else fold_diacritics(bare)
        if not bare or not bare[0].isalpha() or word[0] in "([«\"“" or key in stop \
                or (language == "en" and words and bare.endswith("ed")):
            break
        words.append(bare)
        if len(words) == most or bare != word:  # punctuation after it ends the phrase
            break
    while words and words[-1].lower() in _JOINERS:
        words.pop()
    return " ".join(words)


def render_named_date(date: NamedDate, language: str, published: str | None = None,
                      year_only: bool = False) -> str:
    """A day, month, year or decade in the user's language; a day without a
    year takes the latest year not after the article's date (`published`)."""
    from babel.dates import format_skeleton

    if date.decade:
        return _DECADE[language if language in _DECADE else "en"].format(date.year)
    year = date.year
    if date.day is not None and year is None:
        year = _year_of_day(date.month, date.day, published)
    if year is not None and (year_only or date.month is None):
        return _YEAR_FORMAT[language if language in _YEAR_FORMAT else "en"].format(year)
    if date.day is None:
        locale = _BABEL_LOCALE.get(language, "en_GB")
        return _plain(format_skeleton("yMMMM", dt.date(year, date.month, 1), locale=locale))
    return render_date(dt.date(year or 2000, date.month, date.day), language, year is not None)


def render_date(when: dt.date, language: str, with_year: bool = True) -> str:
    from babel.dates import format_date

    locale = _BABEL_LOCALE.get(language, "en_GB")
    pattern = (_DATE_FORMAT if with_year else _DAY_MONTH_FORMAT).get(language, "long")
    return _plain(format_date(when, format=pattern, locale=locale))


_DECADE = {"vi": "những năm {}", "en": "the {}s", "ru": "{}-е годы"}
_YEAR_FORMAT = {"vi": "năm {}", "en": "{}", "ru": "{} г."}


def _year_of_day(month: int, day: int, published: str | None) -> int | None:
    """The latest year in which the day is not after the article's date: an
    article of 16 January 2025 that says "31 October" means 31 October 2024."""
    try:
        base = dt.date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None
    if base is None:
        return None
    for year in (base.year, base.year - 1, base.year - 4):  # 29 February
        try:
            if dt.date(year, month, day) <= base:
                return year
        except ValueError:
            continue
    return None


