"""Greetings and thanks typed into the chat ("Hello", "Cảm ơn", "Спасибо"):
answered with a line on what the chat does, not with the passages nearest to
"hello". Only a message that is nothing else counts: "Hello, how much FDI …"
is a question. The words are the language packs' `greetings` and `thanks`,
recognised whatever language the chat is set to."""

from __future__ import annotations

import functools
import re

from rag.lang.pack import LanguagePack, any_of
from rag.lang.registry import packs

_KINDS = ("greeting", "thanks")


@functools.cache
def _small_talk(every: tuple[LanguagePack, ...]) -> re.Pattern:
    kinds = {"greeting": any_of(p.greetings for p in every), "thanks": any_of(p.thanks for p in every)}
    return re.compile(
        r"^\s*(?:" + "|".join(f"(?P<{kind}>{kinds[kind]})" for kind in _KINDS)
        + r")[\s!.,?)(:;\-😊🙂👍]*$", re.IGNORECASE)


def small_talk(message: str) -> str | None:
    """"greeting" or "thanks" when the whole message is one, else None."""
    match = _small_talk(packs()).match(message)
    return match.lastgroup if match else None
