"""restart: a persisted index of a few thousand embeddings gives identical top-5
results before and after a process restart.

A build process writes a `--restart-size` (3,000) chunk index in the Ingestor's
layout (see growth.py; ~10,000 embeddings with sentences) and, in that same
process, retrieves the top-5 for every eval question with dense, bm25 and
hybrid. Two further, separate processes open the persisted index and run the
same queries. All three result sets must be identical (ids, order; scores to 1e-6).
30 eval questions (spread over vi/en/ru) x dense, bm25, hybrid = 90 result lists.

Run: python -m bench restart"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench import common
from bench.common import say
from bench.growth import prepare_inputs, run_worker

QUESTIONS = 30  # eval questions (evenly spread over vi/en/ru), x 3 retrievers


def _compare(a: dict, b: dict) -> dict[str, Any]:
    keys = sorted(set(a) | set(b))
    id_diff = [k for k in keys if [r[0] for r in a.get(k, [])] != [r[0] for r in b.get(k, [])]]
    score_diff = max((abs(x[1] - y[1]) for k in keys if k not in id_diff
                      for x, y in zip(a.get(k, []), b.get(k, []), strict=True)), default=0.0)
    return {"queries": len(keys), "queries_with_different_ids_or_order": len(id_diff),
            "examples": id_diff[:5], "max_abs_score_diff": score_diff,
            "identical": not id_diff and score_diff <= 1e-6}


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    result = common.Result("restart", argv)
    material, vectors = prepare_inputs()
    work = common.scratch_dir("restart-")
    data_dir = work / "data"
    tops = {name: work / f"top5-{name}.json" for name in ("writer", "restart1", "restart2")}
    say(f"restart: building {options.restart_size:,} chunks and querying in the writing process")
    build = run_worker(["build", "--size", str(options.restart_size), "--data-dir", str(data_dir),
                        "--material", str(material), "--vectors", str(vectors),
                        "--top5-out", str(tops["writer"]), "--limit", str(QUESTIONS)],
                       timeout=3600)
    runs = {}
    for name in ("restart1", "restart2"):
        say(f"restart: querying in a new process ({name})...")
        runs[name] = run_worker(["query", "--data-dir", str(data_dir), "--vectors", str(vectors),
                                 "--reps", "0", "--top5-out", str(tops[name]),
                                 "--limit", str(QUESTIONS)], timeout=3600)
    results = {name: json.loads(path.read_text()) for name, path in tops.items()}
    comparisons = {
        "writer_vs_restart1": _compare(results["writer"], results["restart1"]),
        "restart1_vs_restart2": _compare(results["restart1"], results["restart2"]),
        "writer_vs_restart2": _compare(results["writer"], results["restart2"]),
    }
    counts = build["counts"]
    embeddings = counts["chunks"] + counts["sentences"] + counts["documents"]
    non_empty = sum(1 for v in results["writer"].values() if v)
    common.remove(work)
    result["config"] = {"chunks": counts["chunks"], "sentences": counts["sentences"],
                        "documents": counts["documents"], "embeddings_total": embeddings,
                        "retrievers": ["dense", "bm25", "hybrid"], "top_k": 5,
                        "questions": QUESTIONS}
    result["samples"] = {"comparisons": comparisons,
                         "non_empty_result_lists": non_empty,
                         "restart_snapshot_load_s": [r["snapshot_load"]["total_s"]
                                                     for r in runs.values()]}
    result["medians"] = {"restart_snapshot_load_s": common.median(
        r["snapshot_load"]["total_s"] for r in runs.values())}
    result["identical"] = all(c["identical"] for c in comparisons.values())
    result["ratios"] = {}
    result.note("hybrid abstains (empty list) when the relevance cutoff or key-term guard "
                "fires; an empty list must also be empty after the restart")
    result.write()
    say(common.table(["comparison", "queries", "different", "max |score diff|", "identical"],
                     [[k, c["queries"], c["queries_with_different_ids_or_order"],
                       c["max_abs_score_diff"], c["identical"]]
                      for k, c in comparisons.items()], digits=6))
    say(f"restart: {embeddings:,} embeddings; identical before/after restart: "
        f"{result['identical']}")
    return result.data
