"""Follow-up questions: turning "and in 2023?" into a standalone question.

With an LLM the model rewrites the follow-up. Offline, a question that points
back to the previous one (it opens with "and …?", "còn … thì sao", "а …?",
holds a pronoun that refers back, or has no content word of its own: "In
2021?") is joined to the previous question, whose years give way to the years
the follow-up names. A stand-alone question, however short, is never joined:
"Who chaired the conference on January 15?" after a question about exports is
a new question."""

from __future__ import annotations

import logging
import re
import time

from rag.lang.basics import YEAR_PATTERN
from rag.lang.prompts import CONDENSE_QUESTION
from rag.lang.registry import pack
from rag.lang.text import fold_diacritics, function_words
from rag.settings import Settings

logger = logging.getLogger(__name__)

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
    if previous and is_follow_up(question, language):
        return join_follow_up(previous[-1][:500], question)
    return question


def is_follow_up(question: str, language: str) -> bool:
    """Points back to the previous question: opens with "and"/"còn"/"а",
    holds a pronoun that refers back, or has no content word of its own
    (only question words, years, dates: "In 2021?", "Còn năm 2023?")."""
    text = question.strip().lower()
    words = re.findall(r"\w+", text)
    lang = pack(language)  # its follow-up openers, pointers and asking words
    if text.startswith(lang.followup_openers) or set(words) & lang.pointers:
        return True
    stop = function_words(language) | lang.asking_words
    return not any(not w.isdigit() and fold_diacritics(w) not in stop and w not in stop
                   for w in words)


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
