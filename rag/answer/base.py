"""What every answer strategy receives and yields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from llama_index.core.schema import NodeWithScore

from rag.answer.alignment import WordAligner
from rag.answer.checks import explain
from rag.answer.evidence import Evidence, EvidenceRequest
from rag.infra.index import CorpusSnapshot
from rag.lang.prompts import phrase
from rag.schema import (
    Answer,
    Confidence,
    DeltaEvent,
    Event,
    Notice,
    NoticeEvent,
    ReasonCode,
    Refusal,
    Scope,
)


@dataclass
class AnswerContext:
    """One question on its way to an answer. Strategies fill in `answer`."""

    answer: Answer
    question: str  # the standalone question (follow-ups resolved)
    language: str  # the answer language
    query_language: str  # the language the question is written in
    nodes: list[NodeWithScore]
    query_vector: np.ndarray
    snapshot: CorpusSnapshot
    deadline: float  # time.monotonic() by which the answer must be complete
    # embeds the question without its names, on demand (None: it names nothing)
    name_free_vector: Callable[[], np.ndarray | None] | None = None
    scope: Scope | None = None  # the documents / dates the question is limited to
    aligner: WordAligner | None = None  # meets question words in another language's sentence

    def evidence_request(self) -> EvidenceRequest:
        return EvidenceRequest(self.question, self.query_vector, self.language,
                               self.query_language, name_free_vector=self.name_free_vector)


class AnswerStrategy(Protocol):
    def stream(self, ctx: AnswerContext) -> Iterator[Event]:
        """Yield delta and notice events, and fill in `ctx.answer`."""


def abstain(answer: Answer, refusal: Refusal | None = None, closest: list[Evidence] | None = None,
            snapshot: CorpusSnapshot | None = None) -> Iterator[Event]:
    """The localised "the articles do not say" answer, saying why when the
    refusal can (another period, a name no article mentions …); with
    `closest`, it also quotes what the nearest evidence does say (cited, so
    it can be checked)."""
    from rag.answer.citations import make_citation

    refusal = refusal or Refusal(ReasonCode.NOT_FOUND)
    reason = explanation(refusal, answer.language)
    lines = [reason or phrase("abstain", answer.language)]
    answer.citations = []
    if closest and snapshot is not None:
        if reason is None or not reason.endswith(":"):
            lines.append(phrase("closest", answer.language))
        for n, item in enumerate(closest, start=1):
            answer.citations.append(make_citation(n, snapshot, item.node, item.sentence.text))
            note = phrase("quoted_in", answer.language).get(item.sentence.language, "")
            lines.append(f"- {note + ' ' if note else ''}«{item.sentence.text}» [{n}]")
    answer.text = "\n".join(lines)
    answer.framing = lines[0]
    answer.abstained = True
    answer.confidence = Confidence(level="none", reason_code=refusal.code, reason=phrase(
        "confidence_reason", answer.language)[refusal.code])
    notice = Notice(code="abstained", message=lines[0])
    answer.notices.append(notice)
    yield NoticeEvent(notice=notice)
    yield DeltaEvent(text=answer.text)


def explanation(refusal: Refusal, language: str) -> str | None:
    """Why there is no answer, in the user's language (None: the plain "not found")."""
    if refusal.code is ReasonCode.NOT_FOUND:
        return None
    if refusal.code is ReasonCode.NOT_MENTIONED:
        return _unmentioned(refusal.details.get("names", []), refusal.details.get("dates", []),
                            language)
    return explain(refusal, language)


def _unmentioned(names: list[str], dates: list[tuple[int, int]], language: str) -> str | None:
    """ "No article mentions «Thanh Hóa», 12 March." (days in the user's language)."""
    if not (names or dates):
        return None
    import datetime as dt

    from rag.answer.lead import render_date

    days = [render_date(dt.date(2000, month, day), language, with_year=False) for month, day in dates]
    terms = ", ".join([*(f"«{name}»" for name in names), *days])
    return phrase("not_mentioned", language, terms=terms)
