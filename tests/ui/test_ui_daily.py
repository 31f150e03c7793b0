"""Issue 30 in Chromium: the chat as staff use it every day, in Vietnamese, English and
Russian, at 1400×1000 and 390×844, on the server with accounts (RAG_UI_AUTH seeds
alice as an administrator). Each walk starts in Auto with the browser's locale and
goes through: the sign-in page (ui.login_page), the first load, asking (the
answer line on screen), the sources (the phone's drawer: close button, Escape, a tap
outside, the back gesture), 👎 cancelled, sent without a reason and with one (kept
after a reload), a reload, signing out and in again (the last conversation reopened,
the sidebar as it was left), document and conversation search with and without
accents, dates typed in the language, a scoped answer and its download, the review
export and a quality run. At every step no word of another language may show, and
after every answer its first line must be on screen. Screenshots of every step go
to tests/artifacts/ui/daily-<lang>-<size>-<step>.png."""

from __future__ import annotations

import datetime as dt
import json
import re
from datetime import UTC, datetime

import pytest

from rag.schema import Scope
from tests.ui.conftest import AUTH
from tests.ui.helpers import (
    ANSWER_TIMEOUT,
    SCREENSHOTS,
    answer_line_in_view,
    app_state,
    foreign_strings,
    go_tab,
    screenshot,
)
from ui import render
from ui.i18n import t
from ui.strings.frontend import TEXTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCALES = {"vi": "vi-VN", "en": "en-US", "ru": "ru-RU"}
SIZES = {"desktop": (1400, 1000), "phone": (390, 844)}
USER, PASSWORD = AUTH.split(":")

# (question, words of its conversation search: unaccented or in other case, then as typed)
ASKED = {
    "vi": ("Việt Nam đã ký bao nhiêu hiệp định thương mại tự do?", "viet nam DA KY hiep dinh",
           "Việt Nam đã ký"),
    "en": ("Who is the Standing Deputy Secretary of the Nghe An Provincial Party Committee?",
           "STANDING deputy", "Standing Deputy"),
    "ru": ("Сколько делегаций провинция Нгеан приняла в 2024 году?", "СКОЛЬКО делегаций нгеан",
           "делегаций"),
}
# a question limited to articles published from 1 October 2025, the date as typed
SCOPED = {
    "vi": ("Cộng đồng người Việt Nam ở nước ngoài có bao nhiêu người?", "1/10/2025"),
    "en": ("How many overseas Vietnamese are there?", "October 1, 2025"),
    "ru": ("Сколько вьетнамцев живёт за рубежом?", "1 октября 2025"),
}
# the documents filter: from 15 January 2025 (four of the five seed articles)
DOC_SINCE = {"vi": "15/1/2025", "en": "Jan 15, 2025", "ru": "15 января 2025"}


def gradio(text: str, lang: str) -> str:
    """A Gradio string as the page shows it in `lang`."""
    return text if lang == "en" else TEXTS[text][lang]


class Walk:
    """One walk: a browser context in a locale and a size, the step counter, and what
    every step checks (no foreign words; a screenshot)."""

    def __init__(self, server, browser, lang: str, size: str):
        width, height = SIZES[size]
        self.server, self.lang, self.size = server, lang, size
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale=LOCALES[lang], accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.problems: list[str] = []
        self.step = 0
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.state = app_state(server)  # the server's app database, read from here
        for old in SCREENSHOTS.glob(f"daily-{lang}-{size}-*.png"):  # an earlier run's
            old.unlink()

    @property
    def phone(self) -> bool:
        return self.size == "phone"

    def check(self, name: str, focus: str | None = None) -> None:
        """No foreign word on the page; a screenshot (on a phone, of the screen, with
        `focus` scrolled into it)."""
        self.step += 1
        if focus and self.phone:
            self.page.locator(focus).first.scroll_into_view_if_needed()
        self.page.wait_for_timeout(150)  # the swap of Gradio's own strings runs after redraws
        screenshot(self.page, f"daily-{self.lang}-{self.size}-{self.step:02d}-{name}",
                   full_page=not self.phone)
        left = foreign_strings(self.page, self.lang)
        if left:
            self.problems.append(f"{name}: {left}")
        assert self.page.evaluate("document.documentElement.lang") == self.lang, name

    def wait_text(self, selector: str, text: str, timeout: float = 30_000) -> None:
        self.page.wait_for_function(
            "([s, x]) => (document.querySelector(s) || {innerText: ''}).innerText.includes(x)",
            arg=[selector, text], timeout=timeout)

    def answer_on_screen(self, when: str) -> None:
        self.page.wait_for_timeout(300)
        where = answer_line_in_view(self.page)
        assert where["ok"], f"{when}: the answer line is off screen: {where}"

    def ask(self, question: str, turn: int):
        page = self.page
        page.fill("#question textarea", question)
        page.press("#question textarea", "Enter")
        page.wait_for_selector(f'#sources .sources-panel[data-turn="{turn}"] '
                               ':is(.src-card, .notice)', timeout=ANSWER_TIMEOUT, state="attached")
        bot = page.locator('#chatbot [data-testid="bot"]').nth(turn)
        bot.wait_for()
        self.answer_on_screen(f"answer {turn}")
        return bot

    def records(self, question: str) -> list[dict]:
        """This walk's ratings of `question`, as the app database holds them."""
        return [e for e in self.state.feedback.entries()
                if e["question"] == question and e.get("time", "") >= self.started]


@pytest.fixture
def walk(auth_server, browser, request):
    lang, size = request.param
    w = Walk(auth_server, browser, lang, size)
    yield w
    w.context.close()
    w.state.close()
    assert not w.errors, f"JavaScript errors on the page: {w.errors}"


def login(w: Walk, name: str, wrong_first: bool = False, notice: str | None = None) -> None:
    """The sign-in page in the walk's language (the app's name, the line on how to sign
    in, `notice` if one is due), a wrong password first if asked, then signing in."""
    page = w.page
    page.wait_for_selector("#login-form")
    page.wait_for_function(f"document.documentElement.lang === '{w.lang}'")
    assert t("title", w.lang) in page.title()
    assert t("title", w.lang) in page.inner_text(".brand")  # the app's name on the page
    assert page.inner_text("#login-hint") == t("login_hint", w.lang)
    if notice:
        assert page.inner_text("#login-notice") == t(notice, w.lang)
    w.check(name)
    if wrong_first:
        page.fill("#username", USER)
        page.fill("#password", "wrong")
        page.click("#login-button")
        page.wait_for_selector("#login-error")
        assert page.inner_text("#login-error") == t("login_failed", w.lang)
        w.check(f"{name}-refused")
    page.fill("#username", USER)
    page.fill("#password", PASSWORD)
    page.click("#login-button")
    page.wait_for_selector("#app-header .app-header[data-ready]", state="attached", timeout=60_000)
    bar = page.locator("#user-bar-box .user-bar")
    assert USER in bar.inner_text() and t("role_admin", w.lang) in bar.inner_text()


def first_load(w: Walk) -> None:
    page = w.page
    page.goto(w.server.url + "/")
    login(w, "login", wrong_first=True)
    assert page.title() == t("title", w.lang)
    assert page.inner_text("#send-btn").strip() == t("send", w.lang)
    assert page.get_attribute("#question textarea", "placeholder") == \
        t("question_placeholder", w.lang)
    w.check("first-load")
    # the user's last conversation (an earlier walk's) is open: start a new one
    page.click("#clear-btn")
    page.wait_for_function("document.querySelectorAll('#chatbot [data-testid=bot]').length === 0")


def sources_on_phone(w: Walk, bot) -> None:
    page = w.page
    col_left = "document.getElementById('sources-col').getBoundingClientRect().left"
    opened, closed = f"{col_left} < 100", f"{col_left} >= 389"

    def close_button_on_screen() -> None:
        box = page.locator("#sources .drawer-close").bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 844, box
        assert page.evaluate("() => !!document.elementFromPoint(200, 500).closest('#sources-col')")

    bot.locator('sup.ref a[href="#src-1"]').first.click()
    page.wait_for_function(opened)
    page.wait_for_function("() => { const r = document.getElementById('src-1')"
                           ".getBoundingClientRect(); return r.top >= 0 && r.top < 700; }")
    close_button_on_screen()
    w.check("sources-drawer")
    page.keyboard.press("Escape")
    page.wait_for_function(closed)
    bot.locator(".src-toggle").click()
    page.wait_for_function(opened)
    close_button_on_screen()
    page.mouse.click(8, 420)  # outside the drawer
    page.wait_for_function(closed)
    bot.locator(".src-toggle").click()
    page.wait_for_function(opened)
    page.go_back()  # the phone's back gesture
    page.wait_for_function(closed)
    assert page.url.rstrip("/") == w.server.url.rstrip("/")  # still in the app
    page.locator("#tab-chat").wait_for()


def sources_on_desktop(w: Walk, bot) -> None:
    bot.locator('sup.ref a[href="#src-1"]').first.click()
    w.page.wait_for_function("() => { const r = document.getElementById('src-1')"
                             ".getBoundingClientRect(); return r.top >= 0 && r.top < 1000; }")
    w.check("sources")


def dislike(w: Walk, question: str) -> None:
    """👎 cancelled (nothing saved), sent without a reason, then taken back and sent
    again with a reason and a comment."""
    page, lang = w.page, w.lang
    chat = page.locator("#chatbot")
    chat.get_by_role("button", name=gradio("Dislike", lang), exact=True).last.click()
    page.wait_for_selector("#fb-panel", state="visible")
    assert not page.inner_text("#fb-status").strip()  # no "thank you" before anything is sent
    assert w.records(question) == []
    w.check("dislike-form")
    page.click("#fb-cancel")
    page.wait_for_selector("#fb-panel", state="hidden")
    w.wait_text("#fb-status", t("feedback_cancelled", lang))
    chat.get_by_role("button", name=gradio("Dislike", lang), exact=True).last.wait_for()  # not given
    assert w.records(question) == []
    chat.get_by_role("button", name=gradio("Dislike", lang), exact=True).last.click()
    page.wait_for_selector("#fb-panel", state="visible")
    page.click("#fb-send")  # without a reason
    page.wait_for_selector("#fb-panel", state="hidden")
    w.wait_text("#fb-status", t("feedback_saved", lang))
    [record] = w.records(question)
    assert record["rating"] == "down" and record["reason"] is None
    w.check("dislike-sent")


def dislike_with_reason(w: Walk, question: str) -> None:
    page, lang = w.page, w.lang
    chat = page.locator("#chatbot")
    chat.get_by_role("button", name=gradio("Disliked", lang), exact=True).last.click()  # taken back
    w.wait_text("#fb-status", t("feedback_withdrawn", lang))
    assert w.records(question) == []
    chat.get_by_role("button", name=gradio("Dislike", lang), exact=True).last.click()
    page.wait_for_selector("#fb-panel", state="visible")
    page.locator("#fb-reason label").filter(has_text=t("reason_incomplete", lang)).click()
    page.locator("#fb-reason").get_by_label(t("reason_incomplete", lang), exact=True) \
        .wait_for(state="attached")
    page.wait_for_function("() => document.querySelector('#fb-reason input:checked')"
                           "?.value === 'incomplete'")
    page.fill("#fb-comment textarea", "thiếu tên / missing / нет имени")
    page.click("#fb-send")
    page.wait_for_selector("#fb-panel", state="hidden")
    w.wait_text("#fb-status", t("feedback_saved", lang))
    [record] = w.records(question)
    assert record["reason"] == "incomplete" and record["comment"].startswith("thiếu")
    w.check("dislike-with-reason")


def reload_keeps_everything(w: Walk) -> None:
    page = w.page
    page.reload()
    page.wait_for_selector("#app-header .app-header[data-ready]", state="attached")
    page.locator('#chatbot [data-testid="bot"]').first.wait_for()
    # the 👎 sent before the reload still shows as given
    page.locator("#chatbot").get_by_role("button", name=gradio("Disliked", w.lang), exact=True).last.wait_for()
    w.answer_on_screen("after a reload")
    w.check("reloaded")


def sidebar_open(page) -> bool:
    return page.evaluate("document.getElementById('conv-sidebar').getBoundingClientRect().left >= 0")


def toggle_sidebar(page, open_it: bool) -> None:
    page.locator("#conv-sidebar").get_by_role("button").first.click()
    page.wait_for_function("(o) => (document.getElementById('conv-sidebar')"
                           ".getBoundingClientRect().left >= 0) === o", arg=open_it)


def relogin(w: Walk) -> None:
    """Sign out and in again as from another device (nothing kept in the browser but the
    language and sidebar cookies): the last conversation is open, the sidebar as it was."""
    page = w.page
    if not w.phone:
        toggle_sidebar(page, True)
    page.evaluate("localStorage.clear()")
    page.click("#logout-link")
    login(w, "relogin", notice="login_signed_out")
    page.locator('#chatbot [data-testid="bot"]').first.wait_for()
    assert ASKED[w.lang][0][:30] in page.inner_text('#chatbot [data-testid="user"]')
    w.answer_on_screen("after logging in again")
    page.wait_for_timeout(500)
    assert sidebar_open(page) is not w.phone  # as it was left: open on the desktop
    w.check("relogged-in")


def search_conversations(w: Walk) -> None:
    page = w.page
    if not sidebar_open(page):
        toggle_sidebar(page, True)
    question, folded, typed = ASKED[w.lang]
    box = page.locator("#conv-search textarea, #conv-search input").first
    for needle in ("zzz-nothing", folded, typed):
        box.fill(needle)
        if needle.startswith("zzz"):
            page.wait_for_function(
                "(q) => !document.querySelector('#conv-list').innerText.includes(q)",
                arg=question[:20])
        else:
            w.wait_text("#conv-list", question[:20])
    w.check("conversation-search", "#conv-list")
    box.fill("")
    toggle_sidebar(page, False)


def refused_question(w: Walk, turn: int) -> None:
    """A question over the length limit is refused in the interface language."""
    page = w.page
    page.fill("#question textarea", "why? " * 500)
    page.press("#question textarea", "Enter")
    limit = t("err_too_long", w.lang, n="2,500", limit="2,000").split("2,500")[0].strip()
    page.wait_for_function("([x, n]) => { const b = document.querySelectorAll("
                           "'#chatbot [data-testid=bot]'); return b.length > n && "
                           "b[b.length - 1].innerText.includes(x); }", arg=[limit, turn])
    w.check("question-refused")


def documents_dialogs(w: Walk, tmp_path) -> None:
    """Delete asks first (cancelled here); a file of another type is refused."""
    page, lang = w.page, w.lang
    page.click("#delete-btn")  # nothing selected: the status says so
    w.wait_text("#doc-status", t("pick_first", lang))
    page.locator("#doc-select input").click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.click("#delete-btn")
    page.wait_for_selector("#confirm-box", state="visible")
    w.check("document-delete-confirm", "#confirm-box")
    page.click("#confirm-no")
    w.wait_text("#doc-status", t("delete_cancelled", lang))
    bad = tmp_path / "setup.exe"
    bad.write_bytes(b"MZ")
    page.locator("#upload input[type=file]").set_input_files(str(bad))
    page.get_by_text("setup.exe", exact=False).first.wait_for()
    w.check("document-upload-refused")


def search_documents(w: Walk) -> None:
    page, lang = w.page, w.lang
    go_tab(page, "docs", lang)
    page.wait_for_selector("#docs-table .doc-table")
    if w.phone:  # a card per article, not letters stacked in columns
        assert page.locator("#docs-table td.d-title").first.bounding_box()["width"] > 250
    search = page.locator("#doc-search textarea, #doc-search input").first
    rows = "(n) => document.querySelectorAll('#docs-table tbody tr').length === n"
    # two English titles say "Nghe An"; the Vietnamese one begins "Đổi mới"
    for needle, found in (("nghe an", 2), ("NGHỆ AN", 2), ("doi moi", 1), ("Đổi mới", 1)):
        search.fill(needle)
        page.wait_for_function(rows, arg=found)
        if needle == "doi moi":
            w.check("document-search", "#docs-table")
    search.fill("")
    since = page.locator("#doc-since textarea, #doc-since input").first
    since.fill("31/13/2025")
    w.wait_text("#docs-table", t("date_refused", lang, value="31/13/2025")[:25])
    w.check("document-date-refused", "#docs-table")
    since.fill(DOC_SINCE[lang])
    w.wait_text("#docs-table", t("doc_count", lang, shown=4, total=5))
    assert "2025-01-06" not in page.inner_text("#docs-table")
    w.check("document-date", "#docs-table")
    since.fill("")
    w.wait_text("#docs-table", t("doc_count", lang, shown=5, total=5))


def scoped_answer(w: Walk, turn: int) -> None:
    page, lang = w.page, w.lang
    go_tab(page, "chat", lang)
    question, typed = SCOPED[lang]
    page.locator("#scope-box").get_by_text(t("scope", lang)).click()
    page.locator("#scope-since textarea, #scope-since input").first.fill(typed)
    limit = render.scope_words(Scope(since=dt.date(2025, 10, 1)), lang)
    assert {"vi": "tháng 10", "en": "October", "ru": "октября"}[lang] in limit
    w.wait_text("#scope-line", limit)
    bot = w.ask(question, turn)
    assert limit in bot.inner_text()  # the answer says it was limited
    assert set(page.eval_on_selector_all("#sources .src-card", "els => els.map(e => "
                                         "e.getAttribute('data-file'))")) <= {
        "000_20d4f894f796786e.txt", "001_e6db487facfdc269.txt", "003_ed2f08ded523999d.txt"}
    w.check("scoped-answer")
    with page.expect_download() as download:
        page.click("#export-btn")
    text = open(download.value.path(), encoding="utf-8").read()
    assert question in text and limit in text
    page.click("#scope-clear")
    page.wait_for_function("!document.querySelector('#scope-line').innerText.trim()")


def review_export(w: Walk, disliked: str) -> None:
    page, lang = w.page, w.lang
    go_tab(page, "review", lang)
    w.wait_text("#review-table", disliked[:30])
    table = page.inner_text("#review-table")
    assert "**" not in table and "(s)" not in table
    page.click("#review-export")  # nothing selected
    w.wait_text("#review-status", t("review_pick_first", lang))
    page.click("#review-all")
    status = "#review-status .status"  # the line itself, not Gradio's progress over it
    page.wait_for_function(f"() => /\\d/.test(document.querySelector('{status}')?.innerText)")
    picked = int(re.search(r"\d+", page.inner_text(status)).group())
    rows = page.locator("#review-table tbody tr")
    for _ in range(60):  # every item shown is selected
        if rows.count() == picked:
            break
        page.wait_for_timeout(250)
    assert rows.count() == picked, (rows.count(), page.inner_text("#review-status"),
                                    page.inner_text("#review-table")[:30])
    page.click("#review-export")
    page.locator("#review-file a").first.wait_for()
    with page.expect_download() as download:
        page.locator("#review-file a").first.click()
    rows = [json.loads(x) for x in open(download.value.path(), encoding="utf-8") if x.strip()]
    mine = [r for r in rows if r["question"] == disliked]
    assert mine and mine[0]["answerable"] is True and mine[0]["review"]["reason"] == "incomplete"
    for row in rows:  # a "not found" nobody disagreed with is exported as not answerable
        kinds = row["review"]["kinds"]
        if kinds == ["abstained"] or row["review"]["reason"] == "should_abstain":
            assert row["answerable"] is False, row
    w.check("review-exported", "#review-status")


def quality_run(w: Walk) -> None:
    page, lang = w.page, w.lang
    go_tab(page, "eval", lang)
    page.click("#eval-btn")
    w.wait_text("#eval-status", t("eval_done", lang), timeout=120_000)
    summary = page.inner_text("#eval-summary")
    assert t("eval_kpi_correct", lang) in summary and t("eval_kpi_lead", lang) in summary
    assert re.search(r"\d+ %", summary)
    page.wait_for_selector("#chart-languages .chart-row")
    page.wait_for_selector("#chart-confidence .chart-row")
    w.check("quality-run", "#eval-summary")


CASES = [(lang, size) for size in SIZES for lang in ("vi", "en", "ru")]


@pytest.mark.parametrize("walk", CASES, ids=[f"{lang}-{size}" for lang, size in CASES],
                         indirect=True)
def test_a_day_with_the_chat(walk, tmp_path):
    w = walk
    question = ASKED[w.lang][0]
    first_load(w)
    bot = w.ask(question, 0)
    w.check("answered")
    (sources_on_phone if w.phone else sources_on_desktop)(w, bot)
    dislike(w, question)
    reload_keeps_everything(w)
    dislike_with_reason(w, question)
    relogin(w)
    search_conversations(w)
    search_documents(w)
    if not w.phone:  # the dialogs are the same on a phone
        documents_dialogs(w, tmp_path)
    scoped_answer(w, 1)
    if not w.phone:
        refused_question(w, 2)
    review_export(w, question)
    quality_run(w)
    assert not w.problems, "\n".join(w.problems)
