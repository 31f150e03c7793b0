"""Offices a "who" question asks about, in vi/en/ru: the answer to "Who is the
chairman of …" is not a vice-chairman. News names deputies far more often
than heads ("Phó Chủ tịch UBND tỉnh", "Standing Deputy Secretary"), so a
passage that names an office only with a deputy's title does not answer.

One row per office; the words each language writes it with, as regular
expressions (matched case-insensitively on word boundaries)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

OFFICES: dict[str, dict[str, str]] = {
    "chair": {"en": r"chair(?:man|woman|person)?", "vi": r"chủ tịch", "ru": r"председател\w*"},
    "secretary": {"en": r"secretary", "vi": r"bí thư", "ru": r"секретар\w*"},
    "head": {"en": r"director|head|chief",
             "vi": r"giám đốc|cục trưởng|vụ trưởng|viện trưởng|trưởng ban|trưởng phòng",
             # not "руководитель": "кто из руководителей" is "which of the leaders"
             "ru": r"директор\w*|начальник\w*|глав(?:а|е|у|ы|ой)"},
    "minister": {"en": r"minister", "vi": r"bộ trưởng", "ru": r"министр\w*"},
    "prime_minister": {"en": r"prime minister|premier", "vi": r"thủ tướng",
                       "ru": r"премьер(?:-министр\w*)?"},
    # not "после" (after), which is also a form of "посол"
    "ambassador": {"en": r"ambassador", "vi": r"đại sứ", "ru": r"посол|посл(?:а|у|ом|ы|ов|ам|ами)"},
    "governor": {"en": r"governor|mayor", "vi": r"thống đốc|thị trưởng",
                 "ru": r"губернатор\w*|мэр\w*"},
}
# Written right before the office: "Vice Chairman", "Phó Chủ tịch", "заместитель председателя".
DEPUTY: dict[str, str] = {
    "en": r"(?:vice|deputy|assistant|acting)[\s-]+",
    "vi": r"phó\s+",
    "ru": r"(?:заместител\w*|зам\.?|вице-)\s*(?:\w+\s+)?",
}


@dataclass(frozen=True)
class Office:
    key: str
    words: str  # as the question writes it
    deputy: bool = False  # the question asks for the deputy ("Who is the Vice Chairman …")


@functools.cache
def _pattern(key: str, language: str) -> re.Pattern:
    deputy = DEPUTY.get(language, DEPUTY["en"])
    office = OFFICES[key].get(language, OFFICES[key]["en"])
    return re.compile(rf"(?P<deputy>{deputy})?\b(?P<office>{office})\b", re.IGNORECASE)


def _mentions(text: str, key: str, language: str) -> list[bool]:
    """One entry per mention of the office: whether it is a deputy's title."""
    return [m.group("deputy") is not None for m in _pattern(key, language).finditer(text)]


def asked_offices(question: str, language: str) -> list[Office]:
    """Offices the question names: without a deputy's title ("Who is the Chairman
    of …"), or else with one ("Who is the Vice Chairman …", `deputy`)."""
    found = []
    for key in OFFICES:
        mentions = list(_pattern(key, language).finditer(question))
        plain = [m for m in mentions if m.group("deputy") is None]
        if plain:
            found.append(Office(key, plain[0].group("office")))
        elif mentions:
            found.append(Office(key, mentions[0].group(0).strip(), deputy=True))
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


def only_deputies(office: Office, texts: list[tuple[str, str]]) -> bool:
    """Whether the passages (text, language) name the office only with a
    deputy's title (and name it at least once)."""
    mentions = [deputy for text, language in texts for deputy in _mentions(text, office.key, language)]
    return bool(mentions) and all(mentions)
