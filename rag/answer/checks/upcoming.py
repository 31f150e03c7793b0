"""A numbered event asked about ("the 14th Congress") that the quoted
articles speak of only as upcoming has not happened in them."""

from __future__ import annotations

from rag.answer.checks.base import Case, PhrasedCheck
from rag.query.analysis import QuestionAnalysis
from rag.query.events import only_upcoming
from rag.schema import ReasonCode, Refusal


class UpcomingEventCheck(PhrasedCheck):
    codes = (ReasonCode.ONLY_UPCOMING,)

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        return bool(analysis.events)

    def judge(self, case: Case) -> Refusal | None:
        upcoming = only_upcoming(case.analysis.events, case.articles)
        if upcoming is None:
            return None
        return Refusal(ReasonCode.ONLY_UPCOMING, {"event": upcoming}, case.closest)
