"""Fixtures for the app-state tests: a real PostgreSQL server (Debian's binaries,
started here on a free port, skipped with the install command when absent) and
SQLite in a temporary data folder; `state` runs each test on both. The server itself
is the session fixture `postgres` of tests/conftest.py."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from tests.conftest import make_settings


def settings_for(backend: str, data_dir, postgres_server=None):
    settings = make_settings(data_dir)
    if backend == "postgresql":
        settings.database_url = SecretStr(postgres_server.create_database())
    return settings


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_settings(request, tmp_path):
    server = request.getfixturevalue("postgres") if request.param == "postgresql" else None
    return settings_for(request.param, tmp_path / "data", server)


@pytest.fixture
def state(backend_settings):
    from rag.state import open_state

    opened = open_state(backend_settings)
    yield opened
    opened.close()
