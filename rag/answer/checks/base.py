"""What every answer check receives and returns.

A check reads a `Case` (the question's analysis and the evidence picked for
it) and returns None when the evidence passes, or a `Refusal` with its reason
code, what the explanation names and the evidence it is about."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from rag.answer.evidence import Evidence
from rag.answer.measures import holds_asked
from rag.lang.prompts import phrase
from rag.query.analysis import QuestionAnalysis
from rag.schema import ReasonCode, Refusal


@dataclass
class Case:
    analysis: QuestionAnalysis
    evidence: list[Evidence]
    article_years: dict[str, int] = field(default_factory=dict)  # doc -> publication year
    # every sentence of the quoted articles with its language, read on demand
    read_articles: Callable[[], list[tuple[str, str]]] | None = None

    @functools.cached_property
    def holding(self) -> list[Evidence]:
        """The evidence sentences that hold a span of the kind asked for."""
        return [e for e in self.evidence
                if holds_asked(e.sentence.text, e.sentence.language, self.analysis)]

    @functools.cached_property
    def closest(self) -> Evidence:
        return max(self.evidence, key=lambda e: e.score)

    @functools.cached_property
    def articles(self) -> list[tuple[str, str]]:
        """The quoted articles' sentences (only the quotes when they are not read)."""
        read = self.read_articles() if self.read_articles is not None else []
        return read or [(e.sentence.text, e.sentence.language) for e in self.evidence]


class Check(Protocol):
    codes: ClassVar[tuple[ReasonCode, ...]]  # the reason codes its refusals carry

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        """Whether the question asks what this check can tell."""

    def judge(self, case: Case) -> Refusal | None:
        """None when the evidence passes; else why it does not answer."""

    def explain(self, refusal: Refusal, language: str) -> str:
        """The refusal in the user's language."""


class PhrasedCheck:
    """A check whose refusal is explained by the phrase named after its code,
    filled in with the refusal's details."""

    codes: ClassVar[tuple[ReasonCode, ...]] = ()

    def explain(self, refusal: Refusal, language: str) -> str:
        return phrase(refusal.code.value, language, **refusal.details)
