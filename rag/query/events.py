"""Numbered events ("the 14th Party Congress", "Đại hội XIV", "XIV съезд")
that the articles speak of only as upcoming ("preparing for the 14th …"):
they cannot tell what the event decided, or when it opened. News is written
before the events it announces; a question asked later reaches past it.

Ordinals are compared by value across scripts and languages: "14th", "thứ
14", "14-й" and the Roman "XIV" are one."""

from __future__ import annotations

import functools
import re

from rag.lang.pack import LanguagePack
from rag.lang.registry import pack, packs
from rag.lang.text import split_sentences

# Ordinals as each language writes them (the packs' `ordinals`: "14th", "thứ 14",
# "14-й"), and in Roman numerals in any.
_ROMAN_ORDINAL = r"\b([IVXLC]{2,7})\b"
_BEFORE = 6  # words between the upcoming-word and the ordinal
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(text: str) -> int | None:
    values = [_ROMAN[c] for c in text]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                for i, v in enumerate(values))
    return total if total > 1 else None


@functools.cache
def _patterns(every: tuple[LanguagePack, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in (*(o for lang in every for o in lang.ordinals), _ROMAN_ORDINAL))


@functools.cache
def _upcoming(lang: LanguagePack) -> re.Pattern:
    """Said right before the event (the pack's `upcoming_words`): "preparing for
    the 14th", "tiến tới Đại hội XIV", "в преддверии XIV съезда"."""
    return re.compile(rf"(?<!\w)(?:{lang.upcoming_words})(?!\w)", re.IGNORECASE)


def ordinals(text: str) -> list[tuple[int, re.Match]]:
    """(value, match) of each ordinal in the text."""
    found = []
    for pattern in _patterns(packs()):
        for m in pattern.finditer(text):
            value = _roman(m.group(1)) if m.group(1).isalpha() else int(m.group(1))
            if value:
                found.append((value, m))
    return found


def asked_events(question: str) -> list[tuple[int, str]]:
    """The numbered events a question names: (number, as the question writes it)."""
    return [(value, _event_words(question, match)) for value, match in ordinals(question)]


def only_upcoming(events: list[tuple[int, str]], texts: list[tuple[str, str]]) -> str | None:
    """The first event (as the question writes it) that every sentence of the
    (text, language) pairs naming its number speaks of as upcoming, with at
    least one such sentence; None otherwise."""
    for value, words in events:
        mentions = [(sentence, language) for text, language in texts
                    for sentence in split_sentences(text)
                    if any(v == value for v, _ in ordinals(sentence))]
        if mentions and all(_announced(sentence, language, value) for sentence, language in mentions):
            return words
    return None


def _announced(sentence: str, language: str, value: int) -> bool:
    """An upcoming-word a few words before the ordinal with this value."""
    for v, match in ordinals(sentence):
        before = " ".join(sentence[:match.start()].split()[-_BEFORE:])
        if v == value and _upcoming(pack(language)).search(before):
            return True
    return False


def _event_words(question: str, match: re.Match) -> str:
    """The ordinal with the capitalised words around it ("14th National Party
    Congress", "Đại hội XIV")."""
    before = question[:match.start()].split()
    after = question[match.end():].split()
    words = [match.group(0)]
    while before and before[-1][:1].isupper() and len(words) < 4:
        words.insert(0, before.pop())
    for word in after:
        if not word[:1].isupper() or len(words) >= 5:
            break
        words.append(word.rstrip("?,.;:"))
    return " ".join(words)
