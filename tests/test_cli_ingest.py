"""`rag ingest` / `rag sources` as a user runs them: JSON reports, skipped files,
a second writer, a corrupt index, and a kill -9 in the middle of an ingest."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from rag.infra.store import IndexStore
from tests.conftest import make_settings
from tests.ingest.helpers import (
    RAG,
    fresh_data_dir,
    make_engine,
    rag_env,
    run_rag,
    write_docs,
)


def ingest_json(docs, data, *extra, env=None):
    result = run_rag("ingest", str(docs), "--data-dir", str(data), "--json", *extra, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# -- two runs on the same folder ----------------------------------------------------------
@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    docs = write_docs(root / "docs")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    (docs / "setup.exe").write_bytes(b"MZ\x90\x00")
    data = fresh_data_dir(root / "data")
    first = run_rag("ingest", str(docs), "--data-dir", str(data), "--json")
    second = run_rag("ingest", str(docs), "--data-dir", str(data), "--json")
    return first, second, data


def test_cli_ingest_json__skips_unreadable_files_by_name_and_exits_0(two_runs):
    first, _, _ = two_runs
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)  # stdout is exactly one JSON document
    skipped = {item["path"].rsplit("/", 1)[-1]: item["reason"] for item in report["skipped"]}
    assert set(skipped) == {"empty.txt", "binary.txt", "setup.exe"}
    assert "empty.txt" in skipped["empty.txt"] and "binary.txt" in skipped["binary.txt"]
    for name in skipped:
        assert name in first.stderr  # warned about, by name
    assert (report["documents"], report["new"], report["chunks_embedded"]) == (3, 3, 3)


def test_cli_ingest_json__second_run_on_the_same_folder_embeds_nothing(two_runs):
    _, second, _ = two_runs
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["chunks_embedded"] == 0
    assert (report["unchanged"], report["new"], report["changed"], report["removed"]) == (3, 0, 0, 0)
    assert report["chunks_total"] == 3
    assert set(report) == {"documents", "new", "changed", "unchanged", "removed", "skipped",
                           "chunks_embedded", "chunks_total", "seconds"}


def test_cli_ingest__plain_output_summarises_and_lists_skipped(two_runs, tmp_path):
    _, _, data = two_runs
    shutil.copytree(data, tmp_path / "data")
    docs = write_docs(tmp_path / "docs")
    (docs / "setup.exe").write_bytes(b"MZ")
    result = run_rag("ingest", str(docs), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "3 documents: 0 new, 0 changed, 3 unchanged, 0 removed" in result.stdout
    assert "skipped" in result.stderr and "setup.exe" in result.stderr


# -- a second writer ----------------------------------------------------------------------
def test_cli_ingest__second_writer_fails_fast_with_one_clear_line(two_runs, tmp_path):
    _, _, data = two_runs
    settings = make_settings(data)
    docs = write_docs(tmp_path / "docs", {"penguins.txt": "Penguins\nPenguins live in the south."})
    before = make_engine(settings).documents()
    with IndexStore(settings, "any").write_lock():
        started = time.monotonic()
        result = run_rag("ingest", str(docs), "--data-dir", str(data), "--json",
                         env=rag_env(RAG_INGEST__LOCK_TIMEOUT="1"))
        elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert elapsed < 30
    assert "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and "another process is writing" in lines[0], result.stderr
    assert result.stdout == ""
    assert make_engine(settings).documents() == before


# -- a corrupt index ----------------------------------------------------------------------
def test_cli__corrupt_index_is_reported_in_one_line_and_rebuild_recovers(two_runs, tmp_path):
    _, _, data = two_runs
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    (copy / "chroma" / "chroma.sqlite3").write_bytes(b"junk, not a database\n" * 500)

    result = run_rag("sources", "--data-dir", str(copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert str(copy / "chroma") in lines[0] and "rag ingest --rebuild" in lines[0]

    docs = write_docs(tmp_path / "docs")
    report = ingest_json(docs, copy, "--rebuild")
    assert report["new"] == 3 and report["chunks_total"] == 3
    assert [d.file for d in make_engine(make_settings(copy)).documents()] == [
        "chess.txt", "coffee.txt", "volcanoes.txt"]


# -- kill -9 --------------------------------------------------------------------------------
TOPICS = ["volcanoes", "coffee", "chess", "whales", "bridges", "tea",
          "comets", "glaciers", "violins", "bees", "deserts", "trains"]


def twelve_docs(folder):
    folder.mkdir()
    for i, topic in enumerate(TOPICS):
        lines = [f"Notes on {topic}"] + [
            f"Team {i}-{j} studied the {topic} of region {j} in {1990 + j}." for j in range(3)]
        (folder / f"{i:02d}_{topic}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def committed_documents(data) -> int:
    """Manifest rows in the index, read straight from Chroma's SQLite file."""
    import sqlite3

    db = data / "chroma" / "chroma.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(
                "SELECT count(*) FROM embeddings e JOIN segments s ON e.segment_id = s.id "
                "JOIN collections c ON s.collection = c.id WHERE c.name = 'news_documents'"
            ).fetchone()[0]
    except sqlite3.Error:
        return 0


def test_cli_ingest__kill_9_mid_run_leaves_a_queryable_index_and_the_rerun_completes(tmp_path):
    docs = twelve_docs(tmp_path / "docs")
    data = fresh_data_dir(tmp_path / "data")
    proc = subprocess.Popen([RAG, "ingest", str(docs), "--data-dir", str(data), "--json"],
                            env=rag_env(RAG_INGEST__BATCH_TOKENS="256"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not committed_documents(data) and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    engine = make_engine(make_settings(data))
    committed = engine.documents()
    assert 1 <= len(committed) < 12
    for doc in committed:
        assert doc.chunks >= 1
        assert engine.document_text(doc.doc_id).startswith("Notes on")
    answer = engine.answer(f"Which team studied the {committed[0].file[3:-4]} of region 2?")
    assert answer.text

    report = ingest_json(docs, data)
    assert report["documents"] == 12
    assert report["unchanged"] == len(committed)
    assert report["new"] == 12 - len(committed)

    clean = make_engine(make_settings(fresh_data_dir(tmp_path / "clean"))).ingest([docs])
    assert report["chunks_total"] == clean.chunks_total
    cols = make_engine(make_settings(data)).store.collections()
    clean_cols = make_engine(make_settings(tmp_path / "clean")).store.collections()
    for kind in ("chunks", "sentences", "documents"):
        assert cols[kind].count() == clean_cols[kind].count(), kind
    assert sorted(cols["chunks"].get()["ids"]) == sorted(clean_cols["chunks"].get()["ids"])
