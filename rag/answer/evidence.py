"""Evidence selection: the sentences of the retrieved passages that best
answer the question, in the user's language where a translation exists."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from llama_index.core.schema import NodeWithScore

from rag.answer.measures import holds_asked
from rag.infra.index import CorpusSnapshot
from rag.infra.sentences import Sentence, SentenceIndex
from rag.lang.basics import YEAR_PATTERN
from rag.lang.text import analyze
from rag.lang.vocabulary import without_names
from rag.query.analysis import QuestionAnalysis
from rag.schema import Scope
from rag.settings import AnswerSettings

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
    # embeds the question without its names, on demand (None: it names nothing)
    name_free_vector: Callable[[], np.ndarray | None] | None = None


# Rarity of a question word among the candidate sentences: log(N / df). A word
# in at least a quarter of them is "common" (log 4).
_COMMON_RARITY = float(np.log(4.0))
_MAX_RARITY = 10.0


def _rarity(question_words: set[str], sentence_words: list[set[str]]) -> dict[str, float]:
    """How rare each question word is among the sentences (absent: the rarest)."""
    n = len(sentence_words)
    rarity = {}
    for word in question_words:
        df = sum(word in words for words in sentence_words)
        rarity[word] = float(np.log(n / df)) if df else _MAX_RARITY
    return rarity


class EvidenceSelector:
    def __init__(self, sentences: SentenceIndex, snapshot: CorpusSnapshot,
                 settings: AnswerSettings, scope: Scope | None = None):
        self.sentences = sentences
        self.snapshot = snapshot
        self.settings = settings
        self.scope = scope  # a translation outside the question's scope is not quoted

    def scored(self, request: EvidenceRequest,
               nodes: list[NodeWithScore]) -> list[tuple[float, Sentence]]:
        """Every sentence of the passages, best first: calibrated similarity,
        plus the question's words it contains (weighted by how rare they are
        among these sentences: "Nghe An", on every line of an article about
        Nghe An, tells less than "FTA"), plus a bonus when it holds a span of
        the expected answer type, minus a penalty for headings and captions."""
        candidates = self.sentences.for_chunks([n.node.node_id for n in nodes])
        if not candidates:
            return []
        cfg = self.settings
        tokens = [set(analyze(s.text, s.language)) for s in candidates]
        # a year the question names is checked against the evidence's period
        # (extractive.judge), not matched as a topic word
        question_words = {w for w in analyze(request.question, request.language)
                          if not YEAR_PATTERN.fullmatch(w)}
        rarity = _rarity(question_words, tokens)
        named = question_words - set(analyze(without_names(request.question), request.language))
        subject = self._subject_words(named, nodes, rarity, request.language)
        rarity.update(dict.fromkeys(subject, 0.0))
        # the names-free vector leaves out every name: only when all are the subject,
        # and only when the question's own vector leaves the best sentences close
        scored = self._scores(request, candidates, tokens, rarity, request.query_vector)
        if bool(named) and named <= subject and len(scored) > 1 \
                and scored[0][0] - scored[1][0] < cfg.name_free_margin:
            query = self._query_vector(request)
            if query is not request.query_vector:
                scored = self._scores(request, candidates, tokens, rarity, query)
        return scored

    def _scores(self, request: EvidenceRequest, candidates: list[Sentence],
                tokens: list[set[str]], rarity: dict[str, float],
                query: np.ndarray) -> list[tuple[float, Sentence]]:
        cfg = self.settings
        scored = []
        for language in {s.language for s in candidates}:
            group = [(s, t) for s, t in zip(candidates, tokens, strict=True) if s.language == language]
            vectors = np.stack([s.vector for s, _ in group])
            calibrated = self.snapshot.calibration.score(
                vectors @ query, vectors, request.query_language, language)
            for (s, words), value in zip(group, calibrated, strict=True):
                overlap = sum(rarity[t] for t in words & rarity.keys()) / (sum(rarity.values()) or 1)
                short = len(s.text.split()) < cfg.min_evidence_words or not _ENDS_SENTENCE.search(s.text)
                typed = request.analysis is not None and request.analysis.has_lead and \
                    holds_asked(s.text, s.language, request.analysis)
                scored.append((float(value) + cfg.overlap_weight * overlap
                               + (cfg.answer_type_bonus if typed else 0.0)
                               - (cfg.heading_penalty if short else 0.0), s))
        scored.sort(key=lambda x: -x[0])
        return scored

    def _subject_words(self, named: set[str], nodes: list[NodeWithScore],
                       rarity: dict[str, float], language: str) -> set[str]:
        """Words of the question's names that the article is about: in its
        title, or in a quarter of these sentences ("Nghe An" in an article
        about Nghe An). They do not point at the sentence that answers."""
        titles = {d.title for n in nodes if (d := self.snapshot.doc_of(n.node)) is not None}
        title = set(analyze(" ".join(titles), language))
        return {w for w in named if w in title or rarity.get(w, _MAX_RARITY) <= _COMMON_RARITY}

    def _query_vector(self, request: EvidenceRequest) -> np.ndarray:
        """The question's vector mixed with the vector of the question without
        its names (names the article repeats everywhere say little about which
        sentence answers)."""
        if request.name_free_vector is None or not self.settings.name_free_weight:
            return request.query_vector
        name_free = request.name_free_vector()
        if name_free is None:
            return request.query_vector
        weight = self.settings.name_free_weight
        mixed = (1 - weight) * request.query_vector + weight * name_free
        return mixed / (np.linalg.norm(mixed) or 1.0)

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
        if any(holds_asked(s.text, s.language, analysis) for _, s in chosen):
            return chosen
        holding = next(((score, s) for score, s in scored
                        if holds_asked(s.text, s.language, analysis)), None)
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
