"""A figure or a date asked for must stand in a quoted sentence: "how much did
it cost" is not answered by a count, "when" not by a sentence without a date."""

from __future__ import annotations

from rag.answer.checks.base import Case, PhrasedCheck
from rag.lang.prompts import phrase
from rag.query.analysis import QuestionAnalysis
from rag.schema import ReasonCode, Refusal


class SpanCheck(PhrasedCheck):
    codes = (ReasonCode.NO_SPAN,)

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        return analysis.needs_span

    def judge(self, case: Case) -> Refusal | None:
        if case.holding:
            return None
        return Refusal(ReasonCode.NO_SPAN, {"kind": case.analysis.answer_type.value})

    def explain(self, refusal: Refusal, language: str) -> str:
        what = phrase("answer_type", language).get(refusal.details["kind"], "")
        return phrase("no_span", language, what=what)
