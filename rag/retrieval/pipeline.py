"""Retrieval: a list of llama-index retrievers and a list of node
postprocessors, assembled per question by `build_pipeline`.

`hybrid` (default): calibrated sentence pools with per-document lexical
evidence (rag/retrieval/fusion.py; + BM25 fused by reciprocal rank when
`bm25_weight > 0`), then scope filter, translation collapse, key-term guard,
per-document limit and relevance cutoff. `dense` and `bm25` are the
naive baselines (only the scope filter applies). Every node carries its own
calibrated score."""

from __future__ import annotations

from dataclasses import dataclass, field

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.errors import RagError
from rag.infra.index import CorpusSnapshot
from rag.retrieval.fusion import LexicalEvidenceRetriever
from rag.retrieval.lexical import LexicalWeights, exact_terms
from rag.retrieval.postprocessors import (
    KeyTermGuard,
    PerDocumentLimit,
    RelevanceCutoff,
    ScopeFilter,
    TranslationCollapse,
)
from rag.retrieval.retrievers import LanguageBM25Retriever, SentencePoolRetriever, chunk_retriever
from rag.schema import Refusal, Scope
from rag.settings import RETRIEVERS, RetrievalSettings

# A scope of at most this many documents is pushed into the Chroma query as a
# `where` filter; a wider one is applied to the candidates afterwards.
SCOPE_WHERE_LIMIT = 500


@dataclass
class RetrievalPipeline:
    retrievers: list[BaseRetriever]
    postprocessors: list[BaseNodePostprocessor] = field(default_factory=list)
    top_k: int = 5

    @property
    def refusal(self) -> Refusal | None:
        """After `run` returned nothing: the names or days no document mentions
        (None when the refusal had another cause, e.g. the relevance cutoff)."""
        return next((p.refusal for p in self.postprocessors
                     if isinstance(p, KeyTermGuard) and p.refusal), None)

    def run(self, bundle: QueryBundle) -> list[NodeWithScore]:
        """Ranked passages for the question; [] means nothing relevant (abstain)."""
        if len(self.retrievers) == 1:
            nodes = self.retrievers[0].retrieve(bundle)
        else:
            nodes = _fuse(self.retrievers, bundle, self.top_k * 4)
        for post in self.postprocessors:
            nodes = post.postprocess_nodes(nodes, bundle)
        return nodes[: self.top_k]


@dataclass
class RetrievalRequest:
    """Everything about one question that the pipeline depends on."""

    name: str
    language: str  # the answer language (translation collapse prefers it)
    query_language: str  # the language the question is written in (calibration)
    top_k: int
    scope: Scope | None = None


def build_pipeline(request: RetrievalRequest, snapshot: CorpusSnapshot,
                   settings: RetrievalSettings, store, embed_model) -> RetrievalPipeline:
    scope = None if request.scope is None or request.scope.is_empty() else request.scope
    scoped = ScopeFilter(snapshot, scope)
    match request.name:
        case "dense":
            return RetrievalPipeline([chunk_retriever(store, snapshot, embed_model, request.top_k)],
                                     [scoped], request.top_k)
        case "bm25":
            return RetrievalPipeline([LanguageBM25Retriever(snapshot, request.language,
                                                            request.top_k)], [scoped], request.top_k)
        case "hybrid":
            return _hybrid(request, snapshot, settings, scope, scoped)
    raise RagError(f"unknown retriever {request.name!r}: choose one of {', '.join(RETRIEVERS)}")


def _hybrid(request: RetrievalRequest, snapshot: CorpusSnapshot, settings: RetrievalSettings,
            scope: Scope | None, scoped: ScopeFilter) -> RetrievalPipeline:
    pool_k = max(settings.pool_k, request.top_k)
    retrievers: list[BaseRetriever] = [_candidates(request, snapshot, settings, pool_k, scope)]
    if settings.bm25_weight > 0 and snapshot.bm25 is not None:
        retrievers.append(LanguageBM25Retriever(snapshot, request.language, pool_k))
    return RetrievalPipeline(retrievers, [
        scoped,
        TranslationCollapse(snapshot, request.language),
        KeyTermGuard(snapshot, request.query_language, enough=request.top_k),
        PerDocumentLimit(max_per_doc=settings.max_per_doc,
                         max_first=max(settings.max_per_doc, request.top_k - 2)),
        RelevanceCutoff(min_score=settings.min_score),
    ], request.top_k)


def _candidates(request: RetrievalRequest, snapshot: CorpusSnapshot, settings: RetrievalSettings,
                pool_k: int, scope: Scope | None) -> BaseRetriever:
    """The calibrated sentence pools, with lexical evidence when it is on."""
    pools = SentencePoolRetriever(
        snapshot.cols["sentences"], snapshot, request.query_language, pool_k,
        min_words=settings.min_sentence_words, over_fetch=settings.pool_over_fetch,
        where=_scope_where(scope),
    )
    weights = LexicalWeights(settings.lexical_weight, settings.exact_weight,
                             settings.lexical_temperature, settings.lexical_null,
                             settings.phrase_weight)
    if not weights.active or snapshot.bm25 is None:
        return pools
    language = request.query_language
    return LexicalEvidenceRetriever(pools, [
        (LanguageBM25Retriever(snapshot, language, pool_k, languages={language}, content_only=True),
         weights.same_language),
        (LanguageBM25Retriever(snapshot, language, pool_k, terms=exact_terms), weights.exact),
    ], snapshot, weights, language)


def _scope_where(scope: Scope | None) -> dict | None:
    if scope is None or not scope.doc_ids or len(scope.doc_ids) > SCOPE_WHERE_LIMIT:
        return None
    return {"doc_id": {"$in": list(scope.doc_ids)}}


def _fuse(retrievers: list[BaseRetriever], bundle: QueryBundle, top_n: int) -> list[NodeWithScore]:
    """Reciprocal-rank fusion (llama-index QueryFusionRetriever) of the first,
    calibrated retriever with the others. The fused order is kept; each node's
    score stays its calibrated score (the lowest one for nodes only the others
    found), so the relevance cutoff reads the same scale with or without BM25."""
    from llama_index.core.llms.mock import MockLLM
    from llama_index.core.retrievers import QueryFusionRetriever

    first = retrievers[0].retrieve(bundle)
    calibrated = {n.node.node_id: n.score or 0.0 for n in first}
    floor = min(calibrated.values(), default=0.0)
    fusion = QueryFusionRetriever(
        [_Fixed(first), *retrievers[1:]], mode="reciprocal_rerank", similarity_top_k=top_n,
        num_queries=1, use_async=False, llm=MockLLM(),  # no query rewriting: no LLM call
    )
    return [NodeWithScore(node=n.node, score=calibrated.get(n.node.node_id, floor))
            for n in fusion.retrieve(bundle)]


class _Fixed(BaseRetriever):
    """Precomputed results as a retriever (lets fusion reuse them)."""

    def __init__(self, results: list[NodeWithScore]):
        self._results = results
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return list(self._results)


__all__ = ["RETRIEVERS", "RetrievalPipeline", "RetrievalRequest", "build_pipeline"]
