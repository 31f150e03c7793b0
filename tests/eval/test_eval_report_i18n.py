"""report.md / report.html in vi, en and ru: plain-language summary on top, metric
names explained, technical tables below, confidence, held-out part, cross-language
tables, a short page (details collapsed), no words broken letter by letter."""

from __future__ import annotations

import json
import re

import pytest

from eval.metrics import score_answer
from eval.report import build_report, check_language, write_report
from eval.report.i18n import REPORT_LANGUAGES, metrics, strings
from rag.schema import Confidence

EN_DOC, VI_DOC = "000_20d4f894f796786e.txt", "003_ed2f08ded523999d.txt"
DOC_LANGS = {EN_DOC: "en", VI_DOC: "vi", "004_9d8066d37870cffc.txt": "en"}
ENGLISH_SECTION_TITLES = [v for k, v in strings("en").items() if k.startswith("sec.")]


@pytest.fixture
def report(mk):
    """3 answerable (2 correct, 1 refused) + 3 unanswerable (2 still answered), a
    held-out part, confidence levels, an English and a Vietnamese gold article."""
    strong = Confidence(level="strong", reason_code="span_in_quote", score=0.9)
    weak = Confidence(level="weak", reason_code="no_span", score=0.2)
    rows = [
        (mk.question("en-1", "en", sources=[EN_DOC]),
         mk.answer(text="16 [1]", retrieved=[EN_DOC], cited=[EN_DOC]), strong),
        (mk.question("ru-1", "ru", sources=[VI_DOC], split="holdout"),
         mk.answer(text="16 [1]", retrieved=[mk.OTHER, VI_DOC], cited=[VI_DOC]), strong),
        (mk.question("vi-1", "vi", sources=[EN_DOC]),
         mk.answer(text="Không có.", abstained=True, retrieved=[EN_DOC]), None),
        (mk.question("en-2", "en", answerable=False),
         mk.answer(text="Something [1]", retrieved=[mk.OTHER], cited=[mk.OTHER]), weak),
        (mk.question("vi-2", "vi", answerable=False, split="holdout"),
         mk.answer(text="Gì đó [1]", retrieved=[mk.OTHER], cited=[mk.OTHER]), weak),
        (mk.question("ru-2", "ru", answerable=False),
         mk.answer(text="Нет ответа.", abstained=True, retrieved=[mk.OTHER]), None),
    ]
    records = []
    for q, a, conf in rows:
        a.confidence = conf
        if q.id == "ru-1":
            a.retrieved[1].language = "vi"
        records.append(score_answer(q, a, detect=lambda t, lang=q.language: lang,
                                    doc_languages=DOC_LANGS))
    return build_report(records, {"mode": "extractive", "retriever": "hybrid", "top_k": 5,
                                  "embedding": "multilingual-e5-small", "date": "2025-01-01"})


def _page(report, tmp_path, lang):
    paths = write_report(report, tmp_path / lang, lang=lang, plots=False)
    return paths["html"].read_text("utf-8"), paths["md"].read_text("utf-8"), paths


def test_plain_summary_first__in_english(report, tmp_path):
    page, md, _ = _page(report, tmp_path, "en")
    summary = md.split("## Headline metrics")[0]
    assert "## In short" in summary
    assert "67% of answerable questions answered correctly (2 of 3)." in summary
    assert "2 of 3 unanswerable questions still got an answer" in summary
    assert "1 of 3 answerable questions were refused although the articles hold the answer." in summary
    assert "Held-out part (2 questions, never used for tuning): 100% answered correctly; " \
           "1 of 1 unanswerable still answered; 0 of 1 answerable refused." in summary
    assert "Share correct by confidence level: strong 100% (2), weak 0% (2)." in summary
    # the summary comes before the technical tables in the page too
    assert page.index("In short") < page.index("Headline metrics") < page.index("hit@1")


@pytest.mark.parametrize(("lang", "title", "sentence"), [
    ("vi", "Báo cáo đánh giá hệ thống hỏi đáp",
     "2 trên 3 câu không có đáp án vẫn nhận được câu trả lời"),
    ("ru", "Отчёт об оценке системы вопросов и ответов",
     "2 из 3 вопросов без ответа всё равно получили ответ"),
])
def test_report_localised__vi_and_ru(report, tmp_path, lang, title, sentence):
    page, md, paths = _page(report, tmp_path, lang)
    assert f"<html lang='{lang}'>" in page
    assert f"<h1>{title}</h1>" in page and md.startswith(f"# {title}")
    for text in (page, md):
        assert sentence in text
        for english in ENGLISH_SECTION_TITLES:
            assert english not in text, english
        for label, _ in metrics(lang).values():  # every metric named in this language
            assert label in text
        assert "66,7%" in text  # decimal comma
    # report.json is never translated
    assert json.loads(paths["json"].read_text("utf-8"))["summary"]["n"] == 6


def test_metric_explanations_in_plain_words_in_every_language(report, tmp_path):
    for lang in ("en", "vi", "ru"):
        page, _, _ = _page(report, tmp_path, lang)
        for label, explanation in metrics(lang).values():
            assert f"{label}: {explanation}" in page.replace("&#x27;", "'")


def test_confidence_table_and_missing_confidence(report, tmp_path, mk):
    page, _, _ = _page(report, tmp_path, "vi")
    assert "Độ tin cậy của câu trả lời" in page
    assert re.search(r"<td>chắc chắn</td><td class=num>2</td>.*?<td class=num>100,0%</td>", page)
    assert "<div class=small>độ tin cậy: yếu</div>" in page  # per question, in the listing
    plain = build_report([score_answer(mk.question("x", "en"), mk.answer(text="16"),
                                       detect=lambda t: "en")], {})
    page, _, _ = _page(plain, tmp_path / "plain", "en")
    assert "The engine reported no confidence level for these answers." in page


def test_cross_language_tables_and_bias_in_both_formats(report, tmp_path):
    page, md, _ = _page(report, tmp_path, "en")
    for text in (page, md):
        assert "By question language and article language" in text
        assert "answerable questions refused (false abstention)" in text
        assert "Language bias" in text
    # ru question about a Vietnamese article: one question, found second
    cells = report["cross_language"]["cells"]
    assert cells["ru"]["vi"]["n"] == 1 and cells["ru"]["vi"]["mrr"] == 0.5


def test_page_is_short__details_collapsed_and_listing_capped(mk, tmp_path):
    qs = [mk.question(f"en-{i}", "en") for i in range(400)]
    recs = [score_answer(q, mk.answer(text="no"), detect=lambda t: "en") for q in qs]
    page, md, paths = _page(build_report(recs, {}), tmp_path, "en")
    assert "<details id=questions><summary>" in page
    assert page.count("<tr class='fail'") == 200
    assert "Only the first 200 of 400 are listed here; every question is in report.json." in page
    assert len(json.loads(paths["json"].read_text("utf-8"))["questions"]) == 400


def test_css_never_breaks_words_letter_by_letter(report, tmp_path):
    page, _, _ = _page(report, tmp_path, "en")
    css = page[page.index("<style>"):page.index("</style>")]
    assert "break-all" not in css and "anywhere" not in css
    assert "word-break:normal" in css and ".scroll{overflow-x:auto" in css


def test_unknown_report_language_is_refused(report, tmp_path):
    with pytest.raises(ValueError, match="en, vi, ru"):
        check_language("fr")
    with pytest.raises(ValueError):
        write_report(report, tmp_path, lang="de")


def test_locales__every_language_has_every_key_and_placeholder():
    english = strings("en")
    for lang in REPORT_LANGUAGES:
        table = strings(lang)
        assert set(table) == set(english), lang
        for key, text in table.items():
            assert set(re.findall(r"{(\\w+)}", text)) == set(re.findall(r"{(\\w+)}", english[key])), key
        assert set(metrics(lang)) == set(metrics("en"))
        if lang != "en":  # translated, not copied
            same = [k for k, v in table.items() if v == english[k] and re.search(r"[a-z]{4}", v)]
            assert same == [], (lang, same)
