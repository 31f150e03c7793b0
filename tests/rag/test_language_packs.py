"""Every language pack holds every table the engine reads, in a form it can use."""

from __future__ import annotations

import dataclasses
import re
import string

import pytest

from rag.lang.pack import NEVER, LanguagePack
from rag.lang.registry import FALLBACK, pack, packs, supported

FIELDS = dataclasses.fields(LanguagePack)
NEEDED = [f.name for f in FIELDS if f.metadata.get("needed")]


def _patterns(value) -> list[str]:
    """The regular expressions a field holds (a string, rows of (kind, pattern), a key -> pattern table)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return [p for _, p in value]
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return list(value.values())
    return []


PATTERN_FIELDS = ("answer_types", "measures", "date_parts", "asks_identity", "asks_country", "asks_speaker",
                  "offices", "deputy", "bodies", "number_words", "identifier_before", "time_units",
                  "measurement_units", "people_nouns", "population_words", "resident_words", "rate_words",
                  "attendance_words", "rank_given", "average_words", "streak_words", "open_duration",
                  "period_words", "year_before", "year_after", "year_cues_before", "honorifics", "speech_verbs",
                  "upcoming_words", "locatives", "place_nouns", "greetings", "thanks", "syllable")


def test_packs__the_supported_languages_are_the_registered_packs():
    assert supported() == ("vi", "en", "ru")
    assert [p.code for p in packs()] == list(supported())


def test_packs__a_language_without_a_pack_gets_the_english_one():
    assert pack("other") is pack(FALLBACK) is pack(None)
    assert pack("ru").code == "ru"


@pytest.mark.parametrize("code", ["vi", "en", "ru"])
@pytest.mark.parametrize("name", NEEDED)
def test_packs__every_needed_table_is_filled(code, name):
    value = getattr(pack(code), name)
    assert value not in (NEVER, None, "", (), {}, frozenset()), f"{code}: {name} is empty"


@pytest.mark.parametrize("code", ["vi", "en", "ru"])
def test_packs__every_pattern_compiles(code):
    for name in PATTERN_FIELDS:
        for pattern in _patterns(getattr(pack(code), name)):
            re.compile(pattern, re.IGNORECASE)
    for pattern in pack(code).ordinals:
        assert re.compile(pattern).groups == 1, pattern


@pytest.mark.parametrize("code", ["vi", "en", "ru"])
def test_packs__the_question_tables_name_their_groups(code):
    assert "name" in re.compile(pack(code).asks_identity).groupindex
    assert "who" in re.compile(pack(code).asks_speaker).groupindex
    assert {part for part, _ in pack(code).date_parts} == {"year", "day"}


def test_packs__every_language_writes_every_phrase_with_the_same_fields():
    english = pack("en").phrases
    for other in packs():
        assert list(other.phrases) == list(english), other.code
        for key, text in english.items():
            theirs = other.phrases[key]
            if isinstance(text, str):
                assert _fields(theirs) == _fields(text), (other.code, key)
            else:
                assert set(theirs) == set(text), (other.code, key)
    assert set(english["quoted_in"]) == set(supported())  # a note for sources in each language


def test_packs__offices_and_bodies_have_the_same_keys_in_every_language():
    for other in packs():
        assert list(other.offices) == list(pack("en").offices), other.code
        assert list(other.bodies) == list(pack("en").bodies), other.code


def test_packs__every_measure_and_answer_type_can_be_asked_in_english():
    from rag.lang.kinds import AnswerType, Measure

    assert {m for m, _ in pack("en").measures} == set(Measure)
    assert {t for t, _ in pack("en").answer_types} == set(AnswerType)


def test_packs__approximations_render_in_each_language():
    for other in packs():
        assert set(other.approx_words) == {"about", "nearly", "over"}, other.code


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
