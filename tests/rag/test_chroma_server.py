"""Chroma in client/server mode: a real `chroma run` on 127.0.0.1. Answers cite the
right document; an outage is a clear StoreUnavailableError (quickly, even when the
server hangs) and the next query after a restart works."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from rag.errors import StoreUnavailableError
from tests.conftest import free_port, make_settings
from tests.ingest.helpers import RAG, ROOT, make_engine, rag_env, run_rag, write_docs
from tests.support.chroma_server import ChromaServer

pytestmark = pytest.mark.server

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("chroma-server")
    chroma = ChromaServer(root / "db", free_port()).start()
    yield chroma
    chroma.stop()


@pytest.fixture(scope="module")
def server_engine(server, tmp_path_factory):
    root = tmp_path_factory.mktemp("chroma-client")
    settings = make_settings(root / "data", chroma_host="127.0.0.1", chroma_port=server.port)
    engine = make_engine(settings)
    report = engine.ingest([write_docs(root / "docs")])
    assert report.new == 3 and report.chunks_total == 3
    return engine


def test_server_mode__ingest_writes_to_the_server_not_the_data_dir(server_engine, server):
    assert server_engine.settings.store_mode == "server"
    assert not (Path(server_engine.settings.data_dir) / "chroma").exists()
    assert server.path.exists()
    assert {d.file for d in server_engine.documents()} == {
        "chess.txt", "coffee.txt", "volcanoes.txt"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Where are most coffee farms in Brazil?", "coffee.txt"),
     ("Where did chess originate?", "chess.txt")],
)
def test_server_mode__answer_cites_the_right_document(server_engine, question, expected):
    answer = server_engine.answer(question)
    assert not answer.abstained
    assert answer.citations[0].file == expected


def test_server_mode__one_process_ingests_while_another_answers(server, tmp_path):
    """Replicas keep answering while a separate `rag ingest` writes to the same
    server, and see the new articles once it has committed them."""
    seeds = ROOT / "seeds"
    env = rag_env(CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(server.port),
                  RAG_CHROMA__COLLECTION="live")
    settings = make_settings(tmp_path / "reader", chroma_host="127.0.0.1",
                             chroma_port=server.port, chroma__collection="live")
    reader = make_engine(settings)
    assert reader.ingest([write_docs(tmp_path / "docs")]).new == 3

    writer = subprocess.Popen([RAG, "ingest", str(seeds), "--data-dir", str(tmp_path / "writer"),
                               "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    answered = 0
    try:
        while writer.poll() is None:
            answer = reader.answer("Where are most coffee farms in Brazil?")
            assert answer.citations and answer.citations[0].file == "coffee.txt", answer.text
            answered += 1
        out, err = writer.communicate(timeout=60)
    finally:
        writer.kill()
    assert writer.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1])["new"] == 5
    assert answered >= 3  # the reader really ran during the ingest

    assert len(reader.documents()) == 8
    answer = reader.answer("Кто является постоянным заместителем секретаря провинциального "
                           "комитета партии Нгеан?")
    assert answer.citations and answer.citations[0].file.startswith("002_"), answer.text
    assert reader.answer("Where did chess originate?").citations[0].file == "chess.txt"


def test_server_mode__outage_is_a_clear_error_and_a_restart_recovers(server_engine, server):
    server.stop()
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError) as info:
        server_engine.answer("Where are most coffee farms in Brazil?")
    assert time.monotonic() - started < 30
    message = str(info.value)
    assert message.startswith("the Chroma server did not answer")
    assert "--rebuild" not in message  # an outage is not a corrupt index

    server.start()
    answer = server_engine.answer("Where are most coffee farms in Brazil?")
    assert answer.citations[0].file == "coffee.txt"


def test_server_mode__hung_server_times_out_instead_of_hanging(server, tmp_path):
    settings = make_settings(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=server.port,
                             chroma__timeout=2.0)
    engine = make_engine(settings)
    assert len(engine.documents()) == 3  # the client is connected
    os.kill(server.proc.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match="Chroma server did not answer"):
            engine.answer("Where are most coffee farms in Brazil?")
        assert time.monotonic() - started < 15
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    assert len(engine.documents()) == 3


def test_cli_sources__unreachable_server_exits_1_with_one_line(tmp_path):
    port = free_port()  # nothing listens there
    result = run_rag("sources", "--data-dir", str(tmp_path / "data"),
                     env=rag_env(RAG_CHROMA_HOST="127.0.0.1", RAG_CHROMA_PORT=str(port)))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Chroma server" in errors[0] and str(port) in errors[0]
