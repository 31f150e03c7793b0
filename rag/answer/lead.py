"""The answer span an offline answer starts with, rendered in the user's
language: numbers, currencies and dates with babel, dates parsed with
dateparser (the article's own date supplies a missing year), names as written
in the quoted sentence."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re

from rag.answer.measures import quantity_fits
from rag.answer.spans import APPROX_WORDS, Quantity, names, quantities
from rag.offices import holder
from rag.question import AnswerType, QuestionAnalysis
from rag.text import analyze, fold_diacritics
from rag.vocabulary import TITLE_WORDS, shares_a_name

logger = logging.getLogger(__name__)

_BABEL_LOCALE = {"vi": "vi", "en": "en_GB", "ru": "ru"}
# How each language writes a full date in running text.
_DATE_FORMAT = {"vi": "dd/MM/yyyy", "en": "d MMMM yyyy", "ru": "long"}
_DAY_MONTH_FORMAT = {"vi": "d/M", "en": "d MMMM", "ru": "d MMMM"}
_WINDOW = 8  # words either side of a span that count as its context


def lead_span(sentence: str, sentence_language: str, analysis: QuestionAnalysis,
              question: str, language: str, published: str | None,
              context: str = "") -> str | None:
    """The answer span, in `language`, or None when the sentence holds no
    unambiguous one (`context`: the passage around the sentence)."""
    match analysis.answer_type:
        case AnswerType.QUANTITY:
            found = [q for q in quantities(sentence, sentence_language)
                     if quantity_fits(q, analysis.measure, sentence, sentence_language)]
            # a figure is "named by the question" when its digits are
            best = _closest(sentence, [q.text for q in found], question, language,
                            sentence_language, [re.sub(r"[^\d]", " ", q.text) for q in found])
            return render_quantity(found[best], language) if best is not None else None
        case AnswerType.DATE:
            return _date_span(sentence, sentence_language, language, published)
        case AnswerType.PERSON:
            runs = person_names(sentence, context)
            best = holder(sentence, sentence_language, runs, analysis.offices)
            if best is None or shares_a_name(runs[best], question):
                best = _closest(sentence, runs, question, language, sentence_language)
            return runs[best] if best is not None else None
    return None


def _closest(sentence: str, spans: list[str], question: str, language: str,
             sentence_language: str, keys: list[str] | None = None) -> int | None:
    """The span that answers: never one the question itself names (compared by
    `keys`, the spans themselves by default); among the rest, the one whose
    surrounding words share most with the question, the earliest on a tie.
    None when there is no candidate."""
    asked = set(analyze(question, language))
    candidates = [i for i, key in enumerate(keys or spans) if not shares_a_name(key, question)]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    scores = {}
    for i in candidates:
        at = sentence.find(spans[i])
        before = sentence[:at].split()[-_WINDOW:]
        after = sentence[at + len(spans[i]):].split()[:_WINDOW]
        scores[i] = len(asked & set(analyze(" ".join(before + after), sentence_language)))
    return max(candidates, key=lambda i: (scores[i], -i))


# The common Vietnamese family names (with or without diacritics): a run that
# starts with one is a person even when a later syllable is also a title word
# ("Nguyễn Thị Hồng Hoa": "thị" is in "chỉ thị", a directive).
VIETNAMESE_SURNAMES = frozenset("""
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly doan dinh trinh
truong mai luong cao ha ta chu lam la kieu quach thai tang trieu luu van khuat nghiem
""".split())


def person_names(sentence: str, context: str = "") -> list[str]:
    """Capitalised runs that name a person: titles and offices dropped
    ("Prime Minister Pham Minh Chinh" -> "Pham Minh Chinh"); not a run whose
    every word the passage (`context`) also writes in lower case: that is a
    capitalised title ("Committee for External Information Work")."""
    lower = {w for w in re.findall(r"\w+", f"{sentence} {context}") if w[0].islower()}
    found = []
    for run in names(sentence):
        words = run.split()
        while words and words[0].lower().removesuffix("'s").removesuffix("’s") in TITLE_WORDS:
            words.pop(0)
        if words:  # "Prime Minister Pham Minh Chinh's speech"
            words[-1] = re.sub(r"['’]s$", "", words[-1])
        if len(words) < 2 or all(w.lower() in lower for w in words):
            continue
        if fold_diacritics(words[0]) in VIETNAMESE_SURNAMES \
                or not any(w.lower() in TITLE_WORDS for w in words):
            found.append(" ".join(words))
    return found


def _plain(text: str) -> str:
    """babel separates with (narrow) no-break spaces; answers are plain text."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def render_quantity(quantity: Quantity, language: str) -> str:
    from babel.numbers import format_compact_decimal, format_decimal, get_currency_name

    locale = _BABEL_LOCALE.get(language, "en_GB")
    value = quantity.value
    if value >= 1e6:
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


def _date_span(sentence: str, sentence_language: str, language: str,
               published: str | None) -> str | None:
    found = _search_dates(sentence, sentence_language, published)
    if not found:
        return None
    _, when, has_year = found[0]
    return render_date(when, language, has_year)


def render_date(when: dt.date, language: str, with_year: bool = True) -> str:
    from babel.dates import format_date

    locale = _BABEL_LOCALE.get(language, "en_GB")
    pattern = (_DATE_FORMAT if with_year else _DAY_MONTH_FORMAT).get(language, "long")
    return _plain(format_date(when, format=pattern, locale=locale))


def _search_dates(sentence: str, language: str,
                  published: str | None) -> list[tuple[str, dt.date, bool]]:
    """(text, date, whether the text names the year) for each date in the sentence."""
    from dateparser.search import search_dates

    base = _as_datetime(published)
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
                "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    try:
        found = search_dates(sentence, languages=[language], settings=settings) or []
    except Exception as exc:  # dateparser raises on some odd inputs
        logger.debug("dateparser failed on %r: %s", sentence[:80], exc)
        return []
    return [(text, when.date(), base is not None or bool(re.search(r"\d{4}|/\d{2}\b", text)))
            for text, when in found]


def warm_up() -> None:
    """Load dateparser's vi/en/ru data before the first date question."""
    for language, text in (("en", "on 5 March"), ("vi", "ngày 5/3"), ("ru", "5 марта")):
        _search_dates(text, language, "2024-01-01")


@functools.lru_cache(maxsize=256)
def _as_datetime(value: str | None) -> dt.datetime | None:
    """The end of the publication day: a date the article names without a year
    is the latest one not after it ("January 15" in an article of 15 January)."""
    try:
        day = dt.datetime.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
    return day.replace(hour=23, minute=59) if day else None
