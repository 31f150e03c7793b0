"""Whether a sentence holds a figure of the kind a quantity question asks for
(rag.query.analysis.asked_measure): "how many FDI projects" is not answered by
"1.75 billion USD", nor "how long did it last" by "more than 70 organisations"."""

from __future__ import annotations

import functools
import re

from rag.answer.spans import Quantity, has_number_word, holds_answer, quantities
from rag.lang.dates import named_dates
from rag.query.analysis import (
    ATTENDANCE_WORDS,
    AVERAGE_WORDS,
    MEASUREMENT_UNITS,
    PEOPLE_NOUNS,
    POPULATION_WORDS,
    RANK_GIVEN,
    RATE_WORDS,
    RESIDENT_WORDS,
    STREAK_WORDS,
    TIME_UNITS,
    Measure,
    QuestionAnalysis,
)
from rag.query.offices import names_office


@functools.cache
def _time_unit(language: str) -> re.Pattern:
    return re.compile(rf"\b(?:{TIME_UNITS.get(language, TIME_UNITS['en'])})\b", re.IGNORECASE)


@functools.cache
def _unit_after(language: str, times: bool) -> re.Pattern:
    """A unit of measurement (or also of time) right after a figure, hyphen
    allowed: "4 kg", "a 209-acre campus", "505 million years"."""
    units = MEASUREMENT_UNITS.get(language, MEASUREMENT_UNITS["en"])
    if times:
        units += "|" + TIME_UNITS.get(language, TIME_UNITS["en"])
    return re.compile(rf"[\s-]*(?:{units})(?!\w)", re.IGNORECASE)


def _measures(quantity: Quantity, sentence: str, language: str, times: bool = False) -> bool:
    return bool(sentence) and _unit_after(language, times).match(sentence, quantity.end) is not None


# A duration said without a count of units: "until the end of the term", "1870 to 1939".
_OPEN_DURATION = re.compile(
    r"\b(?:until|till|throughout|cho đến|đến khi|tới khi|đến hết|suốt|до окончания|до конца|"
    r"вплоть до|пока|в течение)\b|\b(?:1[0-9]|20)\d\d\s*(?:-|–|—|to|đến|по|до)\s*"
    r"(?:năm\s+)?(?:1[0-9]|20)\d\d\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d.,])(?:1[0-9]|20)\d\d(?![\d.,]\d)")
_PERCENT_WORDS = re.compile(r"%|\bpercent|\bper cent|phần trăm|процент", re.IGNORECASE)


def fits(sentence: str, language: str, measure: Measure | None) -> bool:
    """Whether the sentence holds a figure of the kind asked for."""
    if measure is None:
        return True
    if measure is Measure.PERCENT:  # "от шести до девяти процентов": numbers in words
        return _PERCENT_WORDS.search(sentence) is not None
    if measure is Measure.DURATION:  # "began in 2005 … finished in 2010" counts too
        return _OPEN_DURATION.search(sentence) is not None \
            or len(set(_YEAR.findall(sentence))) >= 2 \
            or _counted(_time_unit(language), sentence, language, 2)
    if measure is Measure.PEOPLE:
        return _counts_people(sentence, language)
    if measure is Measure.STREAK:  # "for the third consecutive year"
        return _streak(language).search(sentence) is not None
    if measure is Measure.RANK:  # "ranked 139th", not "in the top 10"
        return _pattern("rank", language).search(sentence) is not None
    if measure is Measure.AVERAGE:  # a figure said per person or on average
        return _pattern("average", language).search(sentence) is not None \
            and (bool(quantities(sentence, language)) or has_number_word(sentence, language))
    if measure in _NAMED:  # the sentence must say what its figure measures
        return _names_measure(measure, sentence, language)
    found = quantities(sentence, language)
    if any(quantity_fits(q, measure, sentence, language) for q in found):
        return True
    if measure is Measure.MONEY:
        return False
    rest = sentence  # number words outside the figures ("three", not the "billion" of "2 billion USD")
    for q in found:
        rest = rest.replace(q.text, " ")
    return has_number_word(rest, language)


_TABLES = {"rank": RANK_GIVEN, "average": AVERAGE_WORDS}


@functools.cache
def _pattern(table: str, language: str) -> re.Pattern:
    words = _TABLES[table]
    return re.compile(words.get(language, words["en"]), re.IGNORECASE)


@functools.cache
def _streak(language: str) -> re.Pattern:
    return re.compile(STREAK_WORDS.get(language, STREAK_WORDS["en"]), re.IGNORECASE)


@functools.cache
def _people(language: str) -> tuple[re.Pattern, re.Pattern]:
    nouns = PEOPLE_NOUNS.get(language, PEOPLE_NOUNS["en"])
    whole = POPULATION_WORDS.get(language, POPULATION_WORDS["en"])
    return (re.compile(rf"(?<!\w)(?:{nouns})(?!\w)", re.IGNORECASE),
            re.compile(rf"(?<!\w)(?:{whole})(?!\w)", re.IGNORECASE))


def _counts_people(sentence: str, language: str) -> bool:
    """A number of people: a figure a few words before a noun for people ("over
    70 delegates", "десятью миллионами человек"), or any figure in a sentence
    about a population ("out of 711,988 inhabitants", "dân số 3,4 triệu")."""
    nouns, whole = _people(language)
    has_figure = bool(quantities(sentence, language)) or has_number_word(sentence, language)
    if whole.search(sentence) and has_figure:
        return True
    return _counted(nouns, sentence, language, 4)


# Figures a question asks for by name, and the words a sentence must use for
# its figure to be one: a population by residents, not by any headcount ("nearly
# 6 million overseas Vietnamese"); an attendance by those who attended or took
# part; an exchange rate by a rate, not any sum of money.
_NAMED = {Measure.POPULATION: RESIDENT_WORDS, Measure.ATTENDANCE: ATTENDANCE_WORDS,
          Measure.EXCHANGE_RATE: RATE_WORDS}


@functools.cache
def _measure_words(measure: Measure, language: str) -> re.Pattern:
    table = _NAMED[measure]
    return re.compile(rf"(?<!\w)(?:{table.get(language, table['en'])})(?!\w)", re.IGNORECASE)


def _names_measure(measure: Measure, sentence: str, language: str) -> bool:
    """A figure in a sentence that names the measure ("1.7 million inhabitants",
    "dân số 3,4 triệu", "курс доллара 25 400 донгов")."""
    return _measure_words(measure, language).search(sentence) is not None and (
        bool(quantities(sentence, language)) or has_number_word(sentence, language))


def _counted(pattern: re.Pattern, sentence: str, language: str, words: int) -> bool:
    """A number among the `words` words before a match ("3 days", "over 70 delegates")."""
    return any(any(_is_number(w, language) for w in sentence[:m.start()].split()[-words:])
               for m in pattern.finditer(sentence))


def _is_number(word: str, language: str) -> bool:
    return word[:1].isdigit() or word.lower() in {"a", "an", "one", "một", "mấy", "vài"} \
        or has_number_word(word, language)


def holds_asked(sentence: str, language: str, analysis: QuestionAnalysis) -> bool:
    """A span of the expected answer type; for a figure, of the kind asked for;
    for "who is the <office>", a name beside that office."""
    if not holds_answer(sentence, language, analysis.answer_type):
        return False
    if analysis.date_part == "day":  # "ban hành ngày nào": a year alone does not answer
        return any(d.day for d in named_dates(sentence))
    if analysis.offices:
        return any(names_office(sentence, office, language) for office in analysis.offices)
    return fits(sentence, language, analysis.measure)


def quantity_fits(quantity: Quantity, measure: Measure | None, sentence: str = "",
                  language: str = "en") -> bool:
    """Whether one figure of `sentence` is of the kind asked for (a duration:
    a figure followed by a time unit, "3 days")."""
    if measure is Measure.DURATION:
        after = sentence[quantity.end:]
        return quantity.unit is None and _time_unit(language).match(after.lstrip()) is not None
    if measure is Measure.MONEY:
        return quantity.unit not in (None, "%")
    if measure is Measure.PERCENT:
        return quantity.unit == "%"
    if measure is Measure.MEASUREMENT:  # "about 4 kg" for "how many pounds": any unit
        return quantity.unit is None and _measures(quantity, sentence, language)
    if measure in (Measure.COUNT, Measure.PEOPLE, Measure.POPULATION, Measure.ATTENDANCE):
        # whole, and not a measurement ("1.5 meters", "a 209-acre campus", "0.039")
        return quantity.unit is None and quantity.value.is_integer() \
            and not _measures(quantity, sentence, language, times=True)
    return True
