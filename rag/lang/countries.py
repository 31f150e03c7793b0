"""Questions that ask which country, and sentences that name one: "Which
countries did the delegations visit?" is not answered by "19 delegations went
abroad". Country names are CLDR's (babel), in the sentence's language and in
English, and the everyday ones of the language pack (`country_aliases`); in a
language whose names decline (`stem_endings`, `case_endings`: Russian) they
match in any case ending ("в Индии", "Германию")."""

from __future__ import annotations

import functools
import re

from rag.lang.registry import pack


def asks_country(question: str, language: str) -> bool:
    return re.search(pack(language).asks_country, question, re.IGNORECASE) is not None


@functools.cache
def territories(language: str) -> dict[str, str]:
    """CLDR's country names in `language` (two-letter codes: countries, plus the EU)."""
    from babel import Locale

    return {code: name for code, name in Locale.parse(language).territories.items()
            if len(code) == 2 and code.isalpha()}


def country_names(code: str, language: str) -> tuple[str, ...]:
    """CLDR's name of a country in `language` and its everyday aliases (the
    press's "Mỹ", not "Hoa Kỳ"; "США")."""
    name = territories(language).get(code)
    return (*((name,) if name else ()), *pack(language).country_aliases.get(code, ()))


@functools.cache
def _countries(language: str) -> tuple[re.Pattern, dict[str, str]]:
    """Every country and territory name of CLDR in `language` and English
    (two-letter codes: countries, plus the EU), as one pattern (a declined
    name by its stem), and each name's (or stem's) code."""
    patterns, codes = set(), {}
    for lang in {language, "en"}:  # English names appear in every language's press
        endings = pack(lang).stem_endings
        for code, name in territories(lang).items():
            key = _stem(name, endings) if endings else name
            codes[key.lower()] = code
            patterns.add(re.escape(key) + (rf"\w{{0,{pack(lang).case_endings}}}" if endings else ""))
    alternation = "|".join(sorted(patterns, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), codes


def _stem(name: str, endings: str) -> str:
    """"Индия" -> "Инди": Russian names change their ending by case."""
    return name[:-1] if name[-1:] in endings and len(name) > 4 else name


@functools.lru_cache(maxsize=1024)  # asked once per retrieved document
def country_of(name: str, language: str) -> str | None:
    """The code of the country `name` is, whole ("Канадой", "Nhật Bản"), or None."""
    pattern, codes = _countries(language)
    m = pattern.fullmatch(name.strip())
    if m is None:
        return None
    word = m.group(0).lower()
    return codes.get(word) or next((c for k, c in codes.items() if word.startswith(k)), None)


def countries_named(text: str, language: str) -> set[str]:
    """The codes of the countries a text names."""
    pattern, codes = _countries(language)
    found = set()
    for m in pattern.finditer(text):
        word = m.group(0).lower()
        code = codes.get(word) or next((c for k, c in codes.items() if word.startswith(k)), None)
        if code:
            found.add(code)
    return found


def names_a_country(text: str, language: str, question: str = "",
                    question_language: str = "en") -> bool:
    """Whether the text names a country other than those the question names
    ("Which countries does Vietnam trade with" is not answered by "Vietnam")."""
    asked = countries_named(question, question_language) if question else set()
    return bool(countries_named(text, language) - asked)
