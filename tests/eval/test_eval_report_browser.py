"""report.html in Debian's Chromium at phone and desktop width: no word in any table
cell is broken across lines (breaking at a hyphen is allowed), and the page itself never scrolls sideways (wide tables
scroll inside their own box)."""

from __future__ import annotations

import pytest

from eval.metrics import score_answer
from eval.report import build_report, write_report
from tests.ui.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
SCREENSHOTS = ARTIFACTS / "eval"  # gitignored; for a person to look at

BROKEN_WORDS_JS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (!node.parentElement.closest('td,th')) continue;
    const re = /[^\\s\\-]+/g; let m;  // a break at a hyphen is ordinary typesetting
    while ((m = re.exec(node.textContent))) {
      if (m[0].length < 2) continue;
      const r = document.createRange();
      r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0)
                                .map(x => Math.round(x.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return {broken, pageWidth: document.documentElement.scrollWidth, view: window.innerWidth};
}"""


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        yield driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    finally:
        driver.stop()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A report in each language with long words (file names, Russian compounds)."""
    from tests.eval.conftest import GOLD, OTHER, make_answer, make_question

    out = {}
    questions = [
        make_question("ru-1", "ru", question="Сколько соглашений о свободной торговле "
                      "(ССТ) подписал Вьетнам с другими государствами-партнёрами?"),
        make_question("vi-1", "vi", question="Việt Nam đã ký kết tổng cộng bao nhiêu hiệp định "
                      "thương mại tự do với các nước?"),
        make_question("en-1", "en", answerable=False),
    ]
    answers = [
        make_answer(text="Экономическая дипломатия: подписание 16 соглашений [1]",
                    retrieved=[OTHER, GOLD[0]], cited=[GOLD[0]]),
        make_answer(text="Không có thông tin.", abstained=True, retrieved=[OTHER]),
        make_answer(text="Internationalisation-related counterparts [1]", retrieved=[OTHER],
                    cited=[OTHER]),
    ]
    records = [score_answer(q, a, detect=lambda t, lang=q.language: lang)
               for q, a in zip(questions, answers, strict=True)]
    report = build_report(records, {"mode": "extractive", "retriever": "hybrid",
                                    "corpus_fingerprint": "0123456789abcdef"})
    for lang in ("en", "vi", "ru"):
        out[lang] = write_report(report, tmp_path_factory.mktemp(lang), lang=lang)["html"]
    return out


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("lang", ["en", "vi", "ru"])
def test_report_html__no_word_broken_and_no_sideways_scroll(chromium, pages, lang, width):
    context = chromium.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(pages[lang].as_uri())
        assert page.get_attribute("html", "lang") == lang
        result = page.evaluate(BROKEN_WORDS_JS)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"report-{lang}-{width}.png"), full_page=True)
    finally:
        context.close()
    assert result["broken"] == [], f"words broken across lines: {result['broken'][:10]}"
    assert result["pageWidth"] <= result["view"] + 1, "the page scrolls sideways"
