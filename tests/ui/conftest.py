"""Fixtures for the chat UI tests: real `rag ui` servers on 127.0.0.1 over copies of
the session's seeded index, and headless Chromium (the Debian package) driven by
Playwright."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.ui.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, launch_server, wait_ready

AUTH = "alice:s3cret"


@pytest.fixture(scope="session")
def _servers(seeded_dir, tmp_path_factory, request):
    """Start the servers the session needs at once, so their start-ups overlap: the
    main one, and the one with RAG_UI_AUTH when a collected test uses it. Each runs
    over a private copy of the seeded index (tests upload to it)."""
    wants_auth = any("auth_server" in getattr(item, "fixturenames", ())
                     for item in request.session.items)
    servers = {}
    for name, env in (("main", {}), ("auth", _auth_env(tmp_path_factory))):
        if name == "auth" and not wants_auth:
            continue
        root = tmp_path_factory.mktemp(f"ui-{name}")
        shutil.copytree(seeded_dir, root / "data")
        servers[name] = launch_server(root / "data", root / "server.log", **env)
    yield servers
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, server in servers.items():
        server.stop()
        shutil.copyfile(server.log, ARTIFACTS / f"ui-server-{name}.log")


def _auth_env(tmp_path_factory) -> dict[str, str]:
    """The login server; its Quality check runs a few of the project's own questions
    per language (answerable and not), so a browser test can run it in seconds."""
    return {"RAG_UI_AUTH": AUTH,
            "RAG_UI__EVAL_QUESTIONS": str(small_question_set(tmp_path_factory.mktemp("qs")))}


def small_question_set(folder) -> str:
    from eval.questions import DEFAULT_QUESTIONS_DIR

    lines = []
    for lang in ("vi", "en", "ru"):
        rows = [json.loads(x) for x in
                (DEFAULT_QUESTIONS_DIR / f"{lang}.jsonl").read_text("utf-8").splitlines() if x]
        lines += [r for r in rows if r["answerable"]][:2] + [r for r in rows if not r["answerable"]][:1]
    path = folder / "quality-check.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    return str(path)


@pytest.fixture(scope="session")
def ui_server(_servers):
    """`rag ui` with the defaults (no login)."""
    return wait_ready(_servers["main"])


@pytest.fixture(scope="session")
def auth_server(_servers, seeded_dir, tmp_path_factory):
    """`rag ui` with RAG_UI_AUTH=alice:s3cret."""
    if "auth" not in _servers:  # e.g. selected with -k after collection
        root = tmp_path_factory.mktemp("ui-auth")
        shutil.copytree(seeded_dir, root / "data")
        _servers["auth"] = launch_server(root / "data", root / "server.log",
                                         **_auth_env(tmp_path_factory))
    return wait_ready(_servers["auth"])


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _new_page(browser, errors, width=1400, height=1000, locale="en-US"):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, pg


@pytest.fixture
def page(browser):
    errors: list[str] = []
    context, pg = _new_page(browser, errors)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def make_page(browser):
    """make_page(width, height, locale) -> a page in a fresh browser context."""
    errors: list[str] = []
    contexts = []

    def make(width=1400, height=1000, locale="en-US"):
        context, pg = _new_page(browser, errors, width, height, locale)
        contexts.append(context)
        return pg

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
