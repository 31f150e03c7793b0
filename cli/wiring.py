"""Builds the engine with everything it is handed rather than importing:
the ingestor (ingest/) for `rag ingest`, uploads and deletes."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

import typer

from rag.errors import RagError
from rag.settings import Settings

NOISY_LOGGERS = ("httpx", "chromadb", "gradio", "urllib3", "httpcore", "openai", "bm25s",
                 "alembic")


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


def handle_errors(func):
    """Turn RagError into one readable line and exit code 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except RagError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.secho("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper


def cli_actor() -> str:
    """Who the audit log names for a command: the operating-system user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"[:64]
    except Exception:  # no user name in this environment
        return "cli"


def record_ingest(settings: Settings, paths: list[Path], report, rebuild: bool) -> None:
    """Note a `rag ingest` that changed the index in the audit log; a database that
    cannot be reached is a warning, not a failed ingest."""
    if not (report.new or report.changed or report.removed or rebuild):
        return
    from rag.state import open_state

    try:
        state = open_state(settings)
    except RagError as exc:
        logging.getLogger(__name__).warning("the audit log was not written: %s", exc)
        return
    state.audit.record(cli_actor(), "ingest", ", ".join(str(p) for p in paths)[:500],
                       new=report.new, changed=report.changed, removed=report.removed,
                       rebuild=rebuild)
    state.close()
