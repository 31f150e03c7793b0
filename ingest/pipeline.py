"""Incremental, batched, crash-safe ingest.

files -> read + clean + content hash (ingest.prepare) -> plan against the
manifest (ingest.manifest) -> batches of about `batch_tokens` tokens:
language + date, chunks and their sentences (ingest.chunking), every distinct
sentence embedded once (ingest.vectors), one commit per batch
(ingest.writer), translation grouping in bulk (ingest.translations).

The documents collection is the commit record; a journal in the index state
lets a run killed anywhere resume to exactly the index a clean ingest builds.
Deletes are soft (undo until the next ingest or `undo_seconds`)."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.chunking import ChunkedDocument, chunk_document, make_splitter
from ingest.loaders import iter_files, make_doc_id  # noqa: F401  (make_doc_id: the UI's)
from ingest.manifest import Manifest, mark_deleted, now, recover
from ingest.prepare import PreparedDocument, enrich, prepare
from ingest.progress import IngestProgress
from ingest.translations import TranslationLinker
from ingest.vectors import VectorMaker
from ingest.writer import BatchWriter
from rag.errors import DocumentError, IndexNotBuiltError, RagError
from rag.lang.text import count_tokens
from rag.schema import IngestReport, SkippedFile

logger = logging.getLogger(__name__)


@dataclass
class _Staged:
    key: int
    chunked: list[ChunkedDocument]
    texts: list[str]
    job: Any  # .wait(on_piece) -> vectors


def embed_workers(settings) -> int:
    """Embedding processes for a large run: the setting, else one per usable core."""
    if settings.ingest.embed_workers:
        return settings.ingest.embed_workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Ingestor:
    def __init__(self, store, embed_model, settings):
        self.store = store
        self.embed_model = embed_model
        self.settings = settings

    # -- the run ---------------------------------------------------------------
    def run(self, paths: list[Path], rebuild: bool = False,
            progress: Callable[[float, int, str], None] | None = None,
            show_progress: bool = False) -> IngestReport:
        started = time.perf_counter()
        meter = IngestProgress(progress, show_progress)
        prepared, skipped, unreadable = self._read(paths, meter)
        return self.commit(prepared, skipped, meter, started, paths=paths, unreadable=unreadable,
                           rebuild=rebuild)

    def commit(self, prepared: dict[str, PreparedDocument], skipped: list[SkippedFile],
               meter: IngestProgress, started: float, paths: list[Path] | None = None,
               unreadable: set[str] | None = None, rebuild: bool = False) -> IngestReport:
        """Plan, embed and store documents already read (files, or web pages from
        ingest.web): only new and changed ones are embedded. Only folders in
        `paths` are checked for files that are gone."""
        report = IngestReport(skipped=skipped, documents=len(prepared))
        try:
            with self.store.write_lock():
                self._run_locked(paths or [], rebuild, prepared, unreadable or set(), report,
                                 meter)
        finally:
            meter.close()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _run_locked(self, paths, rebuild, prepared, unreadable: set[str], report: IngestReport,
                    meter) -> None:
        if rebuild:
            self.store.reset()
        cols = self.store.collections(create=True)
        self._drop_legacy_docstore()
        self._ensure_calibration(cols["calibration"])
        unpublished = bool(self.store.state().get("ingest_unpublished"))
        manifest = Manifest.load(cols["documents"])
        recovered = recover(self.store, cols, manifest)
        writer = BatchWriter(self.store, cols, manifest, self.settings.ingest.publish_seconds)
        linker = TranslationLinker(cols, manifest, self.settings.ingest.translation_threshold)
        purged = manifest.soft_deleted()  # the next ingest ends every undo window
        writer.remove(purged)
        plan = manifest.plan(prepared, paths, unreadable)
        writer.remove(plan.removed)
        writer.move(plan.moved)
        writer.refresh(plan.refreshed)
        linker.forget([*recovered, *purged, *plan.removed])
        report.new, report.changed = plan.new, plan.changed
        report.unchanged, report.removed = len(plan.unchanged), len(plan.removed)
        report.chunks_embedded = self._embed(plan.to_embed, writer, linker, meter)
        leftovers = {d for d, row in manifest.rows.items() if row.get("grouped") is False}
        if leftovers or recovered or purged or plan.removed or unpublished or writer.changed:
            linker.link(leftovers)  # committed by a run killed before it grouped them
            linker.apply()
            writer.publish()
        report.chunks_total = cols["chunks"].count()

    def _read(self, paths: list[Path], meter: IngestProgress
              ) -> tuple[dict[str, PreparedDocument], list[SkippedFile], set[str]]:
        """(documents read, files passed over, ids of files that could not be
        read: their last good version stays)."""
        max_bytes = int(self.settings.ingest.max_file_mb * 1e6)
        files, passed_over = iter_files(paths, Path(self.settings.corpus_dir))
        skipped = [SkippedFile(path=str(p), reason=r) for p, r in passed_over]
        prepared: dict[str, PreparedDocument] = {}
        unreadable: set[str] = set()
        for i, source in enumerate(files, start=1):
            meter.reading(i, len(files), source.doc_id)
            try:
                doc = prepare(source, max_bytes)
            except DocumentError as exc:
                skipped.append(SkippedFile.from_error(str(source.path), exc))
                unreadable.add(source.doc_id)
                continue
            if doc.doc_id in prepared:
                skipped.append(SkippedFile(path=str(source.path), reason=(
                    f"same document id {doc.doc_id!r} as {prepared[doc.doc_id].path}; "
                    "ingest the two folders separately or rename one")))
                continue
            prepared[doc.doc_id] = doc
        for item in skipped:
            logger.warning("skipped %s: %s", item.path, item.reason)
        return prepared, skipped, unreadable

    # -- embedding -------------------------------------------------------------
    def _batches(self, docs: list[PreparedDocument]) -> Iterator[list[PreparedDocument]]:
        batch: list[PreparedDocument] = []
        tokens = 0
        for doc in docs:
            batch.append(doc)
            tokens += doc.tokens
            if tokens >= self.settings.ingest.batch_tokens:
                yield batch
                batch, tokens = [], 0
        if batch:
            yield batch

    def _embed(self, docs: list[PreparedDocument], writer: BatchWriter,
               linker: TranslationLinker, meter: IngestProgress) -> int:
        """Embed and commit `docs` batch by batch. Batch k is embedded (by
        worker processes, when they are used) while batch k-1 is committed and
        grouped and batch k+1 is prepared; commits stay in order."""
        if not docs:
            return 0
        for doc in docs:
            doc.tokens = count_tokens(doc.text)
        meter.start(len(docs), sum(d.tokens for d in docs))
        splitter = make_splitter(self.settings.ingest.chunk_size,
                                 self.settings.ingest.chunk_overlap)
        maker = VectorMaker(self.embed_model, self.settings.ingest.chunk_vectors,
                            workers=embed_workers(self.settings))
        embedded = 0
        with maker.session(sum(len(d.text) for d in docs)):
            pending = None
            for key, batch in enumerate(self._batches(docs)):
                staged = self._stage(key, batch, splitter, maker, meter)
                if pending is not None:
                    embedded += self._finish(pending, maker, writer, linker, meter)
                pending = staged
            if pending is not None:
                embedded += self._finish(pending, maker, writer, linker, meter)
        return embedded

    @staticmethod
    def _stage(key: int, batch: list[PreparedDocument], splitter, maker: VectorMaker,
               meter: IngestProgress) -> _Staged:
        """Language, date, chunks and sentences of a batch; its embedding started."""
        for doc in batch:
            enrich(doc)  # only for what is embedded
        chunked = [chunk_document(doc, splitter) for doc in batch]
        texts = maker.texts(chunked)
        label = batch[0].doc_id + (f" (+{len(batch) - 1})" if len(batch) > 1 else "")
        meter.begin_batch(key, len(batch), sum(d.tokens for d in batch),
                          sum(len(t) for t in texts), label)
        return _Staged(key, chunked, texts, maker.submit(texts))

    def _finish(self, staged: _Staged, maker: VectorMaker, writer: BatchWriter,
                linker: TranslationLinker, meter: IngestProgress) -> int:
        """Wait for a batch's vectors, commit it, group it."""
        vectors = staged.job.wait(functools.partial(meter.embedded, staged.key))
        batch_vectors = maker.assemble(staged.chunked, staged.texts, vectors)
        written = writer.commit(staged.chunked, batch_vectors)
        self._group(linker, staged.chunked, batch_vectors)
        meter.end_batch(staged.key)
        return written

    def _group(self, linker: TranslationLinker, batch: list[ChunkedDocument], vectors) -> None:
        linker.committed(batch, vectors)
        linker.link({c.doc.doc_id for c in batch})
        linker.apply()

    def regroup(self, resync: frozenset[str] = frozenset()) -> int:
        """Recompute every translation link and group, and rewrite the group
        and date of the `resync` documents' chunks (`rag doctor`)."""
        with self.store.write_lock():
            cols = self._existing_collections()
            manifest = Manifest.load(cols["documents"])
            linker = TranslationLinker(cols, manifest, self.settings.ingest.translation_threshold)
            linker.link(set(manifest.rows))
            changed = linker.apply(resync)
            self.store.bump_generation(cols["chunks"])
            return changed

    # -- soft delete -----------------------------------------------------------
    def delete(self, doc_id: str) -> None:
        """Soft-delete: the row is marked `deleted_at`; retrieval skips it;
        `restore` undoes it until the next ingest or `undo_seconds` pass."""
        with self.store.write_lock():
            cols = self._existing_collections()
            manifest = Manifest.load(cols["documents"])
            if doc_id not in manifest.rows:
                raise RagError(f"no document with id {doc_id!r} in the index", code="no_document")
            if not manifest.rows[doc_id].get("deleted_at"):
                mark_deleted(cols["documents"], doc_id, now())
            self._purge_expired(cols, manifest, keep=doc_id)
            self.store.bump_generation(cols["chunks"])

    def restore(self, doc_id: str) -> None:
        """Undo a delete whose undo window is still open."""
        with self.store.write_lock():
            cols = self._existing_collections()
            rows = cols["documents"].get(ids=[doc_id], include=["metadatas"])
            if not rows["ids"]:
                raise RagError(f"no document with id {doc_id!r} in the index (a deleted "
                               "document is purged at the next ingest; add its file again)",
                               code="no_document")
            deleted_at = rows["metadatas"][0].get("deleted_at")
            if not deleted_at:
                return
            if now() - float(deleted_at) > self.settings.ingest.undo_seconds:
                raise RagError(f"{doc_id} was deleted more than "
                               f"{self.settings.ingest.undo_seconds:g} s ago and cannot be "
                               "restored (RAG_INGEST__UNDO_SECONDS); add its file again")
            mark_deleted(cols["documents"], doc_id, None)
            self.store.bump_generation(cols["chunks"])

    def purge(self, expired_only: bool = True) -> list[str]:
        """Remove soft-deleted documents for good (those past the undo window,
        or all). Returns their ids."""
        with self.store.write_lock():
            cols = self.store.collections()
            if cols is None:
                return []
            manifest = Manifest.load(cols["documents"])
            return self._purge_expired(cols, manifest, all_of_them=not expired_only)

    def _purge_expired(self, cols, manifest: Manifest, keep: str | None = None,
                       all_of_them: bool = False) -> list[str]:
        cutoff = None if all_of_them else now() - self.settings.ingest.undo_seconds
        doomed = [d for d in manifest.soft_deleted(cutoff) if d != keep]
        if doomed:
            writer = BatchWriter(self.store, cols, manifest, self.settings.ingest.publish_seconds)
            linker = TranslationLinker(cols, manifest, self.settings.ingest.translation_threshold)
            writer.remove(doomed)
            linker.forget(doomed)
            linker.apply()
            writer.publish()
        return doomed

    def _existing_collections(self) -> dict[str, Any]:
        cols = self.store.collections()
        if cols is None:
            raise IndexNotBuiltError("the index is empty: run `rag ingest` first")
        return cols

    # -- the rest --------------------------------------------------------------
    def _ensure_calibration(self, calibration) -> None:
        """Store the calibration set's vectors once per index (and again when the
        shipped set changes); precomputed for the bundled embedder."""
        from ingest.calibration import ensure

        ensure(calibration, self.embed_model, self.store.embedder_id)

    def _drop_legacy_docstore(self) -> None:
        """Earlier versions kept a llama-index docstore beside the manifest."""
        legacy = Path(self.settings.data_dir) / f"{self.settings.chroma.collection}_docstore.json"
        with contextlib.suppress(FileNotFoundError):
            legacy.unlink()
