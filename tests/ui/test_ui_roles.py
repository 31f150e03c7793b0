"""Roles against a running `rag ui` whose accounts were made with `rag users add`: every
API endpoint for a reader, an editor and an administrator through gradio_client with
their credentials; every page and action per role in Chromium (the signed-in user on
the page, logout back to the sign-in page); wrong passwords slowed down and logged;
an ended session sends the open page back to the sign-in page; and no password or
hash in any log line or in the database file.

/eval is checked for refusal here; that an administrator may run it is checked in
process (tests/ui/test_ui_access.py): a real run takes minutes."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pytest

from tests.ingest.helpers import RAG
from tests.ui.helpers import (
    ARTIFACTS,
    EN_ONLY_002,
    QUESTIONS,
    app_state,
    ask,
    delete_document,
    go_tab,
    launch_server,
    screenshot,
    upload_article,
    wait_ready,
)
from ui.i18n import t

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ACCOUNTS = {"reader": ("rita", "reader-pass-1"), "editor": ("ed", "editor-pass-22"),
            "admin": ("ada", "admin-pass-333"), "ended": ("sam", "session-pass-4444"),
            "throttled": ("tess", "slow-pass-55555")}
ROLE_OF = {"reader": "reader", "editor": "editor", "admin": "admin", "ended": "reader",
           "throttled": "reader"}
ROLES = ("reader", "editor", "admin")
REFUSAL = "Not allowed"


@pytest.fixture(scope="module")
def roles_server(seeded_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("ui-roles")
    data = root / "data"
    shutil.copytree(seeded_dir, data)
    for who, (name, password) in ACCOUNTS.items():
        result = subprocess.run([RAG, "users", "add", name, "--role", ROLE_OF[who],
                                 "--password-stdin", "--data-dir", str(data)],
                                input=password + "\n", capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
    server = wait_ready(launch_server(data, root / "server.log"))
    yield server
    server.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server.log, ARTIFACTS / "ui-server-roles.log")


def client(server, who):
    from gradio_client import Client

    return Client(server.url + "/", auth=ACCOUNTS[who], verbose=False)


def _attempt(fn):
    """(allowed, result or error text)."""
    from gradio_client.exceptions import AppError

    try:
        return True, fn()
    except AppError as exc:
        if REFUSAL in str(exc):
            return False, str(exc)
        raise


def test_every_api_endpoint_per_role(roles_server, tmp_path):
    from gradio_client import handle_file

    docs = {d["file"]: d["doc_id"] for d in client(roles_server, "admin")
            .predict(api_name="/documents")}
    target = docs[EN_ONLY_002]
    for role in ROLES:
        c = client(roles_server, role)
        level = ROLES.index(role)
        whoami = c.predict(api_name="/whoami")
        assert whoami["user"] == ACCOUNTS[role][0] and whoami["role"] == role
        ok, answer = _attempt(lambda c=c: c.predict(QUESTIONS[1][1], "auto", api_name="/ask"))
        assert ok and EN_ONLY_002 in [x["file"] for x in answer["citations"]]
        ok, chat = _attempt(lambda c=c: c.predict(QUESTIONS[0][1], "auto", "en", {}, [], "", "",
                                                  api_name="/chat"))
        assert ok and chat[0][-1]["role"] == "assistant"
        ok, _ = _attempt(lambda c=c, r=role: c.predict(
            "q?", "a.", [], "extractive", "down", "", "en", f"roles-{r}", "wrong",
            api_name="/feedback"))
        assert ok
        ok, listed = _attempt(lambda c=c: c.predict(api_name="/documents"))
        assert ok and EN_ONLY_002 in [d["file"] for d in listed]
        ok, text = _attempt(lambda c=c: c.predict(target, api_name="/document_text"))
        assert ok and "Hoang Nghia Hieu" in text

        ok, said = _attempt(lambda c=c: c.predict(target, api_name="/delete_document"))
        assert ok == (level >= 1), (role, said)
        files = [d["file"] for d in c.predict(api_name="/documents")]
        assert (EN_ONLY_002 not in files) == ok  # a refused delete deleted nothing
        ok, said = _attempt(lambda c=c: c.predict(target, api_name="/restore_document"))
        assert ok == (level >= 1), (role, said)
        assert EN_ONLY_002 in [d["file"] for d in c.predict(api_name="/documents")]

        article = tmp_path / f"roles-{role}.txt"
        article.write_text(f"Quang Binh opens a {role} library\n\nQuang Binh province opened a "
                           "library of 5,432 books in Dong Hoi, officials said.\n", "utf-8")
        ok, status = _attempt(lambda c=c, a=article: c.predict(
            [handle_file(str(a))], "", "all", "", "", [], "en", api_name="/upload"))
        assert ok == (level >= 1), (role, status)
        if ok:
            assert "Indexed" in status[0]
        assert (roles_server.data_dir / "uploads" / article.name).exists() == ok

        ok, said = _attempt(lambda c=c: c.predict(api_name="/audit_log"))
        assert ok == (level >= 2), (role, said)
        if role != "admin":
            ok, said = _attempt(lambda c=c: c.predict("en", api_name="/eval"))
            assert not ok and "quality check needs the administrator role" in said
    events = client(roles_server, "admin").predict("", "ed", 100, api_name="/audit_log")
    assert {(e["action"], e["target"]) for e in events} >= {
        ("login", "ed"), ("delete", EN_ONLY_002), ("restore", EN_ONLY_002),
        ("upload", "roles-editor.txt")}
    feedback = {e["id"]: e["user"] for e in app_state(roles_server).feedback.entries()}
    assert {feedback[f"roles-{r}"] for r in ROLES} == {ACCOUNTS[r][0] for r in ROLES}


def sign_in(page, server, who, lang="en"):
    name, password = ACCOUNTS[who]
    page.goto(server.url + "/")
    page.wait_for_selector("#login-form")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("#login-button")
    page.wait_for_selector("#app-header .app-header[data-ready]", state="attached")
    bar = page.locator("#user-bar-box .user-bar")
    assert name in bar.inner_text() and t(f"role_{ROLE_OF[who]}", lang) in bar.inner_text()


def visible_tabs(page) -> list[str]:
    return [b.get_attribute("id").removeprefix("tab-").removesuffix("-button")
            for b in page.locator("#tabs button[role=tab]").all() if b.is_visible()]


def log_out(page, lang="en"):
    page.click("#logout-link")
    page.wait_for_selector("#login-notice")
    assert page.inner_text("#login-notice") == t("login_signed_out", lang)
    page.goto(page.url.split("/login")[0] + "/")
    page.wait_for_selector("#login-form")  # signed out: the app sends the sign-in page


def test_reader_in_chromium_asks_and_sees_no_editor_tools(roles_server, page):
    sign_in(page, roles_server, "reader")
    assert visible_tabs(page) == ["chat", "docs"]
    # signing in reopens the reader's newest conversation (the /chat call of the API
    # test, when it ran first): the new answer comes after its turns
    earlier = page.locator('#chatbot [data-testid="bot"]').count()
    bot = ask(page, QUESTIONS[1][1], turn=earlier)
    assert "Hoang Nghia Hieu" in bot.inner_text()
    go_tab(page, "docs")
    page.wait_for_selector("#docs-table .doc-table")
    assert page.locator("#view-btn").is_visible()
    for hidden in ("#upload", "#ingest-btn", "#delete-btn"):
        assert not page.locator(hidden).is_visible(), hidden
    screenshot(page, "roles-reader")
    log_out(page)


def test_editor_in_chromium_uploads_deletes_undoes_and_reviews(roles_server, page, tmp_path):
    article = tmp_path / "editor-ui.txt"
    article.write_text("Ha Tinh opens a river museum\n\nHa Tinh province opened a river museum "
                       "with 1,234 boats, officials said.\n", "utf-8")
    sign_in(page, roles_server, "editor")
    assert visible_tabs(page) == ["chat", "docs", "review"]
    go_tab(page, "docs")
    upload_article(page, article)
    delete_document(page, "editor-ui")
    page.wait_for_function("document.querySelector('#doc-status').innerText"
                           ".includes('Deleted editor-ui.txt')")
    page.click("#undo-btn")
    page.wait_for_function("document.querySelector('#doc-status').innerText"
                           ".includes('Restored editor-ui.txt')")
    go_tab(page, "review")
    page.wait_for_function("document.querySelector('#review-table').innerText.includes('q?')")
    screenshot(page, "roles-editor-review")
    log_out(page)
    actions = [(e["action"], e["target"]) for e in app_state(roles_server).audit.entries(
        actor="ed") if e["action"] in ("upload", "delete", "restore")]
    assert actions[:3] == [("restore", "editor-ui.txt"), ("delete", "editor-ui.txt"),
                           ("upload", "editor-ui.txt")]


def test_admin_in_chromium_manages_accounts_and_exports_the_audit_log(roles_server, page):
    sign_in(page, roles_server, "admin")
    assert visible_tabs(page) == ["chat", "docs", "review", "eval", "admin"]
    go_tab(page, "eval")
    assert page.locator("#eval-btn").is_enabled()
    go_tab(page, "admin")
    page.wait_for_function("document.querySelector('#users-table').innerText.includes('rita')")
    page.fill("#user-name input", "nam")
    page.locator("#user-new-password input").fill("nam-password-1")
    page.click("#user-add")
    page.wait_for_function("document.querySelector('#user-status').innerText"
                           ".includes('Account nam added')")
    assert "nam" in page.inner_text("#users-table")
    page.fill("#user-name input", "x y")
    page.locator("#user-new-password input").fill("whatever-123")
    page.click("#user-add")
    page.wait_for_function("document.querySelector('#user-status').innerText"
                           ".includes('Not done')")
    page.wait_for_function("document.querySelector('#audit-table').innerText"
                           ".includes('account added')")
    assert "ed" in page.inner_text("#audit-table")
    page.click("#audit-export")
    with page.expect_download() as download:
        page.locator("#audit-file a").first.click()
    exported = Path(download.value.path()).read_text("utf-8")
    assert exported.startswith("time,actor,action,target,detail")
    assert ",ada,user_added,nam," in exported and ",ed,login,ed," in exported
    screenshot(page, "roles-admin")
    log_out(page)
    account = app_state(roles_server).accounts.get("nam")
    assert account is not None and account.role == "reader"


def test_an_ended_session_returns_the_open_page_to_the_sign_in_page(roles_server, make_page):
    page = make_page(locale="ru-RU")
    sign_in(page, roles_server, "ended", lang="ru")
    app_state(roles_server).set_password("sam", "a-new-password-9", "test")  # ends its sessions
    deadline = time.monotonic() + 30  # a replica remembers a session for a few seconds
    while "/login" not in page.url:
        assert time.monotonic() < deadline, "the page did not notice the ended session"
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        page.wait_for_timeout(1000)
    page.wait_for_selector("#login-notice")
    assert page.inner_text("#login-notice") == t("login_expired", "ru")
    with pytest.raises(urllib.error.HTTPError):  # and the old cookie opens nothing
        request = urllib.request.Request(roles_server.url + "/config", headers={
            "cookie": "; ".join(f"{c['name']}={c['value']}"
                                for c in page.context.cookies())})
        urllib.request.urlopen(request, timeout=10)


def test_wrong_passwords_are_slowed_down_and_logged_without_the_password(roles_server):
    name, password = ACCOUNTS["throttled"]
    waits = []
    for attempt in range(5):
        started = time.monotonic()
        response = httpx.post(roles_server.url + "/login",
                              data={"username": name, "password": f"guess-{attempt}"},
                              timeout=60)
        waits.append(time.monotonic() - started)
        assert response.status_code == 400
    assert waits[3] >= 0.9 and waits[4] >= 1.9  # 1 s, then 2 s before the answer
    httpx.post(roles_server.url + "/login", data={"username": "guess-my-name-password",
                                                  "password": "x"}, timeout=60)
    ok = httpx.post(roles_server.url + "/login", data={"username": name, "password": password},
                    timeout=60)
    assert ok.status_code == 200 and ok.json() == {"success": True}
    log = roles_server.log.read_text("utf-8")
    assert f"sign-in refused for {name} from 127.0.0.1 (5 wrong in a row)" in log
    assert "sign-in refused for (an unknown name)" in log
    assert "guess-my-name-password" not in log and "guess-0" not in log


def test_no_password_or_hash_in_any_log_line_or_in_the_database(roles_server):
    log = roles_server.log.read_text("utf-8")
    secrets = [password for _, password in ACCOUNTS.values()] + ["nam-password-1",
                                                                 "a-new-password-9"]
    assert "signed in" in log  # the log was written
    leaked = [line for line in log.splitlines()
              if "$argon2" in line or any(s in line for s in secrets)]
    assert leaked == []
    raw = (roles_server.data_dir / "app-state.db").read_bytes()
    wal = roles_server.data_dir / "app-state.db-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert not any(s.encode() in raw for s in secrets)
