"""What a question asks for: its expected answer type (and for a figure, its
kind: money, a share, a duration, a count), the years and offices it names.

The wh-words of each language are few and closed, so a small table in its
language pack (rag/lang/vi.py, en.py, ru.py) is the whole classifier; numbers,
dates and month names are read in rag.answer.spans and rag.lang.dates."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum

from rag.lang.basics import years_in
from rag.lang.countries import asks_country, countries_named
from rag.lang.kinds import AnswerType, Measure
from rag.lang.pack import LanguagePack
from rag.lang.registry import pack
from rag.query.events import asked_events
from rag.query.offices import Office, asked_offices
from rag.query.statements import asked_speakers


def asked_measure(question: str, language: str) -> Measure | None:
    """The kind of figure a quantity question asks for (the first row of the
    pack's `measures` that matches), or None."""
    return next((m for m, p in _compiled(pack(language), "measures") if p.search(question)), None)


@functools.cache
def _compiled(lang: LanguagePack, table: str) -> list[tuple[StrEnum, re.Pattern]]:
    """A table of (kind, pattern) rows of the language pack, compiled."""
    return [(kind, re.compile(p, re.IGNORECASE)) for kind, p in getattr(lang, table)]


@dataclass
class QuestionAnalysis:
    answer_type: AnswerType
    years: set[int] = field(default_factory=set)
    offices: list[Office] = field(default_factory=list)  # "who is the chairman …"
    measure: Measure | None = None  # the kind of figure a quantity question asks for
    speakers: list[str] = field(default_factory=list)  # "what did <name> say …"
    events: list[tuple[int, str]] = field(default_factory=list)  # "the 14th Congress": (14, …)
    # "which countries …": the countries the question names itself (None: it asks no country)
    countries: set[str] | None = None
    date_part: str | None = None  # "day" / "year" when a date question asks for one

    @property
    def needs_span(self) -> bool:
        """Types whose answer the evidence must visibly hold: a number, a date.
        ("Who" is often answered by a body or a group, not a name.)"""
        return self.answer_type in (AnswerType.QUANTITY, AnswerType.DATE)

    @property
    def has_lead(self) -> bool:
        """Types whose answer span an offline answer starts with."""
        return self.answer_type in (AnswerType.QUANTITY, AnswerType.DATE, AnswerType.PERSON)


def answer_type(question: str, language: str) -> AnswerType:
    """The expected answer type, from the question's wh-words (the pack's
    `answer_types`). English and Russian put the asking word first, so the
    earliest one decides ("What was the tribe ... when he was 16?" is not a
    date question); Vietnamese often ends with it, so the table order does
    (`asking_word_last`)."""
    text = question.strip()
    lang = pack(language)
    found = [(m.start(), order, kind)
             for order, (kind, pattern) in enumerate(_compiled(lang, "answer_types"))
             if (m := pattern.search(text))]
    if not found:
        return AnswerType.OTHER
    if lang.asking_word_last:
        return min(found, key=lambda f: f[1])[2]
    return min(found)[2]


def analyze_question(question: str, language: str) -> QuestionAnalysis:
    kind = answer_type(question, language)
    offices = asked_offices(question, language) if kind is AnswerType.PERSON else []
    measure = asked_measure(question, language) if kind is AnswerType.QUANTITY else None
    countries = countries_named(question, language) if asks_country(question, language) else None
    date_part = asked_date_part(question, language) if kind is AnswerType.DATE else None
    return QuestionAnalysis(kind, years_in(question), offices, measure,
                            asked_speakers(question, language), asked_events(question), countries,
                            date_part)


def asked_date_part(question: str, language: str) -> str | None:
    """"year" or "day" when a date question asks for one, else None."""
    for part, pattern in pack(language).date_parts:
        if re.search(pattern, question, re.IGNORECASE):
            return part
    return None


def asks_who_someone_is(question: str, language: str) -> bool:
    """"Who is Nguyen Thi Hong Hoa?", "Ai là Nguyễn Thị Hồng Hoa?", "Кто такой
    Нгуен Донг Чунг?": a name of two or more capitalised words and nothing else;
    the answer is their role, not another person's name."""
    text = question.strip().rstrip("?？ ").strip()
    match = re.match(pack(language).asks_identity, text, re.IGNORECASE)
    if match is None:
        return False
    words = match.group("name").split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)

