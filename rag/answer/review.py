"""Whether a model answer may be shown: written in the answer language, and
every claim sentence carrying a [n] marker that points to a given source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.answer.citations import MARKER, normalize_markers, strip_markers
from rag.lang.basics import CYRILLIC, VIETNAMESE_LETTER
from rag.lang.prompts import NO_ANSWER_TOKEN
from rag.lang.registry import packs
from rag.query.language import detect_language

# A sentence of fewer words than this ("Yes.", "In 2024.") is not a claim on its own.
MIN_CLAIM_WORDS = 3
# Share of the lower-case words with Vietnamese letters above which text is Vietnamese
# (Vietnamese prose: about 0.6; English quoting one Vietnamese phrase: well under 0.2).
VIETNAMESE_SHARE = 0.25

_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’»)]))\s+|\n+")
_LEADING_MARKERS = re.compile(r"^\s*((?:\[\d+\]\s*)+)")
_WORD = re.compile(r"\w+")
_LETTER_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Review:
    no_answer: bool = False
    language_ok: bool = True
    uncited: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.language_ok and not self.uncited

    @property
    def failure(self) -> str:
        """The notice code for why the answer cannot be shown."""
        return "llm_wrong_language" if not self.language_ok else "llm_uncited"


def review(text: str, language: str, sources: int) -> Review:
    if is_no_answer(text):
        return Review(no_answer=True)
    return Review(language_ok=written_in(text, language),
                  uncited=uncited_claims(text, set(range(1, sources + 1))))


def is_no_answer(text: str) -> bool:
    return text.strip().strip(".").upper().startswith(NO_ANSWER_TOKEN)


def written_in(text: str, language: str) -> bool:
    """True unless the answer is clearly in another language than `language`.

    Names and acronyms (capitalised words) say nothing about the language of the
    sentence around them ("Hoàng Nghĩa Hiếu chairs..." is English), so only the
    other words are judged; too few of them and the answer passes."""
    words = [w for w in _LETTER_WORD.findall(strip_markers(text)) if not w[:1].isupper()]
    if len(words) < MIN_CLAIM_WORDS:
        return True
    cyrillic = sum(bool(CYRILLIC.search(w)) for w in words) / len(words)
    vietnamese = sum(bool(VIETNAMESE_LETTER.search(w)) for w in words) / len(words)
    if language == "ru":
        return cyrillic >= 0.5
    if cyrillic >= 0.5:
        return False
    if language == "vi":
        return vietnamese >= VIETNAMESE_SHARE
    if vietnamese >= VIETNAMESE_SHARE:
        return False
    latin = [w for w in words if w.isascii()]  # a quoted Vietnamese phrase is not the language
    return len(latin) < MIN_CLAIM_WORDS or detect_language(" ".join(latin),
                                                           default=language) == language


def claim_sentences(text: str) -> list[str]:
    """The sentences of an answer, each with the markers that follow it
    ("… 195 countries. [1]" keeps [1] with its sentence)."""
    pieces = [p for p in _SENTENCE_END.split(normalize_markers(text)) if p and p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        leading = _LEADING_MARKERS.match(piece)
        if leading and sentences:
            sentences[-1] += " " + leading.group(1).strip()
            piece = piece[leading.end():]
        if not piece.strip():
            continue
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] += " " + piece.strip()
        else:
            sentences.append(piece.strip())
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    if MARKER.search(sentence[-8:]) or not sentence.endswith("."):
        return False
    last = sentence[:-1].rsplit(None, 1)[-1].lower() if sentence[:-1].strip() else ""
    return any(last in p.dot_abbreviations for p in packs()) or (len(last) == 1 and last.isalpha())


def uncited_claims(text: str, valid: set[int]) -> list[str]:
    """Claim sentences without a marker to a given source. If no sentence cites
    a given source, every sentence counts as uncited."""
    sentences = claim_sentences(text)
    cited = [s for s in sentences if any(int(n) in valid for n in MARKER.findall(s))]
    if not cited:
        return sentences or [text]
    return [s for s in sentences if s not in cited and _is_claim(s)]


def _is_claim(sentence: str) -> bool:
    bare = strip_markers(sentence).strip()
    return len(_WORD.findall(bare)) >= MIN_CLAIM_WORDS and not bare.endswith(":")
