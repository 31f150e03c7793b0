"""`rag` command line: ingest | sync | sources | ask | eval | ui | doctor | users | config. Each command
only wires and renders."""

from __future__ import annotations

import functools
import json
import logging
from typing import Annotated

import typer

from cli.config_cmd import config_command
from cli.doctor_cmd import doctor_command
from cli.eval_cmd import eval_command
from cli.ingest_cmd import ingest_command
from cli.options import DataDir
from cli.sources_cmd import sources_command
from cli.sync_cmd import sync_command
from cli.users_cmd import users_app
from cli.wiring import build_engine, handle_errors, load_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Multilingual (vi/en/ru) Q&A over news articles, cited to the passage.",
)
logger = logging.getLogger(__name__)


app.command("ingest")(handle_errors(ingest_command))
app.command("sync")(handle_errors(sync_command))
app.command("sources")(handle_errors(sources_command))
app.command("config")(handle_errors(config_command))


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
    after: Annotated[list[str] | None, typer.Option("--after", help="An earlier question of the same "
                                                    "conversation, oldest first; repeat for several.")] = None,
) -> None:
    """Answer a question from the articles, with \\[n] citations.

    Example: rag ask "Việt Nam đã ký bao nhiêu FTA?" --since 2025-01-01
    A follow-up, as in the chat: rag ask "And imports?" --after "How much did Nghe An export in 2024?"
    """
    from cli.render import print_answer, stream_answer

    settings = load_settings(data_dir)
    scope = make_scope(since, until, doc)
    engine = build_engine(settings)
    if engine.ensure_index(show_progress=not as_json):
        typer.secho("The index was empty: ingested ./seeds first.", err=True)
    history = [{"role": "user", "content": earlier} for earlier in after or []]
    options = {"lang": lang, "history": history, "retriever": retriever, "top_k": top_k,
               "scope": scope}
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
    """Start the chat UI; ingests ./seeds first if the index is empty. Staff sign in when
    accounts exist (`rag users add`); without any it serves 127.0.0.1 only.

    Example: rag ui --port 7860
    """
    from cli.ui_wiring import eval_runner, open_app_state, web_ingest
    from ui.app import check_exposure, serve

    settings = load_settings(data_dir)
    state = open_app_state(settings)
    check_exposure(host or settings.ui.host, state.accounts.count() > 0)  # before the slow part
    runner = functools.partial(eval_runner, questions_path=settings.ui.eval_questions)
    serve(build_engine(settings), settings, host=host, port=port, eval_runner=runner,
          web_ingest=web_ingest, state=state)


app.command("eval")(handle_errors(eval_command))
app.command("doctor")(handle_errors(doctor_command))
app.add_typer(users_app, name="users")


if __name__ == "__main__":
    app()
