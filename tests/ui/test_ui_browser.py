"""The chat UI in headless Chromium: answers in three languages with their sources,
the cross-lingual case, the language selector, uploads and login."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.ui.helpers import (
    ANSWER_TIMEOUT,
    CROSS_LINGUAL_RU,
    EN_ONLY_002,
    QUESTIONS,
    SEED_FILES,
    ask,
    cited_files,
    go_tab,
    open_app,
    pick_language,
    screenshot,
    select_document,
)
from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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
    # the answer is in the question's language; the panel, like all the interface,
    # in the interface's (English here)
    assert page.get_attribute("#sources .sources-panel", "lang") == "en"
    # the confidence badge, on the answer and above the sources
    level = page.get_attribute("#sources .confidence", "class").split("conf-")[-1]
    assert t(f"conf_{level}", "en") in text
    assert t(f"conf_{level}", "en") in page.inner_text("#sources .confidence")
    link.click()
    page.wait_for_function(
        "() => { const r = document.getElementById('src-1').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }")
    screenshot(page, f"chat-{lang}")


def test_cross_lingual_russian_question_cites_english_only_article(ui_server, page):
    open_app(page, ui_server.url)
    pick_language(page, "ru")
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


def test_thanks_gets_a_short_reply_in_the_askers_language(ui_server, page):
    open_app(page, ui_server.url)
    page.fill("#question textarea", "Cảm ơn!")
    page.press("#question textarea", "Enter")
    bot = page.locator('#chatbot [data-testid="bot"]').first
    bot.wait_for(timeout=ANSWER_TIMEOUT)
    page.wait_for_function(
        "() => document.querySelector('#chatbot [data-testid=\"bot\"]')"
        "?.innerText.includes('Không có gì')", timeout=ANSWER_TIMEOUT)
    assert "Theo các bài viết" not in bot.inner_text()  # no quotes


def test_language_selector_changes_labels_and_html_lang(ui_server, page):
    open_app(page, ui_server.url)
    assert page.inner_text("#send-btn").strip() == "Ask"
    assert page.evaluate("document.documentElement.lang") == "en"
    pick_language(page, "vi")
    page.wait_for_function("document.querySelector('#send-btn').innerText.trim() === 'Hỏi'")
    body = page.inner_text("body")
    for label in ("Hỏi đáp tòa soạn", "Cuộc trò chuyện mới", "Tài liệu", "Ngoại tuyến"):
        assert label in body, label
    assert page.get_attribute("#question textarea", "placeholder").startswith("Nhập câu hỏi")
    screenshot(page, "labels-vi")

    pick_language(page, "ru")
    page.wait_for_function("document.querySelector('#send-btn').innerText.trim() === 'Спросить'")
    body = page.inner_text("body")
    for label in ("Вопросы и ответы редакции", "Новый чат", "Документы", "Офлайн"):
        assert label in body, label
    screenshot(page, "labels-ru")

    # the choice is kept by the browser: a reload comes back in Russian
    page.reload()
    page.wait_for_selector('#app-header .app-header[lang="ru"]', state="attached")
    assert page.evaluate("document.documentElement.lang") == "ru"
    pick_language(page, "en")
    page.wait_for_function("document.querySelector('#send-btn').innerText.trim() === 'Ask'")


def _article(tmp_path):
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
    return article


def test_upload_then_ask_cites_the_new_article_then_delete(ui_server, page, tmp_path):
    saved_name = "blue_lotus_festival.txt"
    open_app(page, ui_server.url)
    go_tab(page, "docs")
    page.locator("#upload input[type=file]").set_input_files(str(_article(tmp_path)))
    page.wait_for_function("document.querySelector('#upload').innerText.includes('blue')")
    page.click("#ingest-btn")
    page.wait_for_function(
        "document.querySelector('#ingest-status').innerText.includes('Indexed')", timeout=90_000)
    assert saved_name in page.inner_text("#ingest-status")
    assert (ui_server.data_dir / "uploads" / saved_name).is_file()
    page.wait_for_function(
        f"document.querySelector('#docs-table').innerText.includes('{saved_name}')")
    screenshot(page, "documents-uploaded")

    go_tab(page, "chat")
    bot = ask(page, "How many visitors did the Blue Lotus festival in Vinh city draw?")
    assert "12,345" in bot.inner_text()
    assert cited_files(page)[0] == saved_name
    screenshot(page, "chat-uploaded-article")

    go_tab(page, "docs")
    select_document(page, "blue_lotus")
    page.click("#view-btn")
    page.wait_for_function(
        "(document.querySelector('#doc-text textarea') || {value: ''}).value.includes('12,345')")
    page.click("#delete-btn")
    page.wait_for_selector("#confirm-box", state="visible")
    assert saved_name in page.inner_text("#confirm-text")
    page.click("#confirm-yes")
    page.wait_for_function("document.querySelector('#doc-status').innerText.includes('Deleted')")
    page.wait_for_function(
        f"!document.querySelector('#docs-table').innerText.includes('{saved_name}')")


def test_upload_refuses_other_types_and_oversize_files(ui_server, page, tmp_path):
    csv = tmp_path / "notes.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (11 * 1024 * 1024 // 5))  # over the 10 MB default
    open_app(page, ui_server.url)
    go_tab(page, "docs")
    page.locator("#upload input[type=file]").set_input_files(str(csv))
    page.get_by_text("This type of file cannot be added: notes.csv").wait_for()
    page.locator("#upload input[type=file]").set_input_files(str(big))
    # Gradio's "File(s) exceed the maximum allowed size of 10.0 Mb", said once, plainly
    page.get_by_text("Too large to add: \"big.txt\". Each file can be up to 10 MB.").wait_for()
    assert page.get_by_text("Too large to add").count() == 1
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
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Incorrect user name or password.").wait_for()
    assert page.locator("#question").count() == 0
    screenshot(page, "login-refused")
    page.fill("input[type=text]", "alice")
    page.fill("input[type=password]", "s3cret")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#question textarea")
    bot = ask(page, QUESTIONS[1][1])
    assert "According to the articles" in bot.inner_text()
    screenshot(page, "login-ok")
