"""The index layout that lets the corpus grow: paged reads past SQLite's
host-parameter limit, one sentence collection per language (no `where` filter
per query), a snapshot that does not hold every passage, and a clear refusal of
an index written by an older layout."""

from __future__ import annotations

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaClientSettings

from rag.errors import IndexCorruptError
from rag.infra import store as store_module
from rag.infra.store import get_all
from tests.conftest import make_settings


def test_get_all__reads_more_rows_than_one_sqlite_statement_can_bind(tmp_path):
    # Chroma's unpaged get() fails above 32,766 rows ("too many SQL variables").
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"),
                                       settings=ChromaClientSettings(anonymized_telemetry=False))
    collection = client.create_collection("big", embedding_function=None)
    total = 33_000
    rng = np.random.default_rng(0)
    for start in range(0, total, 5000):
        ids = [f"row-{i}" for i in range(start, min(start + 5000, total))]
        collection.add(ids=ids, embeddings=rng.random((len(ids), 2)).astype(np.float32),
                       metadatas=[{"n": int(i.split("-")[1])} for i in ids])

    rows = get_all(collection, include=["metadatas"])

    assert len(rows["ids"]) == total == len(set(rows["ids"]))
    assert sorted(m["n"] for m in rows["metadatas"]) == list(range(total))


def test_paged_reads__documents_snapshot_and_ingest_see_every_row(monkeypatch, tmp_path, seeded_copy):
    from cli.wiring import build_engine

    monkeypatch.setattr(store_module, "FETCH_PAGE", 2)  # 5 documents -> 3 pages
    engine = build_engine(make_settings(seeded_copy))

    assert len(engine.documents()) == 5
    snapshot = engine._snapshot()
    assert len(snapshot.docs) == 5 and snapshot.chunk_count == 41
    vocabulary = snapshot.vocabulary("002_3e13fac306d48c8a.txt")
    assert vocabulary.knows("Nghe") and vocabulary.knows("Хоанг")
    # BM25 is built on first use only, paging through every chunk.
    assert "bm25" not in snapshot.__dict__
    top = engine.retrieve("Nghe An Provincial Party Committee", "en", retriever="bm25")
    assert len(snapshot.node_order) == 41
    assert top and top[0].node.metadata["file"].startswith("002_")
    assert engine.ingest().unchanged == 5


def test_sentences__one_collection_per_language_and_delete_reaches_all(seeded_copy):
    from cli.wiring import build_engine

    engine = build_engine(make_settings(seeded_copy))
    names = {c.name for c in engine.store.client.list_collections()}
    assert {"news_sentences_en", "news_sentences_ru", "news_sentences_vi"} <= names
    assert "news_sentences" not in names
    sentences = engine.store.collections()["sentences"]
    ru = sentences.get(where={"language": "ru"}, include=["metadatas"])
    assert ru["ids"] and {m["language"] for m in ru["metadatas"]} == {"ru"}
    before = sentences.count()

    doc_id = next(d.doc_id for d in engine.documents() if d.language == "ru")
    engine.delete_document(doc_id)  # soft: purged by the next ingest, or here
    engine._ingestor().purge(expired_only=False)

    assert sentences.get(where={"doc_id": doc_id}, include=[])["ids"] == []
    assert 0 < sentences.count() < before


def test_snapshot__fetches_passages_on_demand_not_the_whole_corpus(engine):
    snapshot = engine._snapshot()
    nodes = engine.retrieve("Who chaired the conference?", "en")
    assert nodes
    # Only ranked candidates were fetched, well under the corpus size.
    assert 0 < len(snapshot._nodes) <= snapshot.chunk_count
    assert all(n.node.node_id in snapshot._nodes for n in nodes)


def test_index_of_an_older_layout__is_refused_with_the_rebuild_command(seeded_copy):
    from cli.wiring import build_engine

    engine = build_engine(make_settings(seeded_copy))
    chunks = engine.store.collections()["chunks"]
    meta = {k: v for k, v in (chunks.metadata or {}).items() if k != "hnsw:space"}
    meta["layout"] = 1
    chunks.modify(metadata=meta)

    fresh = build_engine(make_settings(seeded_copy))
    with pytest.raises(IndexCorruptError, match="rag ingest --rebuild"):
        fresh.retrieve("Who chaired the conference?", "en")

    report = fresh.ingest(rebuild=True)
    assert report.new == 5
    assert fresh.retrieve("Who chaired the conference?", "en")


def test_ensure_index__a_missing_corpus_folder_is_a_warning_not_an_index(tmp_path, caplog):
    from rag.errors import IndexNotBuiltError
    from tests.ingest.helpers import make_engine

    settings = make_settings(tmp_path / "data")
    settings.corpus_dir = tmp_path / "no-such-folder"
    engine = make_engine(settings)

    assert engine.ensure_index() is False
    assert "no readable articles in" in caplog.text and "no-such-folder" in caplog.text
    with pytest.raises(IndexNotBuiltError, match="rag ingest"):
        engine.answer("Who chaired the conference?")
