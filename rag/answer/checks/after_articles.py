"""A question about a year after the quoted articles were published, which
they never name, is past what they can report (a plan "for 2026" in a 2025
article is reported). Figures asked for a year have their own check
(`period`)."""

from __future__ import annotations

from rag.answer.checks.base import Case, PhrasedCheck
from rag.query.analysis import AnswerType, QuestionAnalysis, years_in
from rag.schema import ReasonCode, Refusal


class AfterArticlesCheck(PhrasedCheck):
    codes = (ReasonCode.AFTER_ARTICLES,)

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        return bool(analysis.years) and analysis.answer_type is not AnswerType.QUANTITY

    def judge(self, case: Case) -> Refusal | None:
        asked = case.analysis.years
        if not case.article_years:
            return None
        latest = max(case.article_years.values())
        if min(asked) <= latest or any(asked & years_in(text) for text, _ in case.articles):
            return None
        return Refusal(ReasonCode.AFTER_ARTICLES,
                       {"given": latest, "asked": ", ".join(map(str, sorted(asked)))}, case.closest)
