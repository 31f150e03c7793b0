"""Fault-injection helpers: an ingest in its own process that SIGKILLs itself
at a chosen point (tests/faults/ingest_driver.py), and whole-index snapshots."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.faults import index_diff
from tests.ingest.helpers import ROOT, make_engine, rag_env
from tests.support.fake_embedder import fake_embedder

# Small batches, so a handful of short documents spans several commits.
SETTINGS = {"ingest__batch_tokens": 60, "ingest__publish_seconds": 0.0}


def settings_args(settings: dict) -> list[str]:
    return [arg for key, value in settings.items()
            for arg in ("--setting", f"{key}={json.dumps(value)}")]


def run_driver(data: Path, action: str, *args: str, kill: str | None = None, fake: bool = True,
               settings: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "tests.faults.ingest_driver", "--data-dir", str(data),
           *settings_args(settings if settings is not None else SETTINGS)]
    if fake:
        cmd.append("--fake")
    if kill:
        cmd += ["--kill", kill]
    cmd += [action, *args]
    return subprocess.run(cmd, cwd=ROOT, env=rag_env(), capture_output=True, text=True,
                          timeout=timeout)


def killed(result: subprocess.CompletedProcess) -> bool:
    return result.returncode == -signal.SIGKILL


def engine_for(data: Path, fake: bool = True, settings: dict | None = None):
    settings = make_settings(data, **(settings if settings is not None else SETTINGS))
    return make_engine(settings, embed_model=fake_embedder() if fake else None)


def ingest_snapshot(data: Path, docs: Path, fake: bool = True, settings: dict | None = None):
    engine = engine_for(data, fake, settings)
    engine.ingest([docs])
    return index_diff.snapshot(engine.store)


@pytest.fixture
def assert_same_index():
    def check(data: Path, clean: dict, fake: bool = True, settings: dict | None = None) -> None:
        got = index_diff.snapshot(engine_for(data, fake, settings).store)
        diffs = index_diff.differences(got, clean)
        assert not diffs, "\n".join(diffs)
        assert index_diff.summary(got)["documents"] > 0

    return check
