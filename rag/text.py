"""Language-neutral text utilities: token counting (tiktoken), sentence splitting
that works for Vietnamese, Russian and English, and lexical analysis for BM25."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable

FALLBACK_ENCODING = "cl100k_base"

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets)
# and white space, when the next character starts a new sentence: an upper-case
# letter of any script, a digit, or an opening quote/bracket before one of those.
# Punkt is English-only; this rule is not.
_SENTENCE_END_CANDIDATE = re.compile(r"[.!?…][\"'”’»)\]]*\s+", re.UNICODE)
_OPENERS = "\"'“‘«(["


def _starts_sentence(text: str, i: int) -> bool:
    if i < len(text) and text[i] in _OPENERS:
        i += 1
    return i < len(text) and (text[i].isupper() or text[i].isdigit())


def _sentence_ends(text: str):
    """End offsets (after the white space) of each sentence boundary in `text`."""
    for match in _SENTENCE_END_CANDIDATE.finditer(text):
        if _starts_sentence(text, match.end()):
            yield match.end()


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


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; newlines always end a sentence."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = 0
        for end in _sentence_ends(line):
            sentences.append(line[start:end].strip())
            start = end
        if line[start:].strip():
            sentences.append(line[start:].strip())
    return sentences


def splitter_sentences(text: str) -> list[str]:
    """Sentence tokenizer for llama-index's SentenceSplitter.

    The splitter re-joins the pieces verbatim, so each piece keeps its trailing
    whitespace."""
    pieces: list[str] = []
    start = 0
    for end in _sentence_ends(text):
        pieces.append(text[start:end])
        start = end
    if start < len(text):
        pieces.append(text[start:])
    return [p for p in pieces if p]


def fold_diacritics(text: str) -> str:
    """'Nguyễn Đồng' -> 'nguyen dong': lets Vietnamese and English spellings of
    the same name meet in BM25. Cyrillic is left as is (й keeps its breve)."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch) and kept and "a" <= kept[-1] <= "z":
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.lru_cache(maxsize=4)
def _stemmer(language: str):
    import Stemmer

    name = {"en": "english", "ru": "russian"}.get(language)
    return Stemmer.Stemmer(name) if name else None


def analyze(text: str, language: str) -> list[str]:
    """BM25 analyzer: fold case and Latin diacritics, then stem Russian and English.

    Vietnamese is not stemmed: its words are syllables and English stemming would
    mangle them. Russian words in any document get the Russian stemmer and Latin
    words the English one, so a mixed-script query still matches."""
    tokens = [t for t in words(fold_diacritics(text)) if len(t) > 1 or t.isdigit()]
    out = []
    ru, en = _stemmer("ru"), _stemmer("en")
    for token in tokens:
        if re.match(r"[а-яё]", token):
            out.append(ru.stemWord(token))
        elif language == "en" and token.isascii():
            out.append(en.stemWord(token))
        else:
            out.append(token)
    return out


def vocabulary_words(text: str) -> str:
    """A text's distinct folded words, space-separated: what `Vocabulary` keeps
    of it (stored per document at ingest, so no query-time process reads every
    chunk)."""
    return " ".join(sorted(set(re.findall(r"\w+", fold_diacritics(text)))))
