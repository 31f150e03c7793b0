"""The answer span an offline answer starts with, rendered in the user's
language: numbers, currencies and dates with babel (the article's own date
supplies a day's missing year), names as written in the quoted sentence.
Dates are found by rag.lang.dates' patterns: dateparser's search read "в 2018
году" as "2018 years ago" and filled the parts a text leaves out from today."""

from __future__ import annotations

import re

from rag.answer.alignment import WordAligner
from rag.answer.lead.names import person_names
from rag.answer.lead.nearness import nearest
from rag.answer.lead.render import (
    render_count,
    render_date,
    render_named_date,
    render_names,
    render_quantity,
)
from rag.answer.measures import quantity_fits
from rag.answer.spans import quantities
from rag.lang.dates import named_dates
from rag.lang.registry import supported
from rag.lang.text import analyze, function_words
from rag.lang.vocabulary import shares_a_name
from rag.query.analysis import (
    AnswerType,
    Measure,
    QuestionAnalysis,
    asked_date_part,
    asks_who_someone_is,
    years_in,
)
from rag.query.offices import holder

# Names listed together for the role asked lead together up to this many; more is a list, not an answer.
MAX_NAMES_LED = 4


def lead_span(sentence: str, sentence_language: str, analysis: QuestionAnalysis,
              question: str, language: str, published: str | None,
              context: str = "", aligner: WordAligner | None = None) -> str | None:
    """The answer span, in `language`, or None when the sentence holds no
    unambiguous one: several figures or dates that stand equally near the
    question's words are no claim (`context`: the passage around the
    sentence; `aligner` meets the question's words with the sentence's words
    that translate or paraphrase them)."""
    match analysis.answer_type:
        case AnswerType.QUANTITY:
            if analysis.measure is Measure.STREAK:  # "the third consecutive year": the quote says it
                return None
            # a figure the question names (its digits) is not the answer
            found = [q for q in quantities(sentence, sentence_language)
                     if quantity_fits(q, analysis.measure, sentence, sentence_language)
                     and not shares_a_name(re.sub(r"[^\d]", " ", q.text), question)]
            tied = nearest(sentence, [(q.end - len(q.text), q.end) for q in found],
                           question, language, sentence_language, context, aligner)
            if len({found[i].value for i in tied}) != 1:  # none, or several figures: no claim
                return None
            return render_count(found[tied[0]], sentence, sentence_language, question, language)
        case AnswerType.DATE:
            return _date_span(sentence, question, language, published, context,
                              sentence_language, aligner)
        case AnswerType.PERSON:
            if not analysis.offices and asks_who_someone_is(question, language):
                return None  # the quote gives their role; another name is no answer
            runs = person_names(sentence, context, sure=True)
            best = holder(sentence, sentence_language, runs, analysis.offices)
            if best is not None and not shares_a_name(runs[best], question):
                return runs[best]
            # the name nearest the question's words; all of them when the sentence gives
            # them together for the role asked ("A, B and C chaired the conference")
            runs = [run for run in runs if not shares_a_name(run, question)]
            spans = [_span_of(sentence, run) for run in runs]
            if 1 < len(runs) <= MAX_NAMES_LED and _listed_apart(sentence, spans, question, language,
                                                                sentence_language):
                return render_names(runs, language)
            tied = nearest(sentence, spans, question, language, sentence_language, context, aligner)
            return runs[tied[0]] if len(tied) == 1 else None
    return None


def _listed_apart(sentence: str, spans: list[tuple[int, int]], question: str, language: str,
                  sentence_language: str) -> bool:
    """The names are items of one list, the role asked said of the whole list:
    each between two semicolons ("Comrades: A - …; B - …; C - … chaired the
    conference"), or (in the question's language) together on one side of
    every word the sentence shares with the question."""
    ordered = sorted(spans)
    if all(";" in sentence[end:start] for (_, end), (start, _) in zip(ordered, ordered[1:], strict=False)):
        return True
    if language != sentence_language:
        return False
    asked = set(analyze(question, language)) - function_words(language)
    shared = [m.start() for m in re.finditer(r"\w+", sentence)
              if (analyze(m.group(0), language) or [""])[0] in asked
              and not any(start <= m.start() < end for start, end in spans)]
    if not shared:
        return False
    return max(end for _, end in spans) <= min(shared) or min(start for start, _ in spans) >= max(shared)


def _span_of(sentence: str, text: str) -> tuple[int, int]:
    at = sentence.find(text)
    return at, at + len(text)


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
    tied = nearest(sentence, [(d.start, d.end) for d in found], question, language,
                   sentence_language, context, aligner)
    if len({found[i].parts for i in tied}) != 1:  # none, or several dates: no claim
        return None
    return render_named_date(found[tied[0]], language, published, part == "year")


def warm_up() -> None:
    """Compile the date patterns (babel's month names) and load the function
    words before the first question that needs them."""
    named_dates("31 October 2025")
    for language in supported():
        function_words(language)


__all__ = ["lead_span", "person_names", "render_count", "render_date", "render_named_date",
           "render_quantity", "warm_up"]
