"""Store faults: a reader sees another process's ingest within one generation
reload (embedded and server mode); a hung (SIGSTOP) or dead Chroma server
makes every command return within its bound with a clear store error."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import free_port, make_settings
from tests.ingest.helpers import (
    RAG,
    make_engine,
    rag_env,
    run_rag,
    stop,
    wait_http,
    write_docs,
)

CHROMA = str(Path(sys.executable).with_name("chroma"))
PENGUINS = {"penguins.txt": (
    "Emperor penguins of Antarctica\n"
    "Emperor penguins breed on the sea ice of Antarctica during the polar winter. "
    "The males keep the eggs warm on their feet for about sixty-five days.\n")}


def _reader_sees_a_new_document(reader, data: Path, docs: Path, env: dict) -> None:
    before = reader.answer("How long do male emperor penguins keep the eggs warm?")
    assert not any(c.file == "penguins.txt" for c in before.citations)
    generation = reader.store.generation()
    result = subprocess.run([RAG, "ingest", str(docs), "--data-dir", str(data), "--json"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["new"] == 1
    assert reader.store.generation() != generation
    after = reader.answer("How long do male emperor penguins keep the eggs warm?")
    assert after.citations and after.citations[0].file == "penguins.txt", after.text
    assert "sixty-five days" in after.citations[0].text


def test_embedded_reader__sees_another_process_ingest_after_one_reload(tmp_path):
    """Defect 1: the reader reloaded the generation but answered from its
    stale in-memory Chroma index until restarted."""
    data = tmp_path / "data"
    reader = make_engine(make_settings(data))
    reader.ingest([write_docs(tmp_path / "docs")])
    reader.answer("Where are most coffee farms in Brazil?")  # vector index now in memory
    _reader_sees_a_new_document(reader, data, write_docs(tmp_path / "more", PENGUINS),
                                rag_env())
    # and it keeps seeing its own writes without reopening anything
    reader.delete_document("penguins.txt")
    assert {d.doc_id: d.deleted_at for d in reader.documents()}["penguins.txt"]


class ChromaServer:
    def __init__(self, path: Path, port: int):
        self.path, self.port, self.proc = path, port, None

    def start(self) -> ChromaServer:
        log = open(self.path.parent / f"chroma-{self.port}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [CHROMA, "run", "--path", str(self.path), "--host", "127.0.0.1",
             "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"})
        wait_http(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", 60, self.proc)
        return self


@pytest.fixture
def server(tmp_path):
    chroma = ChromaServer(tmp_path / "db", free_port()).start()
    yield chroma
    if chroma.proc.poll() is None:
        os.kill(chroma.proc.pid, signal.SIGCONT)
    stop(chroma.proc)


@pytest.mark.server
def test_server_reader__sees_another_process_ingest_after_one_reload(server, tmp_path):
    env = rag_env(RAG_CHROMA_HOST="127.0.0.1", RAG_CHROMA_PORT=str(server.port))
    data = tmp_path / "data"
    settings = make_settings(data, chroma_host="127.0.0.1", chroma_port=server.port)
    reader = make_engine(settings)
    reader.ingest([write_docs(tmp_path / "docs")])
    reader.answer("Where are most coffee farms in Brazil?")
    _reader_sees_a_new_document(reader, tmp_path / "writer-data",
                                write_docs(tmp_path / "more", PENGUINS), env)


BOUND_S = 3.0  # RAG_CHROMA__TIMEOUT in these tests
SLACK_S = 10.0  # two runs of a `rag` process differ this much on a busy 2-core machine
COMMANDS = [("ask", "Where are most coffee farms in Brazil?")]
if os.environ.get("RAG_LONG_FAULTS"):  # `make faults`: every command that opens the store
    COMMANDS += [("sources",), ("ingest",), ("doctor",)]


def _run_failing(command, data, port, docs) -> float:
    env = rag_env(RAG_CHROMA_HOST="127.0.0.1", RAG_CHROMA_PORT=str(port),
                  RAG_CHROMA__TIMEOUT=str(BOUND_S))
    args = [*command, *([str(docs)] if command == ("ingest",) else [])]
    started = time.monotonic()
    result = run_rag(*args, "--data-dir", str(data), env=env, timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode == 1, (command, result.stdout, result.stderr[-2000:])
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Chroma server" in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return elapsed


@pytest.mark.server
def test_store_down__every_command_returns_within_its_bound_with_a_store_error(
        server, tmp_path):
    """Defect 2: with the server stopped (SIGSTOP), `rag ask` waited forever:
    the client's constructor talked to the server before any timeout applied.
    Each command is run against a dead server (nothing listens: it fails at
    once) and a hung one; the hung one may take at most RAG_CHROMA__TIMEOUT
    longer."""
    docs = write_docs(tmp_path / "docs")
    env = rag_env(RAG_CHROMA_HOST="127.0.0.1", RAG_CHROMA_PORT=str(server.port))
    assert run_rag("ingest", str(docs), "--data-dir", str(tmp_path / "data"), env=env,
                   timeout=300).returncode == 0
    os.kill(server.proc.pid, signal.SIGSTOP)
    dead_port = free_port()
    for command in COMMANDS:
        dead = _run_failing(command, tmp_path / "data", dead_port, docs)
        hung = _run_failing(command, tmp_path / "data", server.port, docs)
        assert hung < dead + BOUND_S + SLACK_S, (command, dead, hung)
