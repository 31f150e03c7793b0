"""load: concurrent signed-in staff against `rag ui`'s API on 127.0.0.1, with the app
database on SQLite and on PostgreSQL, against a baseline measured in the same run.

Configurations, each a `rag ui` over its own copy of the seed index, all started
before the first level so that every level runs them one after the other (a shared
machine's load drifts; interleaving spreads the drift over all of them):

- `baseline`: with `--load-baseline REV`, that git revision's own `rag ui` (e.g. the
  release before accounts: feedback in JSON lines, Gradio's in-memory login from
  RAG_UI_AUTH); without it, this code with no account (nobody signs in);
- `sqlite`: this code, accounts in <data>/app-state.db;
- `postgresql`: this code, RAG_DATABASE_URL to a PostgreSQL server the bench starts
  (Debian's binaries; left out, with a note, when they are absent).

Every client signs in with its own account before the clock starts. For each level
(1 client, then 8, then 32), that many client threads (one gradio_client each) ask eval
questions through `/ask` for a fixed time; every 4th answer is also rated through
`/feedback`. Recorded per configuration and level: requests, throughput, p50/p95
latency, errors, wrong answers (the gold file not cited, or an abstention), feedback
written vs sent, and the server's CPU time per answered request (user + system, from
/proc: unlike latency it hardly moves when other processes share the cores).

Run: python -m bench load [--load-seconds 20] [--load-baseline f5136e7]"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import common, inputs
from bench.common import say

LEVELS = (1, 8, 32)
FEEDBACK_EVERY = 4
PASSWORD = "load-bench-password"


@dataclass
class Setup:
    name: str
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    code_dir: Path | None = None  # another revision's checkout (the baseline)
    signed_in: bool = True
    database_url: str | None = None
    proc: subprocess.Popen | None = None
    url: str = ""


def _start_ui(setup: Setup, log: Path) -> None:
    from tests.conftest import free_port

    port = free_port()
    env = common.child_env(**setup.env)
    cmd = [common.venv_bin("rag"), "ui", "--data-dir", str(setup.data_dir), "--port", str(port)]
    if setup.code_dir is not None:  # that revision's code, this venv's packages
        env["PYTHONPATH"] = str(setup.code_dir)
        cmd = [common.venv_bin("python"), "-m", "cli.main", *cmd[1:]]
    with open(log, "w", encoding="utf-8") as fh:
        setup.proc = subprocess.Popen(cmd, cwd=setup.code_dir or common.scratch_dir("load-cwd-"),
                                      env=env, stdout=fh, stderr=subprocess.STDOUT,
                                      start_new_session=True)
    setup.url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if setup.proc.poll() is not None:
            raise RuntimeError(f"rag ui ({setup.name}) exited with {setup.proc.returncode}: "
                               f"{log.read_text()[-2000:]}")
        try:
            ready = "/login" if setup.signed_in and setup.code_dir is None else "/"
            with urllib.request.urlopen(setup.url + ready, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"rag ui ({setup.name}) did not serve within 300 s")


def _stop(setup: Setup) -> None:
    if setup.proc is None:
        return
    os.killpg(setup.proc.pid, signal.SIGTERM)
    try:
        setup.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(setup.proc.pid, signal.SIGKILL)


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


def _user(i: int) -> str:
    return f"staff{i:02d}"


def _feedback_written(setup: Setup) -> int:
    """Feedback records the configuration holds: JSON lines (the baseline revision) or
    the app database."""
    lines = setup.data_dir / "feedback.jsonl"
    if lines.exists():
        return len(lines.read_text("utf-8").splitlines())
    from pydantic import SecretStr

    from rag.settings import make_settings
    from rag.state import open_state

    settings = make_settings(setup.data_dir, common.SEEDS)
    if setup.database_url:
        settings.database_url = SecretStr(setup.database_url)
    state = open_state(settings)
    try:
        return len(state.feedback.entries())
    finally:
        state.close()


def _level(setup: Setup, clients: int, seconds: float,
           cases: list[tuple[str, set[str]]]) -> dict[str, Any]:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    wrong: list[str] = []
    feedback = {"sent": 0, "failed": 0}
    lock = threading.Lock()
    connected = [Client(setup.url + "/", verbose=False,
                        auth=(_user(i), PASSWORD) if setup.signed_in else None)
                 for i in range(clients)]  # signed in before the clock starts
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
    cpu_before = _cpu_seconds(setup.proc.pid)
    stop_at.append(time.monotonic() + seconds)
    started = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    wall = time.perf_counter() - started
    cpu_after = _cpu_seconds(setup.proc.pid)
    return {"clients": clients, "seconds": wall, "requests": len(latencies),
            "throughput_rps": len(latencies) / wall if wall else None,
            "p50_ms": common.percentile(latencies, 50), "p95_ms": common.percentile(latencies, 95),
            "errors": len(errors), "error_examples": errors[:5], "wrong_answers": len(wrong),
            "wrong_examples": wrong[:5], "feedback_sent": feedback["sent"],
            "feedback_failed": feedback["failed"], "samples_ms": latencies,
            "server_cpu_ms_per_request": (cpu_after - cpu_before) * 1000 / len(latencies)
            if cpu_before is not None and cpu_after is not None and latencies else None}


def _setups(options: argparse.Namespace, seed: Path, pg) -> list[Setup]:
    users = max(LEVELS)
    setups = []
    baseline = inputs.copy_index(seed, "load-baseline-")
    if options.load_baseline:
        code = common.scratch_dir("load-code-")
        subprocess.run(f"git -C {common.ROOT} archive {options.load_baseline} | tar -x -C {code}",
                       shell=True, check=True)
        auth = ",".join(f"{_user(i)}:{PASSWORD}" for i in range(users))
        setups.append(Setup("baseline", baseline, {"RAG_UI_AUTH": auth}, code_dir=code))
    else:
        setups.append(Setup("baseline", baseline, signed_in=False))
    setups.append(Setup("sqlite", inputs.copy_index(seed, "load-sqlite-")))
    if pg is not None:
        url = pg.create_database()
        setups.append(Setup("postgresql", inputs.copy_index(seed, "load-pg-"),
                            {"RAG_DATABASE_URL": url}, database_url=url))
    for setup in setups[1:]:
        _add_accounts(setup, users)
    return setups


def _add_accounts(setup: Setup, users: int) -> None:
    from pydantic import SecretStr

    from rag.settings import make_settings
    from rag.state import open_state

    settings = make_settings(setup.data_dir, common.SEEDS)
    if setup.database_url:
        settings.database_url = SecretStr(setup.database_url)
    state = open_state(settings)
    for i in range(users):
        state.accounts.add(_user(i), PASSWORD, "reader")
    state.close()


def _postgres():
    from tests.conftest import free_port
    from tests.support.postgres import PostgresServer, binaries

    found = binaries()
    return PostgresServer(found, free_port()).start() if found else None


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    result = common.Result("load", argv)
    seconds = options.load_seconds
    questions = [q for q in inputs.load_questions() if q.answerable and q.sources]
    cases = [(q.question, set(q.sources)) for q in questions]
    pg = _postgres()
    if pg is None:
        result.note("PostgreSQL binaries absent (apt-get install postgresql): not measured")
    setups = _setups(options, inputs.seed_index(), pg)
    levels: dict[str, list[dict]] = {s.name: [] for s in setups}
    try:
        for setup in setups:
            say(f"load: starting rag ui ({setup.name}) over {setup.data_dir}")
            _start_ui(setup, setup.data_dir.parent / "ui.log")
        for clients in LEVELS:
            for setup in setups:
                say(f"load: {setup.name}, {clients} client(s) for {seconds:.0f} s...")
                before = _feedback_written(setup)
                level = _level(setup, clients, seconds, cases)
                level["feedback_written"] = _feedback_written(setup) - before
                level["feedback_lost"] = level["feedback_sent"] - level["feedback_written"]
                levels[setup.name].append(level)
        peaks = {s.name: _vm_hwm_mb(s.proc.pid) for s in setups}
    finally:
        for setup in setups:
            _stop(setup)
            common.remove(setup.data_dir.parent)
            if setup.code_dir is not None:
                common.remove(setup.code_dir)
        if pg is not None:
            pg.stop()
    _summarise(result, levels, peaks, options, seconds, len(cases))
    return result.data


def _summarise(result, levels: dict[str, list[dict]], peaks: dict, options, seconds: float,
               questions: int) -> None:
    baseline = {lv["clients"]: lv for lv in levels["baseline"]}
    result["config"] = {
        "levels": list(LEVELS), "seconds_per_level": seconds, "questions": questions,
        "feedback_every": FEEDBACK_EVERY, "mode": "offline extractive",
        "queue": "RAG_UI__CONCURRENCY default (8)", "configurations": list(levels),
        "baseline": f"git revision {options.load_baseline} (its own rag ui, RAG_UI_AUTH login)"
        if options.load_baseline else "this code, no account (no sign-in)"}
    result["samples"] = {f"{name}/{lv['clients']}": lv.pop("samples_ms")
                         for name, rows in levels.items() for lv in rows}
    result["medians"] = {name: {str(lv["clients"]): lv for lv in rows}
                         for name, rows in levels.items()}
    result["server_peak_rss_mb"] = peaks
    result["ratios"] = {}
    for name, rows in levels.items():
        for lv in rows:
            base = baseline[lv["clients"]]
            if name != "baseline":
                for key in ("p50_ms", "p95_ms", "throughput_rps", "server_cpu_ms_per_request"):
                    result["ratios"][f"{name}_vs_baseline_{key}_{lv['clients']}"] = common.ratio(
                        lv[key], base[key])
    at8 = {name: result["ratios"].get(f"{name}_vs_baseline_p50_ms_8") for name in levels
           if name != "baseline"}
    result["targets"] = {"errors": 0, "feedback_lost": 0,
                         "p50_at_8_vs_baseline": "<= 1.10 (noise on a shared machine)"}
    result["targets_met"] = {
        "zero_errors": all(lv["errors"] == 0 for rows in levels.values() for lv in rows),
        "no_lost_feedback": all(lv["feedback_lost"] == 0 for rows in levels.values()
                                for lv in rows),
        "no_slower_at_8": all(r is not None and r <= 1.10 for r in at8.values())}
    result.note("wrong = the question's gold file not cited (or an abstention); the offline "
                "eval gets ~7 % of these questions wrong at hit@1, so some are expected")
    result.write()
    say(common.table(["setup", "clients", "requests", "req/s", "p50 ms", "p95 ms", "errors",
                      "wrong", "feedback sent", "written", "server cpu ms/req"],
                     [[name, lv["clients"], lv["requests"], lv["throughput_rps"], lv["p50_ms"],
                       lv["p95_ms"], lv["errors"], lv["wrong_answers"], lv["feedback_sent"],
                       lv["feedback_written"], lv["server_cpu_ms_per_request"]]
                      for name, rows in levels.items() for lv in rows]))
    say(f"load: p50 at 8 clients vs baseline: {json.dumps(at8)}; server peak RSS {peaks}")
