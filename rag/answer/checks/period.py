"""A figure asked for a year must not come from a sentence about other
years. A sentence that names no year speaks of its article's time: the
publication year or the year before (a yearly review). A date asked of an
event named by its year ("when was the 2023 review conference held?") must
not come from a sentence about other years either (it may name none)."""

from __future__ import annotations

from rag.answer.checks.base import Case, PhrasedCheck
from rag.lang.prompts import phrase
from rag.query.analysis import AnswerType, QuestionAnalysis, years_in
from rag.schema import ReasonCode, Refusal


class PeriodCheck(PhrasedCheck):
    codes = (ReasonCode.OTHER_PERIOD,)

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        return bool(analysis.years) and analysis.answer_type in (AnswerType.QUANTITY, AnswerType.DATE)

    def judge(self, case: Case) -> Refusal | None:
        asked = case.analysis.years
        best = max(case.holding, key=lambda e: e.score)
        given = years_in(best.sentence.text)
        if case.analysis.answer_type is AnswerType.DATE:
            if given and not given & asked:
                return Refusal(ReasonCode.OTHER_PERIOD, {"asked": asked, "given": given, "date": True},
                               best)
            return None
        published = case.article_years.get(best.sentence.doc_id)
        if given and not given & asked:
            return Refusal(ReasonCode.OTHER_PERIOD, {"asked": asked, "given": given}, best)
        if not given and published and not {published - 1, published} & asked:
            return Refusal(ReasonCode.OTHER_PERIOD,
                           {"asked": asked, "given": {published}, "by_article": True}, best)
        return None

    def explain(self, refusal: Refusal, language: str) -> str:
        key = "other_period_article" if refusal.details.get("by_article") \
            else "other_period_date" if refusal.details.get("date") else "other_period"
        return phrase(key, language, asked=", ".join(map(str, sorted(refusal.details["asked"]))),
                      given=", ".join(map(str, sorted(refusal.details["given"]))))
