"""Cross-lingual retrieval.

multilingual-e5 scores a passage in the question's own language higher than an
equally relevant passage in another language. `SentencePoolRetriever` corrects
this: it matches the question against single sentences, searching each
document language as its own pool, and subtracts, per query and per language,
the question's mean similarity to a fixed set of parallel reference sentences
(the same everyday sentences in vi/en/ru). What is left is relevance beyond
the language match, comparable across pools.

BM25 (a Russian stemmer, English stemming only for English, Latin diacritics
folded so 'Nguyễn' meets 'Nguyen') can be fused in by reciprocal rank
(llama-index `QueryFusionRetriever`); it only matches the question's own
language, so it is off by default (measured in README). Node postprocessors
then drop questions about things the corpus never names, collapse
translations, limit passages per document and apply the relevance cutoff."""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.retrievers.bm25 import BM25Retriever
from pydantic import PrivateAttr

from rag.schema import DocumentInfo
from rag.text import analyze, fold_diacritics

logger = logging.getLogger(__name__)



def reference_sentences() -> dict[str, list[str]]:
    import json
    from importlib.resources import files

    data = json.loads(files("rag").joinpath("data/reference_sentences.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


class CorpusSnapshot:
    """What the retrievers need in memory, loaded once per index generation.

    It stays small as the corpus grows: the document manifest, the reference
    vectors and the vocabulary. Passages are fetched by id when a query ranks
    them (with a small cache); the BM25 index is built only if a BM25
    retriever is used."""

    NODE_CACHE = 2048

    def __init__(self, generation: str, docs: dict[str, DocumentInfo],
                 background: dict[str, np.ndarray], cols: dict[str, Any] | None = None,
                 chunk_count: int = 0, vocabulary_texts: list[str] | None = None):
        self.generation = generation
        self.docs = docs
        self.groups: dict[str, list[str]] = {}  # translation group -> doc_ids
        for d in docs.values():
            self.groups.setdefault(d.translation_group, []).append(d.doc_id)
        self.languages = sorted({d.language for d in docs.values()})
        self.background = background  # language -> reference sentence vectors
        self.chunk_count = chunk_count
        self.cols = cols  # the collections of this generation (None: no index yet)
        self._chunks = cols["chunks"] if cols else None
        self._vocabulary_texts = vocabulary_texts or []
        self._lock = threading.Lock()
        self._nodes: OrderedDict[str, TextNode] = OrderedDict()
        self.node_order: list[str] = []

    @classmethod
    def empty(cls, generation: str) -> CorpusSnapshot:
        return cls(generation, {}, {})

    @classmethod
    def load(cls, cols: dict[str, Any], generation: str) -> CorpusSnapshot:
        from rag.store import document_info, get_all

        rows = get_all(cols["documents"], include=["metadatas", "documents"])
        docs = {}
        for meta in rows["metadatas"]:
            info = document_info(meta)
            docs[info.doc_id] = info
        reference = get_all(cols["calibration"], include=["embeddings", "metadatas"])
        background: dict[str, list] = {}
        for vector, meta in zip(reference["embeddings"], reference["metadatas"], strict=True):
            background.setdefault(meta["language"], []).append(vector)
        background = {k: np.asarray(v, dtype=np.float32) for k, v in background.items()}
        if background:  # a language without reference sentences gets the average bias
            background["other"] = np.concatenate(list(background.values()))
        return cls(generation, docs, background, cols, cols["chunks"].count(),
                   [t or "" for t in rows["documents"]])

    @functools.cached_property
    def evidence_sentences(self):
        """Sentence vectors for the extractive answerer, cached per generation."""
        from rag.answer import SentenceIndex

        return SentenceIndex(self.cols["sentences"]) if self.cols else None

    @functools.cached_property
    def vocabulary(self) -> Vocabulary:
        vocabulary = Vocabulary(self._vocabulary_texts)
        self._vocabulary_texts = []
        return vocabulary

    def fetch_nodes(self, chunk_ids: list[str]) -> dict[str, TextNode]:
        """The passages with these ids (missing ids are left out)."""
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        with self._lock:
            found = {i: self._nodes[i] for i in chunk_ids if i in self._nodes}
        missing = [i for i in dict.fromkeys(chunk_ids) if i not in found]
        if missing and self._chunks is not None:
            rows = self._chunks.get(ids=missing, include=["metadatas", "documents"])
            fetched = {
                chunk_id: metadata_dict_to_node(meta, text=text)
                for chunk_id, meta, text in zip(rows["ids"], rows["metadatas"], rows["documents"],
                                                strict=True)
            }
            with self._lock:
                for chunk_id, node in fetched.items():
                    self._nodes[chunk_id] = node
                while len(self._nodes) > self.NODE_CACHE:
                    self._nodes.popitem(last=False)
            found.update(fetched)
        return found

    @functools.cached_property
    def bm25(self):
        """bm25s over every chunk, in `node_order`; built on first use."""
        import bm25s

        from rag.store import iter_pages

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        if self._chunks is None or not self.chunk_count:
            return None
        order, corpus_tokens = [], []
        for page in iter_pages(self._chunks, include=["metadatas", "documents"]):
            for chunk_id, meta, text in zip(page["ids"], page["metadatas"], page["documents"],
                                            strict=True):
                order.append(chunk_id)
                corpus_tokens.append(analyze(text or "", meta.get("language", "other")))
        bm25 = bm25s.BM25()
        bm25.index(corpus_tokens, show_progress=False)
        bm25.corpus = None  # results are positions in `node_order`
        self.node_order = order
        return bm25

    def language_bias(self, query: np.ndarray) -> dict[str, float]:
        """How much the embedder favours each language for this query: the mean
        similarity of the query to the same reference sentences in that language."""
        bias = {k: float((v @ query).mean()) for k, v in self.background.items()}
        default = bias.get("other", 0.0)
        return {lang: bias.get(lang, default) for lang in {*self.languages, *bias}}

    def doc_of(self, node: TextNode) -> DocumentInfo | None:
        return self.docs.get(node.metadata.get("doc_id") or node.ref_doc_id or "")


class LanguageBM25Retriever(BM25Retriever):
    """llama-index BM25 over the shared index, with our multilingual analyzer."""

    def __init__(self, snapshot: CorpusSnapshot, language: str, similarity_top_k: int):
        self._snapshot = snapshot
        self._language = language
        super().__init__(existing_bm25=snapshot.bm25, similarity_top_k=similarity_top_k)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        tokens = analyze(query_bundle.query_str, self._language)
        if not tokens:
            return []
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


class SentencePoolRetriever(BaseRetriever):
    """Small-to-big dense retrieval: match the question against single sentences
    (vectors precomputed at ingest), per language pool with the language bias
    removed, and score each passage by its best sentence.

    A specific question ("who chaired…", "how much FDI…") matches one sentence
    far more sharply than a 256-token passage that mixes several topics."""

    MIN_WORDS = 4  # headings and captions are not evidence

    def __init__(self, sentences, snapshot: CorpusSnapshot, pool_k: int, keep: int | None = None):
        self._sentences = sentences
        self._snapshot = snapshot
        self._pool_k = pool_k
        self._keep = keep or pool_k * 2  # passages returned (and fetched)
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        query = np.asarray(query_bundle.embedding, dtype=np.float32)
        bias = self._snapshot.language_bias(query)
        best: dict[str, float] = {}
        for language in self._snapshot.languages:
            # Over-fetch: short sentences (headings, captions) are dropped here
            # rather than by a `where` filter, which Chroma evaluates row by row.
            found = self._sentences.query_language(language, query.tolist(), self._pool_k * 4)
            offset = bias.get(language, 0.0)
            kept = 0
            for meta, distance in zip(found["metadatas"], found["distances"], strict=True):
                if meta.get("words", self.MIN_WORDS) < self.MIN_WORDS:
                    continue
                kept += 1
                if kept > self._pool_k * 3:
                    break
                score = (1.0 - distance) - offset  # cosine distance -> similarity
                chunk_id = meta["chunk_id"]
                if score > best.get(chunk_id, float("-inf")):
                    best[chunk_id] = score
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)[: self._keep]
        nodes = self._snapshot.fetch_nodes([chunk_id for chunk_id, _ in ranked])
        return [NodeWithScore(node=nodes[c], score=s) for c, s in ranked if c in nodes]


class FusedRetriever(BaseRetriever):
    """Reciprocal-rank fusion of calibrated dense pools and BM25.

    Uses llama-index's QueryFusionRetriever for the fusion itself, and keeps each
    node's calibrated dense score for the relevance cutoff."""

    def __init__(self, dense: BaseRetriever, bm25: BM25Retriever | None, top_k: int):
        self._dense = dense
        self._bm25 = bm25
        self._top_k = top_k
        self.dense_scores: dict[str, float] = {}
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        from llama_index.core.llms.mock import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever

        dense_results = self._dense.retrieve(query_bundle)
        dense_scores = {n.node.node_id: n.score or 0.0 for n in dense_results}
        retrievers: list[BaseRetriever] = [_Fixed(dense_results)]
        if self._bm25 is not None:
            retrievers.append(self._bm25)
        fusion = QueryFusionRetriever(
            retrievers,
            mode="reciprocal_rerank",
            similarity_top_k=self._top_k,
            num_queries=1,  # no query rewriting, so no LLM is ever called
            use_async=False,
            llm=MockLLM(),
        )
        fused = fusion.retrieve(query_bundle)
        self.dense_scores = dense_scores
        return fused


class _Fixed(BaseRetriever):
    """A retriever that returns precomputed results (lets fusion reuse them)."""

    def __init__(self, results: list[NodeWithScore]):
        self._results = results
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return list(self._results)


class TranslationCollapse(BaseNodePostprocessor):
    """Keep one language version of each translation group.

    The primary version is the user's language when the group has one among the
    candidates, else the best-ranked version. The others are listed as
    'also in'. Different passages of one article are all kept."""

    language: str = "en"
    _snapshot: CorpusSnapshot = PrivateAttr()

    def __init__(self, snapshot: CorpusSnapshot, language: str):
        super().__init__(language=language)
        self._snapshot = snapshot

    @classmethod
    def class_name(cls) -> str:
        return "TranslationCollapse"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        primary: dict[str, str] = {}
        group_best: dict[str, float] = {}
        for item in nodes:
            doc = self._snapshot.doc_of(item.node)
            if doc is None:
                continue
            group = doc.translation_group
            group_best[group] = max(group_best.get(group, float("-inf")), item.score or 0.0)
            current = primary.get(group)
            if current is None:
                primary[group] = doc.doc_id
            elif doc.language == self.language and self._snapshot.docs[current].language != self.language:
                primary[group] = doc.doc_id
        # A group ranks by its best passage in any language (so the English copy of
        # an article competes with other English articles on equal terms); the
        # primary version's passages take that place, in their own order.
        kept = []
        for item in nodes:
            doc = self._snapshot.doc_of(item.node)
            if doc is None:
                kept.append((item.score or 0.0, 0.0, item))
            elif primary.get(doc.translation_group) == doc.doc_id:
                kept.append((group_best[doc.translation_group], item.score or 0.0, item))
        kept.sort(key=lambda k: (k[0], k[1]), reverse=True)
        return [item for _, _, item in kept]


class PerDocumentLimit(BaseNodePostprocessor):
    """The best document keeps up to `max_first` passages (the answer's
    evidence); every other document at most `max_per_doc`, so a wrong first
    article cannot fill the whole top-k."""

    max_per_doc: int = 1
    max_first: int = 3

    @classmethod
    def class_name(cls) -> str:
        return "PerDocumentLimit"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        seen: dict[str, int] = {}
        kept = []
        for item in nodes:
            doc = item.node.metadata.get("doc_id", item.node.ref_doc_id or "")
            seen[doc] = seen.get(doc, 0) + 1
            first = doc == (nodes[0].node.metadata.get("doc_id") if nodes else None)
            if seen[doc] <= (self.max_first if first else self.max_per_doc):
                kept.append(item)
        return kept


class RelevanceCutoff(BaseNodePostprocessor):
    """Abstain (return nothing) when the best calibrated dense score is too low."""

    min_score: float = 0.0
    _dense_scores: dict[str, float] = PrivateAttr(default_factory=dict)

    def __init__(self, min_score: float, dense_scores: dict[str, float] | None = None):
        super().__init__(min_score=min_score)
        self._dense_scores = dense_scores or {}

    @classmethod
    def class_name(cls) -> str:
        return "RelevanceCutoff"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        scores = [self._dense_scores.get(n.node.node_id, n.score or 0.0) for n in nodes]
        if not scores or max(scores) < self.min_score:
            return []
        return nodes


_CYRILLIC_TO_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i i k l m n o p r s t u f h ts ch sh shch _ y _ e yu ya".split(),
    strict=True,
))


class Vocabulary:
    """Every word of the corpus, folded, for checking a question's names."""

    def __init__(self, texts):
        words = set()
        for text in texts:
            words.update(re.findall(r"\w+", fold_diacritics(text)))
        self.latin = {w for w in words if w.isascii()}
        self.latin_no_h = {w.replace("h", "") for w in self.latin}
        self.cyrillic = sorted(w for w in words if re.match(r"[а-яё]", w))

    def knows(self, token: str) -> bool:
        word = fold_diacritics(token)
        if not word or word.isdigit():
            return True
        if word.isascii():
            return word in self.latin
        if not re.match(r"[а-яё]", word):
            return True  # other scripts: no basis to judge
        if token.isupper():
            return True  # Cyrillic acronyms (МИД) have no reliable Latin form
        # Russian inflects names (Нгеан -> Нгеане): compare stems by prefix.
        prefix = word[: max(4, len(word) - 2)]
        import bisect

        i = bisect.bisect_left(self.cyrillic, prefix)
        if i < len(self.cyrillic) and self.cyrillic[i].startswith(prefix):
            return True
        # A transliterated Vietnamese name (Хоанг Нгиа Хиеу) may match its Latin
        # form (Hoang Nghia Hieu); Russian drops the h of ngh/kh/th digraphs.
        latin = "".join(_CYRILLIC_TO_LATIN.get(c, c) for c in word).replace("_", "").replace("h", "")
        return any(
            w[:2] == latin[:2] and (w == latin or (abs(len(w) - len(latin)) <= 1 and _similar(w, latin)))
            for w in self.latin_no_h
        )

    def unknown_names(self, question: str) -> list[str]:
        """Capitalised words, acronyms and codes of the question (after its first
        word) that appear nowhere in the corpus, in any script."""
        from rag.text import split_sentences

        unknown = []
        for sentence in split_sentences(question.replace("?", "?\n")):
            tokens = re.findall(r"[^\W_]+(?:-[^\W_]+)*", sentence)
            for i, token in enumerate(tokens):
                if i == 0 or not (token[:1].isupper() or any(c.isdigit() for c in token)):
                    continue  # a sentence's first word is capitalised anyway
                for part in token.split("-"):
                    if part.isdigit() and len(part) < 3:
                        continue
                    if not self.knows(part):
                        unknown.append(part)
        return unknown


def _similar(a: str, b: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.86


class KeyTermGuard(BaseNodePostprocessor):
    """Abstain when the question names something the corpus never mentions
    (a place, person or acronym): the articles cannot be about it."""

    _snapshot: CorpusSnapshot = PrivateAttr()

    def __init__(self, snapshot: CorpusSnapshot):
        super().__init__()
        self._snapshot = snapshot

    @classmethod
    def class_name(cls) -> str:
        return "KeyTermGuard"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        if query_bundle is None:
            return nodes
        unknown = self._snapshot.vocabulary.unknown_names(query_bundle.query_str)
        if unknown:
            logger.info("abstaining: the corpus never mentions %s", ", ".join(unknown))
            return []
        return nodes


class SnapshotHolder:
    """Reloads the snapshot when another process has changed the index."""

    def __init__(self):
        self._lock = threading.Lock()
        self._snapshot: CorpusSnapshot | None = None

    def get(self, store) -> CorpusSnapshot:
        generation = store.generation()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.generation == generation:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.generation != generation:
                cols = store.collections()
                if cols is None:
                    self._snapshot = CorpusSnapshot.empty(generation)
                else:
                    self._snapshot = CorpusSnapshot.load(cols, generation)
                logger.info(
                    "loaded index generation %s: %d documents, %d chunks",
                    generation, len(self._snapshot.docs), self._snapshot.chunk_count,
                )
            return self._snapshot
