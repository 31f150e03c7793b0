"""Builds the engine with everything it is handed rather than importing:
the ingestor (ingest/) for `rag ingest`, uploads and deletes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from rag.settings import Settings

NOISY_LOGGERS = ("httpx", "chromadb", "gradio", "urllib3", "httpcore", "openai", "bm25s")


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def load_settings(data_dir: Path | None, **overrides: object) -> Settings:
    """Settings from the environment and `.env`; a validation error becomes a ConfigError."""
    from pydantic import ValidationError

    from rag.errors import ConfigError
    from rag.settings import get_settings

    try:
        settings = get_settings(data_dir=data_dir, **overrides)
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {exc}") from exc
    setup_logging(settings.log_level)
    return settings


def build_engine(settings: Settings, warm_up: bool = True):
    """The engine, with the ingest pipeline as its ingestor."""
    from ingest.pipeline import Ingestor
    from rag.engine import Engine

    return Engine.from_settings(settings, warm_up=warm_up, ingestor_factory=Ingestor)
