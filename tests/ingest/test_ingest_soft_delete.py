"""Delete with undo: `delete_document` marks the manifest row `deleted_at`
(chunks stay until the purge), `restore_document` clears it while the undo
window is open, and the next ingest or the end of the window purges it.
Plumbing only: the fast fake embedder."""

from __future__ import annotations

import time

import pytest

from rag.errors import RagError
from tests.conftest import make_settings
from tests.ingest.helpers import ARTICLES, make_engine, write_docs
from tests.support.fake_embedder import fake_embedder


@pytest.fixture
def indexed(tmp_path):
    docs = write_docs(tmp_path / "docs")
    engine = make_engine(make_settings(tmp_path / "data"), embed_model=fake_embedder())
    assert engine.ingest([docs]).new == 3
    return engine, docs


def rows(engine, doc_id):
    cols = engine.store.collections()
    return (len(cols["chunks"].get(where={"document_id": doc_id})["ids"]),
            len(cols["sentences"].get(where={"doc_id": doc_id})["ids"]),
            cols["documents"].get(ids=[doc_id])["metadatas"])


def test_delete_document__is_soft_and_marks_the_row_with_a_time(indexed):
    engine, _ = indexed
    generation = engine.store.generation()
    before = time.time()
    engine.delete_document("chess.txt")
    docs = {d.doc_id: d for d in engine.documents()}
    assert before <= docs["chess.txt"].deleted_at <= time.time()
    assert docs["coffee.txt"].deleted_at is None
    chunks, sentences, meta = rows(engine, "chess.txt")
    assert chunks >= 1 and sentences >= 1  # nothing is gone yet
    assert engine.store.generation() != generation  # readers reload and skip it


def test_restore_document__undoes_the_delete(indexed):
    engine, _ = indexed
    engine.delete_document("chess.txt")
    engine.restore_document("chess.txt")
    doc = {d.doc_id: d for d in engine.documents()}["chess.txt"]
    assert doc.deleted_at is None
    assert "deleted_at" not in rows(engine, "chess.txt")[2][0]


def test_next_ingest__purges_soft_deleted_documents(indexed, tmp_path):
    engine, docs = indexed
    engine.delete_document("chess.txt")
    (docs / "chess.txt").unlink()  # what the UI does with an upload once it is purged
    report = engine.ingest([docs])
    assert report.unchanged == 2
    assert rows(engine, "chess.txt") == (0, 0, [])
    with pytest.raises(RagError, match="purged"):
        engine.restore_document("chess.txt")


def test_next_ingest__brings_back_a_purged_document_whose_file_is_still_there(indexed):
    engine, docs = indexed
    engine.delete_document("chess.txt")
    report = engine.ingest([docs])
    assert report.new == 1  # purged, then read again from its file
    assert {d.doc_id: d.deleted_at for d in engine.documents()}["chess.txt"] is None


def test_undo_window__expired_deletes_are_purged_and_cannot_be_restored(tmp_path):
    docs = write_docs(tmp_path / "docs")
    engine = make_engine(make_settings(tmp_path / "data", ingest__undo_seconds=0.2),
                         embed_model=fake_embedder())
    engine.ingest([docs])
    engine.delete_document("chess.txt")
    time.sleep(0.3)
    with pytest.raises(RagError, match="cannot be restored"):
        engine.restore_document("chess.txt")
    engine.delete_document("coffee.txt")  # any later write purges what has expired
    assert rows(engine, "chess.txt") == (0, 0, [])
    assert rows(engine, "coffee.txt")[0] >= 1  # still within its own window


def test_soft_deleted_document__text_is_still_readable_for_the_undo_view(indexed):
    engine, _ = indexed
    engine.delete_document("coffee.txt")
    assert "Minas Gerais" in engine.document_text("coffee.txt")
    assert ARTICLES["coffee.txt"].splitlines()[0] in engine.document_text("coffee.txt")
