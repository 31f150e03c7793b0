"""Retrievers (llama-index `BaseRetriever`s over the shared index).

- `SentencePoolRetriever` (default): matches the question against single
  sentences, one HNSW query per document language, re-scores the candidates
  with the cross-lingual calibration and scores each passage by its best
  sentence ("small-to-big"). A specific question matches one sentence far
  more sharply than a 256-token passage that mixes several topics.
- `LanguageBM25Retriever`: BM25 with the multilingual analyzer (optional).
- `chunk_retriever`: plain dense top-k over chunks (the `dense` baseline)."""

from __future__ import annotations

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.retrievers.bm25 import BM25Retriever

from rag.infra.index import CorpusSnapshot
from rag.lang.text import analyze


class SentencePoolRetriever(BaseRetriever):
    """Calibrated sentence-level dense retrieval, per language pool.

    `where` narrows every pool (a scope of documents); `over_fetch` × pool_k
    candidates are read per pool so that short sentences (headings, captions:
    fewer than `min_words` words) can be dropped here rather than by a Chroma
    filter, which is evaluated row by row."""

    def __init__(self, sentences, snapshot: CorpusSnapshot, query_language: str, pool_k: int,
                 min_words: int, over_fetch: int = 2, where: dict | None = None):
        self._sentences = sentences
        self._snapshot = snapshot
        self._query_language = query_language
        self._pool_k = pool_k
        self._min_words = min_words
        self._over_fetch = over_fetch
        self._where = where
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        query = np.asarray(query_bundle.embedding, dtype=np.float32)
        best: dict[str, float] = {}
        for language in self._snapshot.languages:
            for chunk_id, score in self._pool(language, query):
                if score > best.get(chunk_id, float("-inf")):
                    best[chunk_id] = score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[: self._pool_k * 2]
        nodes = self._snapshot.fetch_nodes([chunk_id for chunk_id, _ in ranked])
        return [NodeWithScore(node=nodes[c], score=s) for c, s in ranked if c in nodes]

    def _pool(self, language: str, query: np.ndarray) -> list[tuple[str, float]]:
        found = self._sentences.query_language(language, query.tolist(),
                                               self._pool_k * self._over_fetch, where=self._where)
        keep = [i for i, meta in enumerate(found["metadatas"])
                if meta.get("words", self._min_words) >= self._min_words]
        if not keep:
            return []
        similarity = 1.0 - np.asarray(found["distances"], dtype=np.float32)[keep]
        vectors = np.asarray(found["embeddings"], dtype=np.float32)[keep]
        scores = self._snapshot.calibration.score(similarity, vectors, self._query_language,
                                                  language)
        metas = [found["metadatas"][i] for i in keep]
        return [(meta["chunk_id"], float(score)) for meta, score in zip(metas, scores, strict=True)]


class LanguageBM25Retriever(BM25Retriever):
    """llama-index BM25 over the shared index, with our multilingual analyzer."""

    def __init__(self, snapshot: CorpusSnapshot, language: str, similarity_top_k: int):
        self._snapshot = snapshot
        self._language = language
        super().__init__(existing_bm25=snapshot.bm25, similarity_top_k=similarity_top_k)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        tokens = analyze(query_bundle.query_str, self._language)
        k = min(self.similarity_top_k, len(self._snapshot.node_order))
        # bm25s warns (and misbehaves) on vocabulary it has never seen.
        known = [t for t in tokens if t in self.bm25.vocab_dict]
        if not known or not k:
            return []
        indexes, scores = self.bm25.retrieve([known], k=k, show_progress=False)
        ranked = [(self._snapshot.node_order[int(i)], float(score))
                  for i, score in zip(indexes[0], scores[0], strict=True) if score > 0]
        nodes = self._snapshot.fetch_nodes([chunk_id for chunk_id, _ in ranked])
        return [NodeWithScore(node=nodes[c], score=score) for c, score in ranked if c in nodes]


def chunk_retriever(store, snapshot: CorpusSnapshot, embed_model, top_k: int) -> BaseRetriever:
    """Plain dense top-k over whole chunks: the naive baseline."""
    from llama_index.core import VectorStoreIndex

    index = VectorStoreIndex.from_vector_store(store.vector_store(snapshot.cols["chunks"]),
                                               embed_model=embed_model)
    return index.as_retriever(similarity_top_k=top_k)
