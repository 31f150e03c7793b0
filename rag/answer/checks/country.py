""""Which countries …" is answered by a sentence that names a country other
than those the question names: "19 delegations … to foreign countries" does
not say which."""

from __future__ import annotations

from rag.answer.checks.base import Case, PhrasedCheck
from rag.lang.countries import countries_named
from rag.lang.prompts import phrase
from rag.query.analysis import QuestionAnalysis
from rag.schema import ReasonCode, Refusal


class CountryCheck(PhrasedCheck):
    codes = (ReasonCode.NO_COUNTRY,)

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        return analysis.countries is not None

    def judge(self, case: Case) -> Refusal | None:
        asked = case.analysis.countries or set()
        if any(countries_named(e.sentence.text, e.sentence.language) - asked for e in case.evidence):
            return None
        return Refusal(ReasonCode.NO_COUNTRY, judged=case.closest)

    def explain(self, refusal: Refusal, language: str) -> str:
        return phrase("no_span", language, what=phrase("answer_type", language).get("country", ""))
