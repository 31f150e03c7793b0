"""Follow-up questions: turning "and in 2023?" into a standalone question.

With an LLM the model rewrites the follow-up. Offline, a question that leans
on the previous one (it opens with "and"/"còn"/"а", points back with a pronoun,
or is very short and names no one) is joined to the previous question, whose years give way to
the years the follow-up names."""

from __future__ import annotations

import logging
import re
import time

from rag.lang.prompts import CONDENSE_QUESTION
from rag.lang.vocabulary import question_names
from rag.query.analysis import YEAR_PATTERN
from rag.settings import Settings

logger = logging.getLogger(__name__)

# Words that open a follow-up, and pronouns that point back to the previous turn.
_OPENERS = {
    "en": ("and ", "what about ", "how about ", "also ", "then "),
    "vi": ("còn ", "thế còn ", "vậy ", "và ", "thế "),
    "ru": ("а ", "и ", "а что ", "а как ", "ещё ", "тогда "),
}
_POINTERS = {
    "en": {"he", "she", "it", "they", "his", "her", "its", "their", "him", "them"},
    "vi": {"ông", "bà", "ông ấy", "bà ấy", "họ", "đó", "ấy", "nó"},
    "ru": {"он", "она", "оно", "они", "его", "её", "ее", "их", "ему", "ей", "им"},
}


def user_turns(history: list[dict] | None) -> list[dict]:
    return [t for t in (history or [])
            if t.get("role") in ("user", "assistant") and t.get("content")]


def condense(question: str, history: list[dict] | None, llm, settings: Settings,
             deadline: float, language: str = "en") -> str:
    """A standalone question for retrieval, using the conversation."""
    turns = user_turns(history)
    if not turns:
        return question
    if llm is not None:
        condensed = _condense_with_llm(question, turns, llm, settings, deadline)
        if condensed:
            return condensed
    previous = [str(t["content"]) for t in turns if t["role"] == "user"]
    if previous and is_follow_up(question, language, settings.answer.follow_up_max_words):
        return join_follow_up(previous[-1][:500], question)
    return question


def is_follow_up(question: str, language: str, max_words: int) -> bool:
    """Opens with "and"/"còn"/"а", points back with a pronoun, or is short and
    names no subject of its own: "Какую должность занимает Хоанг Нгиа Хиеу?"
    is short but asks about a person of its own (a name of two words or more)."""
    text = question.strip().lower()
    words = re.findall(r"\w+", text)
    if len(words) < max_words and not any(len(run) > 1 for run in question_names(question)):
        return True
    if text.startswith(_OPENERS.get(language, ())):
        return True
    return bool(set(words) & _POINTERS.get(language, set()))


def join_follow_up(previous: str, question: str) -> str:
    """The previous question, its years replaced by those of the follow-up, then
    the follow-up itself."""
    years = YEAR_PATTERN.findall(question)
    if years:
        previous = YEAR_PATTERN.sub(years[0], previous)
    return f"{previous} {question}"


def _condense_with_llm(question: str, turns: list[dict], llm, settings: Settings,
                       deadline: float) -> str | None:
    from rag.infra.llm_client import LLMClient, LLMUnavailable

    transcript = "\n".join(f"{t['role']}: {str(t['content'])[:1000]}" for t in turns[-6:])
    try:
        condensed = LLMClient(llm, settings).complete(
            CONDENSE_QUESTION.format(history=transcript, question=question),
            min(deadline, time.monotonic() + settings.llm.request_timeout),
        )
    except LLMUnavailable:
        logger.warning("could not condense the follow-up; using it as is")
        return None
    if condensed and len(condensed) < 2 * settings.max_question_chars:
        return condensed
    return None
