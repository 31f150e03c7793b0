"""Two `rag ui` replicas, each with its own data folder, sharing one PostgreSQL server
(RAG_DATABASE_URL) and one Chroma server (CHROMA_HOST), as behind a load balancer:
a sign-in on one is a sign-in on the other; a conversation started on one is listed
on the other; a 👎 given on one is in the other's Review tab; an editor's delete on
one is gone on the other (and a restore there is back on the first)."""

from __future__ import annotations

import shutil
import subprocess
import time

import httpx
import pytest

from tests.conftest import SEEDS, free_port
from tests.ingest.helpers import RAG, rag_env
from tests.support.chroma_server import ChromaServer
from tests.ui.helpers import (
    ARTIFACTS,
    EN_ONLY_002,
    QUESTIONS,
    app_state,
    go_tab,
    launch_server,
    screenshot,
    wait_ready,
)

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.browser]

ACCOUNTS = {"rita": ("reader", "reader-pass-1"), "ed": ("editor", "editor-pass-22")}


@pytest.fixture(scope="module")
def replicas(postgres, tmp_path_factory):
    root = tmp_path_factory.mktemp("replicas")
    chroma = ChromaServer(root / "chroma", free_port()).start()
    url = postgres.create_database()
    shared = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma.port),
              "RAG_DATABASE_URL": url}
    env = rag_env(**shared)
    result = subprocess.run([RAG, "ingest", str(SEEDS), "--data-dir", str(root / "a"), "--json"],
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    for name, (role, password) in ACCOUNTS.items():
        result = subprocess.run([RAG, "users", "add", name, "--role", role, "--password-stdin",
                                 "--data-dir", str(root / "a")], input=password + "\n",
                                capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 0, result.stderr
    servers = [launch_server(root / name, root / f"{name}.log", **shared) for name in "ab"]
    try:
        yield [wait_ready(s) for s in servers], url
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for name, server in zip("ab", servers, strict=True):
            server.stop()
            shutil.copyfile(server.log, ARTIFACTS / f"ui-server-replica-{name}.log")
        chroma.stop()


def client(server, name):
    from gradio_client import Client

    return Client(server.url + "/", auth=(name, ACCOUNTS[name][1]), verbose=False)


def sign_in(page, server, name):
    page.goto(server.url + "/")
    page.fill("#username", name)
    page.fill("#password", ACCOUNTS[name][1])
    page.click("#login-button")
    page.wait_for_selector("#app-header .app-header[data-ready]", state="attached")


def test_replicas__share_the_app_database_and_not_its_files(replicas):
    (a, b), url = replicas
    for server in (a, b):
        assert not (server.data_dir / "app-state.db").exists()
        assert "app database: postgresql+psycopg://postgres@127.0.0.1" in server.log_tail(20000)
    assert not (b.data_dir / "chroma").exists()  # the index is the Chroma server's


def test_replicas__a_sign_in_on_one_is_a_sign_in_on_the_other(replicas):
    (a, b), _ = replicas
    login = httpx.post(a.url + "/login", data={"username": "rita",
                                               "password": ACCOUNTS["rita"][1]}, timeout=60)
    assert login.status_code == 200
    cookies = dict(login.cookies)
    assert httpx.get(b.url + "/config", cookies=cookies, timeout=30).status_code == 200
    assert httpx.get(b.url + "/login/status", cookies=cookies, timeout=30).json() == {
        "signed_in": True, "user": "rita"}
    httpx.get(b.url + "/logout", cookies=cookies, timeout=30)  # signed out on the other one
    deadline = time.monotonic() + 20  # each replica remembers a session for a few seconds
    while httpx.get(a.url + "/config", cookies=cookies, timeout=30).status_code == 200:
        assert time.monotonic() < deadline, "the first replica still accepts the session"
        time.sleep(1)


def test_replicas__conversation_and_dislike_on_one_are_on_the_other(replicas, page,
                                                                     make_page):
    (a, b), _ = replicas
    question = QUESTIONS[1][1]
    chat = client(a, "rita").predict(question, "auto", "en", {}, [], "", "", api_name="/chat")
    answer = chat[0][-1]["content"][0]["text"]
    assert "Hoang Nghia Hieu" in answer
    client(a, "rita").predict(question, answer, [EN_ONLY_002], "extractive", "down",
                              "seen on replica a", "en", "replica-a-answer", "incomplete",
                              api_name="/feedback")

    sign_in(page, b, "rita")  # the other replica: her conversation is in the sidebar
    page.locator("button[aria-label='Open Sidebar'], button[aria-label='Toggle Sidebar']") \
        .first.click()
    listing = page.locator("#conv-list")
    listing.get_by_text(question[:40], exact=False).first.click()
    page.locator('#chatbot [data-testid="bot"]').first.wait_for()
    assert "Hoang Nghia Hieu" in page.locator('#chatbot [data-testid="bot"]').first.inner_text()
    screenshot(page, "replica-b-conversation")

    editor = make_page()
    sign_in(editor, b, "ed")  # the editor on replica b reviews rita's 👎 from replica a
    go_tab(editor, "review")
    editor.wait_for_function("document.querySelector('#review-table').innerText"
                             ".includes('seen on replica a')")
    assert "rita" in editor.inner_text("#review-table")
    screenshot(editor, "replica-b-review")


def test_replicas__an_editors_delete_on_one_is_gone_on_the_other(replicas):
    (a, b), url = replicas
    on_a, on_b = client(a, "ed"), client(b, "ed")
    doc_id = {d["file"]: d["doc_id"] for d in on_a.predict(api_name="/documents")}[EN_ONLY_002]
    on_a.predict(doc_id, api_name="/delete_document")
    assert EN_ONLY_002 not in [d["file"] for d in on_b.predict(api_name="/documents")]
    deadline = time.monotonic() + 60
    while True:  # the other replica reloads its snapshot when the index changed
        cited = [c["file"] for c in on_b.predict(QUESTIONS[1][1], "auto", api_name="/ask")
                 ["citations"]]
        if EN_ONLY_002 not in cited:
            break
        assert time.monotonic() < deadline, "replica b still answers from the deleted article"
        time.sleep(2)
    on_b.predict(doc_id, api_name="/restore_document")  # undone on the other replica
    assert EN_ONLY_002 in [d["file"] for d in on_a.predict(api_name="/documents")]
    events = app_state(a, url).audit.entries(actor="ed")
    assert {(e["action"], e["target"]) for e in events} >= {("delete", EN_ONLY_002),
                                                            ("restore", EN_ONLY_002)}
