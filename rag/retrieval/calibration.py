"""Cross-lingual score calibration, learned from parallel data shipped in the
package (rag/data/calibration_qa.json: the same everyday questions and answer
sentences in vi, en and ru, unrelated to any corpus).

multilingual-e5 gives a sentence in the question's own language a higher
similarity than an equally relevant sentence in another language, and gives
some sentences ("In this case we speak of a city district.") a high similarity
to almost any question. Two corrections make scores comparable across languages:

- **hubness**: a sentence's mean similarity to its `hub_neighbours` nearest
  calibration questions in the asker's language is subtracted (`hub_weight`);
  generic sentences that resemble every question lose their edge (CSLS-style).
- **language gap**: for a question in language a and a passage in language b,
  the median drop of similarity when the right answer is written in b instead
  of a, measured on the parallel pairs, is added back (`language_gap_weight`).

Both are computed with whatever embedder the index uses, so they follow an
embedder change. The per-query cost is a (candidates × calibration questions)
matrix product, independent of the corpus size."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

from rag.infra.calibration_set import calibration_items, calibration_version
from rag.lang.registry import supported

logger = logging.getLogger(__name__)

def calibration_rows(embed_model) -> dict[str, list]:
    """Rows for the calibration collection: each question embedded as a query,
    each answer as a passage, with language and kind in the metadata."""
    ids, texts, metas, kinds = [], [], [], []
    for i, item in enumerate(calibration_items()):
        for language, (question, answer) in item.items():
            for kind, text in (("question", question), ("answer", answer)):
                ids.append(f"qa-{kind[0]}-{language}-{i}")
                texts.append(text)
                kinds.append(kind)
                metas.append({"language": language, "kind": kind, "item": i,
                              "version": calibration_version()})
    questions = [t for t, k in zip(texts, kinds, strict=True) if k == "question"]
    answers = [t for t, k in zip(texts, kinds, strict=True) if k == "answer"]
    q_vectors = iter(embed_model.get_query_embedding_batch(questions)
                     if hasattr(embed_model, "get_query_embedding_batch")
                     else [embed_model.get_query_embedding(q) for q in questions])
    a_vectors = iter(embed_model.get_text_embedding_batch(answers))
    vectors = [next(q_vectors) if k == "question" else next(a_vectors) for k in kinds]
    return {"ids": ids, "embeddings": [list(map(float, v)) for v in vectors],
            "documents": texts, "metadatas": metas}


def expected_calibration_count() -> int:
    return sum(2 * len(item) for item in calibration_items())


def is_current(rows: dict[str, list]) -> bool:
    """Whether stored calibration rows are the shipped set's, complete."""
    metas = [m for m in rows.get("metadatas") or [] if m and m.get("kind")]
    return (len(metas) == expected_calibration_count()
            and all(m.get("version") == calibration_version() for m in metas))


def ensure_calibration(collection, embed_model) -> bool:
    """Store the calibration rows unless the current set is already there.
    True when it wrote them."""
    stored = collection.get(include=["metadatas"])
    if is_current(stored):
        return False
    if stored["ids"]:
        collection.delete(ids=list(stored["ids"]))
    rows = calibration_rows(embed_model)
    collection.upsert(**rows)
    logger.info("stored %d calibration vectors", len(rows["ids"]))
    return True


@dataclass(frozen=True)
class CalibrationWeights:
    hub_weight: float
    hub_neighbours: int
    language_gap_weight: float


class LanguageCalibration:
    """Calibrated sentence scores, comparable across question and passage languages."""

    def __init__(self, questions: dict[str, np.ndarray], answers: dict[str, np.ndarray],
                 weights: CalibrationWeights):
        self.questions = questions  # language -> (n, dim) query vectors
        self.weights = weights
        self.gap = _language_gaps(questions, answers)

    @classmethod
    def from_rows(cls, rows: dict[str, Any], weights: CalibrationWeights) -> LanguageCalibration:
        by_kind: dict[str, dict[str, dict[int, np.ndarray]]] = {"question": {}, "answer": {}}
        for vector, meta in zip(rows["embeddings"], rows["metadatas"], strict=True):
            if meta and meta.get("kind") in by_kind:
                by_kind[meta["kind"]].setdefault(meta["language"], {})[int(meta["item"])] = vector
        stack = {kind: {lang: np.asarray([v[i] for i in sorted(v)], dtype=np.float32)
                        for lang, v in langs.items()}
                 for kind, langs in by_kind.items()}
        return cls(stack["question"], stack["answer"], weights)

    @classmethod
    def from_embedder(cls, embed_model, weights: CalibrationWeights) -> LanguageCalibration:
        return cls.from_rows(calibration_rows(embed_model), weights)

    def hub(self, vectors: np.ndarray, query_language: str) -> np.ndarray:
        """How close each sentence is to everyday questions in the asker's language."""
        questions = self.questions.get(query_language)
        if questions is None:  # a language without calibration questions: all of them
            questions = np.concatenate(list(self.questions.values()))
        if not len(vectors):
            return np.zeros(0, dtype=np.float32)
        sims = vectors @ questions.T
        k = min(self.weights.hub_neighbours, sims.shape[1])
        return np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:].mean(axis=1)

    def offset(self, query_language: str, doc_language: str) -> float:
        if query_language == doc_language:
            return 0.0
        gap = self.gap.get((query_language, doc_language))
        if gap is None:  # other languages: the average gap
            gap = float(np.mean(list(self.gap.values()))) if self.gap else 0.0
        return self.weights.language_gap_weight * gap

    def score(self, similarity: np.ndarray, vectors: np.ndarray, query_language: str,
              doc_language: str) -> np.ndarray:
        """Calibrated scores of sentences in `doc_language` for a question in `query_language`."""
        hub = self.hub(vectors, query_language) if self.weights.hub_weight else 0.0
        return (np.asarray(similarity, dtype=np.float32) - self.weights.hub_weight * hub
                + self.offset(query_language, doc_language))


def _language_gaps(questions: dict[str, np.ndarray],
                   answers: dict[str, np.ndarray]) -> dict[tuple[str, str], float]:
    """Median of sim(q_a, answer_a) - sim(q_a, answer_b) over the parallel items."""
    gaps = {}
    for a in questions:
        for b in answers:
            if a == b or a not in answers or len(questions[a]) != len(answers[b]):
                continue
            same = (questions[a] * answers[a]).sum(axis=1)
            cross = (questions[a] * answers[b]).sum(axis=1)
            gaps[(a, b)] = float(np.median(same - cross))
    return gaps


def query_language_for(detected: str, chosen: str) -> str:
    """The language the question is written in decides the embedder's bias;
    the answer language the user picked does not."""
    return detected if detected in supported() else chosen
