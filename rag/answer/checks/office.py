"""An office asked about ("who is the chairman of …") must appear in the
quoted passages, of the body asked about, and not only as a deputy's title
("Vice Chairman")."""

from __future__ import annotations

from rag.answer.checks.base import Case, PhrasedCheck
from rag.query.analysis import QuestionAnalysis
from rag.query.offices import office_gap
from rag.schema import ReasonCode, Refusal


class OfficeCheck(PhrasedCheck):
    codes = (ReasonCode.ONLY_DEPUTY, ReasonCode.OTHER_BODY, ReasonCode.NO_OFFICE)

    def applies_to(self, analysis: QuestionAnalysis) -> bool:
        return bool(analysis.offices)

    def judge(self, case: Case) -> Refusal | None:
        # the quoted sentences and the passages they stand in
        passages = [(text, e.sentence.language) for e in case.evidence for text in
                    (e.sentence.text, e.node.get_content() if e.node is not None else "")]
        for office in case.analysis.offices:
            if gap := office_gap(office, passages):
                return Refusal(ReasonCode(gap), {"office": office.words}, case.closest)
        return None
