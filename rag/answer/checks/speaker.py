""""What did X say" needs a sentence of the quoted articles where X speaks."""

from __future__ import annotations

from rag.answer.checks.base import Case, PhrasedCheck
from rag.query.analysis import QuestionAnalysis
from rag.query.statements import speaks
from rag.schema import ReasonCode, Refusal


class SpeakerCheck(PhrasedCheck):
    codes = (ReasonCode.NOT_SAID,)

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        return bool(analysis.speakers)

    def judge(self, case: Case) -> Refusal | None:
        for speaker in case.analysis.speakers:
            if not speaks(speaker, case.articles):
                return Refusal(ReasonCode.NOT_SAID, {"speaker": speaker}, case.closest)
        return None
