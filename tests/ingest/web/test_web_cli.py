"""The commands: `rag ingest URL --feed`, `rag sync` (as cron runs it), `rag
sources DOC --text` and `rag ask` printing the article's URL; exit codes."""

from __future__ import annotations

import json

import pytest

from tests.ingest.helpers import fresh_data_dir, rag_env, run_rag
from tests.ingest.web.site import EN, RU, VI, boilerplate

pytestmark = pytest.mark.slow

FAST = {"RAG_WEB__HOST_DELAY": "0", "RAG_WEB__TIMEOUT": "2"}


def test_ingest_sync_sources_and_ask_from_the_command_line(site, tmp_path):
    data = str(fresh_data_dir(tmp_path / "data"))
    env = rag_env(**FAST)
    first = run_rag("ingest", site.url("/old/cua-lo"), "--feed", site.url("/rss.xml"),
                    "--data-dir", data, "--json", env=env)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["new"], summary["articles"], summary["failed_articles"]) == (3, 4, 0)
    assert len(site.hits(EN.path)) == 1  # the feed's link is where the old one led: read once

    synced = run_rag("sync", "--data-dir", data, "--json",
                     env=rag_env(**FAST, RAG_WEB__FEEDS=site.url("/rss.xml")))
    assert synced.returncode == 0, synced.stderr
    summary = json.loads(synced.stdout)
    assert (summary["chunks_embedded"], summary["not_modified"], summary["unchanged"]) == (0, 3, 3)

    shown = run_rag("sources", site.url(VI.path), "--text", "--data-dir", data, env=env)
    assert shown.returncode == 0, shown.stderr
    assert f"url: {site.url(VI.path)}" in shown.stdout and f"author: {VI.author}" in shown.stdout
    assert VI.paragraphs[1] in shown.stdout
    assert [piece for piece in boilerplate("vi") if piece in shown.stdout] == []

    listed = json.loads(run_rag("sources", "--json", "--data-dir", data, env=env).stdout)
    assert {d["url"] for d in listed} == {site.url(a.path) for a in (VI, EN, RU)}

    asked = run_rag("ask", "How long is the berth of the new container terminal at Cua Lo?",
                    "--data-dir", data, env=env)
    assert asked.returncode == 0, asked.stderr
    assert site.url(EN.path) in asked.stdout


def test_sync_without_feeds_and_failing_runs_exit_1(site, tmp_path):
    data = str(fresh_data_dir(tmp_path / "data"))
    nothing = run_rag("sync", "--data-dir", data, env=rag_env(**FAST))
    assert nothing.returncode == 1
    assert "nothing to sync: set RAG_WEB__FEEDS and/or RAG_WEB__SITEMAPS" in nothing.stderr

    broken = run_rag("ingest", site.url("/broken"), "--data-dir", data, env=rag_env(**FAST))
    assert broken.returncode == 1
    assert f"skipped {site.url('/broken')}: {site.url('/broken')}: the server answered " \
           "(HTTP 500" in broken.stderr

    gone = run_rag("sync", "--data-dir", data,
                   env=rag_env(**FAST, RAG_WEB__FEEDS=f"{site.url('/gone.rss')},"
                                                   f"{site.url('/atom.xml')}"))
    assert gone.returncode == 1
    assert "3 web articles: 3 new" in gone.stdout
    assert f"skipped {site.url('/gone.rss')}" in gone.stderr


def test_sources_text_needs_a_document(tmp_path):
    result = run_rag("sources", "--text", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2 and "--text needs a document id" in result.stderr
