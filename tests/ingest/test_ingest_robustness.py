"""An index that is locked, built with another embedder or corrupt fails with a
clear RagError; the network guard makes an accidental download fail loudly."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

from rag.errors import (
    EmbedderMismatchError,
    IndexCorruptError,
    IndexLockedError,
    RagError,
)
from rag.infra.embeddings import embedder_identity
from rag.infra.store import IndexStore
from tests.conftest import make_settings
from tests.ingest.helpers import make_engine, write_docs
from tests.support.fake_embedder import fake_embedder


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """Three articles, indexed once; tests work on copies."""
    root = tmp_path_factory.mktemp("small")
    docs = write_docs(root / "docs")
    engine = make_engine(make_settings(root / "data"), embed_model=fake_embedder())
    engine.ingest([docs])
    return root / "data", docs


FAKE_ID = embedder_identity(fake_embedder())


def fake_engine(settings, embedder_id: str | None = None):
    return make_engine(settings, embed_model=fake_embedder(), embedder_id=embedder_id)


@pytest.fixture
def index_copy(small_index, tmp_path):
    data, docs = small_index
    shutil.copytree(data, tmp_path / "data")
    return tmp_path / "data", docs


def test_network_guard__outbound_connection_fails_loudly():
    with pytest.raises(OSError, match="network access blocked in tests: 10.255.255.1:80"):
        socket.create_connection(("10.255.255.1", 80), timeout=1)
    with pytest.raises(RuntimeError, match="blocked"):
        socket.getaddrinfo("huggingface.co", 443)


# -- one writer at a time ---------------------------------------------------------------
def test_write_lock__second_writer_fails_fast_and_the_index_stays_intact(index_copy):
    data, docs = index_copy
    settings = make_settings(data, ingest__lock_timeout=0.5)
    holder = IndexStore(settings, FAKE_ID)
    engine = fake_engine(settings)
    before = [d.model_dump() for d in engine.documents()]
    (docs.parent / "more").mkdir(exist_ok=True)
    (docs.parent / "more" / "new.txt").write_text("Penguins live in Antarctica.", "utf-8")
    with holder.write_lock():
        started = time.monotonic()
        with pytest.raises(IndexLockedError, match="another process is writing") as info:
            engine.ingest([docs.parent / "more"])
        assert time.monotonic() - started < 15  # a 0.5 s lock timeout, not a wait without bound
    assert "\n" not in str(info.value)
    assert [d.model_dump() for d in engine.documents()] == before
    assert engine.ingest([docs]).unchanged == 3  # the lock was released


def test_write_lock__a_waiting_writer_proceeds_once_the_lock_is_released(index_copy):
    data, docs = index_copy
    settings = make_settings(data, ingest__lock_timeout=30)
    holder = IndexStore(settings, FAKE_ID)
    held, release = threading.Event(), threading.Event()

    def hold():
        with holder.write_lock():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    threading.Timer(1.0, release.set).start()
    report = fake_engine(settings).ingest([docs])
    thread.join()
    assert report.unchanged == 3


# -- embedder identity ------------------------------------------------------------------
def test_store__other_embedder_is_refused_with_rebuild_hint(index_copy):
    data, _ = index_copy
    store = IndexStore(make_settings(data), "other-embedder")
    for call in (store.collections, store.documents, store.is_empty):
        with pytest.raises(EmbedderMismatchError, match=r"rag ingest --rebuild") as info:
            call()
        assert "other-embedder" in str(info.value)
        assert FAKE_ID in str(info.value)


def test_ingest__other_embedder_cannot_add_to_the_index_without_rebuild(index_copy, tmp_path):
    data, docs = index_copy
    engine = fake_engine(make_settings(data), embedder_id="other-embedder")
    (docs / "extra.txt").write_text("Penguins live in Antarctica.", "utf-8")
    try:
        with pytest.raises(EmbedderMismatchError):
            engine.ingest([docs])
    finally:
        (docs / "extra.txt").unlink()
    local = fake_engine(make_settings(data))
    assert len(local.documents()) == 3


def test_ingest__rebuild_adopts_the_new_embedder(index_copy):
    data, docs = index_copy
    engine = fake_engine(make_settings(data), embedder_id="other-embedder")
    report = engine.ingest([docs], rebuild=True)
    assert report.new == 3
    assert len(engine.documents()) == 3
    with pytest.raises(EmbedderMismatchError):
        fake_engine(make_settings(data)).documents()


# -- corrupt index ----------------------------------------------------------------------
def corrupt(data):
    db = data / "chroma" / "chroma.sqlite3"
    assert db.exists()
    db.write_bytes(b"this is not an SQLite database, just junk " * 200)


def test_store__corrupt_index_raises_index_corrupt_error_naming_it(index_copy):
    data, _ = index_copy
    corrupt(data)
    store = IndexStore(make_settings(data), FAKE_ID)
    with pytest.raises(IndexCorruptError) as info:
        store.documents()
    message = str(info.value)
    assert str(data / "chroma") in message and "rag ingest --rebuild" in message
    # a second attempt in the same process says the same, not something stranger
    with pytest.raises(IndexCorruptError, match="rag ingest --rebuild"):
        IndexStore(make_settings(data), FAKE_ID).documents()


def test_ingest__rebuild_recovers_a_corrupt_index(index_copy):
    data, docs = index_copy
    corrupt(data)
    engine = make_engine(make_settings(data))
    with pytest.raises(RagError):
        engine.documents()
    report = engine.ingest([docs], rebuild=True)
    assert report.new == 3 and report.chunks_total == 3
    assert len(engine.documents()) == 3
    answer = engine.answer("Where are most coffee farms in Brazil?")
    assert answer.citations and answer.citations[0].file == "coffee.txt"
    # a fresh process-level open of the rebuilt index works too
    assert len(make_engine(make_settings(data)).documents()) == 3


def test_ingest__the_docstore_of_earlier_versions_is_removed_and_not_needed(index_copy):
    data, docs = index_copy
    legacy = data / "news_docstore.json"
    legacy.write_text("{ not json", encoding="utf-8")
    engine = fake_engine(make_settings(data))
    report = engine.ingest([docs])
    assert report.unchanged == 3 and report.chunks_total == 3  # the manifest decides
    assert not legacy.exists()
