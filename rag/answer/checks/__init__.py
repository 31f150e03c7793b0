"""Answer checks: does the quoted evidence answer the question? Each check is
one module (which questions it applies to, its verdict, its reason codes, its
explanation); they run in order, like the retrieval postprocessors, and the
first refusal decides. Both answer strategies run them before answering.

Adding a check: a module here with a class that follows `Check`, its place in
`CHECKS`, its reason code in `rag.schema.ReasonCode` and its phrases in
`rag.lang.prompts`."""

from __future__ import annotations

from rag.answer.checks.after_articles import AfterArticlesCheck
from rag.answer.checks.base import Case, Check
from rag.answer.checks.country import CountryCheck
from rag.answer.checks.office import OfficeCheck
from rag.answer.checks.period import PeriodCheck
from rag.answer.checks.span import SpanCheck
from rag.answer.checks.speaker import SpeakerCheck
from rag.answer.checks.upcoming import UpcomingEventCheck
from rag.schema import Refusal

CHECKS: tuple[Check, ...] = (
    SpanCheck(),
    CountryCheck(),
    OfficeCheck(),
    AfterArticlesCheck(),
    UpcomingEventCheck(),
    SpeakerCheck(),
    PeriodCheck(),
)


def judge(case: Case, checks: tuple[Check, ...] = CHECKS) -> Refusal | None:
    """The first refusal of the checks that apply to the question (None: it answers)."""
    for check in checks:
        if check.applies_to(case.analysis) and (refusal := check.judge(case)) is not None:
            return refusal
    return None


def explain(refusal: Refusal, language: str, checks: tuple[Check, ...] = CHECKS) -> str | None:
    """The refusal in the user's language (None: no check made it)."""
    owner = next((c for c in checks if refusal.code in c.codes), None)
    return owner.explain(refusal, language) if owner is not None else None


__all__ = ["CHECKS", "Case", "Check", "explain", "judge"]
