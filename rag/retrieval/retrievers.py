"""Retrievers (llama-index `BaseRetriever`s over the shared index).

- `SentencePoolRetriever` (default): matches the question against single
  sentences, one HNSW query per document language, re-scores the candidates
  with the cross-lingual calibration and scores each passage by its best
  sentence ("small-to-big"). A specific question matches one sentence far
  more sharply than a 256-token passage that mixes several topics.
- `LanguageBM25Retriever`: BM25 with the multilingual analyzer (the `bm25`
  baseline; in the hybrid, the lexical evidence of rag/retrieval/fusion.py).
- `chunk_retriever`: plain dense top-k over chunks (the `dense` baseline)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.retrievers.bm25 import BM25Retriever

from rag.infra.index import CorpusSnapshot
from rag.lang.text import analyze, function_words


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

    def score_chunks(self, chunk_ids: list[str], query: np.ndarray,
                     languages: set[str] | None = None) -> dict[str, float]:
        """Calibrated scores of passages found another way (by their best
        sentence, as in the pools)."""
        sentences = self._snapshot.evidence_sentences
        if not chunk_ids or sentences is None:
            return {}
        best: dict[str, float] = {}
        found = [s for s in sentences.for_chunks(chunk_ids, languages)
                 if len(s.text.split()) >= self._min_words]
        for language in {s.language for s in found}:
            group = [s for s in found if s.language == language]
            vectors = np.stack([s.vector for s in group])
            scores = self._snapshot.calibration.score(vectors @ query, vectors,
                                                      self._query_language, language)
            for sentence, score in zip(group, scores, strict=True):
                best[sentence.chunk_id] = max(best.get(sentence.chunk_id, float("-inf")),
                                              float(score))
        return best

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
    """llama-index BM25 over the shared index, with our multilingual analyzer.

    `terms` picks the words searched (default: the whole question);
    `languages` keeps passages of these document languages only;
    `content_only` leaves the language's function words out ("the", "của")."""

    def __init__(self, snapshot: CorpusSnapshot, language: str, similarity_top_k: int,
                 terms: Callable[[str], list[str]] | None = None,
                 languages: set[str] | None = None, content_only: bool = False):
        self._snapshot = snapshot
        self._language = language
        self._terms = terms
        self._languages = languages
        self._content_only = content_only
        super().__init__(existing_bm25=snapshot.bm25, similarity_top_k=similarity_top_k)

    def analyzed(self, question: str) -> list[str]:
        """The words searched for, analyzed as the index analyzes passages."""
        text = " ".join(self._terms(question)) if self._terms else question
        tokens = analyze(text, self._language)
        if self._content_only:
            stop = _analyzed_function_words(self._language)
            tokens = [t for t in tokens if t not in stop]
        return tokens

    def tokens(self, question: str) -> list[str]:
        """The searched words the index knows (bm25s warns, and misbehaves, on
        vocabulary it has never seen)."""
        return [t for t in self.analyzed(question) if t in self.bm25.vocab_dict]

    def attainable(self, question: str) -> float:
        """What a passage could score at best: each searched word at its
        strongest anywhere in the index (cached per index generation); a word no
        passage holds counts as much as the strongest word the index knows, so
        a question mostly about things the index never mentions scores low."""
        best = self._snapshot.cached("bm25_token_best", dict)
        analyzed = self.analyzed(question)
        known = []
        for token in analyzed:
            if token in self.bm25.vocab_dict:
                if token not in best:
                    best[token] = _strongest(self.bm25, token)
                known.append(best[token])
        return sum(known) + (len(analyzed) - len(known)) * max(known, default=0.0)

    def ranked(self, question: str) -> list[tuple[str, str, float]]:
        """(chunk id, document id, score) of the best passages, without reading them."""
        known = self.tokens(question)
        if not known or not self._snapshot.node_order:
            return []
        scores = np.asarray(self.bm25.get_scores(known), dtype=np.float32)
        positions = self._positions()
        if positions is not None:
            scores = scores[positions]
        k = min(self.similarity_top_k, int(np.count_nonzero(scores > 0)))
        if not k:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # best first; ties by position
        snapshot = self._snapshot
        found = []
        for i in top:
            at = int(positions[i]) if positions is not None else int(i)
            found.append((snapshot.node_order[at], snapshot.node_docs[at], float(scores[i])))
        return found

    def _positions(self) -> np.ndarray | None:
        """Index positions of the passages in `languages` (None: all), cached."""
        if self._languages is None:
            return None
        key = "bm25_positions:" + ",".join(sorted(self._languages))
        languages = self._snapshot.node_languages
        return self._snapshot.cached(key, lambda: np.asarray(
            [i for i, language in enumerate(languages) if language in self._languages],
            dtype=np.int64))

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranked = self.ranked(query_bundle.query_str)
        nodes = self._snapshot.fetch_nodes([chunk_id for chunk_id, _, _ in ranked])
        return [NodeWithScore(node=nodes[c], score=score) for c, _, score in ranked if c in nodes]


def _strongest(bm25, token: str) -> float:
    """The best score of one word over the index: the largest entry of its
    column in bm25s's score matrix (O(passages holding it))."""
    column = bm25.vocab_dict[token]
    scores = getattr(bm25, "scores", None)
    if isinstance(scores, dict) and {"data", "indptr"} <= scores.keys():
        if column + 1 >= len(scores["indptr"]):  # bm25s's placeholder word: in no passage
            return 0.0
        start, end = scores["indptr"][column], scores["indptr"][column + 1]
        return float(scores["data"][start:end].max(initial=0.0))
    return float(bm25.get_scores([token]).max(initial=0.0))  # pragma: no cover - other layouts


@functools.cache
def _analyzed_function_words(language: str) -> frozenset[str]:
    return frozenset(t for word in function_words(language) for t in analyze(word, language))


def chunk_retriever(store, snapshot: CorpusSnapshot, embed_model, top_k: int) -> BaseRetriever:
    """Plain dense top-k over whole chunks: the naive baseline."""
    from llama_index.core import VectorStoreIndex

    index = VectorStoreIndex.from_vector_store(store.vector_store(snapshot.cols["chunks"]),
                                               embed_model=embed_model)
    return index.as_retriever(similarity_top_k=top_k)
