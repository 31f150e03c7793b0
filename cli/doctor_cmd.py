"""`rag doctor`: the typer command, registered by `cli.main`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def doctor_command(
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", help="Index and state folder (default: RAG_DATA_DIR or ./data).")] = None,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Fix what can be fixed without a full rebuild.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check the index against its manifest: counts, content hashes, orphan
    chunks and sentences, translation groups, embedder identity, generation.
    Exits 1 when problems remain.

    Example: rag doctor --repair
    """
    from cli.wiring import build_engine, load_settings
    from ingest.doctor import check
    from ingest.doctor import repair as run_repair
    from ingest.pipeline import Ingestor
    from rag.retrieval.calibration import expected_calibration_count

    settings = load_settings(data_dir)
    engine = build_engine(settings, warm_up=False)
    expected = expected_calibration_count()
    checkup, cols = check(engine.store, expected)
    if repair and cols is not None and any(p.repairable for p in checkup.problems):
        ingestor = Ingestor(engine.store, engine.embed_model, settings)
        checkup.repaired = run_repair(engine.store, ingestor, checkup, cols)
        after, _ = check(engine.store, expected)
        after.repaired = checkup.repaired
        checkup = after
    if as_json:
        typer.echo(json.dumps(checkup.as_dict(), ensure_ascii=False))
    else:
        _print(checkup)
    if checkup.problems:
        raise typer.Exit(1)


def _print(checkup) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    counts = ", ".join(f"{v:,} {k}" for k, v in checkup.counts.items())
    console.print(f"index: {escape(counts) or 'empty'}; generation {escape(checkup.generation)}")
    for line in checkup.repaired:
        console.print(f"[green]repaired:[/green] {escape(line)}")
    for problem in checkup.problems:
        where = f"{problem.doc_id}: " if problem.doc_id else ""
        hint = "" if problem.repairable else " (needs `rag ingest --rebuild`)"
        console.print(f"[yellow]{escape(problem.kind)}[/yellow] {escape(where + problem.detail)}"
                      f"{escape(hint)}")
    if not checkup.problems:
        console.print("[green]0 problems[/green]")
    elif any(p.repairable for p in checkup.problems) and not checkup.repaired:
        console.print("run `rag doctor --repair` to fix what can be fixed")
