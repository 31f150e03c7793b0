"""The offline answer: it leads with the answer span in the user's language
(a figure, a date, a name), then quotes the evidence sentences, cited and
framed in the user's language. It says "not found" when the evidence holds no
span of the kind asked for, or covers another year than the one asked about,
and then quotes what the closest evidence does say."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from rag.answer.alignment import word_units
from rag.answer.base import AnswerContext, abstain
from rag.answer.checks import Case, judge
from rag.answer.citations import make_citation
from rag.answer.evidence import Evidence, EvidenceSelector
from rag.answer.lead import lead_span
from rag.answer.measures import holds_asked
from rag.infra.store import store_call
from rag.lang.prompts import phrase
from rag.query.analysis import AnswerType, QuestionAnalysis, analyze_question
from rag.retrieval.scores import calibrated_score
from rag.schema import Citation, Confidence, DeltaEvent, Event, ReasonCode, Refusal
from rag.settings import Settings


@dataclass
class Assessment:
    analysis: QuestionAnalysis
    evidence: list[Evidence]
    refusal: Refusal | None  # why the evidence does not answer (None: it does)

    @property
    def answers(self) -> bool:
        return self.refusal is None


class ExtractiveStrategy:
    def __init__(self, settings: Settings):
        self.settings = settings

    def assess(self, ctx: AnswerContext) -> Assessment:
        """The evidence for the question and whether it answers it (`judge`).
        The LLM path runs this too, before the model is called."""
        analysis = analyze_question(ctx.question, ctx.query_language)
        request = ctx.evidence_request()
        request.analysis = analysis
        selector = EvidenceSelector(ctx.snapshot.evidence_sentences, ctx.snapshot,
                                    self.settings.answer, ctx.scope)
        first: Assessment | None = None
        cfg = self.settings.answer
        for nodes in _by_document(ctx.nodes, 1 + cfg.fallback_documents, cfg.fallback_margin):
            with store_call("reading evidence sentences"):
                evidence = selector.select(request, nodes)
            refusal = judge(Case(analysis, evidence, _article_years(evidence, ctx.snapshot),
                                 functools.partial(_documents_sentences, evidence, ctx.snapshot))) \
                if evidence else Refusal(ReasonCode.NOT_FOUND)
            assessment = Assessment(analysis, evidence, refusal)
            first = first or assessment
            # only a missing span sends the reader on: another period or a deputy is an
            # answer; "which countries …" asks about the best article (NO_COUNTRY)
            if refusal is None or refusal.code is not ReasonCode.NO_SPAN \
                    or analysis.countries is not None:
                return assessment if refusal is None else first
        return first or Assessment(analysis, [], Refusal(ReasonCode.NOT_FOUND))

    def refuse(self, ctx: AnswerContext, assessment: Assessment) -> Iterator[Event]:
        """The localised "not found" (or "another period") with the evidence
        the refusal is about."""
        evidence, refusal = assessment.evidence, assessment.refusal
        if not evidence:
            yield from abstain(ctx.answer)
            return
        closest = refusal.judged or max(evidence, key=lambda e: e.score)
        yield from abstain(ctx.answer, refusal, [closest], ctx.snapshot)

    def stream(self, ctx: AnswerContext, assessment: Assessment | None = None) -> Iterator[Event]:
        """The answer (`assessment`: the one the LLM path already made)."""
        assessment = assessment or self.assess(ctx)
        if not assessment.answers:
            yield from self.refuse(ctx, assessment)
            return
        evidence, analysis = assessment.evidence, assessment.analysis
        lead = self._lead(evidence, analysis, ctx)
        text, framing, citations = render(evidence, ctx.language, ctx.snapshot, lead)
        ctx.answer.text, ctx.answer.framing, ctx.answer.citations = text, framing, citations
        ctx.answer.confidence = self._confidence(ctx, analysis, lead)
        yield DeltaEvent(text=text)

    def _lead(self, evidence: list[Evidence], analysis: QuestionAnalysis,
              ctx: AnswerContext) -> tuple[str, Evidence] | None:
        """The answer span and the evidence it comes from: the best-scored
        sentence that holds one (a who-question passes over sentences that name
        no person). When another sentence scoring within `lead_tie_margin`
        holds a different span, the one whose words meet more of the
        question's leads (`_stating_most`); if neither, none: the evidence does
        not say which is meant. None on weak evidence (`lead_at_weak_evidence`).
        Measured and not kept: choosing the sentence whose span stands nearest
        the question's words (XQuAD 197 against 200 of ~330 leads right; own set
        60 against 64 of 91), or the one that states most of the asked thing
        (docs/decisions/0002-asked-thing.md)."""
        cfg = self.settings.answer
        weak = max(calibrated_score(n) for n in ctx.nodes) < cfg.partial_score
        if not analysis.has_lead or (weak and not cfg.lead_at_weak_evidence):
            return None
        found: list[tuple[str, Evidence]] = []
        for item in sorted(evidence, key=lambda e: -e.score):
            if found and item.score < found[0][1].score - cfg.lead_tie_margin:
                break
            if not holds_asked(item.sentence.text, item.sentence.language, analysis):
                continue
            doc = ctx.snapshot.docs.get(item.sentence.doc_id)
            span = lead_span(item.sentence.text, item.sentence.language, analysis, ctx.question,
                             ctx.language, doc.date if doc else None, item.node.get_content(),
                             ctx.aligner)
            if span is None and found == [] and analysis.answer_type is not AnswerType.PERSON:
                return None  # the best sentence of the asked kind holds no clear span
            if span is not None:
                found.append((span, item))
        if any(not _agrees(found[0][0], span) for span, _ in found[1:]):
            return _stating_most(found, ctx)
        return found[0] if found else None

    def _confidence(self, ctx: AnswerContext, analysis: QuestionAnalysis,
                    lead: tuple | None) -> Confidence:
        """strong / partial / weak from the best passage's calibrated score (its
        bands were measured against correctness); "strong" also needs, for a
        question whose answer leads (a figure, a date, a name), a checked lead;
        one level lower when a figure or date was asked for and no such span
        leads the answer."""
        cfg = self.settings.answer
        score = max(calibrated_score(n) for n in ctx.nodes)
        level = 2 if score >= cfg.strong_score else 1 if score >= cfg.partial_score else 0
        if level == 2 and analysis.has_lead and lead is None:
            level = 1
        if analysis.needs_span and lead is None:
            level = max(level - 1, 0)
        code = (ReasonCode.WEAK_MATCH, ReasonCode.PARTIAL_MATCH,
                ReasonCode.SPAN_IN_QUOTE if lead else ReasonCode.CLOSE_MATCH)[level]
        reasons = phrase("confidence_reason", ctx.language)
        return Confidence(level=("weak", "partial", "strong")[level], reason_code=code,
                          reason=reasons[code], score=score)


def _stating_most(found: list[tuple[str, Evidence]], ctx: AnswerContext) -> tuple[str, Evidence] | None:
    """Of near-tied sentences with different leads, the one whose words the
    word aligner pairs with more of the question's words (a word both hold
    counts for both: "kiều hối" meets "remittances" in one sentence only);
    None when no sentence meets more than the others."""
    if ctx.aligner is None:
        return None
    question = word_units(ctx.question, ctx.query_language)
    units = [set(word_units(item.sentence.text, item.sentence.language)) for _, item in found]
    aligned = ctx.aligner.align(question, sorted(set().union(*units)))
    met = [len({aligned[u] for u in own if u in aligned}) for own in units]
    best = max(met)
    return found[met.index(best)] if met.count(best) == 1 else None


def _agrees(lead: str, other: str) -> bool:
    """Two leads say the same when one holds the other ("A, B and C" and "A")."""
    return lead in other or other in lead


def _by_document(nodes: list, documents: int, margin: float) -> Iterator[list]:
    """The passages from the best-ranked document on, then from the next one,
    … (`documents` in all, each scoring within `margin` of the first):
    evidence is quoted from one article at a time."""
    best: dict[str, float] = {}
    for item in nodes:
        doc_id = item.node.metadata.get("doc_id")
        best[doc_id] = max(best.get(doc_id, float("-inf")), item.score or 0.0)
    order = list(best)
    for i, doc_id in enumerate(order[:documents]):
        if i and best[doc_id] < best[order[0]] - margin:
            return
        yield [n for n in nodes if n.node.metadata.get("doc_id") in order[i:]]


def _documents_sentences(evidence: list[Evidence], snapshot) -> list[tuple[str, str]]:
    """Every sentence of the quoted articles, with its language."""
    sentences = []
    for doc_id in dict.fromkeys(e.sentence.doc_id for e in evidence):
        sentences += [(s.text, s.language) for s in snapshot.evidence_sentences.for_document(doc_id)]
    return sentences


def _article_years(evidence: list[Evidence], snapshot) -> dict[str, int]:
    """Publication year of each quoted article that has a date."""
    years = {}
    for item in evidence:
        doc = snapshot.docs.get(item.sentence.doc_id)
        if doc is not None and doc.date and doc.date[:4].isdigit():
            years[item.sentence.doc_id] = int(doc.date[:4])
    return years


def render(evidence: list[Evidence], language: str, snapshot,
           lead: tuple[str, Evidence] | None = None) -> tuple[str, str, list[Citation]]:
    """-> (answer text, framing text, citations): one citation per passage."""
    citations: list[Citation] = []
    number: dict[str, int] = {}
    lines = [phrase("according", language)]
    framing = [lines[0]]
    for item in evidence:
        chunk_id = item.node.node_id
        if chunk_id not in number:
            number[chunk_id] = len(number) + 1
            citations.append(make_citation(number[chunk_id], snapshot, item.node, item.sentence.text))
        else:
            cite = citations[number[chunk_id] - 1]
            cite.text = f"{cite.text} {item.sentence.text}"
        note = phrase("quoted_in", language).get(item.sentence.language, "")
        if note:
            framing.append(note)
        prefix = f"{note} " if note else ""
        lines.append(f"- {prefix}«{item.sentence.text}» [{number[chunk_id]}]")
    if lead:
        span, source = lead
        lines.insert(0, f"**{span}** [{number[source.node.node_id]}]\n")
        framing.insert(0, span)
    return "\n".join(lines), " ".join(framing), citations
