"""Greetings and thanks typed into the chat ("Hello", "Cảm ơn", "Спасибо"):
answered with a line on what the chat does, not with the passages nearest to
"hello". Only a message that is nothing else counts: "Hello, how much FDI …"
is a question."""

from __future__ import annotations

import re

_KINDS = {
    "greeting": r"(?:hi|hello|hey)(?: there)?|good (?:morning|afternoon|evening)|xin ch[àa]o|ch[àa]o(?: b[ạa]n)?"
                r"|alo|привет|здравствуй(?:те)?|добрый (?:день|вечер)|доброе утро",
    "thanks": r"thanks?(?: a lot)?|thank you(?: (?:so|very) much)?|thx|c[ảáa]m [ơo]n(?: b[ạa]n)?"
              r"(?: nhi[ềe]u)?|спасибо(?: большое)?|благодарю",
}
_SMALL_TALK = re.compile(
    r"^\s*(?:" + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS.items())
    + r")[\s!.,?)(:;\-😊🙂👍]*$", re.IGNORECASE)


def small_talk(message: str) -> str | None:
    """"greeting" or "thanks" when the whole message is one, else None."""
    match = _SMALL_TALK.match(message)
    return match.lastgroup if match else None
