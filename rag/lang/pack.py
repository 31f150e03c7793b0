"""A language pack: everything the engine knows about one language, as data.

One frozen `LanguagePack` per language (rag/lang/vi.py, en.py, ru.py), found
by `rag.lang.registry.pack(code)`. Regular expressions are strings (matched
case-insensitively unless they say otherwise; alternatives without the
surrounding group, so callers can put them between word boundaries); a
pattern a language does not need is `NEVER`. What each field is for, and how
to add a language: docs/adding-a-language.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from rag.lang.basics import NEVER  # a pattern that matches nothing: every optional pattern's default
from rag.lang.kinds import AnswerType, Measure


def any_of(patterns) -> str:
    """One alternation of several packs' patterns (NEVER when none has one)."""
    return "|".join(p for p in patterns if p != NEVER) or NEVER


def needed(default=None, factory=None):
    """A table every supported language must fill (checked by tests/rag/test_language_packs.py)."""
    if factory is not None:
        return field(default_factory=factory, metadata={"needed": True})
    return field(default=default, metadata={"needed": True})


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: caches key on the pack
class LanguagePack:
    # -- who it is ------------------------------------------------------------------
    code: str  # ISO 639-1, as lingua and the documents' metadata say it ("vi")
    english_name: str  # "Vietnamese": the prompts tell the model to answer in it
    babel_locale: str  # numbers, dates and lists in answers ("en_GB")
    lingua: str | None = None  # lingua's Language name ("VIETNAMESE"), for detection
    script: Literal["latin", "cyrillic"] = "latin"
    stemmer: str | None = None  # PyStemmer's algorithm for BM25 ("english"); None: not stemmed
    stopwords: str | None = None  # NLTK's stop-word list ("english")
    function_words: frozenset[str] = frozenset()  # grammar words beyond the NLTK list
    syllabic: bool = False  # a word is one or two syllables written apart ("xuất khẩu")

    # -- what a question asks ---------------------------------------------------------
    # (answer type, pattern) in order; by default the earliest match in the question
    # decides, with `asking_word_last` the first row that matches (Vietnamese ends
    # its questions with the asking word)
    answer_types: tuple[tuple[AnswerType, str], ...] = needed(())
    asking_word_last: bool = False
    # (kind of figure, pattern) for a quantity question: the first match wins
    measures: tuple[tuple[Measure, str], ...] = needed(())
    # ("year" | "day", pattern) for a date question
    date_parts: tuple[tuple[str, str], ...] = needed(())
    asks_identity: str = needed(NEVER)  # "who is <name>", with a group `name` (full match)
    asks_country: str = needed(NEVER)  # "which countries"
    asks_speaker: str = needed(NEVER)  # "what did <who> say", with a group `who`
    asking_words: frozenset[str] = needed(factory=frozenset)  # words that ask, not name
    offices: Mapping[str, str] = field(default_factory=dict)  # office key -> pattern
    deputy: str = NEVER  # written right before an office: "vice", "phó"
    bodies: Mapping[str, str] = field(default_factory=dict)  # body key -> pattern

    # -- figures in a sentence -----------------------------------------------------------
    number_words: str = needed(NEVER)  # numbers and ordinals in words
    counting_words: frozenset[str] = frozenset()  # "a", "một": one of something
    scales: Mapping[str, float] = needed(factory=dict)  # "million": 1e6
    currencies: Mapping[str, str] = field(default_factory=dict)  # "đồng": "VND"
    percent_words: tuple[str, ...] = needed(())  # "percent"
    # word -> "about" | "nearly" | "over"; the first word of each kind is the one answers write
    approx: Mapping[str, str] = needed(factory=dict)
    identifier_before: str = NEVER  # "No. 57": a number that names, not counts
    range_words: tuple[str, ...] = ()  # "27 to 30"
    time_units: str = needed(NEVER)
    measurement_units: str = needed(NEVER)
    people_nouns: str = needed(NEVER)  # what people are counted by
    population_words: str = needed(NEVER)  # a number of people as a whole
    resident_words: str = needed(NEVER)  # the people living in a place
    rate_words: str = needed(NEVER)  # an exchange rate
    attendance_words: str = needed(NEVER)
    rank_given: str = needed(NEVER)  # "ranked 139th"
    average_words: str = needed(NEVER)  # "on average", "per capita"
    streak_words: str = needed(NEVER)  # "in a row"
    open_duration: str = NEVER  # a duration without units: "until", "throughout"
    period_words: str = NEVER  # periods that answer "when": "century", "years ago"

    # -- dates -----------------------------------------------------------------------------
    month_stems: tuple[str, ...] = ()  # months that decline, by stem, January first
    day_word: str = NEVER  # a day by number: "ngày 31"
    month_word: str = NEVER  # a month by number: "tháng 10"
    decade_prefix: str = NEVER  # a decade: "những năm 1990"
    decade_suffix: str = NEVER  # … "the 1990s", "1990-х"
    year_before: str = NEVER  # written before a year: "năm 2020"
    year_after: str = NEVER  # written after a year: "года"
    year_cues_before: str = NEVER  # a number after one of these is a year: "in", "since"
    year_cues_after: tuple[str, ...] = ()  # … or before one of these: "and", "года"

    # -- how answers write figures and dates (with babel) ------------------------------
    date_format: str = needed("long")  # babel's pattern for a full date: "d MMMM yyyy"
    day_month_format: str = needed("long")  # a day without its year: "d MMMM"
    decade_format: str = needed("{}s")  # "the {}s"
    year_format: str = needed("{}")  # "năm {}"
    scale_width: Literal["long", "short"] = "long"  # "500 million" / "500 млн"
    currency_names: bool = False  # write a currency's name (babel), not its code
    noun_joiners: frozenset[str] = frozenset()  # may join a counted noun phrase: "and"
    participle_suffix: str | None = None  # ends a counted noun phrase after its first word
    counted_noun_words: int = 5  # at most this many words (syllables) in a counted noun phrase
    marks_tell_words_apart: bool = False  # function words compared with their marks ("từ", not "tự")
    morphology: str | None = None  # pymorphy3's language: a counted noun takes the form its number asks

    # -- names, places, events -------------------------------------------------------------
    title_words: frozenset[str] = frozenset()  # capitalised, yet no name: "minister"
    honorifics: str = NEVER  # before a name: "Mr", "ông"
    surnames: frozenset[str] = frozenset()  # Vietnamese family names as this script writes them
    surname_endings: int = 0  # letters a case ending adds to a family name ("Нгуена")
    stem_endings: str = ""  # a country's name drops one of these before its case ending
    case_endings: int = 0  # letters a case ending adds to a country's stem ("Индией")
    latin_case_endings: tuple[str, ...] = ()  # the same endings, transliterated
    transliteration: Mapping[str, str] = field(default_factory=dict)  # letter -> Latin
    country_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # "US": ("Mỹ",)
    acronym_joiners: frozenset[str] = frozenset()  # "of": an acronym may skip it
    abbreviations: frozenset[str] = frozenset()  # "UBND": spelled out in other languages
    dot_abbreviations: frozenset[str] = frozenset()  # a full stop after one ends no sentence: "mr", "г"
    speech_verbs: str = needed(NEVER)  # "said", "according to"
    upcoming_words: str = needed(NEVER)  # "ahead of" an event
    ordinals: tuple[str, ...] = ()  # "14th": patterns with the number as group 1
    locatives: str = NEVER  # a name after one is a place: "in", "visited"
    place_nouns: str = NEVER  # a name after one is a transliterated place: "провинция"
    capital_stands_for_country: bool = False  # "Hanoi signed": the state
    names_as_phrases: bool = False  # a multi-word name must appear as one
    names_kept_in: frozenset[str] = frozenset()  # languages whose articles keep its names
    latin_acronyms: bool = False  # its articles keep Latin acronyms as they are ("FDI", "UN")

    # -- the conversation ------------------------------------------------------------------
    followup_openers: tuple[str, ...] = ()  # "and …?"
    pointers: frozenset[str] = frozenset()  # pronouns that point back
    greetings: str = NEVER
    thanks: str = NEVER
    marker_words: frozenset[str] = frozenset()  # short words that tell it from its neighbours
    unmarked_words: frozenset[str] = frozenset()  # its words typed without diacritics
    syllable: str = NEVER  # one syllable, diacritics folded (Vietnamese)

    # -- the fixed phrases the system writes ---------------------------------------------
    # key -> text (str.format fields) or a table of texts (answer types, reasons, sources)
    phrases: Mapping[str, str | Mapping[str, str]] = needed(factory=dict)

    @property
    def approx_words(self) -> dict[str, str]:
        """"about" | "nearly" | "over" -> the word answers write for it."""
        words: dict[str, str] = {}
        for word, kind in self.approx.items():
            words.setdefault(kind, word)
        return words
