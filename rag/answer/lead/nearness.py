"""Which of a sentence's spans the question asks about: the one whose
neighbouring words match the question's best (rarer words count more; across
languages, by Latin skeleton and by the word aligner)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.answer.alignment import WordAligner, word_units
from rag.lang.basics import YEAR_PATTERN
from rag.lang.text import analyze, fold_diacritics, function_words
from rag.lang.vocabulary import latin_skeleton

_WINDOW = 8  # words either side of a span that count as its context


def closest(sentence: str, spans: list[tuple[int, int]], question: str, language: str,
            sentence_language: str, context: str = "",
            aligner: WordAligner | None = None) -> int | None:
    """The span (start, end) that answers: the one whose neighbouring words
    match the question's best (`nearness`). When the words written alike
    leave a tie (across languages, or a paraphrase: "states" for "countries"),
    the words the aligner pairs decide. The earliest wins a tie; None when
    there is no span."""
    tied = nearest(sentence, spans, question, language, sentence_language, context, aligner)
    return tied[0] if tied else None


def nearest(sentence: str, spans: list[tuple[int, int]], question: str, language: str,
            sentence_language: str, context: str = "",
            aligner: WordAligner | None = None) -> list[int]:
    """The spans that tie for nearest the question's words (`closest`), in order."""
    if len(spans) <= 1:
        return list(range(len(spans)))
    scores = nearness(sentence, spans, question, language, sentence_language, context)
    if aligner is not None and scores.count(max(scores)) > 1:
        aligned = aligner.align(word_units(YEAR_PATTERN.sub(" ", question), language),
                                word_units(sentence, sentence_language))
        scores = nearness(sentence, spans, question, language, sentence_language, context,
                          aligned)
    return [i for i, score in enumerate(scores) if score == max(scores)]


def nearness(sentence: str, spans: list[tuple[int, int]], question: str, language: str,
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
               key(m.group(0))) for m in _TOKENS.finditer(_glosses_open(sentence))]
    weight = _rarity(asked, context or sentence, key)
    if aligned:
        tokens = _relabelled(_glosses_open(sentence), tokens, aligned)  # the same tokens
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


_GLOSS = re.compile(r"\(([^()]{1,24})\)")


def _glosses_open(sentence: str) -> str:
    """Short parentheses ("(FDI)", "(ha)") opened, offsets kept: a gloss does
    not end its clause the way a longer parenthesis does."""
    return _GLOSS.sub(lambda m: f" {m.group(1)} ", sentence)


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


