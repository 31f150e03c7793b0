"""What the question asks about, and how much of it a sentence states.

A lead is a claim: the bold figure, date or name is shown only when the
sentence it comes from states the thing asked, not just a value of the asked
type ("kiều hối" asked: the FDI sentence does not say it). The asked thing is
the question's content words and names, less its question words and years,
each weighted by how rare it is in the corpus (inverse document frequency:
"training" tells which conference is meant, "conference" does not). A
sentence states a word when it holds it (by stem, in the question's
language), its translation (the word aligner's mutual nearest neighbours,
across languages), or a name written alike (Latin skeleton)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rag.answer.alignment import WordAligner
from rag.infra.index import CorpusSnapshot
from rag.infra.store import iter_pages
from rag.lang.text import analyze, fold_diacritics, function_words, vietnamese_words
from rag.lang.vocabulary import latin_skeleton, question_names
from rag.query.analysis import ASKING_WORDS, YEAR_PATTERN

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SKELETON = 5  # Latin skeleton letters two words across languages must share
_NAME_SKELETON = 4  # … and the words of a name


@dataclass(frozen=True)
class AskedThing:
    words: tuple[str, ...]  # content units of the question (Vietnamese: syllable pairs too)
    names: tuple[tuple[str, ...], ...]  # the question's names, word by word
    weights: dict[str, float]  # word or " ".join(name) -> weight
    language: str

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def asked_thing(question: str, language: str, snapshot: CorpusSnapshot | None) -> AskedThing:
    """The question's content words and names, weighted by rarity in the corpus."""
    asking = ASKING_WORDS.get(language, ASKING_WORDS["en"])
    names = tuple(tuple(run) for run in question_names(question))
    name_words = {fold_diacritics(w) for run in names for w in run}
    words = tuple(u for u in _content_words(YEAR_PATTERN.sub(" ", question), language)
                  if not all(w in asking or fold_diacritics(w) in name_words for w in u.split()))
    frequency = document_frequencies(snapshot) if snapshot is not None else None
    weights = {u: _idf(u, frequency) for u in words}
    weights.update({" ".join(run): _idf(" ".join(run), frequency) for run in names})
    return AskedThing(words, names, weights, language)


def _content_words(text: str, language: str) -> list[str]:
    """The content words of a text, lower case (capitalised ones too: titles
    write "Director", "Department"); Vietnamese words are segmented (one or
    more syllables: "tổng kết", "đối ngoại"), not every syllable pair."""
    words = vietnamese_words(text) if language == "vi" else _WORD.findall(text)
    stop = function_words(language)
    return list(dict.fromkeys(w.lower() for w in words if _WORD.match(w) and len(w) > 1
                              and fold_diacritics(w) not in stop))


def _cognate(word: str) -> str:
    """A word's Latin skeleton with the spellings cognates differ by made alike
    ("директор" / "director", "конференция" / "conference")."""
    skeleton = latin_skeleton(word).replace("ks", "x").replace("ph", "f").replace("c", "k")
    return skeleton.replace("w", "v").replace("y", "i")[:_SKELETON]


def stated_shares(asked: AskedThing, texts: list[tuple[str, str]],
                  aligner: WordAligner | None, margin: float = 0.0) -> list[float]:
    """For each (text, language), the weighted share of the asked thing it
    states (1: all of it; 1 too when the question names nothing beyond its
    question words). A word is stated by a text that holds it (by stem, or a
    cognate across scripts), or by the text whose word it aligns with: the
    texts compete for each question word, so "kiều hối" is stated by the
    sentence about remittances, not by one that merely says "foreign"."""
    if not asked.total:
        return [1.0] * len(texts)
    stated = [_held_words(asked, text, language) for text, language in texts]
    for i, (text, _) in enumerate(texts):
        stated[i] |= {" ".join(run) for run in asked.names if _names(run, text)}
    if aligner is not None and asked.words:  # translations and paraphrases ("nations" / "countries")
        units = [[(i, u) for u in _content_words(text, language)]
                 for i, (text, language) in enumerate(texts)]
        flat = [pair for group in units for pair in group]
        aligned = aligner.align(list(asked.words), [f"{u}" for _, u in flat], margin)
        owner = {u: i for i, u in reversed(flat)}  # a word the texts share counts for the first
        for unit, word in aligned.items():
            stated[owner[unit]].add(word)
    return [sum(asked.weights[w] for w in words) / asked.total for words in stated]


def _held_words(asked: AskedThing, text: str, language: str) -> set[str]:
    """The asked words a text holds itself: by stem in the question's language,
    by cognate across scripts ("директор" / "director")."""
    if language == asked.language:
        held = set(analyze(text, language))
        return {u for u in asked.words
                if all((analyze(p, asked.language) or [fold_diacritics(p)])[0] in held
                       for p in u.split())}
    skeletons = {_cognate(w) for w in re.findall(r"\w+", text) if len(latin_skeleton(w)) >= _SKELETON}
    return {u for u in asked.words if len(latin_skeleton(u)) >= _SKELETON and _cognate(u) in skeletons}


def _names(run: tuple[str, ...], sentence: str) -> bool:
    """A name is stated when one of its words is written alike (any script)."""
    skeletons = {latin_skeleton(w)[:_NAME_SKELETON] for w in re.findall(r"\w+", sentence)
                 if len(latin_skeleton(w)) >= 3}
    return any(latin_skeleton(w)[:_NAME_SKELETON] in skeletons for w in run)


def _idf(unit: str, frequency: tuple[int, Counter] | None) -> float:
    """log((N + 1) / (df + 1)) of the rarest word of the unit (a word in every
    article, such as its subject, weighs nothing); 1 without counts."""
    if frequency is None:
        return 1.0
    documents, df = frequency
    return max(math.log((documents + 1) / (df.get(fold_diacritics(w), 0) + 1))
               for w in unit.split())


def document_frequencies(snapshot: CorpusSnapshot) -> tuple[int, Counter] | None:
    """(documents, folded word -> documents holding it), counted once per index
    generation from the vocabularies stored with the manifest."""
    if snapshot.cols is None:
        return None

    def count() -> tuple[int, Counter]:
        df: Counter = Counter()
        live = set(snapshot.docs)
        for page in iter_pages(snapshot.cols["documents"], include=["documents"]):
            for doc_id, text in zip(page["ids"], page["documents"], strict=True):
                if doc_id in live:
                    df.update(set((text or "").split()))
        return len(live), df

    return snapshot.cached("document_frequencies", count)
