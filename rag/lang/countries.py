"""Questions that ask which country, and sentences that name one: "Which
countries did the delegations visit?" is not answered by "19 delegations went
abroad". Country names are CLDR's (babel), in the sentence's language and in
English; Russian ones match in any case ending ("в Индии", "Германию")."""

from __future__ import annotations

import functools
import re

_ASKS_COUNTRY = {
    "en": r"\b(?:which|what) (?:countr(?:y|ies)|nations?)\b|\bin what countr(?:y|ies)\b",
    "vi": r"\b(?:nước|quốc gia) nào\b",
    "ru": r"\bкак(?:ая|ой|ие|их|ую) стран\w*|\bв какой стране\b",
}


def asks_country(question: str, language: str) -> bool:
    pattern = _ASKS_COUNTRY.get(language, _ASKS_COUNTRY["en"])
    return re.search(pattern, question, re.IGNORECASE) is not None


# The everyday names the press uses beside CLDR's ("Mỹ", not "Hoa Kỳ"; "США").
ALIASES = {"US": {"en": ("US", "USA", "America"), "vi": ("Mỹ",), "ru": ("США", "Америка")},
           "GB": {"en": ("UK", "Britain"), "ru": ("Британия",)}}


@functools.cache
def territories(language: str) -> dict[str, str]:
    """CLDR's country names in `language` (two-letter codes: countries, plus the EU)."""
    from babel import Locale

    return {code: name for code, name in Locale.parse(language).territories.items()
            if len(code) == 2 and code.isalpha()}


def country_names(code: str, language: str) -> tuple[str, ...]:
    """CLDR's name of a country in `language` and its everyday aliases."""
    name = territories(language).get(code)
    return (*((name,) if name else ()), *ALIASES.get(code, {}).get(language, ()))


@functools.cache
def _countries(language: str) -> tuple[re.Pattern, dict[str, str]]:
    """Every country and territory name of CLDR in `language` and English
    (two-letter codes: countries, plus the EU), as one pattern (a Russian name
    by its stem), and each name's (or stem's) code."""
    patterns, codes = set(), {}
    for lang in {language, "en"}:
        for code, name in territories(lang).items():
            key = _stem(name) if lang == "ru" else name
            codes[key.lower()] = code
            patterns.add(re.escape(key) + (r"\w{0,3}" if lang == "ru" else ""))
    alternation = "|".join(sorted(patterns, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), codes


def _stem(name: str) -> str:
    """"Индия" -> "Инди": Russian names change their ending by case."""
    return name[:-1] if name[-1:] in "аяйьео" and len(name) > 4 else name


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
