"""The chat UI in headless Chromium: answers in three languages with their sources,
the cross-lingual case, the language selector, uploads and login."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from tests.ui.helpers import (
    CROSS_LINGUAL_RU,
    EN_ONLY_002,
    QUESTIONS,
    SEED_FILES,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWER_TIMEOUT = 60_000


def open_app(page, url: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("#question textarea")


def ask(page, question: str, turn: int = 0):
    """Type a question, press Enter, wait for the finished answer; its bot message."""
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_selector(
        f'#sources .sources-panel[data-turn="{turn}"] :is(.src-card, .notice)',
        timeout=ANSWER_TIMEOUT,
    )
    bot = page.locator('#chatbot [data-testid="bot"]').nth(turn)
    bot.wait_for()
    return bot


def cited_files(page) -> list[str]:
    return page.eval_on_selector_all(
        "#sources .src-card", "els => els.map(e => e.getAttribute('data-file'))")


def pick_language(page, label: str) -> None:
    page.locator("#lang-select").get_by_label(label, exact=True).check()


@pytest.mark.parametrize(("lang", "question", "framing", "expected", "must_contain"), QUESTIONS,
                         ids=[q[0] for q in QUESTIONS])
def test_answer_with_sources_in_each_language(ui_server, page, lang, question, framing,
                                              expected, must_contain):
    open_app(page, ui_server.url)
    bot = ask(page, question)
    text = bot.inner_text()
    assert framing in text
    assert "[1]" in text and must_contain in text
    # [n] is a superscript link to the source card, and following it shows the card.
    link = bot.locator('sup.ref a[href="#src-1"]').first
    link.wait_for()
    files = cited_files(page)
    assert files and set(files) <= set(SEED_FILES), files
    assert expected in files, f"expected {expected} among the cited files {files}"
    panel = page.inner_text("#sources")
    assert files[0] in panel
    assert page.locator("#sources .src-card mark").count() >= 1  # the evidence, highlighted
    link.click()
    page.wait_for_function(
        "() => { const r = document.getElementById('src-1').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }")
    screenshot(page, f"chat-{lang}")


def test_cross_lingual_russian_question_cites_english_only_article(ui_server, page):
    open_app(page, ui_server.url)
    pick_language(page, "Русский")
    bot = ask(page, CROSS_LINGUAL_RU)
    text = bot.inner_text()
    assert "Согласно источникам" in text and "Hoang Nghia Hieu" in text
    files = cited_files(page)
    assert files[0] == EN_ONLY_002, files
    # The panel is in Russian and names the English article's language.
    card = page.locator("#sources .src-card").first
    assert "EN" in card.locator(".lang-badge").inner_text()
    assert "Источники" in page.inner_text("#sources")
    screenshot(page, "chat-ru-cross-lingual")


def test_language_selector_changes_labels(ui_server, page):
    open_app(page, ui_server.url)
    assert page.inner_text("#send-btn").strip() == "Ask"
    pick_language(page, "Tiếng Việt")
    page.wait_for_function("document.querySelector('#send-btn').innerText.trim() === 'Hỏi'")
    body = page.inner_text("body")
    for label in ("Hỏi đáp tòa soạn", "Câu hỏi của bạn", "Xóa hội thoại", "Tài liệu"):
        assert label in body, label
    assert page.get_attribute("#question textarea", "placeholder").startswith("Nhập câu hỏi")
    screenshot(page, "labels-vi")

    pick_language(page, "Русский")
    page.wait_for_function("document.querySelector('#send-btn').innerText.trim() === 'Спросить'")
    body = page.inner_text("body")
    for label in ("Вопросы и ответы редакции", "Ваш вопрос", "Очистить чат", "Документы"):
        assert label in body, label
    screenshot(page, "labels-ru")

    pick_language(page, "English")
    page.wait_for_function("document.querySelector('#send-btn').innerText.trim() === 'Ask'")


def test_feedback_is_appended_as_json_line(ui_server, page):
    log = ui_server.data_dir / "feedback.jsonl"
    before = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    open_app(page, ui_server.url)
    question = QUESTIONS[1][1]
    ask(page, question)
    page.locator("#feedback").get_by_text("Was the last answer helpful?").click()
    page.fill("#feedback-comment textarea", "clear and well sourced")
    page.click("#fb-up")
    page.wait_for_function("document.querySelector('#fb-status').innerText.includes('saved')")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(before) + 1
    entry = json.loads(lines[-1])
    assert entry["rating"] == "up" and entry["comment"] == "clear and well sourced"
    assert entry["question"] == question and EN_ONLY_002 in entry["sources"]
    assert entry["mode"] == "extractive" and entry["answer"].startswith("According")
    assert entry["time"]
    # the Chatbot's own thumbs record the same way
    page.locator("#chatbot").get_by_role("button", name="Dislike").first.click()
    deadline = time.monotonic() + 15
    while len(lines := log.read_text(encoding="utf-8").splitlines()) < len(before) + 2:
        assert time.monotonic() < deadline, "the Chatbot's dislike was not recorded"
        time.sleep(0.2)
    entry = json.loads(lines[-1])
    assert entry["rating"] == "down" and entry["question"] == question


def test_upload_then_ask_cites_the_new_article_then_delete(ui_server, page, tmp_path):
    article = tmp_path / "blue lotus festival.txt"  # the space is sanitized away
    article.write_text(
        "Blue Lotus festival in Vinh city draws record crowds\n\n"
        "The first Blue Lotus festival in Vinh city, Nghe An province, drew 12,345 visitors "
        "over three days in June, the city's Department of Culture said on Monday.\n"
        "The festival featured lotus-themed art exhibitions, folk music performances on the "
        "banks of the Lam River and a night market with more than 200 stalls.\n"
        "Organisers said the Blue Lotus festival will become an annual event to promote "
        "tourism in Vinh city.\n",
        encoding="utf-8",
    )
    saved_name = "blue_lotus_festival.txt"
    open_app(page, ui_server.url)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    page.wait_for_function("document.querySelector('#upload').innerText.includes('blue')")
    page.click("#ingest-btn")
    page.wait_for_function(
        "document.querySelector('#ingest-status').innerText.includes('Indexed')", timeout=90_000)
    assert saved_name in page.inner_text("#ingest-status")
    assert (ui_server.data_dir / "uploads" / saved_name).is_file()
    page.wait_for_function(
        f"document.querySelector('#docs-table').innerText.includes('{saved_name}')")
    screenshot(page, "documents-uploaded")

    page.get_by_role("tab", name="Chat").click()
    bot = ask(page, "How many visitors did the Blue Lotus festival in Vinh city draw?")
    assert "12,345" in bot.inner_text()
    assert cited_files(page)[0] == saved_name
    screenshot(page, "chat-uploaded-article")

    page.get_by_role("tab", name="Documents").click()
    combo = page.locator("#doc-select input")
    combo.click()
    combo.fill("blue_lotus")
    page.get_by_role("option", name=saved_name, exact=False).first.click()
    page.wait_for_function(
        "document.querySelector('#doc-text textarea').value.includes('12,345')")
    page.click("#delete-btn")
    page.wait_for_function("document.querySelector('#doc-status').innerText.includes('Deleted')")
    assert not (ui_server.data_dir / "uploads" / saved_name).exists()
    page.wait_for_function(
        f"!document.querySelector('#docs-table').innerText.includes('{saved_name}')")


def test_upload_refuses_other_types_and_oversize_files(ui_server, page, tmp_path):
    csv = tmp_path / "notes.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (11 * 1024 * 1024 // 5))  # over the 10 MB default
    open_app(page, ui_server.url)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(csv))
    page.get_by_text("Invalid file type: notes.csv").wait_for()
    page.locator("#upload input[type=file]").set_input_files(str(big))
    page.get_by_text("exceed the maximum allowed size").wait_for()
    screenshot(page, "documents-refused")
    page.click("#ingest-btn")
    page.wait_for_function("document.querySelector('#ingest-status').innerText.length > 0")
    assert "Indexed" not in page.inner_text("#ingest-status")
    assert not (ui_server.data_dir / "uploads" / "notes.csv").exists()
    assert not (ui_server.data_dir / "uploads" / "big.txt").exists()


def test_login_required_when_ui_auth_is_set(auth_server, page):
    for path in ("/config", "/gradio_api/info"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(auth_server.url + path, timeout=10)
        assert err.value.code in (401, 403)
    page.goto(auth_server.url + "/")
    page.wait_for_selector("input[type=password]")
    assert page.locator("#question").count() == 0
    page.fill("input[type=text]", "alice")
    page.fill("input[type=password]", "wrong")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Incorrect Credentials").wait_for()
    assert page.locator("#question").count() == 0
    screenshot(page, "login-refused")
    page.fill("input[type=text]", "alice")
    page.fill("input[type=password]", "s3cret")
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("#question textarea")
    bot = ask(page, QUESTIONS[1][1])
    assert "According to the articles" in bot.inner_text()
    screenshot(page, "login-ok")
