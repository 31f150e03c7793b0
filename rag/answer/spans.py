"""Answer spans in evidence sentences: quantities, dates and names, and how
to render a quantity or a date in the user's language.

Month names come from babel's locale data; scales, currencies, number words
and the like from the language packs (rag/lang/vi.py, en.py, ru.py), every
registered one at once: a passage quotes figures in any language."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from rag.lang.basics import (
    CAPITAL,
    NUMBER,
    NUMERIC_DATE,
    YEAR_DIGITS,
    alternation,
    capitalised_runs,
    month_names,
)
from rag.lang.pack import LanguagePack, any_of
from rag.lang.registry import pack, packs, supported
from rag.query.analysis import AnswerType


class _Words(NamedTuple):
    """What the registered language packs write of figures and periods."""

    scales: dict[str, float]  # "million": 1e6
    currencies: dict[str, str]  # "đồng": "VND"
    percent: frozenset[str]  # "%", "phần trăm"
    approx: dict[str, str]  # "khoảng": "about"
    quantity: re.Pattern  # an amount, as news text writes it
    identifier_before: re.Pattern  # "No. 57", "№ 15", "the top 10": a number that names
    range: re.Pattern  # between the figures of a range: "27-30 %", "27 to 30 %"
    numbered_day: re.Pattern  # a day or a month by its number: "ngày 31", "tháng 10"
    period: re.Pattern  # periods that answer "when" without a calendar date: "century"


@functools.cache
def _words(every: tuple[LanguagePack, ...]) -> _Words:
    scales = {w: v for p in every for w, v in p.scales.items()}
    currencies = {w: code for p in every for w, code in p.currencies.items()}
    percent = frozenset(("%", *(w for p in every for w in p.percent_words)))
    approx = {w: kind for p in every for w, kind in p.approx.items()}
    quantity = re.compile(
        rf"(?:(?P<approx>{alternation(approx)})\s+)?(?P<currency_before>US\$|\$)?"
        rf"(?P<number>{NUMBER})\s*(?P<scale>{alternation(scales)})?\.?\s*"
        rf"(?P<unit>{alternation([*currencies, *percent])})?", re.IGNORECASE)
    # "Conclusion No. 57-KL/TW", "№ 15": numbers that name a document or an item, not
    # an amount; "the top 10", "tốp 10", "топ-10" name a rank (case as the packs say)
    identifier = re.compile(rf"(?:№|{any_of(p.identifier_before for p in every)})[\s-]*$")
    ranges = alternation(w for p in every for w in p.range_words)
    numbered = any_of((*(p.day_word for p in every), *(p.month_word for p in every)))
    return _Words(scales, currencies, percent, approx, quantity, identifier,
                  re.compile(rf"\s*(?:-|–|—|{ranges})\s*", re.IGNORECASE),
                  re.compile(rf"\b(?:{numbered})\s+\d{{1,2}}\b", re.IGNORECASE),
                  re.compile(rf"\b(?:{any_of(p.period_words for p in every)})\b", re.IGNORECASE))


# "57-KL/TW", "39/NQ": a code goes on in capitals or after a slash; "5-cylinder",
# "5-цилиндровый" count
_IDENTIFIER_AFTER = re.compile(rf"^(?:/[^\W\d_]|-[^\W\d_]*[{CAPITAL}Đ])")


@dataclass
class Quantity:
    text: str  # as written in the source
    value: float
    unit: str | None  # an ISO currency, "%", or None
    approx: str | None  # about / nearly / over
    end: int = -1  # where it ends in its sentence
    scaled: bool = False  # written with a scale word ("1.75 billion"), not in full digits


def quantities(sentence: str, language: str = "en") -> list[Quantity]:
    """The amounts of a sentence; years and the day numbers of dates
    ("October 31", "31/10", "ngày 6") are not amounts."""
    return list(_quantities(sentence, language))


# Evidence sentences come back question after question, and one question reads
# each several times (scoring, lead, judge): their spans are kept.
_SPAN_CACHE = 8192


@functools.lru_cache(maxsize=_SPAN_CACHE)
def _quantities(sentence: str, language: str) -> tuple[Quantity, ...]:
    found = []
    words = _words(packs())
    date_spans = [m.span() for m in _date_matches(sentence, language)]
    for m in words.quantity.finditer(sentence):
        value = _parse_number(m.group("number"))
        if value is None or _is_year_like(m, value) or _inside(m.span("number"), date_spans) \
                or _is_identifier(sentence, m):
            continue
        scale = words.scales.get((m.group("scale") or "").lower(), 1.0)
        unit = _unit(m.group("unit"), m.group("currency_before"), words)
        approx = words.approx.get((m.group("approx") or "").lower())
        text = m.group(0).rstrip()
        found.append(Quantity(text.lstrip(), value * scale, unit, approx, m.start() + len(text),
                              bool(m.group("scale"))))
    # the first figure of a share's range is a share too ("27-30 %"); a sum's
    # range may carry a scale as well ("5 to 7 million USD"), so it is left alone
    for first, second in zip(found, found[1:], strict=False):
        between = sentence[first.end:second.end - len(second.text)]
        if first.unit is None and second.unit == "%" and words.range.fullmatch(between):
            first.unit = "%"
    return tuple(found)


def _is_identifier(sentence: str, m: re.Match) -> bool:
    start, end = m.span("number")
    return bool(_words(packs()).identifier_before.search(sentence[:start])
                or _IDENTIFIER_AFTER.match(sentence[end:]))


def _unit(unit: str | None, before: str | None, words: _Words) -> str | None:
    if before:
        return "USD"
    if not unit:
        return None
    low = unit.lower()
    return "%" if low in words.percent else words.currencies.get(low)


def _is_year_like(m: re.Match, value: float) -> bool:
    return (not m.group("scale") and not m.group("unit") and value.is_integer()
            and 1800 <= value <= 2100 and re.fullmatch(r"\d{4}", m.group("number")) is not None)


def _parse_number(text: str) -> float | None:
    """'1.75' and '1,75' are 1.75; '6.000' / '6,000' / '6 000' are 6000; '0.039'
    is 0.039."""
    digits = text.replace("\u00a0", " ").replace(" ", "")
    groups = re.split(r"[.,]", digits)
    try:
        if len(groups) > 1 and groups[0] != "0" and all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
        return float(digits.replace(",", "."))
    except ValueError:
        return None


def has_number_word(sentence: str, language: str) -> bool:
    """A number said in words ("three", "ba", "трёх"; the pack's `number_words`)."""
    return _number_words(pack(language)).search(sentence) is not None


@functools.cache
def _number_words(lang: LanguagePack) -> re.Pattern:
    return re.compile(lang.number_words, re.IGNORECASE)


@functools.cache
def _month_pattern(language: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{alternation(month_names(language))})(?!\w)", re.IGNORECASE)


# 31/10, 6/1/2025, 31.10.2025 and years.
_DATE_NUMERIC = re.compile(rf"(?<![\d.,])(?:{NUMERIC_DATE}|{YEAR_DIGITS})(?!\d|[.,]\d)")


_DIGIT = re.compile(r"\d")
_NEAR_MONTH = r"(?:\d{{1,2}}\s+(?:{months})|(?:{months})\s+\d{{1,2}}(?!\d))"


@functools.cache
def _day_month_pattern(language: str) -> re.Pattern:
    months = _month_pattern(language).pattern.removeprefix("(?<!\\w)(?:").removesuffix(")(?!\\w)")
    return re.compile(_NEAR_MONTH.format(months=months), re.IGNORECASE)


@functools.lru_cache(maxsize=_SPAN_CACHE)
def _date_matches(sentence: str, language: str) -> list[re.Match]:
    if not _DIGIT.search(sentence):  # every pattern below holds a figure
        return []
    found = [*_DATE_NUMERIC.finditer(sentence), *_words(packs()).numbered_day.finditer(sentence)]
    for lang in {language, *supported()}:
        found.extend(_day_month_pattern(lang).finditer(sentence))
    return found


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


@functools.lru_cache(maxsize=_SPAN_CACHE)
def has_date(sentence: str, language: str) -> bool:
    if _date_matches(sentence, language) or _words(packs()).period.search(sentence):
        return True
    return any(_month_pattern(lang).search(sentence) for lang in {language, *supported()})


def names(sentence: str) -> list[str]:
    """Runs of two or more capitalised words (people, places, bodies), not
    counting the sentence's first word."""
    return [" ".join(run) for run in capitalised_runs(sentence, skip_first=True)]


def holds_answer(sentence: str, language: str, kind: AnswerType) -> bool:
    """Whether a sentence holds a span of the expected answer type."""
    match kind:
        case AnswerType.QUANTITY:
            return bool(quantities(sentence, language)) or has_number_word(sentence, language)
        case AnswerType.DATE:
            return has_date(sentence, language)
        case AnswerType.PERSON:
            return bool(names(sentence))
    return True
