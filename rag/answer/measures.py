"""Whether a sentence holds a figure of the kind a quantity question asks for
(rag.query.analysis.asked_measure): "how many FDI projects" is not answered by
"1.75 billion USD", nor "how long did it last" by "more than 70 organisations"."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from rag.answer.spans import Quantity, has_number_word, holds_answer, quantities
from rag.lang.basics import YEAR, YEAR_DIGITS, alternation
from rag.lang.dates import named_dates
from rag.lang.pack import LanguagePack, any_of
from rag.lang.registry import pack, packs
from rag.query.analysis import Measure, QuestionAnalysis
from rag.query.offices import names_office

_WORD = r"\b(?:{})\b"
_WHOLE = r"(?<!\w)(?:{})(?!\w)"


@functools.cache
def _pattern(lang: LanguagePack, table: str, form: str = "{}") -> re.Pattern:
    """A table of the language pack, compiled (`form`: put between word boundaries)."""
    return re.compile(form.format(getattr(lang, table)), re.IGNORECASE)


@functools.cache
def _unit_after(lang: LanguagePack, times: bool) -> re.Pattern:
    """A unit of measurement (or also of time) right after a figure, hyphen
    allowed: "4 kg", "a 209-acre campus", "505 million years"."""
    units = lang.measurement_units + (f"|{lang.time_units}" if times else "")
    return re.compile(rf"[\s-]*(?:{units})(?!\w)", re.IGNORECASE)


def _measures(quantity: Quantity, sentence: str, language: str, times: bool = False) -> bool:
    return bool(sentence) and _unit_after(pack(language), times).match(sentence, quantity.end) is not None


class _Alike(NamedTuple):
    """Read alike in a sentence of any language."""

    open_duration: re.Pattern  # a duration without a count of units: "until the end of the term", "1870 to 1939"
    percent: re.Pattern  # a share: "%", "phần trăm"
    one: frozenset[str]  # one of something: "a", "một"


@functools.cache
def _any_language(every: tuple[LanguagePack, ...]) -> _Alike:
    ranges = alternation(w for p in every for w in p.range_words)
    before = any_of(p.year_before for p in every)
    open_duration = re.compile(
        rf"\b(?:{any_of(p.open_duration for p in every)})\b"
        rf"|\b{YEAR_DIGITS}\s*(?:-|–|—|{ranges})\s*(?:(?:{before})\s+)?{YEAR_DIGITS}\b", re.IGNORECASE)
    percent = re.compile(rf"%|\b(?:{alternation(w for p in every for w in p.percent_words)})", re.IGNORECASE)
    return _Alike(open_duration, percent, frozenset(w for p in every for w in p.counting_words))


def fits(sentence: str, language: str, measure: Measure | None) -> bool:
    """Whether the sentence holds a figure of the kind asked for."""
    if measure is None:
        return True
    lang = pack(language)
    if measure is Measure.PERCENT:  # "от шести до девяти процентов": numbers in words
        return _any_language(packs()).percent.search(sentence) is not None
    if measure is Measure.DURATION:  # "began in 2005 … finished in 2010" counts too
        return _any_language(packs()).open_duration.search(sentence) is not None \
            or len(set(YEAR.findall(sentence))) >= 2 \
            or _counted(_pattern(lang, "time_units", _WORD), sentence, language, 2)
    if measure is Measure.PEOPLE:
        return _counts_people(sentence, language)
    if measure is Measure.STREAK:  # "for the third consecutive year"
        return _pattern(lang, "streak_words").search(sentence) is not None
    if measure is Measure.RANK:  # "ranked 139th", not "in the top 10"
        return _pattern(lang, "rank_given").search(sentence) is not None
    if measure is Measure.AVERAGE:  # a figure said per person or on average
        return _pattern(lang, "average_words").search(sentence) is not None \
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


def _counts_people(sentence: str, language: str) -> bool:
    """A number of people: a figure a few words before a noun for people ("over
    70 delegates", "десятью миллионами человек"), or any figure in a sentence
    about a population ("out of 711,988 inhabitants", "dân số 3,4 triệu")."""
    nouns, whole = (_pattern(pack(language), table, _WHOLE) for table in ("people_nouns", "population_words"))
    has_figure = bool(quantities(sentence, language)) or has_number_word(sentence, language)
    if whole.search(sentence) and has_figure:
        return True
    return _counted(nouns, sentence, language, 4)


# Figures a question asks for by name, and the words a sentence must use for
# its figure to be one: a population by residents, not by any headcount ("nearly
# 6 million overseas Vietnamese"); an attendance by those who attended or took
# part; an exchange rate by a rate, not any sum of money.
_NAMED = {Measure.POPULATION: "resident_words", Measure.ATTENDANCE: "attendance_words",
          Measure.EXCHANGE_RATE: "rate_words"}


def _names_measure(measure: Measure, sentence: str, language: str) -> bool:
    """A figure in a sentence that names the measure ("1.7 million inhabitants",
    "dân số 3,4 triệu", "курс доллара 25 400 донгов")."""
    return _pattern(pack(language), _NAMED[measure], _WHOLE).search(sentence) is not None and (
        bool(quantities(sentence, language)) or has_number_word(sentence, language))


def _counted(pattern: re.Pattern, sentence: str, language: str, words: int) -> bool:
    """A number among the `words` words before a match ("3 days", "over 70 delegates")."""
    return any(any(_is_number(w, language) for w in sentence[:m.start()].split()[-words:])
               for m in pattern.finditer(sentence))


def _is_number(word: str, language: str) -> bool:
    return word[:1].isdigit() or word.lower() in _any_language(packs()).one \
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
        return quantity.unit is None and \
            _pattern(pack(language), "time_units", _WORD).match(after.lstrip()) is not None
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
