"""The hybrid retriever's candidates: calibrated sentence pools, with lexical
evidence added per document (docs/retrieval.md).

score(passage) = calibrated similarity of its best sentence (SentencePoolRetriever)
               + same_language × share of the same-language BM25 evidence of its document
               + exact × share of the exact-term BM25 evidence of its document
               + phrase, when a retrieved passage of its document repeats a phrase of the question

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
        lexical_hits: dict[str, NodeWithScore] = {}
        for retriever, weight in self._lexical:
            hits = retriever.retrieve(query_bundle)
            attainable = retriever.attainable(query_bundle.query_str)
            if not hits or attainable <= 0:
                continue
            shares = document_shares(hits, attainable, self._snapshot.doc_of, self._weights)
            for doc_id, share in shares.items():
                bonus[doc_id] = bonus.get(doc_id, 0.0) + weight * share
            for hit in hits:
                lexical_hits.setdefault(hit.node.node_id, hit)
        missing = [c for c, hit in lexical_hits.items()
                   if c not in found and self._doc_id(hit) in bonus]
        if missing:
            query = np.asarray(query_bundle.embedding, dtype=np.float32)
            for chunk_id, score in self._pools.score_chunks(missing, query).items():
                found[chunk_id] = NodeWithScore(node=lexical_hits[chunk_id].node, score=score)
        self._add_phrases(query_bundle.query_str, list(found.values()), bonus)
        fused = [NodeWithScore(node=n.node, score=(n.score or 0.0) + bonus.get(self._doc_id(n), 0.0))
                 for n in found.values()]
        fused.sort(key=lambda n: (-(n.score or 0.0), n.node.node_id))
        return fused

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
