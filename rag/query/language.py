"""Language identification with lingua, restricted to a set that keeps it fast and
accurate on short questions, and the per-language wording the system writes."""

from __future__ import annotations

import functools
import re

from rag.lang.basics import CYRILLIC, VIETNAMESE_DISTINCT_LETTER
from rag.lang.pack import LanguagePack
from rag.lang.registry import pack, packs, supported
from rag.lang.text import fold_diacritics

# Languages lingua may answer with besides the packs' own (`lingua`): they exist
# so that a French or Chinese question is recognised as "other" instead of being
# forced into a supported language.
_OTHER_CANDIDATES = (
    "FRENCH GERMAN SPANISH ITALIAN PORTUGUESE CHINESE JAPANESE KOREAN THAI INDONESIAN ARABIC TURKISH POLISH"
).split()


def typed_without_tone_marks(text: str) -> bool:
    """Vietnamese written in plain ASCII ("viet nam co bao nhieu doi tac")."""
    return text.isascii() and _typed_unmarked(
        {w.lower() for w in re.findall(r"[^\W\d_]+", text)}, pack("vi"))


def _typed_unmarked(words: set[str], lang: LanguagePack) -> bool:
    """The words are the language typed without its diacritics ("kieu hoi nghe
    an bao nhieu", which lingua reads as English): three of the pack's
    `unmarked_words`, and most words one `syllable` of it."""
    return len(words & lang.unmarked_words) >= 3 and \
        sum(bool(_syllable(lang).fullmatch(w)) for w in words) >= 0.75 * len(words)


@functools.cache
def _syllable(lang: LanguagePack) -> re.Pattern:
    return re.compile(lang.syllable)


def written_in_syllables(words: list[str]) -> bool:
    """Every word one syllable (diacritics folded) of a `syllabic` language:
    "Thanh Hóa" may be a Vietnamese name."""
    return any(all(_syllable(lang).fullmatch(fold_diacritics(w)) for w in words)
               for lang in packs() if lang.syllabic)


def _detector():
    names = dict.fromkeys([*(p.lingua for p in packs() if p.lingua), *_OTHER_CANDIDATES])
    return _build_detector(tuple(names))


@functools.lru_cache(maxsize=2)
def _build_detector(names: tuple[str, ...]):
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in names)).build()


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of `text` ('vi', 'en', 'ru', or another code); `default`
    when the text carries no signal (digits, names only)."""
    sample = text.strip()[:2000]
    letters = re.findall(r"[^\W\d_]", sample)
    if not letters:
        return default
    # Vietnamese tone marks and Cyrillic letters are decisive on short input,
    # where statistical detection is least reliable.
    if len(VIETNAMESE_DISTINCT_LETTER.findall(sample)) >= 2 and len(letters) < 200:
        return "vi"
    if len(CYRILLIC.findall(sample)) > 0.5 * len(letters):
        return "ru"  # the only Cyrillic language among the candidates
    # Names and acronyms ("Bui Dinh Long", "FDI") say nothing about the language
    # of the sentence around them: judge the other words.
    words = re.findall(r"[^\W\d_]+", sample)
    content = [w for i, w in enumerate(words) if i == 0 or not w[:1].isupper()]
    if len(sample) > 400:
        content = words
    if not content:
        return default
    lowered = {w.lower() for w in content}
    for lang in packs():  # its short marker words ("là", "của"), or typed without its diacritics
        if not sample.isascii() and len(lowered & lang.marker_words) >= 2:
            return lang.code
        if sample.isascii() and lang.unmarked_words and _typed_unmarked(lowered, lang):
            return lang.code
    confidences = _detector().compute_language_confidence_values(" ".join(content))
    best = confidences[0]
    code = best.language.iso_code_639_1.name.lower()
    if code == "en":
        return "en"
    # Short questions are English unless another language is clear; a keyword
    # query with a Vietnamese letter ("FDI Nghệ An 2024": lingua says Italian) is Vietnamese.
    sure = best.value >= 0.6 and len(content) >= 3
    if not sure and VIETNAMESE_DISTINCT_LETTER.search(sample):
        return "vi"
    if not sure and sample.isascii():
        return default if default in supported() else "en"
    return code


def normalize_language_choice(choice: str | None) -> str | None:
    """'auto'/None -> None (detect); 'vi'/'en'/'ru' pass; anything else is an error."""
    if choice is None or choice.strip().lower() in ("", "auto"):
        return None
    code = choice.strip().lower()
    if code not in supported():
        from rag.errors import InvalidQuestionError

        raise InvalidQuestionError(
            f"unknown answer language {choice!r}: choose auto, {', '.join(supported()[:-1])} "
            f"or {supported()[-1]}"
        )
    return code
