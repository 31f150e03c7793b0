"""Lexical evidence for the hybrid retriever: how clearly the question's own
words single out one document (docs/retrieval.md).

Two kinds, each read from BM25 (`LanguageBM25Retriever`, llama-index's
BM25Retriever over bm25s with our analyzer):

- **same language**: every word of the question, in documents of the
  question's language. A question that uses an article's own wording of a body
  or an office ("Phó trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy") matches that
  article far better than any other in its language.
- **exact terms**: the words written the same in every language
  (`exact_terms`: figures, document numbers such as 57-KL/TW, acronyms, Latin
  names in a Cyrillic question), in documents of every language.

- **phrases**: a run of PHRASE_WORDS words of the question (two of them content
  words) written as is in a retrieved passage of the document, in any language.

A document's BM25 evidence is its share of a softmax over the documents BM25 found,
with a null competitor: BM25 scores are first divided by what the question
could score at best (each of its terms at its strongest anywhere in the index),
so 1 means "holds every term as strongly as any passage does", whatever the
corpus size. One document far ahead of the rest gets a share near 1; several
alike, or one weak match against the null, get little."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rag.lang.basics import has_cyrillic
from rag.lang.text import fold_diacritics, function_words

# A word with its inner joiners: "57-KL/TW", "COVID-19", "1.75".
_TERM = re.compile(r"\w(?:[\w/.\-]*\w)?")
_WORD = re.compile(r"\w+")
# Words in a run that counts as a phrase (set before measuring, not tuned).
PHRASE_WORDS = 4


@dataclass(frozen=True)
class LexicalWeights:
    """How much lexical evidence counts against the calibrated similarity."""

    same_language: float  # added to a document's passages at share 1 (same language)
    exact: float  # added at share 1 (exact terms, any language)
    temperature: float  # of the softmax over normalised BM25 scores
    null: float  # normalised score of the null competitor
    phrase: float = 0.0  # added when a retrieved passage repeats a phrase of the question

    @property
    def active(self) -> bool:
        return self.same_language > 0 or self.exact > 0 or self.phrase > 0


def exact_terms(question: str) -> list[str]:
    """The question's words that every language writes alike: with a digit
    ("2023", "57-KL/TW"), all capitals ("FDI", "KOLs": two capitals or more,
    no lower-case letter before the second), or Latin words in a question
    written in Cyrillic (names it did not transliterate)."""
    cyrillic = has_cyrillic(question)
    terms = []
    for match in _TERM.finditer(question):
        word = match.group(0)
        if any(ch.isdigit() for ch in word):
            terms.append(word)
        elif word.isascii() and (_acronym(word) or cyrillic):
            terms.append(word)
    return terms


def _acronym(word: str) -> bool:
    capitals = [i for i, ch in enumerate(word) if ch.isupper()]
    return len(capitals) >= 2 and capitals[1] == 1


def document_shares(ranked: Iterable[tuple[str, str, float]], attainable: float,
                    weights: LexicalWeights) -> dict[str, float]:
    """doc_id -> its share of the lexical evidence, from BM25's (chunk id,
    document id, score) (see the module docstring)."""
    best: dict[str, float] = {}
    for _, doc_id, score in ranked:
        if doc_id and score > 0:
            best[doc_id] = max(best.get(doc_id, 0.0), score / attainable)
    if not best:
        return {}
    logits = {doc_id: score / weights.temperature for doc_id, score in best.items()}
    top = max(*logits.values(), weights.null / weights.temperature)
    exp = {doc_id: math.exp(logit - top) for doc_id, logit in logits.items()}
    total = sum(exp.values()) + math.exp(weights.null / weights.temperature - top)
    return {doc_id: value / total for doc_id, value in exp.items()}


def question_phrases(question: str, language: str) -> set[tuple[str, ...]]:
    """The question's runs of PHRASE_WORDS words (folded) holding at least two
    content words: "phó trưởng ban tuyên", not "là ai trong số"."""
    stop = {fold_diacritics(w) for w in function_words(language)}
    words = _WORD.findall(fold_diacritics(question))
    runs = (tuple(words[i:i + PHRASE_WORDS]) for i in range(len(words) - PHRASE_WORDS + 1))
    return {run for run in runs if sum(w not in stop for w in run) >= 2}


def repeats_a_phrase(phrases: set[tuple[str, ...]], texts: Iterable[str]) -> bool:
    """Whether any of `texts` writes one of `phrases` word for word."""
    return bool(phrases) and any(not phrases.isdisjoint(_runs(text)) for text in texts)


@functools.lru_cache(maxsize=4096)
def _runs(text: str) -> frozenset[tuple[str, ...]]:
    """A passage's runs of PHRASE_WORDS folded words (the same passages come
    back question after question)."""
    words = _WORD.findall(fold_diacritics(text))
    return frozenset(tuple(words[i:i + PHRASE_WORDS]) for i in range(len(words) - PHRASE_WORDS + 1))
