"""Language identification for the language_match metric.

Uses `rag.query.language.detect_language` when the project provides it, else lingua
restricted to a handful of languages. Citation markers, URLs and «quoted» names
and passages are removed first,
and text without any letters is "und" (undetermined): an answer made only of
digits and names must not count as a match for any language.
"""

from __future__ import annotations

import functools
import logging
import re

from rag.answer.citations import MARKER as _MARKER

logger = logging.getLogger(__name__)

UNDETERMINED = "und"
_URL = re.compile(r"https?://\S+")
# Names and quotes the answer repeats («COVID», «Hanoi») are not its own words:
# "No article mentions «COVID»." is English however the name reads.
_QUOTED = re.compile(r"«[^»]{0,400}»")
_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1)
def _lingua_detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.VIETNAMESE,
        Language.ENGLISH,
        Language.RUSSIAN,
        Language.FRENCH,
        Language.GERMAN,
        Language.SPANISH,
        Language.CHINESE,
    ).build()


def _lingua_detect(text: str) -> str:
    detected = _lingua_detector().detect_language_of(text)
    return detected.iso_code_639_1.name.lower() if detected is not None else UNDETERMINED


@functools.lru_cache(maxsize=1)
def _project_detector():
    try:
        from rag.query.language import detect_language
    except ImportError:
        logger.debug("rag.query.language.detect_language not available; using lingua directly")
        return None
    return detect_language


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text` ('vi', 'en', 'ru', other), or 'und'."""
    sample = _QUOTED.sub(" ", _URL.sub(" ", _MARKER.sub(" ", text or ""))).strip()[:2000]
    if not _LETTER.search(sample):
        return UNDETERMINED
    project = _project_detector()
    if project is not None:
        try:
            return project(sample, default=UNDETERMINED) or UNDETERMINED
        except TypeError:  # an implementation without the `default` parameter
            return project(sample) or UNDETERMINED
    return _lingua_detect(sample)
