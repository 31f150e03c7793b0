"""Offices a "who" question asks about, in any language: the answer to "Who is the
chairman of …" is not a vice-chairman. News names deputies far more often
than heads ("Phó Chủ tịch UBND tỉnh", "Standing Deputy Secretary"), so a
passage that names an office only with a deputy's title does not answer.

Each language pack lists the offices (`offices`: key -> the words it writes
the office with), the deputy's title before one (`deputy`) and the bodies an
office belongs to (`bodies`), as regular expressions matched
case-insensitively on word boundaries."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rag.lang.pack import NEVER, LanguagePack
from rag.lang.registry import pack

_BODY_WORDS = 8  # words from an office and its body ("Chairman of the Nghe An Provincial People's Committee")


@dataclass(frozen=True)
class Office:
    key: str
    words: str  # as the question writes it
    deputy: bool = False  # the question asks for the deputy ("Who is the Vice Chairman …")
    body: str | None = None  # the body the question names right after it (a `bodies` key)


def _pattern(key: str, language: str) -> re.Pattern:
    return _compiled(key, pack(language))


@functools.cache
def _compiled(key: str, lang: LanguagePack) -> re.Pattern:
    office = lang.offices.get(key, NEVER)  # an office the language does not name: never found
    return re.compile(rf"(?P<deputy>{lang.deputy})?\b(?P<office>{office})\b", re.IGNORECASE)


@functools.cache
def _bodies(lang: LanguagePack) -> list[tuple[str, re.Pattern]]:
    return [(key, re.compile(rf"\b(?:{body})", re.IGNORECASE)) for key, body in lang.bodies.items()]


def _body_after(text: str, end: int, language: str) -> str | None:
    """The body named within a few words after an office's mention, if any."""
    window = " ".join(text[end:].split()[:_BODY_WORDS])
    found = [(m.start(), key) for key, body in _bodies(pack(language)) if (m := body.search(window))]
    return min(found)[1] if found else None


def _mentions(text: str, key: str, language: str) -> list[bool]:
    """One entry per mention of the office: whether it is a deputy's title."""
    return [m.group("deputy") is not None for m in _pattern(key, language).finditer(text)]


def asked_offices(question: str, language: str) -> list[Office]:
    """Offices the question names: without a deputy's title ("Who is the Chairman
    of …"), or else with one ("Who is the Vice Chairman …", `deputy`)."""
    found = []
    for key in pack(language).offices:
        mentions = list(_pattern(key, language).finditer(question))
        plain = [m for m in mentions if m.group("deputy") is None]
        if mentions:
            m = (plain or mentions)[0]
            found.append(Office(key, m.group("office") if plain else m.group(0).strip(),
                                deputy=not plain, body=_body_after(question, m.end(), language)))
    return found


def names_office(text: str, office: Office, language: str) -> bool:
    """Whether the text names the office as asked (a deputy's title or not)."""
    return office.deputy in _mentions(text, office.key, language)


def holder(sentence: str, language: str, people: list[str], offices: list[Office]) -> int | None:
    """Which of `people` holds an asked office in the sentence: the one in the
    same entry of a list ("A - Vice Chairman …; B - Director …") as the office,
    nearest to it; None when no entry has both."""
    for office in offices:
        for m in _pattern(office.key, language).finditer(sentence):
            if (m.group("deputy") is not None) != office.deputy:
                continue
            start = sentence.rfind(";", 0, m.start()) + 1
            end = sentence.find(";", m.end())
            entry = (start, len(sentence) if end < 0 else end)
            near = [(abs(sentence.find(p, *entry) - m.start()), i) for i, p in enumerate(people)
                    if sentence.find(p, *entry) >= 0]
            if near:
                return min(near)[1]
    return None


def office_gap(office: Office, texts: list[tuple[str, str]]) -> str | None:
    """Why the passages (text, language) cannot say who holds the office, or
    None: "no_office" when they never name it; "other_body" when they name it
    only for other bodies than the one asked about ("Chairman of the People's
    Council" for the People's Committee's); "only_deputy" when a head is asked
    for and they name only deputies (of that body, when they name it with it)."""
    mentions = [(m.group("deputy") is not None, _body_after(text, m.end(), language))
                for text, language in texts for m in _pattern(office.key, language).finditer(text)]
    if not mentions:
        return "no_office"
    of_body = [deputy for deputy, body in mentions if body == office.body] if office.body else []
    if office.body and not of_body and any(body is not None for _, body in mentions):
        return "other_body"
    found = of_body or [deputy for deputy, _ in mentions]
    return "only_deputy" if not office.deputy and all(found) else None
