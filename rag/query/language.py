"""Language identification with lingua, restricted to a set that keeps it fast and
accurate on short questions, and the per-language wording the system writes."""

from __future__ import annotations

import functools
import re

from rag.lang.basics import CYRILLIC, VIETNAMESE_DISTINCT_LETTER
from rag.lang.registry import supported

# Deprecated: call rag.lang.registry.supported(), which sees packs registered later.
SUPPORTED = supported()

# Languages lingua may answer with. Beyond vi/en/ru they exist so that a French or
# Chinese question is recognised as "other" instead of being forced into vi/en/ru.
_CANDIDATES = (
    "VIETNAMESE ENGLISH RUSSIAN FRENCH GERMAN SPANISH ITALIAN PORTUGUESE "
    "CHINESE JAPANESE KOREAN THAI INDONESIAN ARABIC TURKISH POLISH"
).split()
# Short Vietnamese function words: with one accented letter ("Bui Dinh Long là ai?")
# they tell Vietnamese from French, which shares à/á.
_VI_WORDS = {"là", "ai", "gì", "nào", "của", "và", "được", "có", "không", "bao", "nhiêu",
             "những", "các", "cho", "với", "trong", "khi", "ở", "đâu", "mấy", "người"}


# Vietnamese typed without tone marks ("kieu hoi nghe an bao nhieu"), which
# lingua reads as English: words no English question uses, and every word a
# Vietnamese syllable (no f, j, w, z; one vowel group).
_VI_UNACCENTED = {"khong", "nhieu", "nhung", "duoc", "cua", "nao", "voi", "nguoi", "trong",
                  "nhu", "thi", "cac", "nuoc", "gi", "bao", "dau", "moi", "sao", "nhat", "tinh",
                  "ngay", "thang", "hoi", "nghi", "quan", "ngoai", "giao", "kinh", "te", "nghe",
                  "viec", "cong", "tac", "dong", "chi", "ong", "ba", "la", "va", "cho", "ve"}
# One Vietnamese syllable, tone marks folded: onset, vowels, coda.
VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


def typed_without_tone_marks(text: str) -> bool:
    """Vietnamese written in plain ASCII ("viet nam co bao nhieu doi tac")."""
    return text.isascii() and _unaccented_vietnamese(
        {w.lower() for w in re.findall(r"[^\W\d_]+", text)})


def _unaccented_vietnamese(words: set[str]) -> bool:
    return len(words & _VI_UNACCENTED) >= 3 and \
        sum(bool(VIETNAMESE_SYLLABLE.fullmatch(w)) for w in words) >= 0.75 * len(words)


@functools.lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


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
    if not sample.isascii() and len(lowered & _VI_WORDS) >= 2:
        return "vi"
    if sample.isascii() and _unaccented_vietnamese(lowered):
        return "vi"
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
