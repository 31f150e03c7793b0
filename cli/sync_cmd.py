"""`rag sync`: re-read the configured feeds and sitemaps and ingest what is new
or changed (for cron or a systemd timer: docs/web.md). Registered by `cli.main`."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import AsJson, DataDir


def sync_command(
    data_dir: DataDir = None,
    recheck: Annotated[bool, typer.Option(
        "--recheck", help="Also ask again for every web article already in the index (one "
                          "conditional request each), not only those the feeds list now.")] = False,
    as_json: AsJson = False,
) -> None:
    """Re-read the configured feeds and sitemaps; ingest what is new or changed.

    Reads RAG_WEB__FEEDS and RAG_WEB__SITEMAPS. An unchanged article costs one
    request and no embedding. Exits 1 when a feed or sitemap cannot be read or
    every article fails; run it from cron or a systemd timer (docs/web.md).

    Example: RAG_WEB__FEEDS=https://news.example.org/rss rag sync
    """
    from cli.ingest_cmd import ingest_web
    from cli.wiring import build_engine, load_settings
    from rag.errors import ConfigError

    settings = load_settings(data_dir)
    web = settings.web
    if not (web.feeds or web.sitemaps or recheck):
        raise ConfigError("nothing to sync: set RAG_WEB__FEEDS and/or RAG_WEB__SITEMAPS (comma "
                          "separated addresses), or pass --recheck")
    engine = build_engine(settings, warm_up=False)
    if not ingest_web(engine, feeds=web.feeds, sitemaps=web.sitemaps, as_json=as_json,
                      recheck=recheck, settings=settings):
        raise typer.Exit(1)
