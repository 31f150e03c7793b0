"""Fixtures of the web-ingest tests: an empty index with the real embedder and
fast web settings (the newsroom site itself, `site`, is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import make_settings
from tests.ingest.helpers import fresh_data_dir, make_engine

# Fast and small for tests: no pause between requests, short timeouts, 1 MB pages.
WEB = {"web__host_delay": 0.0, "web__timeout": 1.0, "web__max_page_mb": 1.0}


@pytest.fixture
def web_settings(tmp_path):
    return make_settings(fresh_data_dir(tmp_path / "data"), **WEB)


@pytest.fixture
def web_engine(web_settings):
    return make_engine(web_settings)
