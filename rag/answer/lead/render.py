"""A lead in the user's language: numbers, currencies and dates with babel
(the article's own date supplies a day's missing year), in the formats of the
language pack (`babel_locale`, `date_format`, `decade_format` …)."""

from __future__ import annotations

import datetime as dt
import functools
import re

from rag.answer.spans import Quantity
from rag.lang.dates import NamedDate
from rag.lang.registry import pack


def _plain(text: str) -> str:
    """babel separates with (narrow) no-break spaces; answers are plain text."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def render_quantity(quantity: Quantity, language: str) -> str:
    from babel.numbers import format_compact_decimal, format_decimal, get_currency_name

    lang = pack(language)
    locale = lang.babel_locale
    value = quantity.value
    if quantity.scaled:  # Russian news writes "500 млн"; Vietnamese and English spell the scale out
        number = format_compact_decimal(value, format_type=lang.scale_width, locale=locale, fraction_digits=2)
    else:
        number = format_decimal(value, locale=locale)
    text = number
    if quantity.unit == "%":
        text = f"{number}%"
    elif quantity.unit:
        name = get_currency_name(quantity.unit, count=value, locale=locale) if lang.currency_names \
            else quantity.unit
        text = f"{number} {name}"
    if quantity.approx:
        text = f"{lang.approx_words.get(quantity.approx, quantity.approx)} {text}"
    return _plain(text)


def render_names(names: list[str], language: str) -> str:
    """"A, B and C" in the user's language (babel's list patterns)."""
    from babel.lists import format_list

    return format_list(names, locale=pack(language).babel_locale)


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
        if pack(language).morphology and not quantity.scaled and quantity.value.is_integer():
            noun = agreed_with_number(noun, int(quantity.value), language)  # "со 195 странами": "195 стран"
        return f"{figure} {noun}"
    return f"{figure} («{sentence[quantity.end - len(quantity.text):quantity.end]} {noun}»)"


@functools.cache
def _morphology(code: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=code)


def agreed_with_number(phrase: str, number: int, language: str) -> str:
    """A noun phrase in the form a number takes on its own ("со 195 странами"
    -> "195 стран", "2 делегации", "21 страна"), by pymorphy3 in the pack's
    `morphology`; a word already in that form, or that is not a noun or
    adjective, is kept."""
    morph = _morphology(pack(language).morphology)
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


def counted_noun(sentence: str, end: int, language: str, most: int | None = None) -> str:
    """The words right after a figure that say what it counts ("working
    delegations" in "19 working delegations led by …"): up to punctuation, a
    figure or a function word other than a joiner (the pack's `noun_joiners`:
    "regional and global organizations"; at most `most`, a past participle
    (`participle_suffix`) after the first ending it), less joiners left at
    the end."""
    from rag.lang.text import fold_diacritics, function_words

    if not sentence[end:end + 1].isspace():  # "139th", "5-cylinder": not a count of things
        return ""
    lang = pack(language)
    # a syllabic language counts syllables (`counted_noun_words`); where tone marks tell
    # words apart (`marks_tell_words_apart`), they are compared with their marks
    # ("tự do" is not "từ", a function word, folded alike)
    most = most or lang.counted_noun_words
    marked = lang.marks_tell_words_apart
    stop = function_words(language, folded=not marked) - lang.noun_joiners
    words: list[str] = []
    for match in re.finditer(r"\S+", sentence[end:]):
        word = match.group(0)
        bare = word.strip(",.;:!?()«»\"'“”")
        key = bare.lower() if marked else fold_diacritics(bare)
        if not bare or not bare[0].isalpha() or word[0] in "([«\"“" or key in stop \
                or (lang.participle_suffix and words and bare.endswith(lang.participle_suffix)):
            break
        words.append(bare)
        if len(words) == most or bare != word:  # punctuation after it ends the phrase
            break
    while words and words[-1].lower() in lang.noun_joiners:
        words.pop()
    return " ".join(words)


def render_named_date(date: NamedDate, language: str, published: str | None = None,
                      year_only: bool = False) -> str:
    """A day, month, year or decade in the user's language; a day without a
    year takes the latest year not after the article's date (`published`)."""
    from babel.dates import format_skeleton

    lang = pack(language)
    if date.decade:
        return lang.decade_format.format(date.year)
    year = date.year
    if date.day is not None and year is None:
        year = _year_of_day(date.month, date.day, published)
    if year is not None and (year_only or date.month is None):
        return lang.year_format.format(year)
    if date.day is None:
        return _plain(format_skeleton("yMMMM", dt.date(year, date.month, 1), locale=lang.babel_locale))
    return render_date(dt.date(year or 2000, date.month, date.day), language, year is not None)


def render_date(when: dt.date, language: str, with_year: bool = True) -> str:
    from babel.dates import format_date

    lang = pack(language)
    pattern = lang.date_format if with_year else lang.day_month_format
    return _plain(format_date(when, format=pattern, locale=lang.babel_locale))


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


