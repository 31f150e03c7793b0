"""The index: Chroma collections.

- `<name>_chunks`: retrieval units (llama-index nodes via ChromaVectorStore).
- `<name>_sentences_<lang>`: one vector per sentence of each chunk, precomputed
  at ingest so the extractive answerer never embeds at query time. One per
  document language, so a language pool is a plain HNSW query (a `language`
  filter scanned every sentence row: 3.7 s at 100k chunks, bench/README.md).
- `<name>_documents`: the manifest, one row per document (centroid vector +
  metadata; its text is the article's vocabulary, for the key-term guard),
  written after the document's chunks and sentences: the commit record. A row
  with `deleted_at` (epoch s) is soft-deleted: not answered from, restorable.
- `<name>_calibration`: vectors of the shipped parallel QA set (rag/retrieval/calibration.py).

The chunk collection's metadata is the index's own state: the embedder's
identity (another embedder is refused), the layout version, the generation
(readers reload when it changes) and the ingest journal (ingest/manifest.py).

Embedded Chroma keeps a collection's vector index in the opening process's
memory, so a reader reopens its client when the generation changes under it."""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import time
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from rag.errors import EmbedderMismatchError, IndexCorruptError, IndexLockedError, StoreUnavailableError
from rag.infra.components import build_chroma_client, forget_embedded_client
from rag.schema import DocumentInfo
from rag.settings import Settings

logger = logging.getLogger(__name__)

# Bumped when the collections' layout changes; an older index must be rebuilt.
LAYOUT_VERSION = 2
# HNSW candidates per sentence search (Chroma: 100): wider pools agree with exact
# search, so a process that has or has not compacted the index ranks alike.
SEARCH_EF = 200
# Rows per Chroma read: an unpaged get() of more than 32,766 rows fails in SQLite
# ("too many SQL variables").
FETCH_PAGE = 5000


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
        self.names = {k: f"{prefix}_{k}" for k in ("chunks", "documents", "calibration")}
        self.sentence_prefix = f"{prefix}_sentences_"
        self._synced_generation: str | None = None  # what our client has seen

    # -- connections ---------------------------------------------------------
    @cached_property
    def client(self):
        client = build_chroma_client(self.settings)
        if self.settings.store_mode == "embedded":  # what this client's memory holds
            self._synced_generation = _generation_of(client, self.names["chunks"])
        return client

    def _reopen_if_stale(self) -> None:
        """Embedded mode: reopen the client when another process changed the
        index since this one was opened (its in-memory vector index would keep
        answering from the old state). Our own writes keep the client."""
        if self.settings.store_mode != "embedded" or "client" not in self.__dict__:
            return
        current = self.generation()
        if current != self._synced_generation:
            logger.info("index generation %s was written by another process: reopening",
                        current)
            forget_embedded_client(self.settings)
            self.__dict__.pop("client", None)
            self._synced_generation = current

    def _collection(self, kind: str, create: bool):
        name = self.names[kind]
        client = self.client  # raises its own IndexCorruptError / StoreUnavailableError
        with store_call(f"opening collection {name}"):
            if create:
                return client.get_or_create_collection(
                    name,
                    embedding_function=None,  # never Chroma's default: it downloads a model
                    metadata={"hnsw:space": "cosine", "embedder": self.embedder_id,
                              "layout": LAYOUT_VERSION},
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
        """The collections (sentences as one `SentenceCollections`), or None when
        the index was never built."""
        self._reopen_if_stale()
        found = {kind: self._collection(kind, create) for kind in self.names}
        if any(c is None for c in found.values()):
            return None
        self.check_embedder(found["chunks"])
        self.check_layout(found["chunks"])
        found["sentences"] = SentenceCollections(self)
        return found

    def check_layout(self, chunks) -> None:
        if (chunks.metadata or {}).get("layout") != LAYOUT_VERSION:
            raise IndexCorruptError(
                f"the index in {self.data_dir} was built by an older version of this program; "
                "rebuild it with `rag ingest --rebuild`"
            )

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

    def bump_generation(self, chunks, **state: Any) -> str:
        """A new generation (readers reload), with any other `state` changes."""
        generation = f"{time.time():.6f}"
        self.update_state(chunks, generation=generation, **state)
        self._synced_generation = generation  # written through our own client
        return generation

    def state(self) -> dict[str, Any]:
        """The index's own metadata, read afresh (journal, generation, …)."""
        chunks = self._collection("chunks", create=False)
        return dict(chunks.metadata or {}) if chunks is not None else {}

    def update_state(self, chunks, **changes: Any) -> None:
        """Change keys of the chunk collection's metadata (one Chroma write).
        A value of "" clears a key."""
        meta = {**self.state(), **changes}
        meta.pop("hnsw:space", None)  # fixed at creation; may not be modified
        meta["embedder"] = self.embedder_id
        meta["layout"] = LAYOUT_VERSION
        with store_call("recording the index state"):
            chunks.modify(metadata=meta)

    def is_empty(self) -> bool:
        cols = self.collections()
        return cols is None or cols["documents"].count() == 0

    def documents(self) -> list[DocumentInfo]:
        cols = self.collections()
        if cols is None:
            return []
        rows = get_all(cols["documents"], include=["metadatas"])
        docs = [document_info(meta) for meta in rows["metadatas"]]
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
        names = list(self.names.values())
        if client is not None:
            with contextlib.suppress(Exception):
                names += [n for n in _collection_names(client) if n.startswith(self.sentence_prefix)]
        for name in names if client is not None else ():
            with contextlib.suppress(Exception):
                client.delete_collection(name)

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


class SentenceCollections:
    """The per-language sentence collections behind the subset of the Chroma
    collection API the rest of the code uses (upsert/get/delete/count), plus
    `query_language` for one language pool. Writes are routed by the
    `language` of each row's metadata; reads and deletes fan out."""

    def __init__(self, store: IndexStore):
        self._store = store
        # Handles are kept for the life of this object: one index generation
        # when readers get it from the snapshot, one write when the Ingestor does.
        self._handles: dict[str, Any] = {}
        self._listed: list[Any] | None = None

    def _name(self, language: str) -> str:
        return self._store.sentence_prefix + (re.sub(r"[^a-z]", "", language.lower()) or "other")

    def _open(self, language: str, create: bool):
        name = self._name(language)
        if name in self._handles:
            return self._handles[name]
        client = self._store.client
        with store_call(f"opening collection {name}"):
            if create:
                handle = client.get_or_create_collection(
                    name, embedding_function=None,
                    metadata={"hnsw:space": "cosine", "hnsw:search_ef": SEARCH_EF,
                              "embedder": self._store.embedder_id},
                )
                self._listed = None  # a new language may have appeared
            else:
                try:
                    handle = client.get_collection(name, embedding_function=None)
                except Exception as exc:
                    if "does not exist" in str(exc) or "NotFound" in type(exc).__name__:
                        return None
                    raise
        self._handles[name] = handle
        return handle

    def existing(self) -> list[Any]:
        if self._listed is None:
            prefix = self._store.sentence_prefix
            with store_call("listing the sentence collections"):
                names = [n for n in _collection_names(self._store.client) if n.startswith(prefix)]
            found = [self._open(n[len(prefix):], create=False) for n in sorted(names)]
            self._listed = [c for c in found if c is not None]
        return self._listed

    def upsert(self, ids, embeddings, documents, metadatas) -> None:
        by_language: dict[str, list[int]] = {}
        for i, meta in enumerate(metadatas):
            by_language.setdefault(meta.get("language") or "other", []).append(i)
        for language, rows in by_language.items():
            collection = self._open(language, create=True)
            collection.upsert(
                ids=[ids[i] for i in rows],
                embeddings=[embeddings[i] for i in rows],
                documents=[documents[i] for i in rows],
                metadatas=[metadatas[i] for i in rows],
            )

    def get(self, where=None, include=("metadatas", "documents"), limit=None,
            languages: set[str] | None = None) -> dict[str, list]:
        merged: dict[str, list] = {"ids": [], **{k: [] for k in include}}
        for collection in self._in(languages):
            page = get_all(collection, include=list(include), where=where)
            for key, values in page.items():
                merged[key].extend(values)
        if limit is not None:
            merged = {k: v[:limit] for k, v in merged.items()}
        return merged

    def delete(self, where, languages: set[str] | None = None) -> None:
        """Delete matching rows in every language, or only in `languages` (when
        the caller knows where a document's sentences can be: a Chroma call each)."""
        for collection in self._in(languages):
            collection.delete(where=where)

    def _in(self, languages: set[str] | None) -> list[Any]:
        """The existing collections, or those of `languages` only."""
        if languages is None:
            return self.existing()
        names = {self._name(lang) for lang in languages}
        return [c for c in self.existing() if c.name in names]

    def count(self) -> int:
        return sum(c.count() for c in self.existing())

    def query_language(self, language: str, query: list[float], n_results: int,
                       where: dict | None = None) -> dict[str, list]:
        """The nearest sentences of one language: metadatas, cosine distances and
        vectors (the calibration re-scores them), optionally within a `where`."""
        collection = self._open(language, create=False)
        if collection is None:
            return {"metadatas": [], "distances": [], "embeddings": []}
        found = collection.query(query_embeddings=[query], n_results=n_results, where=where,
                                 include=["metadatas", "distances", "embeddings"])
        embeddings = found["embeddings"][0] if found.get("embeddings") is not None else []
        return {"metadatas": found["metadatas"][0], "distances": found["distances"][0],
                "embeddings": embeddings}


def _generation_of(client, chunks_name: str) -> str:
    try:
        chunks = client.get_collection(chunks_name, embedding_function=None)
    except Exception:  # not created yet (or unreadable: the caller will say so)
        return "none"
    return str((chunks.metadata or {}).get("generation", "0"))


def _collection_names(client) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]


def iter_pages(collection, include: list[str], where: dict | None = None,
               page: int | None = None) -> Iterator[dict[str, list]]:
    """Every row of a collection (or of a `where`), `page` rows at a time."""
    page = page or FETCH_PAGE
    offset = 0
    while True:
        rows = collection.get(where=where, include=include, limit=page, offset=offset)
        batch = {"ids": list(rows["ids"])}
        for key in include:
            values = rows.get(key)
            batch[key] = list(values) if values is not None else [None] * len(batch["ids"])
        yield batch
        if len(batch["ids"]) < page:
            return
        offset += page


def get_all(collection, include: list[str], where: dict | None = None) -> dict[str, list]:
    """`collection.get()` for any number of rows (merged pages, lists only)."""
    merged: dict[str, list] = {"ids": [], **{k: [] for k in include}}
    for batch in iter_pages(collection, include, where):
        for key, values in batch.items():
            merged[key].extend(values)
    return merged


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
        url=meta.get("url") or "",
        author=meta.get("author") or "",
        deleted_at=float(meta["deleted_at"]) if meta.get("deleted_at") else None,
    )
