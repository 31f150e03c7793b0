"""Every language pack holds every table the engine reads, in a form it can use."""

from __future__ import annotations

import ast
import dataclasses
import re
import string
from pathlib import Path

import pytest

from rag.lang.pack import NEVER, LanguagePack
from rag.lang.registry import FALLBACK, pack, packs, supported

ROOT = Path(__file__).resolve().parents[2]
PACK_MODULES = {ROOT / "rag" / "lang" / f"{code}.py" for code in ("vi", "en", "ru")}
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
    assert supported()[:3] == ("vi", "en", "ru")
    assert [p.code for p in packs()] == list(supported())


def test_packs__a_language_without_a_pack_gets_the_english_one():
    assert pack("other") is pack(FALLBACK) is pack(None)
    assert pack("ru").code == "ru"


@pytest.mark.parametrize("code", supported())
@pytest.mark.parametrize("name", NEEDED)
def test_packs__every_needed_table_is_filled(code, name):
    value = getattr(pack(code), name)
    assert value not in (NEVER, None, "", (), {}, frozenset()), f"{code}: {name} is empty"


@pytest.mark.parametrize("code", supported())
def test_packs__every_pattern_compiles(code):
    for name in PATTERN_FIELDS:
        for pattern in _patterns(getattr(pack(code), name)):
            re.compile(pattern, re.IGNORECASE)
    for pattern in pack(code).ordinals:
        assert re.compile(pattern).groups == 1, pattern


@pytest.mark.parametrize("code", supported())
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


def test_packs__the_pack_modules_hold_data_only():
    for path in PACK_MODULES:
        tree = ast.parse(path.read_text("utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)]
        assert {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} <= {"rag.lang.pack",
                                                                                     "rag.lang.kinds"}


def test_packs__no_table_keyed_by_language_outside_the_packs():
    """No {"vi": …, "en": …} table and no `.get(language, X["en"])` fallback in the core
    outside the packs: the registry's `pack(code)` is the one place that falls back."""
    found = []
    for path in sorted((ROOT / "rag").rglob("*.py")):
        if path in PACK_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)} if isinstance(node, ast.Dict) else set()
            english = [a for a in (node.args[1:] if isinstance(node, ast.Call) else []) if isinstance(a, ast.Subscript)
                       and isinstance(a.slice, ast.Constant) and a.slice.value == "en"]
            if len(keys & {"vi", "en", "ru"}) >= 2 or english:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
