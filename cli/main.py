"""`rag` command line: ingest | sources | ask | eval | ui."""

from __future__ import annotations

import functools
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from rag.errors import RagError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Multilingual (vi/en/ru) Q&A over news articles, cited to the passage.",
)
logger = logging.getLogger(__name__)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Index and state folder (default: RAG_DATA_DIR or ./data)."),
]


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "chromadb", "gradio", "urllib3", "httpcore", "openai", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


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


def load_settings(data_dir: Path | None):
    from pydantic import ValidationError

    from rag.config import get_settings
    from rag.errors import ConfigError

    try:
        settings = get_settings(data_dir=data_dir)
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {exc}") from exc
    _setup_logging(settings.log_level)
    return settings


@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: ./seeds).")] = None,
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop the index and start over.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary.")] = False,
) -> None:
    """Chunk, embed and store articles; re-runs only touch what changed.

    Example: rag ingest seeds/ --data-dir ./data
    """
    from rag.engine import Engine

    settings = load_settings(data_dir)
    engine = Engine.from_settings(settings, warm_up=False)
    report = engine.ingest(paths or [settings.corpus_dir], rebuild=rebuild, show_progress=not as_json)
    if as_json:
        typer.echo(json.dumps(report.model_dump(), ensure_ascii=False))
        return
    typer.echo(
        f"{report.documents} documents: {report.new} new, {report.changed} changed, "
        f"{report.unchanged} unchanged, {report.removed} removed; "
        f"{report.chunks_embedded} chunks embedded, {report.chunks_total} in the index "
        f"({report.seconds:.1f} s)"
    )
    for item in report.skipped:
        typer.secho(f"skipped {item.path}: {item.reason}", fg=typer.colors.YELLOW, err=True)


@app.command()
@handle_errors
def sources(
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the indexed documents with language, date and translation group.

    Example: rag sources --json
    """
    from rag.engine import Engine

    engine = Engine.from_settings(load_settings(data_dir), warm_up=False)
    docs = engine.documents()
    if as_json:
        fields = ("doc_id", "file", "title", "language", "date", "translation_group", "chunks")
        typer.echo(json.dumps([d.model_dump(include=set(fields)) for d in docs], ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("file", "lang", "date", "group", "chunks", "title")
    for d in docs:
        table.add_row(d.file, d.language, d.date or "", d.translation_group, str(d.chunks), d.title[:60])
    Console().print(table)


@app.command()
@handle_errors
def ask(
    question: Annotated[str, typer.Argument(help="The question, in Vietnamese, English or Russian.")],
    lang: Annotated[str, typer.Option("--lang", help="Answer language: auto, vi, en or ru.")] = "auto",
    data_dir: DataDir = None,
    retriever: Annotated[str | None, typer.Option(help="hybrid (default), dense or bm25.")] = None,
    top_k: Annotated[int | None, typer.Option("--top-k", help="Passages for the answerer.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Answer a question from the articles, with [n] citations.

    Example: rag ask "Việt Nam đã ký bao nhiêu FTA?"
    """
    from rag.cli_render import print_answer, stream_answer
    from rag.engine import Engine

    settings = load_settings(data_dir)
    engine = Engine.from_settings(settings)
    if engine.ensure_index(show_progress=not as_json):
        typer.secho("The index was empty: ingested ./seeds first.", err=True)
    if as_json:
        answer = engine.answer(question, lang=lang, retriever=retriever, top_k=top_k)
        typer.echo(json.dumps(answer_json(answer), ensure_ascii=False))
        return
    answer = stream_answer(engine, question, lang=lang, retriever=retriever, top_k=top_k)
    print_answer(answer)


def answer_json(answer) -> dict:
    return {
        "question": answer.question,
        "language": answer.language,
        "answer": answer.text,
        "mode": answer.mode,
        "abstained": answer.abstained,
        "citations": [
            {"n": c.n, "file": c.file, "title": c.title, "language": c.language, "date": c.date,
             "text": c.text}
            for c in answer.citations
        ],
        "retrieved": [
            {"file": r.file, "language": r.language, "score": round(r.score, 4), "text": r.text}
            for r in answer.retrieved
        ],
        "usage": answer.usage.model_dump(),
        "latency_ms": round(answer.latency_ms, 1),
        "notices": [n.model_dump() for n in answer.notices],
    }


@app.command()
@handle_errors
def ui(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Start the chat UI; ingests ./seeds first if the index is empty.

    Example: rag ui --port 7860
    """
    from ui.app import serve

    settings = load_settings(data_dir)
    serve(settings, host=host, port=port)


def _register_eval() -> None:
    try:
        from eval.cli import eval_command
    except ImportError:  # eval package not installed
        return
    app.command("eval")(handle_errors(eval_command))


_register_eval()


if __name__ == "__main__":
    app()
