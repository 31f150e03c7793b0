"""A document's vocabulary: its words, folded, so that a question can be
checked for names the document never mentions, in any script (Russian
transliterations of Vietnamese names match their Latin form)."""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
from typing import NamedTuple

from rag.lang.basics import CAPITAL, capitalised_runs, day_names, has_cyrillic, month_names, starts_cyrillic
from rag.lang.pack import LanguagePack
from rag.lang.registry import packs
from rag.lang.text import fold_diacritics, split_sentences


class _Words(NamedTuple):
    """Word lists of every registered language pack, together."""

    titles: frozenset[str]  # capitalised common nouns of titles, offices and bodies: no names
    to_latin: dict[str, str]  # a letter of another script -> Latin ("х": "h")
    joiners: frozenset[str]  # short words an acronym may skip ("of": "MFA" and "MOFA")
    calendar: frozenset[str]  # month and weekday names: capitalised in English, yet dates


@functools.cache
def _words(every: tuple[LanguagePack, ...]) -> _Words:
    calendar = {w for p in every for w in (*month_names(p.code, ("format",)), *day_names(p.code))}
    return _Words(frozenset(w for p in every for w in p.title_words),
                  {c: latin for p in every for c, latin in p.transliteration.items()},
                  frozenset(w for p in every for w in p.acronym_joiners),
                  frozenset(w for w in calendar if " " not in w))


def title_words() -> frozenset[str]:
    """The packs' `title_words` (lower case, with diacritics: folded, "thành"
    (city) would meet the name "Thanh"). They name no particular person or
    place, and Vietnamese capitalises them ("Phó Thủ tướng")."""
    return _words(packs()).titles


# Letters a transliterated Russian word shares with the start of a Latin word
# for the two to count as one name.
STEM = 5
# Two spellings of one transliterated name are alike at least this much
# (difflib ratio; chosen on the seeds' Russian spellings of Vietnamese names).
NAME_SIMILARITY = 0.86


# Stored among a document's vocabulary words at ingest: its multi-word names
# squashed ("Thanh Hóa" -> "name_thanhhoa"), and a marker that they were.
NAMES_RECORDED = "names_recorded"
_LONGEST_PHRASE = 4


def squashed_name(words: list[str]) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_diacritics("".join(words)))


def name_words(text: str) -> str:
    """Every run of 2–4 adjacent capitalised Latin words of a text, squashed, as
    vocabulary words, with the marker: where "Thanh" and "Hóa" are two known
    syllables, "name_thanhhoa" tells whether they are ever one name."""
    phrases = set()
    for run in capitalised_runs(text, across_lines=False):
        for size in range(2, min(len(run), _LONGEST_PHRASE) + 1):
            for i in range(len(run) - size + 1):
                phrases.add("name_" + squashed_name(run[i:i + size]))
    return " ".join([NAMES_RECORDED, *sorted(p for p in phrases if p.isascii() and p != "name_")])


class Vocabulary:
    """Every word of the corpus, folded, for checking a question's names."""

    def __init__(self, texts, running_texts=()):
        """`texts`: any text (word lists too); `running_texts`: text whose word
        order is kept, where a Russian one-word spelling of a Vietnamese name
        ("Нгеан") may meet its two Latin words ("Nghe An")."""
        words = set()
        for text in (*texts, *running_texts):
            words.update(re.findall(r"\w+", fold_diacritics(text)))
        pieces = re.findall(r"[a-z]+", " ".join(
            fold_diacritics(t) for t in running_texts).replace("h", ""))
        self.squashed = "".join(pieces)
        self._word_starts = set(itertools.accumulate((len(p) for p in pieces[:-1]), initial=0))
        self.latin = {w for w in words if w.isascii()}
        self._words = words

    # Only Russian questions need these: built on first use.
    @functools.cached_property
    def latin_no_h(self) -> set[str]:
        return {w.replace("h", "") for w in self.latin}

    @functools.cached_property
    def latin_stems(self) -> set[str]:
        """Russian adds endings to names it transliterates (Нобелевскую: Nobel)."""
        return {w[:STEM] for w in self.latin_no_h if len(w) >= STEM}

    @functools.cached_property
    def cyrillic(self) -> list[str]:
        return sorted(w for w in self._words if starts_cyrillic(w))

    def knows_name(self, run: list[str]) -> bool | None:
        """Whether a multi-word Latin name is ever written as one (its words
        adjacent, or as one word: "Ha Noi" / "Hanoi"); None for an index
        that did not record names."""
        squashed = squashed_name(run)
        if not squashed:
            return None  # not a Latin name
        if squashed in self.latin or f"name_{squashed}" in self.latin:
            return True
        return False if NAMES_RECORDED in self.latin else None

    def knows(self, token: str) -> bool:
        word = fold_diacritics(token)
        if not word or word.isdigit():
            return True
        if word.isascii():  # exact, or a near spelling (a typo, a missing letter)
            return word in self.latin or any(
                w[:2] == word[:2] and abs(len(w) - len(word)) <= 2 and _similar(w, word)
                for w in self.latin)
        if not starts_cyrillic(word):
            return True  # other scripts: no basis to judge
        if token.isupper():
            return True  # Cyrillic acronyms (МИД) have no reliable Latin form
        return self._knows_cyrillic(word)

    @functools.cached_property
    def _latin_sorted(self) -> list[str]:
        return sorted(self.latin)

    def knows_stem(self, token: str) -> bool:
        """A word that starts like `token` less its last two letters ("Greek",
        "Indian" for "Greece", "India"; Russian "Индии" for "Индия")."""
        word = fold_diacritics(token)
        prefix = word[: max(4, len(word) - 2)]
        if not word.isascii():
            return self.knows(token)  # Cyrillic is compared by stem already
        i = bisect.bisect_left(self._latin_sorted, prefix)
        return i < len(self._latin_sorted) and self._latin_sorted[i].startswith(prefix)

    def _starts_a_word(self, prefix: str) -> bool:
        """`prefix` in the squashed running text, starting where a word does
        ("ngean" in "Nghe An"; not "atin" inside "participating")."""
        at = self.squashed.find(prefix)
        while at >= 0:
            if at in self._word_starts:
                return True
            at = self.squashed.find(prefix, at + 1)
        return False

    def _knows_cyrillic(self, word: str) -> bool:
        # Russian inflects names (Нгеан -> Нгеане): compare stems by prefix.
        prefix = word[: max(4, len(word) - 2)]
        i = bisect.bisect_left(self.cyrillic, prefix)
        if i < len(self.cyrillic) and self.cyrillic[i].startswith(prefix):
            return True
        # A transliterated Vietnamese name (Хоанг Нгиа Хиеу) may match its Latin
        # form (Hoang Nghia Hieu); Russian drops the h of ngh/kh/th digraphs.
        latin = transliterated(word).replace("h", "")
        if len(latin) >= 4 and self._starts_a_word(latin[: max(4, len(latin) - 2)]):
            return True
        if len(latin) >= STEM and latin[:STEM] in self.latin_stems:
            return True
        return any(
            w[:2] == latin[:2] and (w == latin or (abs(len(w) - len(latin)) <= 1 and _similar(w, latin)))
            for w in self.latin_no_h
        )

def question_names(question: str) -> list[list[str]]:
    """The names of a question, as runs of adjacent capitalised words, acronyms
    and codes (after each sentence's first word), without the titles and
    offices that Vietnamese and English capitalise ("Phó Thủ tướng")."""
    runs: list[list[str]] = []
    for sentence in split_sentences(question.replace("?", "?\n")):
        run: list[str] = []
        for i, token in enumerate(re.findall(r"[^\W_]+(?:-[^\W_]+)*", sentence)):
            if i == 0 or not (token[:1].isupper() or any(c.isdigit() for c in token)):
                run = _close(run, runs)  # a sentence's first word is capitalised anyway
                continue
            for part in token.split("-"):
                if len(part) < 2 or (part.isdigit() and len(part) < 3) or \
                        part.lower() in _words(packs()).titles or part.lower() in _words(packs()).calendar:
                    run = _close(run, runs)
                else:
                    run.append(part)
        _close(run, runs)
    return runs


def without_names(question: str) -> str:
    """The question with its names (see `question_names`) left out."""
    for run in question_names(question):
        for word in run:
            question = question.replace(word, " ", 1)
    return " ".join(question.split())


def transliterated(word: str) -> str:
    """A Cyrillic word in Latin letters ("Ханой": "hanoi"); Latin words folded."""
    to_latin = _words(packs()).to_latin
    return "".join(to_latin.get(c, c) for c in fold_diacritics(word)).replace("_", "")


def latin_skeleton(word: str) -> str:
    """A word reduced to compare names across scripts: folded, Cyrillic
    transliterated, without h ("Хиеу" and "Hiếu" both give "ieu")."""
    return re.sub(r"[^a-z0-9]", "", transliterated(word).replace("h", ""))


def shares_a_name(text: str, question: str) -> bool:
    """Whether `text` repeats a word of the question, in any script (the answer
    to "Whom did Хоанг Нгиа Хиеу ask…" is not "Hoang Nghia Hieu")."""
    asked = {latin_skeleton(w) for w in re.findall(r"\w+", question)}
    asked = {w for w in asked if len(w) >= 3 or w.isdigit()}
    words = re.findall(r"\w+", text)
    # Russian writes a Vietnamese name as one word: "Nghe An" is "Нгеан(е)"
    squashed = ["".join(words)] if len(words) > 1 else []
    for word in [*words, *squashed]:
        skeleton = latin_skeleton(word)
        if skeleton.isdigit():
            if skeleton in asked:
                return True
        elif len(skeleton) >= 3 and (skeleton in asked or any(
                a[:2] == skeleton[:2] and _similar(a, skeleton) for a in asked)):
            return True
    return False


def names_person(text: str, name: str) -> bool:
    """Whether `text` writes the person `name`, in any script: two of its words
    (one for a one-word name), since Vietnamese given and middle names ("Thanh",
    "Van") recur in many names."""
    asked = [s for w in name.split() if len(s := latin_skeleton(w)) >= 2]
    words = {latin_skeleton(w) for w in re.findall(r"\w+", text)}
    found = sum(any(a == w or (len(a) >= 3 and a[:2] == w[:2] and _similar(a, w)) for w in words)
                for a in asked)
    return bool(asked) and found >= min(2, len(asked))


_ACRONYM = re.compile(f"[{CAPITAL}]{{2,6}}")


def spells_out(acronym: str, texts: list[str]) -> bool:
    """Whether a text writes the acronym out in full: "PM" as "Prime Minister",
    "MOFA" as "Ministry of Foreign Affairs", "ВВП" as "валовой внутренний
    продукт" (Russian writes the words of its acronyms in lower case)."""
    if not _ACRONYM.fullmatch(acronym):
        return False
    cyrillic = has_cyrillic(acronym)
    for text in texts:
        words = re.findall(r"[^\W\d_]+", text)
        for start, word in enumerate(words):
            if word[:1].upper() == acronym[0] and _spelled(acronym, words, start, cyrillic):
                return True
    return False


def _spelled(letters: str, words: list[str], at: int, cyrillic: bool) -> bool:
    """`letters` are the initials of `words` from `at` on (joiners optional)."""
    if not letters:
        return True
    if at >= len(words):
        return False
    word = words[at]
    joiner = word.lower() in _words(packs()).joiners
    counts = word[:1].isupper() or joiner or (cyrillic and len(word) >= 3)
    if counts and word[:1].upper() == letters[0] and _spelled(letters[1:], words, at + 1, cyrillic):
        return True
    return joiner and _spelled(letters, words, at + 1, cyrillic)


def _close(run: list[str], runs: list[list[str]]) -> list[str]:
    if run:
        runs.append(run)
    return []


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY
