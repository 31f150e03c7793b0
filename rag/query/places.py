"""Places in a question, for the key-term guard (rag.retrieval.postprocessors):
a capital that stands for its country ("has Hanoi signed"), a name used as a
place ("the weather in Hanoi"), and a province named in Russian."""

from __future__ import annotations

import functools
import re

from rag.lang.basics import has_cyrillic
from rag.lang.pack import any_of
from rag.lang.registry import pack, packs
from rag.lang.vocabulary import Vocabulary, squashed_name, transliterated


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
    """The country's names in the document's language and in English (CLDR, and
    the everyday ones: "Mỹ", "US")."""
    from rag.lang.countries import country_names

    names = {name for lang in (language, "en") for name in country_names(code, lang)}
    return tuple(tuple(re.findall(r"\w+", name)) for name in names)


def _follows(question: str, run: list[str], before: str) -> bool:
    """Whether the name comes right after a word matching `before`."""
    name = r"\s+".join(map(re.escape, run))
    return re.search(rf"\b{before}\s+{name}\b", question, re.IGNORECASE) is not None


def after_locative(question: str, run: list[str]) -> bool:
    """A name right after a preposition of place (or "visit": the packs'
    `locatives`) is a location ("the weather in Hanoi", "the mayor of Hanoi",
    "visited Hanoi"), not an actor ("has Hanoi signed")."""
    return _follows(question, run, f"(?:{any_of(lang.locatives for lang in packs())})")


def after_place_noun(question: str, run: list[str], language: str) -> bool:
    """A name after a noun of place of the question's language (its pack's
    `place_nouns`: "провинция Хатинь", Ha Tinh) is transliterated letter by
    letter, so the guard can compare it across languages, unlike names in
    general ("Кения" / "Kenya")."""
    return _follows(question, run, f"(?:{pack(language).place_nouns})")


def capital_of_a_named_country(run: list[str], words: Vocabulary, language: str) -> bool:
    """A capital the document never names, standing for its country, which it
    does name ("With how many nations has Hanoi set up ties?", "Сколько
    соглашений заключил Ханой?"). Only English and Russian questions, and only
    where the capital acts, not where it is a place ("the weather in Hanoi",
    "погода в Ханое"): their press writes "Hanoi" for the Vietnamese state;
    Vietnamese writes "Hà Nội" for the city ("Dự báo thời tiết Hà Nội", the
    weather in Hanoi, is not about Vietnam). A Russian name is compared by its
    transliteration, case ending dropped ("Ханоя": "hanoi")."""
    capitals = _capitals()
    code = next((capitals[key] for key in _capital_keys(run) if key in capitals), None)
    return code is not None and any(
        all(words.knows(w) for w in name) for name in _country_names(code, language))


def country_unmentioned(run: list[str], query_language: str, words: Vocabulary,
                        doc_language: str) -> bool:
    """A country the question names ("с Канадой", "Nhật Bản") that the document,
    in another language, never names in its own language or in English (CLDR),
    nor by a word of the same stem ("Greek" for "Greece"): unlike names in
    general, a country's name is known in every language."""
    from rag.lang.countries import country_of

    code = country_of(" ".join(run), query_language)
    return code is not None and not any(all(words.knows_stem(w) for w in name)
                                        for name in _country_names(code, doc_language))


def _capital_keys(run: list[str]) -> list[str]:
    if not any(has_cyrillic(w) for w in run):
        return [squashed_name(run)]
    latin = squashed_name([transliterated(w) for w in run])
    keys = [latin]  # and less a case ending the capital may take ("Ханоя", "Ханою", "Ханоем")
    for ending in (e for lang in packs() for e in lang.latin_case_endings):
        if latin.endswith(ending) and len(latin) > len(ending) + 2:
            keys += [latin[:-len(ending)], latin[:-len(ending)] + "i"]
    return keys
