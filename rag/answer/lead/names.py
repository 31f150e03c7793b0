"""Person names in a sentence: capitalised runs that a title or an honorific
introduces, or that open with a Vietnamese family name (in Latin letters or as
Russian writes them)."""

from __future__ import annotations

import functools
import re

from rag.answer.spans import names
from rag.lang.basics import alternation
from rag.lang.pack import LanguagePack, any_of
from rag.lang.registry import packs
from rag.lang.text import fold_diacritics
from rag.lang.vocabulary import title_words


def person_names(sentence: str, context: str = "", sure: bool = False) -> list[str]:
    """Capitalised runs that name a person: titles and offices dropped
    ("Prime Minister Pham Minh Chinh" -> "Pham Minh Chinh"); not a run whose
    every word the passage (`context`) also writes in lower case: that is a
    capitalised title ("Committee for External Information Work"). `sure`:
    only runs a title or an honorific introduces, or that open with a
    Vietnamese family name; "United States" and "Royal Society" are runs too."""
    lower = {w for w in re.findall(r"\w+", f"{sentence} {context}") if w[0].islower()}
    titles, honorific = title_words(), _honorific_before(packs())
    found = []
    for run in names(sentence):
        words = run.split()
        titled = honorific.search(sentence[:sentence.find(run)]) is not None
        while words and words[0].lower().removesuffix("'s").removesuffix("’s") in titles:
            words.pop(0)
            titled = True
        if words:  # "Prime Minister Pham Minh Chinh's speech"
            words[-1] = re.sub(r"['’]s$", "", words[-1])
        if len(words) < 2 or all(w.lower() in lower for w in words):
            continue
        vietnamese = _vietnamese_surname(words[0])
        if sure and not (titled or vietnamese):
            continue
        if vietnamese or not any(w.lower() in titles for w in words):
            found.append(" ".join(words))
    return found


@functools.cache
def _honorific_before(every: tuple[LanguagePack, ...]) -> re.Pattern:
    """An honorific or a title right before a name ("comrade", "Mr.", "ông", "товарищ" …)."""
    titles = alternation(w for p in every for w in p.title_words)
    return re.compile(rf"(?:\b(?:{any_of(p.honorifics for p in every)})|\b(?:{titles}))\.?\s*$",
                      re.IGNORECASE)


def _vietnamese_surname(word: str) -> bool:
    """A Vietnamese family name (the packs' `surnames`), in Latin letters or as
    Russian writes it, declined ("Нгуена")."""
    folded = fold_diacritics(word)
    return any(folded[:len(folded) - cut] in p.surnames for p in packs()
               for cut in range(p.surname_endings + 1) if len(folded) - cut >= 2)
