"""Answer spans in evidence sentences: quantities, dates and names, and how
to render a quantity or a date in the user's language.

Month names come from babel's locale data and dates are parsed with
dateparser (both in vi/en/ru); numbers are formatted with babel."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rag.lang.basics import NUMBER, NUMERIC_DATE, YEAR_DIGITS, alternation, capitalised_runs, month_names
from rag.query.analysis import AnswerType

_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9, "nghìn tỷ": 1e12,
    "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
    "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9,
    "трлн": 1e12,
}
_CURRENCIES = {"usd": "USD", "us$": "USD", "$": "USD", "đô la mỹ": "USD", "đô la": "USD",
               "доллар": "USD", "долларов": "USD", "доллара": "USD", "vnd": "VND", "đồng": "VND",
               "донгов": "VND", "eur": "EUR", "euro": "EUR", "евро": "EUR"}
_PERCENT = ("%", "percent", "per cent", "phần trăm", "процент", "процента", "процентов")
_APPROX = {"about": "about", "around": "about", "approximately": "about", "roughly": "about",
           "nearly": "nearly", "almost": "nearly", "over": "over", "more than": "over",
           "khoảng": "about", "gần": "nearly", "hơn": "over", "trên": "over",
           "около": "about", "примерно": "about", "почти": "nearly", "более": "over",
           "свыше": "over", "порядка": "about"}
APPROX_WORDS = {"about": {"vi": "khoảng", "en": "about", "ru": "около"},
                "nearly": {"vi": "gần", "en": "nearly", "ru": "почти"},
                "over": {"vi": "hơn", "en": "over", "ru": "более"}}
_NUMBER_WORDS = {
    "en": "one two three four five six seven eight nine ten eleven twelve twenty thirty hundred "
          "thousand million billion first second third fourth fifth sixth seventh eighth ninth "
          "tenth dozen once twice half both",
    "vi": "một hai ba bốn sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ nhất đôi nửa",
}
# Russian numerals decline: match their forms by pattern.
_RU_NUMBER_WORD = re.compile(
    r"\b(?:од(?:ин|на|но|ного|ной|ному|ним)|дв(?:а|е|ух|ум|умя)|тр(?:и|[её]х|[её]м|емя)|"
    r"четыр(?:е|[её]х|ем|ьмя)|пят(?:ь|и|ью)|шест(?:ь|и|ью)|сем(?:ь|и|ью)|вос(?:емь|ьми)|"
    r"девят(?:ь|и|ью)|десят(?:ь|и|ью|ков)|сто|сотн\w*|тысяч\w*|миллион\w*|миллиард\w*|"
    r"дважды|трижды|однажды|об[ае]|половин\w*|перв\w+|втор\w+|трет\w+|четв[её]рт\w+)\b",
    re.IGNORECASE)
_QUANTITY = re.compile(
    rf"(?:(?P<approx>{alternation(_APPROX)})\s+)?(?P<currency_before>US\$|\$)?"
    rf"(?P<number>{NUMBER})\s*(?P<scale>{alternation(_SCALES)})?\.?\s*"
    rf"(?P<unit>{alternation([*_CURRENCIES, *_PERCENT])})?", re.IGNORECASE)


# "Conclusion No. 57-KL/TW", "Nghị quyết số 39-NQ/TW", "№ 15": numbers that name
# a document or an item, not an amount; "the top 10", "tốp 10", "топ-10" name a rank.
_IDENTIFIER_BEFORE = re.compile(r"(?:\bNo\.?|№|\bномер\w*|(?i:\btop|\btốp|\bтоп))[\s-]*$")
# "57-KL/TW", "39/NQ": a code goes on in capitals or after a slash; "5-cylinder",
# "5-цилиндровый" count
_IDENTIFIER_AFTER = re.compile(r"^(?:/[^\W\d_]|-[^\W\d_]*[A-ZА-ЯЁĐ])")


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
    date_spans = [m.span() for m in _date_matches(sentence, language)]
    for m in _QUANTITY.finditer(sentence):
        value = _parse_number(m.group("number"))
        if value is None or _is_year_like(m, value) or _inside(m.span("number"), date_spans) \
                or _is_identifier(sentence, m):
            continue
        scale = _SCALES.get((m.group("scale") or "").lower(), 1.0)
        unit = _unit(m.group("unit"), m.group("currency_before"))
        approx = _APPROX.get((m.group("approx") or "").lower())
        text = m.group(0).rstrip()
        found.append(Quantity(text.lstrip(), value * scale, unit, approx, m.start() + len(text),
                              bool(m.group("scale"))))
    # the first figure of a share's range is a share too ("27-30 %"); a sum's
    # range may carry a scale as well ("5 to 7 million USD"), so it is left alone
    for first, second in zip(found, found[1:], strict=False):
        between = sentence[first.end:second.end - len(second.text)]
        if first.unit is None and second.unit == "%" and _RANGE.fullmatch(between):
            first.unit = "%"
    return tuple(found)


_RANGE = re.compile(r"\s*(?:-|–|—|to|đến|tới|до)\s*", re.IGNORECASE)


def _is_identifier(sentence: str, m: re.Match) -> bool:
    start, end = m.span("number")
    return bool(_IDENTIFIER_BEFORE.search(sentence[:start])
                or _IDENTIFIER_AFTER.match(sentence[end:]))


def _unit(unit: str | None, before: str | None) -> str | None:
    if before:
        return "USD"
    if not unit:
        return None
    low = unit.lower()
    return "%" if low in _PERCENT else _CURRENCIES.get(low)


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
    if language == "ru":
        return _RU_NUMBER_WORD.search(sentence) is not None
    words = set(re.findall(r"\w+", sentence.lower()))
    return any(w in words for w in _NUMBER_WORDS.get(language, "").split())


@functools.cache
def _month_pattern(language: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{alternation(month_names(language))})(?!\w)", re.IGNORECASE)


# 31/10, 6/1/2025, 31.10.2025 and years.
_DATE_NUMERIC = re.compile(rf"(?<![\d.,])(?:{NUMERIC_DATE}|{YEAR_DIGITS})(?!\d|[.,]\d)")
_VI_DAY_MONTH = re.compile(r"\b(?:ngày|tháng)\s+\d{1,2}\b", re.IGNORECASE)
# Periods that answer "when" without a calendar date.
_PERIOD = re.compile(
    r"\b(?:centur(?:y|ies)|decades?|years? ago|thế kỷ|thập kỷ|thập niên|năm trước|"
    r"век[аеу]?|веков|столети[йея]|лет назад|год[уа]х)\b", re.IGNORECASE)


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
    found = [*_DATE_NUMERIC.finditer(sentence), *_VI_DAY_MONTH.finditer(sentence)]
    for lang in {language, "en", "vi", "ru"}:
        found.extend(_day_month_pattern(lang).finditer(sentence))
    return found


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


@functools.lru_cache(maxsize=_SPAN_CACHE)
def has_date(sentence: str, language: str) -> bool:
    if _date_matches(sentence, language) or _PERIOD.search(sentence):
        return True
    return any(_month_pattern(lang).search(sentence) for lang in {language, "en", "vi", "ru"})


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
