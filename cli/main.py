"""`rag` command line: ingest | sources | ask | eval | ui | doctor. Each command only wires and renders."""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from cli.doctor_cmd import doctor_command
from cli.eval_cmd import eval_command
from cli.wiring import build_engine, load_settings
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
    settings = load_settings(data_dir)
    engine = build_engine(settings, warm_up=False)
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
    engine = build_engine(load_settings(data_dir), warm_up=False)
    docs = engine.documents()
    if as_json:
        fields = ("doc_id", "file", "title", "language", "date", "translation_group", "chunks")
        typer.echo(json.dumps([d.model_dump(include=set(fields)) for d in docs], ensure_ascii=False))
        return
    from cli.render import print_documents

    print_documents(docs)


@app.command()
@handle_errors
def ask(
    question: Annotated[str, typer.Argument(help="The question, in Vietnamese, English or Russian.")],
    lang: Annotated[str, typer.Option("--lang", help="Answer language: auto, vi, en or ru.")] = "auto",
    data_dir: DataDir = None,
    retriever: Annotated[str | None, typer.Option(help="hybrid (default), dense or bm25.")] = None,
    top_k: Annotated[int | None, typer.Option("--top-k", help="Passages for the answerer.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    since: Annotated[str | None, typer.Option(help="Only articles published on or after this "
                                              "date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles published on or before this "
                                              "date (YYYY-MM-DD).")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document (its id, "
                                                  "as `rag sources` lists it); repeat for several.")] = None,
) -> None:
    """Answer a question from the articles, with \\[n] citations.

    Example: rag ask "Việt Nam đã ký bao nhiêu FTA?" --since 2025-01-01
    """
    from cli.render import print_answer, stream_answer

    settings = load_settings(data_dir)
    scope = make_scope(since, until, doc)
    engine = build_engine(settings)
    if engine.ensure_index(show_progress=not as_json):
        typer.secho("The index was empty: ingested ./seeds first.", err=True)
    options = {"lang": lang, "retriever": retriever, "top_k": top_k, "scope": scope}
    if as_json:
        answer = engine.answer(question, **options)
        typer.echo(json.dumps(answer.public_dict(), ensure_ascii=False))
        return
    print_answer(stream_answer(engine, question, **options))


def make_scope(since: str | None, until: str | None, docs: list[str] | None):
    """A Scope from the command line, or None; a bad date names the option."""
    from datetime import date

    from rag.schema import Scope

    def parse(value: str | None, option: str):
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not a date like 2025-01-31",
                                     param_hint=option) from None

    scope = Scope(doc_ids=docs or None, since=parse(since, "--since"), until=parse(until, "--until"))
    return None if scope.is_empty() else scope


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
    from cli.ui_wiring import eval_runner
    from ui.app import serve

    settings = load_settings(data_dir)
    runner = functools.partial(eval_runner, questions_path=settings.ui.eval_questions)
    serve(build_engine(settings), settings, host=host, port=port, eval_runner=runner)


app.command("eval")(handle_errors(eval_command))
app.command("doctor")(handle_errors(doctor_command))


if __name__ == "__main__":
    app()
