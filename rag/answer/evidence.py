"""Evidence selection: the sentences of the retrieved passages that best
answer the question, in the user's language where a translation exists."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from llama_index.core.schema import NodeWithScore

from rag.answer.spans import holds_answer
from rag.config import AnswerSettings
from rag.index import CorpusSnapshot
from rag.question import QuestionAnalysis
from rag.schema import Scope
from rag.sentences import Sentence, SentenceIndex
from rag.text import analyze
from rag.vocabulary import without_names

# Headings and captions: no closing punctuation.
_ENDS_SENTENCE = re.compile(r"[.!?…:;,\"'”»)]\s*$")


@dataclass
class Evidence:
    sentence: Sentence
    score: float
    node: object  # the TextNode the quoted sentence belongs to


@dataclass
class EvidenceRequest:
    question: str
    query_vector: np.ndarray
    language: str  # the answer language
    query_language: str  # the language the question is written in
    analysis: QuestionAnalysis | None = None  # what the question asks for


class EvidenceSelector:
    def __init__(self, sentences: SentenceIndex, snapshot: CorpusSnapshot,
                 settings: AnswerSettings, scope: Scope | None = None):
        self.sentences = sentences
        self.snapshot = snapshot
        self.settings = settings
        self.scope = scope  # a translation outside the question's scope is not quoted

    def scored(self, request: EvidenceRequest,
               nodes: list[NodeWithScore]) -> list[tuple[float, Sentence]]:
        """Every sentence of the passages, best first: calibrated similarity
        plus the share of the question's words it contains, plus a bonus when it
        holds a span of the expected answer type, minus a penalty for headings
        and captions."""
        candidates = self.sentences.for_chunks([n.node.node_id for n in nodes])
        if not candidates:
            return []
        cfg = self.settings
        q_tokens = set(analyze(request.question, request.language))
        # Words of the question's names say little inside the articles that mention
        # them (see AnswerContext): the overlap counts the other words.
        named = q_tokens - set(analyze(without_names(request.question), request.language))
        scored = []
        for language in {s.language for s in candidates}:
            group = [s for s in candidates if s.language == language]
            vectors = np.stack([s.vector for s in group])
            calibrated = self.snapshot.calibration.score(
                vectors @ request.query_vector, vectors, request.query_language, language)
            for s, value in zip(group, calibrated, strict=True):
                shared = q_tokens & set(analyze(s.text, s.language))
                overlap = len(shared - named) / (len(q_tokens - named) or 1)
                short = len(s.text.split()) < cfg.min_evidence_words or not _ENDS_SENTENCE.search(s.text)
                typed = request.analysis is not None and request.analysis.has_lead and \
                    holds_answer(s.text, s.language, request.analysis.answer_type)
                scored.append((float(value) + cfg.overlap_weight * overlap
                               + (cfg.answer_type_bonus if typed else 0.0)
                               - (cfg.heading_penalty if short else 0.0), s))
        scored.sort(key=lambda x: -x[0])
        return scored

    def select(self, request: EvidenceRequest, nodes: list[NodeWithScore]) -> list[Evidence]:
        """The best 1–`max_evidence` sentences of the best document's passages
        (lower-ranked documents are there for the reader to check, not to be
        quoted), in reading order, translated to the user's language if possible."""
        top_doc = nodes[0].node.metadata.get("doc_id") if nodes else None
        nodes = [n for n in nodes if n.node.metadata.get("doc_id") == top_doc]
        scored = self.scored(request, nodes)
        if not scored:
            return []
        chosen = self._choose(scored)
        if request.analysis is not None and request.analysis.needs_span:
            chosen = self._with_answer_span(chosen, scored, request.analysis)
        rank = {n.node.node_id: i for i, n in enumerate(nodes)}
        chosen.sort(key=lambda x: (rank[x[1].chunk_id], x[1].position))
        return [self._evidence(score, s, request.language, nodes) for score, s in chosen]

    def _choose(self, scored: list[tuple[float, Sentence]]) -> list[tuple[float, Sentence]]:
        cfg = self.settings
        best = scored[0][0]
        chosen: list[tuple[float, Sentence]] = []
        for score, s in scored:
            if len(chosen) == cfg.max_evidence or (chosen and score < best - cfg.evidence_margin):
                break
            if any(float(s.vector @ c.vector) >= cfg.duplicate_similarity for _, c in chosen):
                continue
            chosen.append((score, s))
        return chosen

    def _with_answer_span(self, chosen, scored, analysis: QuestionAnalysis):
        """Make sure the quote holds the kind of fact asked for when any sentence
        of the passages does: the best such sentence replaces the weakest pick."""
        kind = analysis.answer_type
        if any(holds_answer(s.text, s.language, kind) for _, s in chosen):
            return chosen
        holding = next(((score, s) for score, s in scored
                        if holds_answer(s.text, s.language, kind)), None)
        if holding is None:
            return chosen
        kept = chosen[: self.settings.max_evidence - 1]
        return [*kept, holding]

    def _evidence(self, score: float, s: Sentence, language: str,
                  nodes: list[NodeWithScore]) -> Evidence:
        translated = self.translate(s, language)
        if translated is not None:
            node = self.snapshot.fetch_nodes([translated.chunk_id]).get(translated.chunk_id)
            if node is not None:
                return Evidence(translated, score, node)
        return Evidence(s, score, next(n.node for n in nodes if n.node.node_id == s.chunk_id))

    def translate(self, s: Sentence, language: str) -> Sentence | None:
        """The same sentence in the user's language, from a translation of its article."""
        doc = self.snapshot.docs.get(s.doc_id)
        if s.language == language or doc is None:
            return None
        for other in self.snapshot.groups.get(doc.translation_group, []):
            version = self.snapshot.docs[other]
            if other == s.doc_id or version.language != language or (
                    self.scope is not None and not self.scope.admits(version)):
                continue
            candidates = self.sentences.for_document(other, language)
            if not candidates:
                continue
            sims = np.stack([c.vector for c in candidates]) @ s.vector
            best = int(sims.argmax())
            if sims[best] >= self.settings.translation_match:
                return candidates[best]
        return None
