"""Sentence vectors precomputed at ingest, read back for evidence selection."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np


@dataclass
class Sentence:
    sentence_id: str
    text: str
    doc_id: str
    chunk_id: str
    language: str
    vector: np.ndarray
    position: int = 0


class SentenceIndex:
    """Reads sentence vectors from the per-language sentence collections, with
    small caches (one index per index generation): per chunk for evidence
    selection, per document for translation lookups."""

    def __init__(self, collection, cache_docs: int = 256, cache_chunks: int = 1024):
        self._collection = collection
        self._cache: OrderedDict[str, list[Sentence]] = OrderedDict()
        self._cache_docs = cache_docs
        self._chunks: OrderedDict[str, list[Sentence]] = OrderedDict()
        self._cache_chunks = cache_chunks
        self._lock = threading.Lock()

    @staticmethod
    def _rows(rows) -> list[Sentence]:
        embeddings = rows["embeddings"] if rows["embeddings"] is not None else []
        return [
            Sentence(sid, text, meta["doc_id"], meta["chunk_id"], meta.get("language", ""),
                     np.asarray(vec, dtype=np.float32), int(meta.get("position", 0)))
            for sid, text, meta, vec in zip(rows["ids"], rows["documents"], rows["metadatas"],
                                            embeddings, strict=True)
        ]

    def for_chunks(self, chunk_ids: list[str], languages: set[str] | None = None) -> list[Sentence]:
        """The sentences of these passages, in the order the store gives them
        (`languages`: the passages' languages when known, fewer store calls)."""
        with self._lock:
            cached = {c: self._chunks[c] for c in chunk_ids if c in self._chunks}
            for chunk_id in cached:
                self._chunks.move_to_end(chunk_id)
        missing = [c for c in dict.fromkeys(chunk_ids) if c not in cached]
        if missing:
            rows = self._collection.get(where={"chunk_id": {"$in": missing}},
                                        include=["embeddings", "documents", "metadatas"],
                                        **({"languages": languages} if languages else {}))
            fetched: dict[str, list[Sentence]] = {c: [] for c in missing}
            for sentence in self._rows(rows):
                fetched[sentence.chunk_id].append(sentence)
            cached.update(fetched)
            with self._lock:
                self._chunks.update(fetched)
                while len(self._chunks) > self._cache_chunks:
                    self._chunks.popitem(last=False)
        return [s for chunk_id in dict.fromkeys(chunk_ids) for s in cached[chunk_id]]

    def for_document(self, doc_id: str, language: str | None = None) -> list[Sentence]:
        with self._lock:
            if doc_id in self._cache:
                self._cache.move_to_end(doc_id)
                return self._cache[doc_id]
        rows = self._collection.get(
            where={"doc_id": doc_id}, include=["embeddings", "documents", "metadatas"],
            languages={language} if language else None,
        )
        sentences = self._rows(rows)
        with self._lock:
            self._cache[doc_id] = sentences
            while len(self._cache) > self._cache_docs:
                self._cache.popitem(last=False)
        return sentences
