"""`rag sources [DOC] [--text]`: the indexed documents, or one document's
details and the text ingest kept (so an editor can check what a web page gave).
Registered by `cli.main`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.options import AsJson, DataDir

LIST_FIELDS = ("doc_id", "file", "title", "language", "date", "translation_group", "chunks", "url")
DETAIL_FIELDS = ("doc_id", "title", "url", "file", "language", "date", "author", "chunks",
                 "translation_group")


def sources_command(
    doc: Annotated[str | None, typer.Argument(
        help="A document id as the list shows it (a file name or an article's URL): show "
             "its details.")] = None,
    text: Annotated[bool, typer.Option(
        "--text", help="With DOC: also print the text that was kept for it.")] = False,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """List the indexed documents, or show one and the text that was kept.

    The list gives language, date and translation group; DOC gives its title,
    address, author and date, and --text the text ingest kept.

    Example: rag sources https://news.example.org/a.html --text
    """
    from cli.wiring import build_engine, load_settings

    if text and not doc:
        raise typer.BadParameter("--text needs a document id (see `rag sources`)",
                                 param_hint="--text")
    engine = build_engine(load_settings(data_dir), warm_up=False)
    docs = engine.documents()
    if doc is None:
        if as_json:
            typer.echo(json.dumps([d.model_dump(include=set(LIST_FIELDS)) for d in docs],
                                  ensure_ascii=False))
            return
        from cli.render import print_documents

        print_documents(docs)
        return
    _show(engine, docs, doc, text, as_json)


def _show(engine, docs, doc_id: str, with_text: bool, as_json: bool) -> None:
    from cli.render import plain
    from rag.errors import RagError

    found = next((d for d in docs if d.doc_id == doc_id), None)
    if found is None:
        raise RagError(f"no document with id {doc_id!r} in the index (`rag sources` lists them)",
                       code="no_document", doc_id=doc_id)
    details = found.model_dump(include=set(DETAIL_FIELDS))
    kept = engine.document_text(doc_id) if with_text else None
    if as_json:
        typer.echo(json.dumps({**details, **({"text": kept} if with_text else {})},
                              ensure_ascii=False))
        return
    for key in DETAIL_FIELDS:
        if details.get(key) not in (None, ""):
            typer.echo(f"{key}: {plain(str(details[key]))}")
    if kept is not None:
        typer.echo("")
        typer.echo(plain(kept))
