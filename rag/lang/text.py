"""Language-neutral text utilities: token counting (tiktoken), sentence splitting
that works for Vietnamese, Russian and English, and lexical analysis for BM25."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable

from rag.lang.basics import starts_cyrillic
from rag.lang.registry import pack, packs, supported

FALLBACK_ENCODING = "cl100k_base"

_WORD = re.compile(r"\w+", re.UNICODE)


def _bundled_tiktoken_dir() -> str:
    import llama_index.core

    return os.path.join(os.path.dirname(llama_index.core.__file__), "_static", "tiktoken_cache")


@functools.lru_cache(maxsize=8)
def get_encoding(model: str | None = None):
    """The tiktoken encoding for `model`, else the cl100k_base bundled with llama-index.

    tiktoken downloads encodings on first use; pointing TIKTOKEN_CACHE_DIR at the copy
    llama-index ships keeps this offline."""
    import tiktoken

    os.environ.setdefault("TIKTOKEN_CACHE_DIR", _bundled_tiktoken_dir())
    if model:
        try:
            return tiktoken.encoding_for_model(model)
        except Exception:  # unknown model, or its encoding is not cached offline
            pass
    return tiktoken.get_encoding(FALLBACK_ENCODING)


def token_counter(model: str | None = None) -> Callable[[str], list[int]]:
    """A tokenizer function (text -> token ids) for llama-index splitters."""
    encoding = get_encoding(model)
    return functools.partial(encoding.encode, disallowed_special=())


def count_tokens(text: str, model: str | None = None) -> int:
    return len(get_encoding(model).encode(text, disallowed_special=()))


# sentencex knows the common abbreviations of each language ("Mr.", "No.", "г.",
# "ул.") but not Vietnamese ones ("TP.", "GS.", "TS."): a piece that is only
# such a short capitalised abbreviation is joined to the sentence it opens.
_ABBREVIATION_PIECE = re.compile(r"(?:^|\s)[A-ZĐ][A-Za-zĐđ]{0,2}\.$")


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Split text into sentences with sentencex (the rules of `language`; English
    rules when it has no pack); newlines always end a sentence."""
    import sentencex

    code = pack(language).code
    sentences: list[str] = []
    for line in text.splitlines():
        merged: list[str] = []
        for piece in (p.strip() for p in sentencex.segment(code, line)):
            if not piece:
                continue
            if merged and _ABBREVIATION_PIECE.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        sentences.extend(merged)
    return sentences


def splitter_sentences(text: str, language: str | None = None) -> list[str]:
    """Sentence tokenizer for llama-index's SentenceSplitter: the same sentences
    as `split_sentences`, each piece keeping its trailing whitespace (the
    splitter re-joins the pieces verbatim)."""
    import sentencex

    code = pack(language).code
    pieces: list[str] = []
    for piece in sentencex.segment(code, text):
        if pieces and _ABBREVIATION_PIECE.search(pieces[-1].rstrip()) and "\n" not in pieces[-1]:
            pieces[-1] += piece
        elif piece:
            pieces.append(piece)
    return pieces


@functools.cache
def _latin_fold_table() -> dict[int, str]:
    """Every precomposed Latin letter with diacritics -> its base letter."""
    table = {}
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if "a" <= base.lower() <= "z" and base != chr(code):
            table[code] = base.lower()
    return table


def fold_diacritics(text: str) -> str:
    """'Nguyễn Đồng' -> 'nguyen dong': lets Vietnamese and English spellings of
    the same name meet in BM25. Cyrillic is left as is (й keeps its breve)."""
    composed = unicodedata.normalize("NFC", text)  # text may come decomposed
    return composed.lower().replace("đ", "d").translate(_latin_fold_table())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.lru_cache(maxsize=8)
def _stemmer(algorithm: str | None):
    import Stemmer

    return Stemmer.Stemmer(algorithm) if algorithm else None


def _stemmers(language: str):
    """The stemmer of Cyrillic words (in any document: the Cyrillic pack's), and
    of Latin words in a document of `language` (its pack's, if Latin-script)."""
    cyrillic = next((p.stemmer for p in packs() if p.script == "cyrillic"), None)
    own = pack(language) if language in supported() else None
    return _stemmer(cyrillic), _stemmer(own.stemmer if own and own.script == "latin" else None)


def analyze(text: str, language: str) -> list[str]:
    """BM25 analyzer: fold case and Latin diacritics, then stem (the packs' stemmers).

    Vietnamese is not stemmed: its words are syllables and English stemming would
    mangle them. Russian words in any document get the Russian stemmer and Latin
    words that of their document's language, so a mixed-script query still matches."""
    tokens = [t for t in words(fold_diacritics(text)) if len(t) > 1 or t.isdigit()]
    out = []
    cyrillic, latin = _stemmers(language)
    for token in tokens:
        if cyrillic and starts_cyrillic(token):
            out.append(cyrillic.stemWord(token))
        elif latin and token.isascii():
            out.append(latin.stemWord(token))
        else:
            out.append(token)
    return out


def vocabulary_words(text: str) -> str:
    """A text's distinct folded words, space-separated: what `Vocabulary` keeps
    of it (stored per document at ingest, so no query-time process reads every
    chunk)."""
    return " ".join(sorted(set(re.findall(r"\w+", fold_diacritics(text)))))


def function_words(language: str, folded: bool = True) -> frozenset[str]:
    """The language's function words ("the", "со", "của"), folded as `analyze`
    folds them (`folded`), else as written: its pack's own list and NLTK's
    list (which llama-index bundles)."""
    return _function_words(pack(language), folded)


@functools.cache
def _function_words(lang, folded: bool) -> frozenset[str]:
    words = set(lang.function_words)
    if lang.stopwords:
        from llama_index.core.utils import globals_helper
        from nltk.corpus import stopwords

        globals_helper.stopwords  # noqa: B018 - puts llama-index's bundled NLTK data on nltk's path
        words.update(stopwords.words(lang.stopwords))
    return frozenset(fold_diacritics(w) if folded else w for w in words)
