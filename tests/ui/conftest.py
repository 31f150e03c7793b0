"""Fixtures for the chat UI tests: real `rag ui` servers on 127.0.0.1 over copies of
the session's seeded index, and headless Chromium (the Debian package) driven by
Playwright."""

from __future__ import annotations

import shutil

import pytest

from tests.ui.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, start_server


@pytest.fixture(scope="session")
def ui_server(seeded_dir, tmp_path_factory):
    """`rag ui` over a private copy of the seeded index (tests may upload to it)."""
    root = tmp_path_factory.mktemp("ui")
    data_dir = root / "data"
    shutil.copytree(seeded_dir, data_dir)
    server = start_server(data_dir, root / "server.log")
    yield server
    server.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server.log, ARTIFACTS / "ui-server.log")


@pytest.fixture(scope="session")
def auth_server(seeded_dir, tmp_path_factory):
    """`rag ui` with RAG_UI_AUTH=alice:s3cret."""
    root = tmp_path_factory.mktemp("ui-auth")
    data_dir = root / "data"
    shutil.copytree(seeded_dir, data_dir)
    server = start_server(data_dir, root / "server.log", RAG_UI_AUTH="alice:s3cret")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
