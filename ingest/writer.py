"""Committing batches of documents to the index, crash-safe.

One batch costs a handful of Chroma writes, whatever its number of documents:
journal, delete the replaced versions' rows, chunks, sentences (one per
language), manifest rows (the commit), journal cleared. A `kill -9` anywhere
in between leaves a journal that the next run undoes (ingest.manifest.recover),
so it resumes to exactly the index a clean ingest builds."""

from __future__ import annotations

import time
from typing import Any

from ingest.chunking import ChunkedDocument
from ingest.manifest import JOURNAL_KEY, Manifest, purge_rows, write_journal
from ingest.vectors import BatchVectors
from rag.lang.dates import date_words
from rag.lang.text import vocabulary_words
from rag.lang.vocabulary import name_words

# Rows per Chroma write (its limit is 5,461 per call).
WRITE_PAGE = 4000


def _upsert(collection, ids, embeddings, documents, metadatas) -> None:
    for start in range(0, len(ids), WRITE_PAGE):
        end = start + WRITE_PAGE
        collection.upsert(ids=ids[start:end], embeddings=embeddings[start:end],
                          documents=documents[start:end], metadatas=metadatas[start:end])


def chunk_rows(chunked: ChunkedDocument, vectors) -> tuple[list, list, list, list]:
    """(ids, embeddings, texts, metadatas) as llama-index's ChromaVectorStore
    writes them, so retrieval rebuilds the nodes with `metadata_dict_to_node`."""
    from llama_index.core.schema import MetadataMode
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    ids, texts, metas = [], [], []
    for node in chunked.nodes:
        meta = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
        metas.append({k: ("" if v is None else v) for k, v in meta.items()})
        ids.append(node.node_id)
        texts.append(node.get_content(metadata_mode=MetadataMode.NONE))
    return ids, list(vectors), texts, metas


def manifest_row(chunked: ChunkedDocument) -> dict[str, Any]:
    doc = chunked.doc
    return {
        **doc.metadata,
        "own_date": doc.metadata["date"],  # `date` may later come from a translation
        "translation_group": doc.doc_id,
        "chunks": len(chunked.nodes),
        "translations": "",
        "grouped": False,  # set once translation grouping has seen it
        "deleted_at": None,  # a new version is live (None removes the key)
    }


class BatchWriter:
    def __init__(self, store, cols: dict[str, Any], manifest: Manifest, publish_seconds: float):
        self.store = store
        self.cols = cols
        self.manifest = manifest
        self.publish_seconds = publish_seconds
        self._last_publish = time.monotonic()
        self.changed = False  # anything written since the run began

    def commit(self, batch: list[ChunkedDocument], vectors: BatchVectors) -> int:
        """Write a batch; returns the number of chunks written."""
        pending = {c.doc.doc_id: c.doc.content_hash for c in batch}
        write_journal(self.store, self.cols["chunks"], pending)
        replaced = [d for d in pending if d in self.manifest.rows]
        if replaced:  # the versions these replace (their rows are still the record)
            languages = self.manifest.languages(replaced) | {c.doc.language for c in batch}
            self.cols["chunks"].delete(where={"document_id": {"$in": replaced}})
            self.cols["sentences"].delete(where={"doc_id": {"$in": replaced}},
                                          languages=languages)
        self._write_chunks(batch, vectors)
        self._write_sentences(batch, vectors)
        rows = [manifest_row(c) for c in batch]
        self.cols["documents"].upsert(
            ids=list(pending), metadatas=rows,
            embeddings=[vectors.centroid(i) for i in range(len(batch))],
            documents=[" ".join((vocabulary_words(c.doc.text), date_words(c.doc.text),
                                 name_words(c.doc.text))) for c in batch])
        for row in rows:
            self.manifest.rows[row["doc_id"]] = {k: v for k, v in row.items() if v is not None}
        self.finish()
        return sum(len(c.nodes) for c in batch)

    def _write_chunks(self, batch: list[ChunkedDocument], vectors: BatchVectors) -> None:
        columns: tuple[list, list, list, list] = ([], [], [], [])
        for i, chunked in enumerate(batch):
            for column, values in zip(columns, chunk_rows(chunked, vectors.chunks[i]),
                                      strict=True):
                column.extend(values)
        if columns[0]:
            _upsert(self.cols["chunks"], *columns)

    def _write_sentences(self, batch: list[ChunkedDocument], vectors: BatchVectors) -> None:
        ids, embeddings, texts, metas = [], [], [], []
        for i, chunked in enumerate(batch):
            doc = chunked.doc
            for sentence, vector in zip(chunked.sentences, vectors.sentences[i], strict=True):
                chunk_id = chunked.nodes[sentence.chunk].node_id
                ids.append(sentence.id)
                embeddings.append(vector)
                texts.append(sentence.text)
                metas.append(sentence.metadata(doc.doc_id, chunk_id, doc.language))
        if ids:
            _upsert(self.cols["sentences"], ids, embeddings, texts, metas)

    def remove(self, doc_ids: list[str]) -> None:
        """Take documents out of the index (their files are gone, or a soft
        delete is purged)."""
        if not doc_ids:
            return
        write_journal(self.store, self.cols["chunks"], {d: "" for d in doc_ids})
        purge_rows(self.cols, doc_ids, self.manifest.languages(doc_ids))
        for doc_id in doc_ids:
            self.manifest.rows.pop(doc_id, None)
        self.finish()

    def move(self, paths: dict[str, str]) -> None:
        """Unchanged documents found at a new path (the corpus folder moved)."""
        if not paths:
            return
        ids = sorted(paths)
        self.cols["documents"].update(ids=ids, metadatas=[{"path": paths[d]} for d in ids])
        for doc_id in ids:
            self.manifest.rows[doc_id]["path"] = paths[doc_id]
        self.changed = True

    def refresh(self, fields: dict[str, dict[str, str]]) -> None:
        """New fetch details (ETag, Last-Modified) of unchanged web pages."""
        if not fields:
            return
        ids = sorted(fields)
        self.cols["documents"].update(ids=ids, metadatas=[fields[d] for d in ids])
        for doc_id in ids:
            self.manifest.rows[doc_id].update(fields[doc_id])

    def finish(self, force: bool = False) -> None:
        """Clear the journal; publish a new generation to readers when due."""
        self.changed = True
        due = time.monotonic() - self._last_publish >= self.publish_seconds
        if force or due:
            self.store.bump_generation(self.cols["chunks"], **{JOURNAL_KEY: ""},
                                       ingest_unpublished="")
            self._last_publish = time.monotonic()
        else:
            self.store.update_state(self.cols["chunks"], **{JOURNAL_KEY: ""},
                                    ingest_unpublished=True)

    def publish(self) -> None:
        """At the end of a run: readers see everything it did."""
        self.store.bump_generation(self.cols["chunks"], **{JOURNAL_KEY: ""},
                                   ingest_unpublished="")
        self._last_publish = time.monotonic()
