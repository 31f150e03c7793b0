"""server: the growth measurements against a `chroma run` server on 127.0.0.1,
next to the embedded store, in one run.

The same 10k-chunk synthetic index (bench/growth.py's builder) is written once
into an embedded PersistentClient and once into a Chroma server started here;
each is then queried from a fresh process (dense, bm25, hybrid with the eval
questions' precomputed vectors). Reported: latency p50/p95 per retriever,
insert throughput, the querying process's peak RSS and the server's, with
server/embedded ratios.

Run: python -m bench server [--server-size 10000]"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import common
from bench.common import say
from bench.growth import RETRIEVERS, prepare_inputs
from bench.load import _vm_hwm_mb

QUESTIONS = 30


def _start_chroma(path: Path) -> tuple[subprocess.Popen, int]:
    from tests.conftest import free_port

    port = free_port()
    log = open(path.parent / "chroma.log", "w", encoding="utf-8")  # noqa: SIM115 (kept by the child)
    proc = subprocess.Popen([common.venv_bin("chroma"), "run", "--path", str(path), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, env=common.child_env(NO_COLOR="1"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not answer within 60 s")


def _worker(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    import sys

    out = common.scratch_dir("server-worker-") / "out.json"
    cmd = [sys.executable, "-m", "bench.growth", *args, "--out", str(out)]
    _, proc = common.run_timed(cmd, cwd=common.ROOT, env=env, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text())
    common.remove(out.parent)
    return result


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    result = common.Result("server", argv)
    size = options.server_size
    material, vectors = prepare_inputs()
    work = common.scratch_dir("server-")
    chroma, port = _start_chroma(work / "chroma-db")
    modes: dict[str, dict[str, Any]] = {}
    try:
        for mode in ("embedded", "server"):
            env = common.child_env(**({common.CHROMA_SERVER_ENV: f"127.0.0.1:{port}"}
                                      if mode == "server" else {}))
            data_dir = work / mode / "data"
            say(f"server: building {size:,} chunks ({mode})...")
            build = _worker(["build", "--size", str(size), "--data-dir", str(data_dir),
                             "--material", str(material)], env)
            say(f"server: querying ({mode}) from a fresh process...")
            query = _worker(["query", "--data-dir", str(data_dir), "--vectors", str(vectors),
                             "--reps", "2", "--limit", str(QUESTIONS)], env)
            modes[mode] = {"build": build, "query": query}
        chroma_peak = _vm_hwm_mb(chroma.pid)
    finally:
        chroma.terminate()
        try:
            chroma.wait(timeout=20)
        except subprocess.TimeoutExpired:
            chroma.kill()
        common.remove(work)
    rows, medians = [], {}
    for mode, m in modes.items():
        lat = m["query"]["latency_ms"]
        medians[mode] = {
            **{f"{r}_{p}_ms": lat[r][p] for r in RETRIEVERS for p in ("p50", "p95")},
            "insert_vectors_per_s": m["build"]["insert_vectors_per_s"],
            "build_s": m["build"]["build_s"],
            "snapshot_load_s": m["query"]["snapshot_load"]["total_s"],
            "query_process_peak_rss_mb": m["query"]["peak_rss_mb"],
            "query_process_default_serving_rss_mb": m["query"]["rss_mb"]["default_serving"],
        }
        rows.append([mode, *(medians[mode][f"{r}_{p}_ms"] for r in RETRIEVERS for p in ("p50", "p95")),
                     medians[mode]["insert_vectors_per_s"],
                     medians[mode]["query_process_default_serving_rss_mb"]])
    result["config"] = {"chunks": size, "questions": QUESTIONS, "reps": 2,
                        "counts": modes["server"]["build"]["counts"]}
    result["samples"] = {mode: m["query"]["samples_ms"] for mode, m in modes.items()}
    result["medians"] = medians
    result["chroma_server_peak_rss_mb"] = chroma_peak
    result["ratios"] = {f"server_vs_embedded_{k}": common.ratio(medians["server"][k],
                                                                medians["embedded"][k])
                        for k in medians["server"]}
    result.note("same synthetic index and queries in both modes; the server runs on the same "
                "2-core machine, so server mode adds HTTP round trips but no network latency")
    result.write()
    say(common.table(["store", *(f"{r} {p}" for r in RETRIEVERS for p in ("p50", "p95")),
                      "insert vec/s", "query RSS MB"], rows))
    say(f"server: chroma server peak RSS {chroma_peak:.0f} MB")
    return result.data
