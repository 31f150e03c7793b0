"""`rag ingest`: files, folders and web addresses, feeds and sitemaps; the
typer command, registered by `cli.main`. `rag sync` (cli.sync_cmd) shares
`ingest_web`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.options import DataDir
from ingest.web.safety import SCHEMES


def is_web_address(source: str) -> bool:
    return source.split("://", 1)[0].lower() in SCHEMES and "://" in source


def ingest_command(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Files, folders or web addresses (http:// or https://) of articles "
             "(default: ./seeds).")] = None,
    feed: Annotated[list[str] | None, typer.Option(
        "--feed", help="An RSS or Atom feed: every article it lists; repeat for several.")] = None,
    sitemap: Annotated[list[str] | None, typer.Option(
        "--sitemap", help="A sitemap (or sitemap index): every page it lists; repeat for "
                          "several.")] = None,
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop the index and start over.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary.")] = False,
) -> None:
    """Chunk, embed and store articles from files or the web; re-runs only touch what changed.

    Example: rag ingest seeds/ https://news.example.org/a.html --feed https://news.example.org/rss
    """
    from cli.wiring import build_engine, load_settings, record_ingest

    settings = load_settings(data_dir)
    engine = build_engine(settings, warm_up=False)
    given = sources or []
    urls = [s for s in given if is_web_address(s)]
    paths = [Path(s) for s in given if not is_web_address(s)]
    web = bool(urls or feed or sitemap)
    files_report = None
    if paths or rebuild or not web:
        ingested = paths or ([] if web else [settings.corpus_dir])
        files_report = engine.ingest(ingested, rebuild=rebuild, show_progress=not as_json)
        record_ingest(settings, ingested, files_report, rebuild)
        if not web:
            _print_files(files_report, as_json)
            return
        if not as_json:
            _print_files(files_report, as_json)
    ok = ingest_web(engine, urls=urls, feeds=feed or [], sitemaps=sitemap or [], as_json=as_json,
                    extra={"files": files_report.model_dump()} if files_report and as_json else None,
                    settings=settings)
    if not ok:
        raise typer.Exit(1)


def ingest_web(engine, urls=(), feeds=(), sitemaps=(), as_json: bool = False,
               extra: dict | None = None, recheck: bool = False, settings=None) -> bool:
    """Fetch and ingest; print the summary and every failure. False when a feed
    or sitemap could not be read or every article failed (the exit code). A run
    that changed the index is noted in the audit log (`settings`)."""
    from ingest.pipeline import Ingestor
    from ingest.web.sync import WebIngest

    ingestor = Ingestor(engine.store, engine.embed_model, engine.settings)
    web = WebIngest(ingestor, allow_private=True, show_progress=not as_json)
    urls = [*urls, *(web.known_urls() if recheck else [])]
    run = web.run(urls=urls, feeds=feeds, sitemaps=sitemaps)
    report = run.report
    if settings is not None:
        from cli.wiring import record_ingest

        record_ingest(settings, [*urls, *feeds, *sitemaps], report, False)
    if as_json:
        typer.echo(json.dumps({**report.model_dump(), "articles": run.articles,
                               "not_modified": run.not_modified,
                               "failed_sources": run.failed_sources,
                               "failed_articles": run.failed_articles, **(extra or {})},
                              ensure_ascii=False))
    else:
        typer.echo(
            f"{run.articles} web articles: {report.new} new, {report.changed} changed, "
            f"{report.unchanged} unchanged ({run.not_modified} not modified, nothing "
            f"downloaded), {run.failed_articles} failed; {report.chunks_embedded} chunks "
            f"embedded, {report.chunks_total} in the index ({report.seconds:.1f} s)")
        print_skipped(report.skipped)
    return run.ok


def _print_files(report, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.model_dump(), ensure_ascii=False))
        return
    typer.echo(
        f"{report.documents} documents: {report.new} new, {report.changed} changed, "
        f"{report.unchanged} unchanged, {report.removed} removed; "
        f"{report.chunks_embedded} chunks embedded, {report.chunks_total} in the index "
        f"({report.seconds:.1f} s)"
    )
    print_skipped(report.skipped)


def print_skipped(skipped) -> None:
    """One line per file or address passed over, on stderr."""
    for item in skipped:
        typer.secho(f"skipped {item.path}: {item.reason}", fg=typer.colors.YELLOW, err=True)

