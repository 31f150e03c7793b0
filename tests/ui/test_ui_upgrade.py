"""The first start of this release on a data folder written by the one before it
(tests/state/legacy_release/), with the RAG_UI_AUTH that release was run with: it
says what it imported and whom it seeded; each login finds its own conversations in
the sidebar and reopens them whole; the Review tab lists every 👎 and the unanswered
question of before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.ui.helpers import ARTIFACTS, go_tab, launch_server, screenshot, wait_ready

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LEGACY = Path(__file__).resolve().parents[1] / "state" / "legacy_release" / "data"
AUTH = {"alice": "s3cret-alice", "bob": "s3cret-bob"}  # as the earlier release ran


@pytest.fixture(scope="module")
def upgraded(seeded_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("upgrade")
    shutil.copytree(seeded_dir, root / "data")
    shutil.copytree(LEGACY, root / "data", dirs_exist_ok=True)
    server = launch_server(root / "data", root / "server.log",
                           RAG_UI_AUTH=",".join(f"{u}:{p}" for u, p in AUTH.items()))
    yield wait_ready(server)
    server.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server.log, ARTIFACTS / "ui-server-upgrade.log")


def _conversations() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(LEGACY.glob("conversations/*/*.json"))]


def _owned_by(user: str) -> list[dict]:
    from rag.state import owner_key

    folder = LEGACY / "conversations" / owner_key(user, None)
    return [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]


def sign_in(page, server, user):
    page.goto(server.url + "/")
    page.fill("#username", user)
    page.fill("#password", AUTH[user])
    page.click("#login-button")
    page.wait_for_selector("#app-header .app-header[data-ready]", state="attached")


def test_upgrade__says_what_it_imported_and_seeded(upgraded):
    log = upgraded.log_tail(50_000)
    assert "imported 4 conversations" in log and "7 feedback records and 1 unanswered" in log
    assert "RAG_UI_AUTH: created the accounts alice, bob as admin" in log
    assert not (upgraded.data_dir / "feedback.jsonl").exists()
    assert len(list((upgraded.data_dir / "imported").glob("*/conversations/*/*.json"))) == 4
    assert "s3cret" not in log


@pytest.mark.parametrize("user", list(AUTH))
def test_upgrade__each_login_reopens_its_own_conversations(upgraded, make_page, user):
    page = make_page()
    sign_in(page, upgraded, user)
    mine, everyone = _owned_by(user), _conversations()
    assert mine
    page.locator("button[aria-label='Open Sidebar'], button[aria-label='Toggle Sidebar']") \
        .first.click()
    listing = page.locator("#conv-list")
    listing.locator("label").first.wait_for()
    titles = listing.inner_text()
    for conv in everyone:
        assert (conv["title"] in titles) == (conv in mine), conv["title"]
    longest = max(mine, key=lambda c: len(c["turns"]))
    listing.get_by_text(longest["title"], exact=True).click()
    bots = page.locator('#chatbot [data-testid="bot"]')
    bots.nth(len(longest["turns"]) - 1).wait_for()
    assert bots.count() == len(longest["turns"])
    page.wait_for_selector("#sources .sources-panel :is(.src-card, .notice)", state="attached")
    screenshot(page, f"upgrade-{user}-conversation")


def test_upgrade__the_review_tab_lists_every_dislike_and_the_unanswered_question(upgraded,
                                                                                 page):
    feedback = [json.loads(line) for line in (LEGACY / "feedback.jsonl").read_text("utf-8")
                .splitlines()]
    (abstention,) = [json.loads(line) for line in (LEGACY / "abstentions.jsonl")
                     .read_text("utf-8").splitlines()]
    sign_in(page, upgraded, "alice")
    go_tab(page, "review")
    page.wait_for_function("document.querySelector('#review-table').innerText"
                           ".includes('api question?')")
    table = page.inner_text("#review-table")
    for record in feedback:
        if record["rating"] == "down":
            assert record["question"][:30] in table, record["question"]
    assert abstention["question"] in table
    screenshot(page, "upgrade-review")
