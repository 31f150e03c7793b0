"""The paraphrase rule of the project's eval questions, checked mechanically: a
paraphrase question shares no content word with the article sentence(s) that hold
its answer (its `evidence` field, quoted verbatim from the gold sources).

Words are compared after case folding and stemming (Snowball: English for ASCII
words, Russian for Cyrillic; Vietnamese syllables as they are), without the small
function-word lists below. Numbers are content words."""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
FUNCTION_WORDS = {
    # English
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "by", "from", "and", "or",
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did", "will",
    "how", "what", "which", "who", "whom", "when", "where", "why", "much", "many", "it", "its",
    "this", "that", "these", "those", "there", "their", "as", "about", "s", "so", "into", "up",
    # Russian
    "в", "во", "на", "с", "со", "о", "об", "по", "к", "ко", "у", "из", "за", "для", "и", "а",
    "но", "или", "ли", "как", "какой", "какая", "какое", "какие", "каков", "какова", "каковы",
    "сколько", "кто", "что", "когда", "где", "чем", "это", "был", "была", "было", "были",
    "его", "её", "их", "от", "до", "при", "же", "не",
    # Vietnamese (function syllables)
    "của", "các", "những", "là", "có", "được", "cho", "này", "đó", "và", "với", "trong", "về",
    "ở", "tại", "bao", "nhiêu", "gì", "nào", "ai", "khi", "đâu", "mấy", "đã", "sẽ", "đang",
    "thì", "mà", "một", "theo", "như", "từ", "khoảng", "trên",
}


@functools.lru_cache(maxsize=2)
def _stemmer(algorithm: str):
    import Stemmer

    return Stemmer.Stemmer(algorithm)


def _stem(word: str) -> str:
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return _stemmer("russian").stemWord(word)
    if word.isascii():
        return _stemmer("english").stemWord(word)
    return word  # a Vietnamese syllable


def content_words(text: str) -> set[str]:
    """Stems of the content words of `text`."""
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return {_stem(w) for w in _WORD.findall(text) if w not in FUNCTION_WORDS}


def shared_content_words(question: str, evidence: list[str]) -> set[str]:
    """Content words the question shares with any of the evidence sentences."""
    words = content_words(question)
    return set().union(*(words & content_words(e) for e in evidence)) if evidence else set()
