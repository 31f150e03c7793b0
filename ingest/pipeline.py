"""Incremental ingest: files -> clean text + metadata -> llama-index
IngestionPipeline (token-aware sentence splitter -> embedder -> Chroma) with a
persisted docstore for deduplication.

Crash safety: each document is committed on its own. Its chunks and sentences
are written first, then its row in the documents collection, then the docstore
(atomically). A run killed part-way leaves every committed document queryable,
and the next run redoes only what was not committed."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.clean import clean_article
from ingest.loaders import iter_files, load_file
from ingest.translations import CANDIDATES, alignment_score, connected_groups
from rag.errors import DocumentError
from rag.language import detect_language
from rag.schema import IngestReport, SkippedFile
from rag.store import IndexStore, get_all
from rag.text import split_sentences, splitter_sentences, token_counter, vocabulary_words

logger = logging.getLogger(__name__)

# Metadata that describes a chunk but must not be embedded or shown to the LLM
# as text (the prompt formats sources itself).
_HIDDEN_KEYS = [
    "doc_id", "file", "path", "title", "language", "date", "category",
    "translation_group", "content_hash", "chunk_index", "kind",
]


@dataclass
class PreparedDocument:
    doc_id: str
    path: Path
    text: str
    metadata: dict[str, Any]
    content_hash: str
    previous_language: str | None = None  # of its committed version, if any


@dataclass
class _Plan:
    to_embed: list[PreparedDocument] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    docstore_stale: bool = False  # committed documents the docstore had not recorded


def make_doc_id(path: Path) -> str:
    """Stable id from the file name ('000_ab.txt' -> '000_ab.txt')."""
    return re.sub(r"[^\w.\-]+", "_", path.name)


def prepare(path: Path, max_bytes: int) -> PreparedDocument:
    raw = load_file(path, max_bytes)
    cleaned = clean_article(raw.text, raw.title_hint)
    if not cleaned.text.strip():
        raise DocumentError(f"{path.name}: nothing left after cleaning")
    content_hash = hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest()
    doc_id = make_doc_id(path)
    metadata = {
        "doc_id": doc_id,
        "file": path.name,
        "path": str(path.resolve()),
        "title": cleaned.title[:300],
        "language": "",  # detected only if the document is (re-)embedded: see Ingestor.run
        "date": cleaned.date or "",
        "category": cleaned.category or "",
        "content_hash": content_hash,
    }
    return PreparedDocument(doc_id, path, cleaned.text, metadata, content_hash)


def _corpus_language(text: str) -> str:
    code = detect_language(text, default="other")
    return code if code in ("vi", "en", "ru") else "other"


@functools.cache
def _token_bound_splitter():
    from llama_index.core.node_parser import SentenceSplitter

    class TokenBoundSplitter(SentenceSplitter):
        """SentenceSplitter whose chunks never exceed chunk_size tokens.

        The stock splitter sums the token counts of its pieces, then strips the
        chunk; a piece that starts mid-sentence (' Northeast', 1 token) can count
        more once stripped ('Northeast', 2 tokens). Such a chunk is cut again."""

        def _postprocess_chunks(self, chunks: list[str]) -> list[str]:
            return [piece for chunk in super()._postprocess_chunks(chunks)
                    for piece in self._fit(chunk)]

        def _fit(self, chunk: str) -> list[str]:
            if self._token_size(chunk) <= self.chunk_size:
                return [chunk]
            splits = [s.text for s in self._split(chunk, self.chunk_size)]
            for cut in range(len(splits) - 1, 0, -1):
                head = "".join(splits[:cut]).strip()
                if head and self._token_size(head) <= self.chunk_size:
                    return [head, *self._fit("".join(splits[cut:]).strip())]
            return [chunk]

    return TokenBoundSplitter


class _ThrottledPersist:
    """Writes the docstore after a document only if at least `ratio` times its
    last write time has passed since then: the whole docstore is rewritten each
    time (2 s at 100k chunks), so writing after every document made a large
    ingest quadratic. The manifest, not the docstore, records what is committed,
    so a lagging docstore after a kill costs nothing."""

    def __init__(self, write, ratio: float = 10.0):
        self._write = write
        self._ratio = ratio
        self._last_end = float("-inf")
        self._last_cost = 0.0
        self._dirty = False

    def maybe(self) -> None:
        self._dirty = True
        if time.perf_counter() - self._last_end >= self._ratio * self._last_cost:
            self.flush()

    def flush(self) -> None:
        if not self._dirty:
            return
        started = time.perf_counter()
        self._write()
        self._last_end = time.perf_counter()
        self._last_cost = self._last_end - started
        self._dirty = False


class Ingestor:
    def __init__(self, store: IndexStore, embed_model, settings):
        self.store = store
        self.embed_model = embed_model
        self.settings = settings

    def _splitter(self):
        return _token_bound_splitter()(
            chunk_size=self.settings.ingest.chunk_size,
            chunk_overlap=self.settings.ingest.chunk_overlap,
            tokenizer=token_counter(),
            chunking_tokenizer_fn=splitter_sentences,
            # Deterministic ids: a re-run after a crash overwrites, never duplicates.
            id_func=lambda i, doc: f"{doc.doc_id}#{doc.metadata['content_hash'][:12]}#{i}",
            include_prev_next_rel=False,
        )

    def run(
        self,
        paths: list[Path],
        rebuild: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
        show_progress: bool = False,
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        max_bytes = int(self.settings.ingest.max_file_mb * 1e6)
        files, skipped = iter_files(paths)
        report.skipped = [SkippedFile(path=str(p), reason=r) for p, r in skipped]
        prepared: dict[str, PreparedDocument] = {}
        for path in files:
            try:
                doc = prepare(path, max_bytes)
            except DocumentError as exc:
                report.skipped.append(SkippedFile(path=str(path), reason=str(exc)))
                continue
            if doc.doc_id in prepared:
                report.skipped.append(
                    SkippedFile(path=str(path), reason=f"same name as {prepared[doc.doc_id].path}")
                )
                continue
            prepared[doc.doc_id] = doc
        for item in report.skipped:
            logger.warning("skipped %s: %s", item.path, item.reason)

        with self.store.write_lock():
            if rebuild:
                self.store.reset()
            cols = self.store.collections(create=True)
            self._ensure_calibration(cols["calibration"])
            docstore = self._load_docstore()
            committed = self._committed(cols)
            # Forget docstore entries whose commit never happened (killed run).
            for doc_id in list(docstore.get_all_document_hashes().values()):
                if doc_id not in committed:
                    docstore.delete_document(doc_id, raise_error=False)
            skipped_ids = {make_doc_id(Path(s.path)) for s in report.skipped}
            plan = self._plan(prepared, docstore, committed, paths, skipped_ids)
            for doc in plan.to_embed:  # lingua costs seconds to load: not for unchanged files
                doc.metadata["language"] = doc.metadata["language"] or _corpus_language(doc.text)

            for doc_id in plan.removed:
                self._delete(cols, doc_id, docstore)
            embedded = self._embed_all(cols, docstore, plan.to_embed, progress, show_progress)
            if plan.docstore_stale and not plan.to_embed:
                self._persist_docstore(docstore)
            touched = {d.doc_id for d in plan.to_embed}
            # Committed by a run killed before it linked translations: link them now.
            touched |= {d for d, m in committed.items()
                        if m.get("grouped") is False and d not in plan.removed}
            if touched or plan.removed:
                self._update_translation_groups(cols, touched, set(plan.removed))
                self.store.bump_generation(cols["chunks"])

            report.documents = len(prepared)
            report.new, report.changed = plan.new, plan.changed
            report.unchanged = len(plan.unchanged)
            report.removed = len(plan.removed)
            report.chunks_embedded = embedded
            report.chunks_total = cols["chunks"].count()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def delete(self, doc_id: str) -> None:
        """Remove one document (chunks, sentences, manifest row) from the index."""
        with self.store.write_lock():
            cols = self.store.collections(create=True)
            self._delete(cols, doc_id, self._load_docstore())
            self._update_translation_groups(cols, set(), {doc_id})
            self.store.bump_generation(cols["chunks"])

    def _ensure_calibration(self, calibration) -> None:
        """Embed the parallel reference sentences once per index."""
        if calibration.count() > 0:
            return
        from rag.retrieval import reference_sentences

        ids, texts, metas = [], [], []
        for language, sentences in reference_sentences().items():
            for i, text in enumerate(sentences):
                ids.append(f"{language}-{i}")
                texts.append(text)
                metas.append({"language": language})
        vectors = self.embed_model.get_text_embedding_batch(texts)
        calibration.upsert(ids=ids, embeddings=vectors, documents=texts, metadatas=metas)

    # -- planning ------------------------------------------------------------
    def _committed(self, cols) -> dict[str, dict[str, Any]]:
        rows = get_all(cols["documents"], include=["metadatas"])
        return {meta["doc_id"]: meta for meta in rows["metadatas"]}

    def _plan(self, prepared, docstore, committed, roots, skipped_ids) -> _Plan:
        plan = _Plan()
        for doc_id, doc in prepared.items():
            # The manifest row is the commit record; the docstore may lag it (it
            # is persisted in batches) and is brought up to date here.
            if committed.get(doc_id, {}).get("content_hash") == doc.content_hash:
                plan.unchanged.append(doc_id)
                if docstore.get_document_hash(doc_id) != doc.content_hash:
                    docstore.set_document_hash(doc_id, doc.content_hash)
                    plan.docstore_stale = True
                continue
            if doc_id in committed:
                plan.changed += 1
                doc.previous_language = committed[doc_id].get("language")
            else:
                plan.new += 1
            plan.to_embed.append(doc)
        scanned = [Path(r).resolve() for r in roots if Path(r).is_dir()]
        for doc_id, meta in committed.items():
            if doc_id in prepared or doc_id in skipped_ids:
                continue  # an unreadable file keeps its last good version
            path = Path(meta.get("path", ""))
            if any(path.is_relative_to(root) for root in scanned) and not path.exists():
                plan.removed.append(doc_id)
        return plan

    # -- writing -------------------------------------------------------------
    def _load_docstore(self):
        from llama_index.core.storage.docstore import SimpleDocumentStore

        path = self.store.docstore_path
        if path.exists():
            try:
                return SimpleDocumentStore.from_persist_path(str(path))
            except Exception as exc:  # a corrupt docstore only costs re-embedding
                logger.warning("docstore %s unreadable (%s); re-checking every file", path, exc)
        return SimpleDocumentStore()

    def _persist_docstore(self, docstore) -> None:
        from rag.store import atomic_write_json

        atomic_write_json(self.store.docstore_path, docstore.to_dict())

    def _delete(self, cols, doc_id: str, docstore) -> None:
        cols["chunks"].delete(where={"document_id": doc_id})
        cols["sentences"].delete(where={"doc_id": doc_id})
        cols["documents"].delete(ids=[doc_id])
        docstore.delete_document(doc_id, raise_error=False)
        docstore.delete_ref_doc(doc_id, raise_error=False)
        self._persist_docstore(docstore)

    def _embed_all(self, cols, docstore, docs, progress, show_progress) -> int:
        from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline

        if not docs:
            return 0
        pipeline = IngestionPipeline(
            transformations=[self._splitter(), self.embed_model],
            vector_store=self.store.vector_store(cols["chunks"]),
            docstore=docstore,
            docstore_strategy=DocstoreStrategy.UPSERTS,
        )
        bar = None
        if show_progress:
            from tqdm import tqdm

            bar = tqdm(total=len(docs), desc="Embedding", unit="doc")
        embedded = 0
        persist = _ThrottledPersist(lambda: self._persist_docstore(docstore))
        try:
            embedded = self._embed_each(cols, docstore, docs, pipeline, persist, bar, progress)
        finally:
            persist.flush()
            if bar:
                bar.close()
        return embedded

    def _embed_each(self, cols, docstore, docs, pipeline, persist, bar, progress) -> int:
        from llama_index.core import Document

        embedded = 0
        for i, doc in enumerate(docs):
            # Drop leftovers of this doc (an earlier version, or a killed run).
            cols["chunks"].delete(where={"document_id": doc.doc_id})
            # Its sentences can only be in its language (a killed run) or its old one.
            languages = {doc.metadata["language"], doc.previous_language or doc.metadata["language"]}
            cols["sentences"].delete(where={"doc_id": doc.doc_id}, languages=languages)
            docstore.delete_document(doc.doc_id, raise_error=False)
            document = Document(
                id_=doc.doc_id,
                text=doc.text,
                metadata={**doc.metadata, "translation_group": doc.doc_id, "kind": "chunk"},
                excluded_embed_metadata_keys=_HIDDEN_KEYS,
                excluded_llm_metadata_keys=_HIDDEN_KEYS,
            )
            nodes = pipeline.run(documents=[document])
            sentence_vectors = self._add_sentences(cols["sentences"], doc, nodes)
            self._commit_document(cols["documents"], doc, nodes, sentence_vectors)
            # The docstore keys on content hash, not Document.hash, so that a
            # metadata-only change (a new translation group) does not re-embed.
            docstore.set_document_hash(doc.doc_id, doc.content_hash)
            persist.maybe()
            embedded += len(nodes)
            if bar:
                bar.update(1)
                bar.set_postfix(chunks=embedded)
            if progress:
                progress(i + 1, len(docs), doc.path.name)
        return embedded

    def _add_sentences(self, sentences, doc: PreparedDocument, nodes) -> np.ndarray:
        ids, texts, metas = [], [], []
        position = 0
        for node in nodes:
            for j, sentence in enumerate(split_sentences(node.get_content())):
                ids.append(f"{node.node_id}~{j}")
                texts.append(sentence)
                metas.append(
                    {
                        "doc_id": doc.doc_id,
                        "chunk_id": node.node_id,
                        "language": doc.metadata["language"],
                        "position": position,
                        "words": len(sentence.split()),
                    }
                )
                position += 1
        if not ids:
            return np.zeros((0, 1), dtype=np.float32)
        vectors = np.asarray(self.embed_model.get_text_embedding_batch(texts), dtype=np.float32)
        for start in range(0, len(ids), 2000):
            end = start + 2000
            sentences.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=texts[start:end],
                metadatas=metas[start:end],
            )
        return vectors

    def _commit_document(self, documents, doc: PreparedDocument, nodes, sentence_vectors) -> None:
        chunk_vectors = np.asarray([n.embedding for n in nodes], dtype=np.float32)
        centroid = chunk_vectors.mean(axis=0) if len(chunk_vectors) else sentence_vectors.mean(0)
        centroid = centroid / (np.linalg.norm(centroid) or 1.0)
        meta = {
            **doc.metadata,
            "translation_group": doc.doc_id,
            "chunks": len(nodes),
            "translations": "",
            "grouped": False,  # set once _update_translation_groups has seen it
        }
        documents.upsert(ids=[doc.doc_id], embeddings=[centroid], metadatas=[meta],
                         documents=[vocabulary_words(doc.text)])

    # -- translation groups --------------------------------------------------
    def _sentence_matrix(self, sentences, doc_id: str, language: str) -> np.ndarray:
        emb = sentences.get(where={"doc_id": doc_id}, include=["embeddings"],
                            languages={language})["embeddings"]
        return np.asarray(emb, dtype=np.float32) if len(emb) else np.zeros((0, 1))

    def _update_translation_groups(self, cols, touched: set[str], removed: set[str]) -> None:
        documents, sentences = cols["documents"], cols["sentences"]
        rows = get_all(documents, include=["metadatas", "embeddings"])
        metas = {m["doc_id"]: m for m in rows["metadatas"]}
        if not metas:
            return
        centroids = dict(zip(rows["ids"], rows["embeddings"], strict=True))
        touched = touched | {d for d, m in metas.items() if m.get("grouped") is False}
        links = {d: set(filter(None, m.get("translations", "").split("|"))) - removed
                 for d, m in metas.items()}
        threshold = self.settings.ingest.translation_threshold
        for doc_id in touched & metas.keys():
            # A re-embedded doc's own row was reset; its old links live on in the
            # rows of its former partners.
            for other_links in links.values():
                other_links.discard(doc_id)
            links[doc_id] = set()
            language = metas[doc_id]["language"]
            others = [d for d, m in metas.items() if d != doc_id and m["language"] != language]
            if not others:
                continue
            mine = np.asarray(centroids[doc_id])
            ranked = sorted(others, key=lambda d: -float(np.dot(mine, centroids[d])))
            vectors = self._sentence_matrix(sentences, doc_id, language)
            for other in ranked[:CANDIDATES]:
                score = alignment_score(
                    vectors, self._sentence_matrix(sentences, other, metas[other]["language"]))
                logger.debug("translation score %s ~ %s = %.2f", doc_id, other, score)
                if score >= threshold:
                    links[doc_id].add(other)
                    links[other].add(doc_id)
        groups = connected_groups(sorted(metas), links)
        members: dict[str, list[str]] = {}
        for doc_id, group in groups.items():
            members.setdefault(group, []).append(doc_id)
        for doc_id, meta in metas.items():
            group = groups[doc_id]
            dates = [metas[m]["date"] for m in members[group] if metas[m].get("date")]
            date = meta.get("date") or (dates[0] if dates else "")
            translations = "|".join(sorted(links[doc_id]))
            if (meta.get("translation_group"), meta.get("translations", ""), meta.get("date", ""),
                    meta.get("grouped", True)) == (group, translations, date, True):
                continue
            # Chunks first, then the row: the row's old values tell whether the chunks
            # still need the update, so a run killed in between repairs them.
            if (meta.get("translation_group"), meta.get("date", "")) != (group, date):
                chunk_ids = cols["chunks"].get(where={"document_id": doc_id}, include=[])["ids"]
                if chunk_ids:
                    cols["chunks"].update(
                        ids=chunk_ids,
                        metadatas=[{"translation_group": group, "date": date}] * len(chunk_ids),
                    )
            documents.update(
                ids=[doc_id],
                metadatas=[{"translation_group": group, "translations": translations, "date": date,
                            "grouped": True}],
            )
