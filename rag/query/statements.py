""""What did X say …": the answer is X's own words, so the articles must have X
speak (say, note, stress, propose …), not only attend. An article that names
X among the guests and quotes others does not answer it.

A question that names nobody ("what did the minister say") is not judged:
titles are too loosely translated to match across languages."""

from __future__ import annotations

import functools
import re

from rag.lang.pack import LanguagePack
from rag.lang.registry import pack
from rag.lang.text import split_sentences
from rag.lang.vocabulary import names_person, question_names


# The pack's `asks_speaker` finds the part of the question that names the
# speaker (group `who`: "What did X say about Y" asks about X); its
# `speech_verbs` are verbs of speech, and "according to X" / "theo X" / "по словам X".
@functools.cache
def _asks(lang: LanguagePack) -> re.Pattern:
    return re.compile(lang.asks_speaker, re.IGNORECASE)


@functools.cache
def _speaks(lang: LanguagePack) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{lang.speech_verbs})(?!\w)", re.IGNORECASE)


def asked_speakers(question: str, language: str) -> list[str]:
    """The names of the people a "what did X say" question asks about ([] when
    it asks something else, or names nobody)."""
    asked = _asks(pack(language)).search(question.strip())
    if asked is None:
        return []
    who = asked.group("who")
    return [name for run in question_names(question) if (name := " ".join(run)) in who]


def speaks(speaker: str, texts: list[tuple[str, str]]) -> bool:
    """Whether any sentence of the (text, language) pairs names the speaker, in
    any script, beside a verb of speech."""
    for text, language in texts:
        verbs = _speaks(pack(language))
        for sentence in split_sentences(text):
            if verbs.search(sentence) and names_person(sentence, speaker):
                return True
    return False
