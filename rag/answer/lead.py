"""The answer span an offline answer starts with, rendered in the user's
language: numbers, currencies and dates with babel (the article's own date
supplies a day's missing year), names as written in the quoted sentence.
Dates are found by rag.lang.dates' patterns: dateparser's search read "в 2018
году" as "2018 years ago" and filled the parts a text leaves out from today."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from rag.answer.alignment import WordAligner, word_units
from rag.answer.measures import quantity_fits
from rag.answer.spans import APPROX_WORDS, Quantity, names, quantities
from rag.lang.dates import NamedDate, named_dates
from rag.lang.text import analyze, fold_diacritics, function_words
from rag.lang.vocabulary import TITLE_WORDS, latin_skeleton, shares_a_name
from rag.query.analysis import (
    YEAR_PATTERN,
    AnswerType,
    Measure,
    QuestionAnalysis,
    asked_date_part,
    asks_who_someone_is,
    years_in,
)
from rag.query.offices import holder

_BABEL_LOCALE = {"vi": "vi", "en": "en_GB", "ru": "ru"}
# How each language writes a full date in running text.
_DATE_FORMAT = {"vi": "dd/MM/yyyy", "en": "d MMMM yyyy", "ru": "long"}
_DAY_MONTH_FORMAT = {"vi": "d/M", "en": "d MMMM", "ru": "d MMMM"}
_WINDOW = 8  # words either side of a span that count as its context


def lead_span(sentence: str, sentence_language: str, analysis: QuestionAnalysis,
              question: str, language: str, published: str | None,
              context: str = "", aligner: WordAligner | None = None) -> str | None:
    """The answer span, in `language`, or None when the sentence holds no
    unambiguous one (`context`: the passage around the sentence; `aligner`
    meets the question's words with the sentence's words that translate or
    paraphrase them)."""
    match analysis.answer_type:
        case AnswerType.QUANTITY:
            if analysis.measure is Measure.STREAK:  # "the third consecutive year": the quote says it
                return None
            # a figure the question names (its digits) is not the answer
            found = [q for q in quantities(sentence, sentence_language)
                     if quantity_fits(q, analysis.measure, sentence, sentence_language)
                     and not shares_a_name(re.sub(r"[^\d]", " ", q.text), question)]
            best = _closest(sentence, [(q.end - len(q.text), q.end) for q in found],
                            question, language, sentence_language, context, aligner)
            return render_quantity(found[best], language) if best is not None else None
        case AnswerType.DATE:
            return _date_span(sentence, question, language, published, context,
                              sentence_language, aligner)
        case AnswerType.PERSON:
            if not analysis.offices and asks_who_someone_is(question, language):
                return None  # the quote gives their role; another name is no answer
            runs = person_names(sentence, context, sure=True)
            best = holder(sentence, sentence_language, runs, analysis.offices)
            if best is None or shares_a_name(runs[best], question):
                runs = [run for run in runs if not shares_a_name(run, question)]
                best = _closest(sentence, [_span_of(sentence, run) for run in runs],
                                question, language, sentence_language, context, aligner)
            return runs[best] if best is not None else None
    return None


def _span_of(sentence: str, text: str) -> tuple[int, int]:
    at = sentence.find(text)
    return at, at + len(text)


def _closest(sentence: str, spans: list[tuple[int, int]], question: str, language: str,
             sentence_language: str, context: str = "",
             aligner: WordAligner | None = None) -> int | None:
    """The span (start, end) that answers: the one whose neighbouring words
    match the question's best (`nearness`). When the words written alike
    leave a tie (across languages, or a paraphrase: "states" for "countries"),
    the words the aligner pairs decide. The earliest wins a tie; None when
    there is no span."""
    if len(spans) <= 1:
        return 0 if spans else None
    scores = _nearness(sentence, spans, question, language, sentence_language, context)
    if aligner is not None and scores.count(max(scores)) > 1:
        aligned = aligner.align(word_units(YEAR_PATTERN.sub(" ", question), language),
                                word_units(sentence, sentence_language))
        scores = _nearness(sentence, spans, question, language, sentence_language, context,
                           aligned)
    return max(range(len(spans)), key=lambda i: (scores[i], -i))


def _nearness(sentence: str, spans: list[tuple[int, int]], question: str, language: str,
              sentence_language: str, context: str = "",
              aligned: dict[str, str] | None = None) -> list[float]:
    """How near each span stands to the question's words. A word counts less
    the farther it is (within `_WINDOW` words of the span's clause; a comma
    adds to the distance) and the more sentences of the passage (`context`)
    hold it: "Nghe An" and "the" are everywhere, "import" stands by its figure.
    `aligned`: sentence words that translate question words (`WordAligner`)."""
    key = _word_key(sentence_language, across=sentence_language != language)
    # a year the question names is checked as the period, not matched as a word;
    # function words ("со", "the") sit next to every figure
    stop = function_words(language)
    asked = {key(w) for w in _TOKENS.findall(YEAR_PATTERN.sub(" ", question))
             if fold_diacritics(w) not in stop} - {""}
    tokens = [(m.start(), m.group(0) if m.group(0) in _CLAUSE_ENDS or m.group(0) == "," else
               key(m.group(0))) for m in _TOKENS.finditer(sentence)]
    weight = _rarity(asked, context or sentence, key)
    if aligned:
        tokens = _relabelled(sentence, tokens, aligned)
        weight.update(_aligned_rarity(aligned, context or sentence))
        asked |= set(weight)

    def side(words: list[str]) -> dict[str, float]:
        near: dict[str, float] = {}
        distance = 0
        for token in words:
            if token in _CLAUSE_ENDS:
                break
            distance += _COMMA_DISTANCE if token == "," else 1
            if token in asked and distance <= _WINDOW:
                near[token] = max(near.get(token, 0.0), weight[token] / distance)
        return near

    def score(start: int, end: int) -> float:
        before = side([t for at, t in tokens if at < start][::-1])
        after = side([t for at, t in tokens if at >= end])
        return sum({**before, **{w: max(v, before.get(w, 0.0)) for w, v in after.items()}}.values())

    return [score(*span) for span in spans]


def _word_key(language: str, across: bool) -> Callable[[str], str]:
    """How a word meets the question's: by its stem in one language; across
    languages by the first letters of its Latin skeleton ("импорта" meets
    "import", "экспорт" "export"), so short words ("an", not "Nghệ An") and
    unrelated words meet nothing."""
    if not across:
        return lambda word: (analyze(word, language) or [""])[0]

    def key(word: str) -> str:
        skeleton = latin_skeleton(word).replace("ks", "x")
        return skeleton[:_COGNATE_LETTERS] if len(skeleton) >= _COGNATE_LETTERS else ""

    return key


_TOKENS = re.compile(r"\w+|[,;:()\[\]—]")
_CLAUSE_ENDS = frozenset(";:()[]—")
_COMMA_DISTANCE = 3  # a comma parts a figure from the words of the next item
_COGNATE_LETTERS = 5  # Latin skeleton letters two words across languages must share
_MIN_PIECES = 3  # sentences a passage needs before a word in most of them counts for nothing
_PIECES = re.compile(r"(?<=[.!?;])\s+|\n+")
_ALIGNED = "≈"  # marks the key of a sentence word aligned to a question word


def _relabelled(sentence: str, tokens: list[tuple[int, str]],
                aligned: dict[str, str]) -> list[tuple[int, str]]:
    """The sentence's tokens with each aligned word (one or two adjacent
    words: "xuất khẩu") keyed as the question word it translates."""
    lowered = [m.group(0).lower() for m in _TOKENS.finditer(sentence)]
    tokens = list(tokens)
    for i in range(len(lowered)):
        for n in (2, 1):
            unit = " ".join(lowered[i:i + n])
            if i + n <= len(lowered) and unit in aligned:
                for j in range(i, i + n):
                    tokens[j] = (tokens[j][0], _ALIGNED + aligned[unit])
                break
    return tokens


def _aligned_rarity(aligned: dict[str, str], context: str) -> dict[str, float]:
    """`_rarity` of each aligned question word, counted by the sentence words it met."""
    pieces = [" ".join(_TOKENS.findall(piece.lower())) for piece in _PIECES.split(context)]
    weights: dict[str, float] = {}
    for asked in set(aligned.values()):
        forms = [re.compile(rf"(?<!\w){re.escape(unit)}(?!\w)")
                 for unit, q in aligned.items() if q == asked]
        df = sum(any(f.search(piece) for f in forms) for piece in pieces)
        weights[_ALIGNED + asked] = _weight(df, len(pieces))
    return weights


def _rarity(asked: set[str], context: str, key: Callable[[str], str]) -> dict[str, float]:
    """1 / the number of the passage's sentences that hold each question word;
    0 for a word in most of them ("the", the article's subject) when there
    are enough sentences to tell."""
    pieces = [{key(w) for w in _TOKENS.findall(piece)} for piece in _PIECES.split(context)]
    return {word: _weight(sum(word in piece for piece in pieces), len(pieces)) for word in asked}


def _weight(df: int, pieces: int) -> float:
    """1 / df; 0 for a word in most of the pieces when there are enough to tell."""
    return 0.0 if pieces >= _MIN_PIECES and df > pieces / 2 else 1.0 / max(1, df)


# The common Vietnamese family names (with or without diacritics): a run that
# starts with one is a person even when a later syllable is also a title word
# ("Nguyễn Thị Hồng Hoa": "thị" is in "chỉ thị", a directive).
VIETNAMESE_SURNAMES = frozenset("""
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly doan dinh trinh
truong mai luong cao ha ta chu lam la kieu quach thai tang trieu luu van khuat nghiem
""".split())


# The same names as Russian writes them.
_RUSSIAN_SURNAMES = frozenset("""
нгуен чан ле фам хоанг хюинь фан ву во данг буй до хо нго зыонг ли доан динь чинь
чыонг май лыонг као ха та чу лам ла кьеу куать тхай танг чьеу лыу ван кхуат нгием
""".split())


def person_names(sentence: str, context: str = "", sure: bool = False) -> list[str]:
    """Capitalised runs that name a person: titles and offices dropped
    ("Prime Minister Pham Minh Chinh" -> "Pham Minh Chinh"); not a run whose
    every word the passage (`context`) also writes in lower case: that is a
    capitalised title ("Committee for External Information Work"). `sure`:
    only runs a title or an honorific introduces, or that open with a
    Vietnamese family name; "United States" and "Royal Society" are runs too."""
    lower = {w for w in re.findall(r"\w+", f"{sentence} {context}") if w[0].islower()}
    found = []
    for run in names(sentence):
        words = run.split()
        titled = _HONORIFIC_BEFORE.search(sentence[:sentence.find(run)]) is not None
        while words and words[0].lower().removesuffix("'s").removesuffix("’s") in TITLE_WORDS:
            words.pop(0)
            titled = True
        if words:  # "Prime Minister Pham Minh Chinh's speech"
            words[-1] = re.sub(r"['’]s$", "", words[-1])
        if len(words) < 2 or all(w.lower() in lower for w in words):
            continue
        vietnamese = _vietnamese_surname(words[0])
        if sure and not (titled or vietnamese):
            continue
        if vietnamese or not any(w.lower() in TITLE_WORDS for w in words):
            found.append(" ".join(words))
    return found


# "comrade", "Mr.", "ông", "товарищ" … right before a name
_HONORIFIC_BEFORE = re.compile(
    r"(?:\b(?:comrade|mr|mrs|ms|dr|prof|sir|đồng chí|ông|bà|anh|chị|товарищ\w*|господин\w*|"
    r"госпож\w*)|\b(?:" + "|".join(sorted(TITLE_WORDS, key=len, reverse=True)) + r"))\.?\s*$",
    re.IGNORECASE)


def _vietnamese_surname(word: str) -> bool:
    """A Vietnamese family name, in Latin letters or in Russian transliteration
    (declined: "Нгуена")."""
    folded = fold_diacritics(word)
    return folded in VIETNAMESE_SURNAMES or any(
        folded[:len(folded) - cut] in _RUSSIAN_SURNAMES for cut in (0, 1, 2) if len(folded) - cut >= 2)


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


def _date_span(sentence: str, question: str, language: str, published: str | None,
               context: str, sentence_language: str,
               aligner: WordAligner | None = None) -> str | None:
    """The date nearest the question's words, one the question does not name
    itself ("won before 2000" is answered by 1946) and a day when it asks for
    one, rendered as precisely as the sentence gives it (a day, a month, a
    year, a decade); a year only when the question asks for one."""
    named = {d.parts for d in named_dates(question)} | \
        {(year, None, None, False) for year in years_in(question)}
    found = [d for d in named_dates(sentence) if d.parts not in named]
    part = asked_date_part(question, language)
    if part == "day" and any(d.day for d in found):
        found = [d for d in found if d.day]
    best = _closest(sentence, [(d.start, d.end) for d in found], question, language,
                    sentence_language, context, aligner)
    if best is None:
        return None
    return render_named_date(found[best], language, published, part == "year")


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


def warm_up() -> None:
    """Compile the date patterns (babel's month names) and load the function
    words before the first question that needs them."""
    named_dates("31 October 2025")
    for language in ("vi", "en", "ru"):
        function_words(language)
