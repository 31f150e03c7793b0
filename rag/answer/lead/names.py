"""Person names in a sentence: capitalised runs that a title or an honorific
introduces, or that open with a Vietnamese family name (in Latin letters or as
Russian writes them)."""

from __future__ import annotations

import re

from rag.answer.spans import names
from rag.lang.text import fold_diacritics
from rag.lang.vocabulary import TITLE_WORDS

# The common Vietnamese family names (with or without diacritics): a run that
# starts with one is a person even when a later syllable is also a title word
# ("Nguyễn Thị Hồng Hoa": "thị" is in "chỉ thị", a directive).
VIETNAMESE_SURNAMES = frozenset("""
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly doan dinh trinh
truong mai luong cao ha ta chu lam la kieu quach thai tang trieu luu van khuat nghiem
""".split())


# The same names as Russian writes them.
_RUSSIAN_SURNAMES = frozenset("""
нгуен чан ле фам хоанг хюинь фан ву во данг буй до хо нго зыонг ли доан динь чинь
чыонг май лыонг као ха та чу лам ла кьеу куать тхай танг чьеу лыу ван кхуат нгием
""".split())


def person_names(sentence: str, context: str = "", sure: bool = False) -> list[str]:
    """Capitalised runs that name a person: titles and offices dropped
    ("Prime Minister Pham Minh Chinh" -> "Pham Minh Chinh"); not a run whose
    every word the passage (`context`) also writes in lower case: that is a
    capitalised title ("Committee for External Information Work"). `sure`:
    only runs a title or an honorific introduces, or that open with a
    Vietnamese family name; "United States" and "Royal Society" are runs too."""
    lower = {w for w in re.findall(r"\w+", f"{sentence} {context}") if w[0].islower()}
    found = []
    for run in names(sentence):
        words = run.split()
        titled = _HONORIFIC_BEFORE.search(sentence[:sentence.find(run)]) is not None
        while words and words[0].lower().removesuffix("'s").removesuffix("’s") in TITLE_WORDS:
            words.pop(0)
            titled = True
        if words:  # "Prime Minister Pham Minh Chinh's speech"
            words[-1] = re.sub(r"['’]s$", "", words[-1])
        if len(words) < 2 or all(w.lower() in lower for w in words):
            continue
        vietnamese = _vietnamese_surname(words[0])
        if sure and not (titled or vietnamese):
            continue
        if vietnamese or not any(w.lower() in TITLE_WORDS for w in words):
            found.append(" ".join(words))
    return found


# "comrade", "Mr.", "ông", "товарищ" … right before a name
_HONORIFIC_BEFORE = re.compile(
    r"(?:\b(?:comrade|mr|mrs|ms|dr|prof|sir|đồng chí|ông|bà|anh|chị|товарищ\w*|господин\w*|"
    r"госпож\w*)|\b(?:" + "|".join(sorted(TITLE_WORDS, key=len, reverse=True)) + r"))\.?\s*$",
    re.IGNORECASE)


def _vietnamese_surname(word: str) -> bool:
    """A Vietnamese family name, in Latin letters or in Russian transliteration
    (declined: "Нгуена")."""
    folded = fold_diacritics(word)
    return folded in VIETNAMESE_SURNAMES or any(
        folded[:len(folded) - cut] in _RUSSIAN_SURNAMES for cut in (0, 1, 2) if len(folded) - cut >= 2)


