"""All configuration in one place: a pydantic-settings class read from the
environment and `.env`, with one section per concern (`tuned`: retrieval and
answering, chosen by measuring; `sections`: the rest). Nothing is read at
import time; call `get_settings()`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from rag.settings.sections import (
    ChromaSettings,
    EmbeddingSettings,
    IngestSettings,
    LLMSettings,
    UISettings,
)
from rag.settings.tuned import RETRIEVERS, AnswerSettings, RetrievalSettings, ToneSettings
from rag.settings.web import WebSettings


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
        description="user:password pairs, comma separated: seeded once as admin accounts.",
    )
    database_url: SecretStr | None = Field(None, description="App database URL (postgresql+"
                                           "psycopg://…); unset = SQLite in data_dir.")

    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    ui: UISettings = Field(default_factory=UISettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    tones: ToneSettings = Field(default_factory=ToneSettings)

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


def make_settings(data_dir: Path, corpus_dir: Path, **dotted: object) -> Settings:
    """Settings for a program that embeds the engine (tests, benchmarks): no
    `.env`, explicit folders, and overrides by dotted name
    (`llm__mode="openai-compatible"`), applied as given."""
    settings = Settings(_env_file=None, data_dir=Path(data_dir), corpus_dir=Path(corpus_dir))
    for name, value in dotted.items():
        target = settings
        *path, last = name.split("__")
        for part in path:
            target = getattr(target, part)
        setattr(target, last, value)
    return settings


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`; keyword overrides win."""
    settings = Settings()
    updates = {k: v for k, v in overrides.items() if v is not None}
    if updates:  # validate the overrides too (a str data_dir becomes a Path)
        settings = Settings.model_validate({**settings.model_dump(), **updates})
    return settings


__all__ = ["RETRIEVERS", "AnswerSettings", "ChromaSettings", "EmbeddingSettings", "IngestSettings",
           "LLMSettings", "RetrievalSettings", "Settings", "ToneSettings", "UISettings", "WebSettings", "get_settings",
           "make_settings"]
