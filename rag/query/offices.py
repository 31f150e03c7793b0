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
    # also the verb, before a department or ministry ("who heads the department",
    # "кто возглавлял департамент"); not before a delegation, which anyone leads
    "head": {"en": r"director|head|chief|(?:heads|headed|leads|led)(?= the (?:department|ministry|"
                   r"agency|bureau|office|service|committee|council)\b)",
             "vi": r"giám đốc|cục trưởng|vụ trưởng|viện trưởng|trưởng ban|trưởng phòng"
                   r"|đứng đầu(?= (?:sở|bộ|ban|cục|vụ|ủy ban|uỷ ban|phòng)\b)",
             # not "руководитель": "кто из руководителей" is "which of the leaders"
             "ru": r"директор\w*|начальник\w*|глав(?:а|е|у|ы|ой)|возглав\w*(?= (?:департамент|"
                   r"министерств|управлени|отдел|ведомств|агентств|служб|комитет|совет)\w*)"},
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


# The bodies an office belongs to, when the question says which: the Chairman of
# the People's Committee is not the Chairman of the People's Council.
BODIES: dict[str, dict[str, str]] = {
    "people_committee": {"en": r"people'?s committee", "vi": r"ủy ban nhân dân|uỷ ban nhân dân|ubnd",
                         "ru": r"народн\w* комитет\w*"},
    "people_council": {"en": r"people'?s council", "vi": r"hội đồng nhân dân|hđnd",
                       "ru": r"народн\w* совет\w*"},
    "party_committee": {"en": r"party committee", "vi": r"(?:tỉnh|thành|huyện|đảng) ủy|(?:tỉnh|thành|huyện|đảng) uỷ",
                        "ru": r"партийн\w* комитет\w*|парткомитет\w*|комитет\w* партии"},
    "national_assembly": {"en": r"national assembly", "vi": r"quốc hội",
                          "ru": r"национальн\w* собрани\w*"},
}
_BODY_WORDS = 8  # words from an office and its body ("Chairman of the Nghe An Provincial People's Committee")


@dataclass(frozen=True)
class Office:
    key: str
    words: str  # as the question writes it
    deputy: bool = False  # the question asks for the deputy ("Who is the Vice Chairman …")
    body: str | None = None  # the body the question names right after it (a BODIES key)


@functools.cache
def _pattern(key: str, language: str) -> re.Pattern:
    deputy = DEPUTY.get(language, DEPUTY["en"])
    office = OFFICES[key].get(language, OFFICES[key]["en"])
    return re.compile(rf"(?P<deputy>{deputy})?\b(?P<office>{office})\b", re.IGNORECASE)


@functools.cache
def _body_pattern(key: str, language: str) -> re.Pattern:
    return re.compile(rf"\b(?:{BODIES[key].get(language, BODIES[key]['en'])})", re.IGNORECASE)


def _body_after(text: str, end: int, language: str) -> str | None:
    """The body named within a few words after an office's mention, if any."""
    window = " ".join(text[end:].split()[:_BODY_WORDS])
    found = [(m.start(), key) for key in BODIES
             if (m := _body_pattern(key, language).search(window))]
    return min(found)[1] if found else None


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
