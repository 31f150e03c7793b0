"""The index: three Chroma collections and the ingest docstore.

- `<name>_chunks`: retrieval units (llama-index nodes via ChromaVectorStore).
- `<name>_sentences`: one vector per sentence of each chunk, precomputed at ingest
  so the extractive answerer never embeds at query time.
- `<name>_documents`: one row per document (centroid vector + metadata). It is
  the manifest behind `rag sources` and is written last, as a commit marker.
- `<name>_calibration`: vectors of a fixed parallel reference set
  (rag/data/reference_sentences.json) that measure the embedder's language bias.

The embedder's identity is stored in the chunk collection's metadata; a store
built with another embedder is refused."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import time
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from rag.components import build_chroma_client
from rag.config import Settings
from rag.errors import (
    EmbedderMismatchError,
    IndexCorruptError,
    IndexLockedError,
    StoreUnavailableError,
)
from rag.schema import DocumentInfo

logger = logging.getLogger(__name__)

DOC_FIELDS = ("doc_id", "file", "title", "language", "date", "translation_group", "chunks")


def store_call(what: str):
    """Turn low-level Chroma failures into errors a person can act on."""

    @contextlib.contextmanager
    def guard() -> Iterator[None]:
        try:
            yield
        except (EmbedderMismatchError, IndexLockedError):
            raise
        except Exception as exc:
            if _is_unreachable(exc):
                raise StoreUnavailableError(
                    f"the Chroma server did not answer while {what}: {exc}"
                ) from exc
            raise

    return guard()


def _is_unreachable(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("connect", "refused", "timed out", "unreachable"))


class IndexStore:
    def __init__(self, settings: Settings, embedder_id: str):
        self.settings = settings
        self.embedder_id = embedder_id
        self.data_dir = Path(settings.data_dir)
        prefix = settings.chroma.collection
        self.names = {
            k: f"{prefix}_{k}" for k in ("chunks", "sentences", "documents", "calibration")
        }

    # -- connections ---------------------------------------------------------
    @cached_property
    def client(self):
        return build_chroma_client(self.settings)

    def _collection(self, kind: str, create: bool):
        name = self.names[kind]
        client = self.client  # raises its own IndexCorruptError / StoreUnavailableError
        with store_call(f"opening collection {name}"):
            if create:
                return client.get_or_create_collection(
                    name,
                    embedding_function=None,  # never Chroma's default: it downloads a model
                    metadata={"hnsw:space": "cosine", "embedder": self.embedder_id},
                )
            try:
                return client.get_collection(name, embedding_function=None)
            except Exception as exc:
                if "does not exist" in str(exc) or "NotFound" in type(exc).__name__:
                    return None
                if _is_unreachable(exc):
                    raise  # store_call reports the server, not a corrupt index
                raise IndexCorruptError(
                    f"collection {name} cannot be read ({exc}); run `rag ingest --rebuild`"
                ) from exc

    def collections(self, create: bool = False) -> dict[str, Any] | None:
        """The three collections, or None when the index was never built."""
        found = {kind: self._collection(kind, create) for kind in self.names}
        if any(c is None for c in found.values()):
            return None
        self.check_embedder(found["chunks"])
        return found

    def check_embedder(self, chunks) -> None:
        stored = (chunks.metadata or {}).get("embedder")
        if stored and stored != self.embedder_id:
            raise EmbedderMismatchError(
                f"the index was built with embedder {stored!r} but {self.embedder_id!r} is "
                "configured; re-ingest with `rag ingest --rebuild` (or restore the old "
                "RAG_EMBEDDING__* settings)"
            )

    def vector_store(self, chunks):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=chunks)

    # -- state ---------------------------------------------------------------
    def generation(self) -> str:
        """Changes after every ingest; readers reload their caches when it does."""
        chunks = self._collection("chunks", create=False)
        if chunks is None:
            return "none"
        return str((chunks.metadata or {}).get("generation", "0"))

    def bump_generation(self, chunks) -> None:
        meta = dict(chunks.metadata or {})
        meta.pop("hnsw:space", None)  # fixed at creation; may not be modified
        meta["generation"] = f"{time.time():.6f}"
        meta["embedder"] = self.embedder_id
        chunks.modify(metadata=meta)

    def is_empty(self) -> bool:
        cols = self.collections()
        return cols is None or cols["documents"].count() == 0

    def documents(self) -> list[DocumentInfo]:
        cols = self.collections()
        if cols is None:
            return []
        rows = cols["documents"].get(include=["metadatas"])
        docs = [document_info(meta) for meta in rows["metadatas"] or []]
        return sorted(docs, key=lambda d: d.file)

    def reset(self) -> None:
        """Drop everything (for --rebuild), even an index Chroma cannot open."""
        try:
            client = self.client
        except IndexCorruptError:
            if self.settings.store_mode != "embedded":
                raise
            path = self.data_dir / "chroma"
            logger.warning("the index in %s cannot be opened; deleting it", path)
            shutil.rmtree(path, ignore_errors=True)
            self.__dict__.pop("client", None)  # reopen on a fresh directory
            client = None
        for name in self.names.values() if client is not None else ():
            with contextlib.suppress(Exception):
                client.delete_collection(name)
        with contextlib.suppress(FileNotFoundError):
            self.docstore_path.unlink()

    @property
    def docstore_path(self) -> Path:
        return self.data_dir / f"{self.settings.chroma.collection}_docstore.json"

    # -- locking -------------------------------------------------------------
    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time: Chroma's embedded store is not process-safe."""
        from filelock import FileLock, Timeout

        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.data_dir / ".write.lock"))
        try:
            lock.acquire(timeout=self.settings.ingest.lock_timeout)
        except Timeout as exc:
            raise IndexLockedError(
                f"another process is writing the index in {self.data_dir}; waited "
                f"{self.settings.ingest.lock_timeout:.0f} s. Try again when it finishes."
            ) from exc
        try:
            yield
        finally:
            lock.release()


def document_info(meta: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        doc_id=meta["doc_id"],
        file=meta.get("file", ""),
        title=meta.get("title", ""),
        language=meta.get("language", "other"),
        date=meta.get("date") or None,
        translation_group=meta.get("translation_group") or meta["doc_id"],
        chunks=int(meta.get("chunks", 0)),
        content_hash=meta.get("content_hash", ""),
        path=meta.get("path", ""),
    )


def atomic_write_json(path: Path, data: Any) -> None:
    """Write via a temp file and rename, so a kill never leaves half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
