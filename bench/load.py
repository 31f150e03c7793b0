"""load: concurrent staff against `rag ui`'s API on 127.0.0.1.

One `rag ui` process over a copy of the seed index. For each level (1 client as
the baseline, then 8 and 32), that many client threads (one gradio_client each)
ask eval questions through `/ask` for a fixed time; every 4th answer is also
rated through `/feedback`. Recorded per level: requests, throughput, p50/p95
latency, errors, wrong answers (the gold file not cited, or an abstention) and
feedback lines written vs sent, and the server's CPU time per answered request
(user + system, from /proc: unlike latency it hardly moves when other processes
share the cores). The server's peak RSS (VmHWM) is read at the end.

Run: python -m bench load [--load-seconds 20]"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import common, inputs
from bench.common import say

LEVELS = (1, 8, 32)
FEEDBACK_EVERY = 4


def _start_ui(data_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    from tests.conftest import free_port

    port = free_port()
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(
            [common.venv_bin("rag"), "ui", "--data-dir", str(data_dir), "--port", str(port)],
            cwd=common.scratch_dir("load-cwd-"), env=common.child_env(), stdout=fh,
            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"rag ui exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("rag ui did not serve / within 300 s")


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (and its waited-for children), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _level(url: str, clients: int, seconds: float, cases: list[tuple[str, set[str]]]) -> dict[str, Any]:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    wrong: list[str] = []
    feedback = {"sent": 0, "failed": 0}
    lock = threading.Lock()
    connected = [Client(url + "/", verbose=False) for _ in range(clients)]
    start_gate = threading.Barrier(clients + 1)
    stop_at: list[float] = []

    def worker(index: int) -> None:
        client = connected[index]
        start_gate.wait()
        n = index  # clients start at different questions
        while time.monotonic() < stop_at[0]:
            question, gold = cases[n % len(cases)]
            n += clients
            started = time.perf_counter()
            try:
                result = client.predict(question, "auto", api_name="/ask")
            except Exception as exc:  # counted, never fatal: the point is to count them
                with lock:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            files = [c["file"] for c in result["citations"]]
            with lock:
                latencies.append(elapsed)
                if result["abstained"] or not gold & set(files):
                    wrong.append(question)
                rate = len(latencies) % FEEDBACK_EVERY == 0
            if rate:
                try:
                    client.predict(question, result["answer"], files, result["mode"], "up",
                                   f"load {clients}", "auto", api_name="/feedback")
                    with lock:
                        feedback["sent"] += 1
                except Exception as exc:
                    with lock:
                        feedback["failed"] += 1
                        errors.append(f"feedback {type(exc).__name__}: {str(exc)[:200]}")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at.append(time.monotonic() + seconds)
    started = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    wall = time.perf_counter() - started
    return {"clients": clients, "seconds": wall, "requests": len(latencies),
            "throughput_rps": len(latencies) / wall if wall else None,
            "p50_ms": common.percentile(latencies, 50), "p95_ms": common.percentile(latencies, 95),
            "errors": len(errors), "error_examples": errors[:5], "wrong_answers": len(wrong),
            "wrong_examples": wrong[:5], "feedback_sent": feedback["sent"],
            "feedback_failed": feedback["failed"], "samples_ms": latencies}


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    result = common.Result("load", argv)
    seconds = options.load_seconds
    questions = [q for q in inputs.load_questions() if q.answerable and q.sources]
    cases = [(q.question, set(q.sources)) for q in questions]
    data_dir = inputs.copy_index(inputs.seed_index(), "load-")
    log = data_dir.parent / "ui.log"
    say(f"load: starting rag ui over {data_dir}")
    proc, url = _start_ui(data_dir, log)
    feedback_log = data_dir / "feedback.jsonl"
    levels = []
    try:
        for clients in LEVELS:
            before = len(feedback_log.read_text("utf-8").splitlines()) if feedback_log.exists() else 0
            say(f"load: {clients} client(s) for {seconds:.0f} s...")
            cpu_before = _cpu_seconds(proc.pid)
            level = _level(url, clients, seconds, cases)
            cpu_after = _cpu_seconds(proc.pid)
            level["server_cpu_ms_per_request"] = (
                (cpu_after - cpu_before) * 1000 / level["requests"]
                if cpu_before is not None and cpu_after is not None and level["requests"] else None)
            lines = feedback_log.read_text("utf-8").splitlines() if feedback_log.exists() else []
            written = [json.loads(line) for line in lines[before:]]
            level["feedback_written"] = len(written)
            level["feedback_lost"] = level["feedback_sent"] - len(written)
            levels.append(level)
        server_peak = _vm_hwm_mb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        common.remove(data_dir.parent)
    base = levels[0]
    result["config"] = {"levels": list(LEVELS), "seconds_per_level": seconds,
                        "questions": len(cases), "feedback_every": FEEDBACK_EVERY,
                        "mode": "offline extractive", "queue": "RAG_UI__CONCURRENCY default (8)"}
    result["samples"] = {str(lv["clients"]): lv.pop("samples_ms") for lv in levels}
    result["medians"] = {str(lv["clients"]): lv for lv in levels}
    result["server_peak_rss_mb"] = server_peak
    result["ratios"] = {
        f"p50_{lv['clients']}_vs_1": common.ratio(lv["p50_ms"], base["p50_ms"]) for lv in levels[1:]
    } | {f"throughput_{lv['clients']}_vs_1": common.ratio(lv["throughput_rps"], base["throughput_rps"])
         for lv in levels[1:]}
    result["targets"] = {"errors": 0, "feedback_lost": 0, "wrong_answers": "as in rag eval"}
    result["targets_met"] = {"zero_errors": all(lv["errors"] == 0 for lv in levels),
                             "no_lost_feedback": all(lv["feedback_lost"] == 0 for lv in levels)}
    result.note("wrong = the question's gold file not cited (or an abstention); the offline "
                "eval gets ~7 % of these questions wrong at hit@1, so some are expected")
    result.write()
    say(common.table(["clients", "requests", "req/s", "p50 ms", "p95 ms", "errors", "wrong",
                      "feedback sent", "written", "server cpu ms/req"],
                     [[lv["clients"], lv["requests"], lv["throughput_rps"], lv["p50_ms"],
                       lv["p95_ms"], lv["errors"], lv["wrong_answers"], lv["feedback_sent"],
                       lv["feedback_written"], lv["server_cpu_ms_per_request"]]
                      for lv in levels]))
    say(f"load: server peak RSS {server_peak:.0f} MB")
    return result.data
