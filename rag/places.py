"""Places in a question, for the key-term guard (rag.retrieval.postprocessors):
a capital that stands for its country ("has Hanoi signed"), a name used as a
place ("the weather in Hanoi"), and a province named in Russian."""

from __future__ import annotations

import functools
import re

from rag.vocabulary import Vocabulary, squashed_name


@functools.cache
def _capitals() -> dict[str, str]:
    """Capital city (squashed: "hanoi") -> ISO country code, from GeoNames
    (rag/data/capitals.json)."""
    import json
    from importlib.resources import files

    data = json.loads(files("rag").joinpath("data/capitals.json").read_text("utf-8"))
    return {squashed_name(city.split()): code for city, code in data["capitals"].items()}


@functools.cache
def _country_names(code: str, language: str) -> tuple[tuple[str, ...], ...]:
    """The country's name in the document's language and in English (CLDR)."""
    from rag.countries import territories

    names = {territories(lang).get(code) for lang in (language, "en")}
    return tuple(tuple(re.findall(r"\w+", name)) for name in names if name)


_LOCATIVE = r"(?:in|at|to|from|near|around|across|outside|inside|into|within|of|via|through|visit\w*)"


def _follows(question: str, run: list[str], before: str) -> bool:
    """Whether the name comes right after a word matching `before`."""
    name = r"\s+".join(map(re.escape, run))
    return re.search(rf"\b{before}\s+{name}\b", question, re.IGNORECASE) is not None


def after_locative(question: str, run: list[str]) -> bool:
    """A name right after a preposition of place (or "visit") is a location
    ("the weather in Hanoi", "the mayor of Hanoi", "visited Hanoi"), not an
    actor ("has Hanoi signed")."""
    return _follows(question, run, rf"{_LOCATIVE}(?:\s+the)?")


# A province or district named in Russian ("провинция Хатинь": Ha Tinh) is
# transliterated letter by letter from Vietnamese, so the guard can compare it
# with an English or Vietnamese article, unlike names in general ("Кения" /
# "Kenya"). "Район", "город" and "область" are left out: on XQuAD "районах
# Мельбурна" refused answerable questions.
_PLACE_NOUN_RU = r"(?:провинци\w*|уезд\w*)"


def after_place_noun(question: str, run: list[str]) -> bool:
    return _follows(question, run, _PLACE_NOUN_RU)


def capital_of_a_named_country(run: list[str], words: Vocabulary, language: str) -> bool:
    """A capital the document never names, standing for its country, which it
    does name ("With how many nations has Hanoi set up ties?"). Only English
    questions, and only where the capital acts, not where it is a place ("the
    weather in Hanoi"): the English-language press writes "Hanoi" for the
    Vietnamese state; Vietnamese writes "Hà Nội" for the city ("Dự báo thời
    tiết Hà Nội", the weather in Hanoi, is not about Vietnam)."""
    code = _capitals().get(squashed_name(run))
    return code is not None and any(
        all(words.knows(w) for w in name) for name in _country_names(code, language))
