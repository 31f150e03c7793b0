"""What the engine keeps in memory per index generation: the snapshot.

It stays small as the corpus grows: the document manifest and the calibration
vectors. Passages and document vocabularies are fetched by id when a query ranks them
(with a small cache); the BM25 index is built only if a BM25 retriever is used.
`SnapshotHolder` reloads it when another process has changed the index."""

from __future__ import annotations

import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from llama_index.core.schema import TextNode

from rag.infra.sentences import SentenceIndex
from rag.lang.text import analyze
from rag.lang.vocabulary import Vocabulary
from rag.schema import DocumentInfo

logger = logging.getLogger(__name__)

# builds the retrieval calibration from the stored calibration rows (None: none stored)
CalibrationLoader = Callable[[dict[str, Any] | None], Any]


class CorpusSnapshot:
    NODE_CACHE = 2048

    def __init__(self, generation: str, docs: dict[str, DocumentInfo],
                 cols: dict[str, Any] | None = None, chunk_count: int = 0,
                 calibration: Callable[[], Any] | None = None):
        self.generation = generation
        self.all_docs = docs
        # Soft-deleted documents stay stored (undo) but are never answered from.
        self.docs = {d: info for d, info in docs.items() if not info.deleted_at}
        self.groups: dict[str, list[str]] = {}  # translation group -> doc_ids
        for d in self.docs.values():
            self.groups.setdefault(d.translation_group, []).append(d.doc_id)
        self.languages = sorted({d.language for d in self.docs.values()})
        self.chunk_count = chunk_count
        self.cols = cols  # the collections of this generation (None: no index yet)
        self._chunks = cols["chunks"] if cols else None
        self._vocabularies: OrderedDict[str, Vocabulary] = OrderedDict()
        self._calibration = calibration
        self._lock = threading.Lock()
        self._nodes: OrderedDict[str, TextNode] = OrderedDict()
        self._derived: dict[str, Any] = {}
        self.node_order: list[str] = []

    @classmethod
    def empty(cls, generation: str) -> CorpusSnapshot:
        return cls(generation, {})

    @classmethod
    def load(cls, cols: dict[str, Any], generation: str,
             calibration: CalibrationLoader) -> CorpusSnapshot:
        from rag.infra.store import document_info, get_all

        rows = get_all(cols["documents"], include=["metadatas"])
        docs = {info.doc_id: info for info in map(document_info, rows["metadatas"])}
        stored = get_all(cols["calibration"], include=["embeddings", "metadatas"])
        return cls(generation, docs, cols, cols["chunks"].count(),
                   functools.partial(calibration, stored))

    @property
    def is_live(self) -> bool:
        return bool(self.chunk_count and self.docs)

    @functools.cached_property
    def calibration(self) -> Any:
        if self._calibration is None:
            raise RuntimeError("an empty snapshot has no calibration")
        return self._calibration()

    @functools.cached_property
    def evidence_sentences(self) -> SentenceIndex | None:
        """Sentence vectors for the extractive answerer, cached per generation."""
        return SentenceIndex(self.cols["sentences"]) if self.cols else None

    @property
    def chunks(self):
        """The chunk collection of this generation (None: no index yet)."""
        return self._chunks

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """A value derived from this generation (built once, on first use): the
        layers above keep what they learn from the corpus here, so it is
        rebuilt when the index changes."""
        with self._lock:
            if key in self._derived:
                return self._derived[key]
        value = build()
        with self._lock:
            return self._derived.setdefault(key, value)

    def vocabulary(self, doc_id: str) -> Vocabulary:
        """The words of one document (stored with its manifest row at ingest)."""
        return self.vocabularies([doc_id])[doc_id]

    def vocabularies(self, doc_ids: list[str]) -> dict[str, Vocabulary]:
        """The words of these documents; those not cached are read in one call."""
        with self._lock:
            found = {}
            for doc_id in doc_ids:
                if doc_id in self._vocabularies:
                    self._vocabularies.move_to_end(doc_id)
                    found[doc_id] = self._vocabularies[doc_id]
        missing = [d for d in dict.fromkeys(doc_ids) if d not in found]
        if missing:
            rows = self.cols["documents"].get(ids=missing, include=["documents"]) if self.cols \
                else {"ids": [], "documents": []}
            texts = dict(zip(rows["ids"], rows["documents"], strict=True))
            fetched = {d: Vocabulary([texts.get(d) or ""]) for d in missing}
            found.update(fetched)
            with self._lock:
                self._vocabularies.update(fetched)
                while len(self._vocabularies) > self.NODE_CACHE // 4:
                    self._vocabularies.popitem(last=False)
        return found

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

        from rag.infra.store import iter_pages

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        if self._chunks is None or not self.chunk_count:
            return None
        rows = []
        for page in iter_pages(self._chunks, include=["metadatas", "documents"]):
            for chunk_id, meta, text in zip(page["ids"], page["metadatas"], page["documents"],
                                            strict=True):
                language = meta.get("language", "other")
                rows.append((chunk_id, analyze(text or "", language), meta.get("doc_id", ""),
                             language))
        rows.sort(key=lambda row: row[0])  # ties rank alike in every process, whatever the paging
        order = [row[0] for row in rows]
        corpus_tokens = [row[1] for row in rows]
        bm25 = bm25s.BM25()
        bm25.index(corpus_tokens, show_progress=False)
        bm25.corpus = None  # results are positions in `node_order`
        self.node_order = order
        # document and language of each position: lexical evidence needs no node reads
        self.node_docs = [row[2] for row in rows]
        self.node_languages = [row[3] for row in rows]
        return bm25

    def doc_of(self, node: TextNode) -> DocumentInfo | None:
        return self.docs.get(node.metadata.get("doc_id") or node.ref_doc_id or "")


class SnapshotHolder:
    """Reloads the snapshot when another process has changed the index."""

    def __init__(self, calibration: CalibrationLoader):
        self._lock = threading.Lock()
        self._snapshot: CorpusSnapshot | None = None
        self._calibration = calibration

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
                    self._snapshot = CorpusSnapshot.load(cols, generation, self._calibration)
                logger.info(
                    "loaded index generation %s: %d documents, %d chunks",
                    generation, len(self._snapshot.docs), self._snapshot.chunk_count,
                )
            return self._snapshot
