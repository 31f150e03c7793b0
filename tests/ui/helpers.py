"""Helpers for the chat UI tests: starting `rag ui` servers, the questions and
their expected sources, screenshots (into tests/artifacts/)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "ui"  # every browser test saves its screenshots here (gitignored)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT = 90

SEED_FILES = sorted(p.name for p in (ROOT / "seeds").iterdir())
EN_ONLY_002 = "002_3e13fac306d48c8a.txt"
VI_003 = "003_ed2f08ded523999d.txt"
# (language, question, framing, expected cited file, text the answer must contain)
QUESTIONS = [
    ("vi", "Việt Nam đã ký bao nhiêu hiệp định thương mại tự do?", "Theo các bài viết",
     VI_003, "16"),
    ("en", "Who is the Standing Deputy Secretary of the Nghe An Provincial Party Committee?",
     "According to the articles", EN_ONLY_002, "Hoang Nghia Hieu"),
    ("ru", "Сколько делегаций провинция Нгеан приняла в 2024 году?", "Согласно источникам",
     EN_ONLY_002, "delegations"),
]
CROSS_LINGUAL_RU = (
    "Кто является постоянным заместителем секретаря провинциального комитета партии Нгеан?"
)


class Server:
    def __init__(self, proc: subprocess.Popen, url: str, data_dir: Path, log: Path):
        self.proc, self.url, self.data_dir, self.log = proc, url, data_dir, log

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RAG_UI_AUTH", "CHROMA_HOST",
                        "CHROMA_PORT")}
    env.update({"RAG_LLM__MODE": "none", "GRADIO_ANALYTICS_ENABLED": "False",
                "PYTHONUNBUFFERED": "1", **extra})
    return env


def launch_server(data_dir: Path, log: Path, **env: str) -> Server:
    """Start `rag ui` on a free port without waiting for it (see Server.wait_ready)."""
    port = free_port()
    rag = Path(sys.executable).with_name("rag")
    cmd = [str(rag), "ui", "--data-dir", str(data_dir), "--port", str(port)]
    with open(log, "w", encoding="utf-8") as fh:  # the child keeps its own descriptor
        proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(**env), stdout=fh,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return Server(proc, f"http://127.0.0.1:{port}", data_dir, log)


def wait_ready(server: Server, timeout: float = STARTUP_TIMEOUT) -> Server:
    """Wait until the server answers HTTP; fail the test with its log if it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"`rag ui` exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    server.stop()
    pytest.fail(f"`rag ui` did not answer on {server.url} within {timeout:.0f} s:\n"
                f"{server.log_tail()}")


def app_state(server: Server, database_url: str | None = None):
    """The app database a server uses (opened from the test process: SQLite in its data
    folder, or the PostgreSQL URL it was given)."""
    from pydantic import SecretStr

    from rag.state import open_state
    from tests.conftest import make_settings

    settings = make_settings(server.data_dir)
    if database_url:
        settings.database_url = SecretStr(database_url)
    return open_state(settings)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# -- finding English left in a localised page ----------------------------------------------
# Words of the interface that would give away an untranslated English string. Article
# content (titles, quotes, answers, file names) is marked translate="no" by the UI and
# skipped, as are the chat messages and the language selector's endonyms.
ENGLISH_WORDS = frozenset("""
the and or of to in on for with from by here click drop file files upload uploading copy
copied message like dislike login username password incorrect credentials loading error
warning info success clear submit cancel settings api built gradio complete remove download
search language languages document documents answer answers question questions sources
source retry undo edit show hide toggle sidebar close open select selected new chat evidence
strong weak partial conversation conversations delete refresh index ask type press enter
limit until published run quality check report reports review title date passages full text
nothing saved feedback helpful not rename name yes is are was this that empty mode offline
quotes model all any reason comment optional send other wrong incomplete found export items
what when who processing queue waiting exceed maximum allowed size invalid only relevance
translations article articles also cited list use via more less previous next page done
""".split())

_COLLECT_JS = """
() => {
  const out = [];
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const st = getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  // technical names of measures are tooltips by design (the quality tab)
  const TECHNICAL = '.tech-tip';
  const CONTENT = '[translate="no"], script, style, textarea, #lang-select label, ' +
    '#chatbot .message-content, #chatbot [data-testid="bot"] .md, ' +
    '#chatbot [data-testid="user"] .md, #conv-list label, .token, ul.options, [role="listbox"]';
  const skip = (el) => !el || el.closest(CONTENT);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const text = n.nodeValue.trim();
    if (text && !skip(n.parentElement) && shown(n.parentElement)) out.push(['text', text]);
  }
  document.querySelectorAll('[aria-label], [title], [placeholder]').forEach((el) => {
    if (skip(el) || !shown(el)) return;
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (a === 'title' && el.matches(TECHNICAL)) continue;
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push([a, v.trim()]);
    }
  });
  const content = [];  // user content: chat messages, article text, examples
  document.querySelectorAll('#chatbot [data-testid="bot"], #chatbot [data-testid="user"], ' +
      '[translate="no"], #chatbot button, #conv-list label').forEach((el) => {
    if (el.innerText && el.innerText.trim()) content.push(el.innerText.trim());
  });
  return {strings: out, content: content};
}
"""


def _without_content(text: str, content: list[str]) -> str:
    """The text with user content taken out: an aria-label like "bot's message: <the
    answer, cut short>" keeps only its own words."""
    def norm(value: str) -> str:
        return re.sub(r"\W+", "", value).casefold()

    flat = [norm(c) for c in content]
    head, sep, tail = text.partition(": ")
    if sep and norm(tail) and any(norm(tail)[:40] in c for c in flat):
        return head
    return "" if norm(text) and any(norm(text) in c for c in flat) else text


_FILE_NAME = re.compile(r"[\w.\-]+\.(?:txt|md|html?|pdf|docx|jsonl)\b", re.IGNORECASE)


def _leftovers(page, offending, extra_content: tuple[str, ...] = ()) -> list[str]:
    found = []
    data = page.evaluate(_COLLECT_JS)
    content = [*data["content"], *extra_content]
    for kind, text in data["strings"]:
        own = _FILE_NAME.sub(" ", _without_content(text, content))  # file names are content
        words = {w.lower() for w in re.findall(r"[^\W\d_]{2,}", own)}
        if offending(words):
            found.append(f"{kind}: {text[:120]}")
    return sorted(set(found))


def _label_words(lang: str) -> set[str]:
    from ui.i18n import LABELS
    from ui.strings.frontend import TEXTS

    texts = []
    for entry in LABELS.values():
        value = entry[lang]
        texts.extend(value.values() if isinstance(value, dict) else [value])
    texts += [v[lang] for v in TEXTS.values() if lang in v] if lang != "en" else list(TEXTS)
    return {w.lower() for text in texts for w in re.findall(r"[^\W\d_]+", re.sub(r"{\w+}", " ", text))}


def forbidden_words(lang: str) -> frozenset[str]:
    """The words that must not show in an interface in `lang`: the words of the other
    two languages' interface strings that `lang`'s own strings never use (so "FDI",
    "MB" or "Word" are not counted), plus, for vi and ru, the English UI words."""
    own = _label_words(lang)
    others = set().union(*(_label_words(x) for x in ("vi", "en", "ru") if x != lang))
    extra = ENGLISH_WORDS if lang != "en" else frozenset()
    return frozenset((others | extra) - own - {"x"})


def foreign_strings(page, lang: str, extra_content: tuple[str, ...] = ()) -> list[str]:
    """Visible interface strings with a word of another language than `lang`."""
    bad = forbidden_words(lang)
    return _leftovers(page, lambda words: words & bad, extra_content)


_ANSWER_LINE_JS = """
() => {
  const bots = document.querySelectorAll('#chatbot [data-testid="bot"]');
  if (!bots.length) return {ok: false, why: 'no answer'};
  const bot = bots[bots.length - 1];
  const first = bot.querySelector('.md > :first-child') || bot;
  const r = first.getBoundingClientRect();
  let box = null;
  for (let p = bot.parentElement; p; p = p.parentElement) {
    const st = getComputedStyle(p);
    if (/(auto|scroll)/.test(st.overflowY) && p.scrollHeight > p.clientHeight + 1) { box = p; break; }
  }
  const view = box ? box.getBoundingClientRect() : {top: 0, bottom: window.innerHeight};
  const top = Math.max(0, view.top), bottom = Math.min(window.innerHeight, view.bottom);
  const line = Math.min(r.height, 40);  // the first line of the answer
  return {ok: r.top >= top - 1 && r.top + line <= bottom + 1, top: r.top, view: [top, bottom],
          text: first.innerText.slice(0, 80)};
}
"""


def answer_line_in_view(page) -> dict:
    """Whether the first line of the newest answer is on screen, inside the chat."""
    return page.evaluate(_ANSWER_LINE_JS)


# -- driving the app -----------------------------------------------------------------------
ANSWER_TIMEOUT = 60_000
ENDONYMS = {"vi": "Tiếng Việt", "en": "English", "ru": "Русский"}
TAB_KEYS = {"chat": "tab_chat", "docs": "tab_docs", "review": "tab_review", "eval": "tab_eval"}


def open_app(page, url: str) -> None:
    """Load the page and wait until the first redraw (language, conversation) is done."""
    page.goto(url + "/")
    page.wait_for_selector("#question textarea")
    page.wait_for_selector("#app-header .app-header[data-ready]", state="attached")


def pick_language(page, lang: str) -> None:
    """Choose vi/en/ru in the selector; waits for the interface to be redrawn in it."""
    page.locator("#lang-select").get_by_label(ENDONYMS[lang], exact=True).check()
    page.wait_for_selector(f'#app-header .app-header[lang="{lang}"]', state="attached")
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    page.wait_for_timeout(300)  # the swap of Gradio's own strings runs after redraws


def go_tab(page, tab: str, lang: str = "en") -> None:
    """Open a tab, through the "more tabs" menu when it does not fit (phones)."""
    from ui.i18n import t

    button = page.locator(f"#tab-{tab}-button")
    if button.count() and button.is_visible():
        button.click()
    else:
        page.locator('button[data-nr-aria-label="More tabs"], button[aria-label="More tabs"]') \
            .first.click()
        page.get_by_role("button", name=t(TAB_KEYS[tab], lang), exact=True).last.click()
    page.wait_for_selector(f"#tab-{tab}", state="visible")


def ask(page, question: str, turn: int = 0):
    """Type a question, press Enter, wait for the finished answer; its bot message."""
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_selector(
        f'#sources .sources-panel[data-turn="{turn}"] :is(.src-card, .notice)',
        timeout=ANSWER_TIMEOUT, state="attached",
    )
    bot = page.locator('#chatbot [data-testid="bot"]').nth(turn)
    bot.wait_for()
    return bot


def cited_files(page) -> list[str]:
    return page.eval_on_selector_all(
        "#sources .src-card", "els => els.map(e => e.getAttribute('data-file'))")


def upload_article(page, path: Path) -> None:
    """On the Documents tab: add one file and wait until it is indexed."""
    page.locator("#upload input[type=file]").set_input_files(str(path))
    page.wait_for_function("([name]) => document.querySelector('#upload').innerText"
                           ".includes(name)", arg=[path.stem])
    page.click("#ingest-btn")
    page.wait_for_function("document.querySelector('#ingest-status').innerText"
                           ".includes('Indexed')", timeout=90_000)


def select_document(page, needle: str) -> None:
    """On the Documents tab: pick the article whose label holds `needle`."""
    combo = page.locator("#doc-select input")
    combo.click()
    combo.fill(needle)
    page.get_by_role("option", name=needle, exact=False).first.click()
    page.keyboard.press("Escape")


def delete_document(page, name: str) -> None:
    """On the Documents tab: pick the article whose label holds `name`, delete, confirm."""
    select_document(page, name)
    page.click("#delete-btn")
    page.click("#confirm-yes")
