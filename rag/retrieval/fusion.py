"""The hybrid retriever's candidates: calibrated sentence pools, with lexical
evidence added per document (docs/retrieval.md).

score(passage) = calibrated similarity of its best sentence (SentencePoolRetriever)
               + same_language × share of the same-language BM25 evidence of its document
               + exact × share of the exact-term BM25 evidence of its document
               + phrase, when a retrieved passage of its document repeats a phrase of the question
The calibrated similarity alone is kept beside it (rag/retrieval/scores.py):
thresholds read that scale.

Which regime a question is in is decided per query by what the index holds:
a question whose words single out one article of its own language lifts that
article above same-topic articles in other languages; a question whose words
match nothing in its language clearly is ranked by the calibrated,
cross-language similarity alone. Passages that only BM25 found (a name or a
document number that dense retrieval missed) join the candidates with their
own calibrated score, so an exact match is never lost."""

from __future__ import annotations

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.infra.index import CorpusSnapshot
from rag.retrieval.lexical import (
    LexicalWeights,
    document_shares,
    question_phrases,
    repeats_a_phrase,
)
from rag.retrieval.retrievers import LanguageBM25Retriever, SentencePoolRetriever
from rag.retrieval.scores import FusedNode

# A passage only BM25 found joins the candidates when the lexical evidence lifts
# its document by at least this (less cannot change a ranking of calibrated
# scores that differ by hundredths; set before measuring, not tuned).
MIN_LIFT = 0.005


class LexicalEvidenceRetriever(BaseRetriever):
    """Calibrated sentence pools + per-document lexical evidence (see module)."""

    def __init__(self, pools: SentencePoolRetriever,
                 lexical: list[tuple[LanguageBM25Retriever, float]],
                 snapshot: CorpusSnapshot, weights: LexicalWeights, language: str = "en"):
        self._pools = pools
        self._language = language
        self._lexical = [(retriever, weight) for retriever, weight in lexical if weight > 0]
        self._snapshot = snapshot
        self._weights = weights
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        found = {n.node.node_id: n for n in self._pools.retrieve(query_bundle)}
        bonus: dict[str, float] = {}  # doc_id -> added score
        lexical: dict[str, str] = {}  # chunk id -> doc id, of the passages BM25 found
        for retriever, weight in self._lexical:
            ranked = retriever.ranked(query_bundle.query_str)
            attainable = retriever.attainable(query_bundle.query_str) if ranked else 0.0
            if attainable <= 0:
                continue
            for doc_id, share in document_shares(ranked, attainable, self._weights).items():
                bonus[doc_id] = bonus.get(doc_id, 0.0) + weight * share
            lexical.update((chunk_id, doc_id) for chunk_id, doc_id, _ in ranked)
        self._add_lexical_only(query_bundle, found, lexical, bonus)
        self._add_phrases(query_bundle.query_str, list(found.values()), bonus)
        fused = [FusedNode(node=n.node, score=(n.score or 0.0) + bonus.get(self._doc_id(n), 0.0),
                           calibrated=n.score or 0.0) for n in found.values()]
        fused.sort(key=lambda n: (-(n.score or 0.0), n.node.node_id))
        return fused

    def _add_lexical_only(self, query_bundle: QueryBundle, found: dict[str, NodeWithScore],
                          lexical: dict[str, str], bonus: dict[str, float]) -> None:
        """Passages BM25 found and the pools did not join with their own
        calibrated score, when the evidence lifts their document by MIN_LIFT."""
        missing = [c for c, doc_id in lexical.items()
                   if c not in found and bonus.get(doc_id, 0.0) >= MIN_LIFT]
        if not missing:
            return
        nodes = self._snapshot.fetch_nodes(missing)
        languages = {n.metadata.get("language") for n in nodes.values()} - {None}
        query = np.asarray(query_bundle.embedding, dtype=np.float32)
        for chunk_id, score in self._pools.score_chunks(list(nodes), query, languages).items():
            found[chunk_id] = NodeWithScore(node=nodes[chunk_id], score=score)

    def _add_phrases(self, question: str, candidates: list[NodeWithScore],
                     bonus: dict[str, float]) -> None:
        """The phrase weight for each document whose candidate passages repeat
        a phrase of the question."""
        phrases = question_phrases(question, self._language) if self._weights.phrase else set()
        if not phrases:
            return
        texts: dict[str, list[str]] = {}
        for item in candidates:
            texts.setdefault(self._doc_id(item), []).append(item.node.get_content())
        for doc_id, passages in texts.items():
            if doc_id and repeats_a_phrase(phrases, passages):
                bonus[doc_id] = bonus.get(doc_id, 0.0) + self._weights.phrase

    def _doc_id(self, item: NodeWithScore) -> str:
        doc = self._snapshot.doc_of(item.node)
        return doc.doc_id if doc is not None else ""
