"""report.json shape (the contract), report.md and the self-contained report.html."""

from __future__ import annotations

import base64
import json
import re

import pytest

from eval.metrics import score_answer
from eval.report import build_report, load_report, ordered_questions, write_report
from eval.report.i18n import tr

SUMMARY_KEYS = {
    "n", "n_answerable", "n_unanswerable", "retrieval", "answer", "abstain", "latency_ms", "tokens",
}
NESTED = {
    "retrieval": {"hit_at_1", "hit_at_3", "hit_at_5", "mrr"},
    "answer": {"correct", "citation_valid", "cited_gold", "language_match"},
    "abstain": {"precision", "recall"},
    "latency_ms": {"p50", "p95"},
    "tokens": {"prompt", "completion"},
}
QUESTION_KEYS = {
    "id", "language", "question", "answer_text", "answer_language", "abstained",
    "retrieved_sources", "first_gold_rank", "cited_sources", "correct", "citation_valid",
    "latency_ms",
}
CONFIG_KEYS = {"mode", "llm_model", "embedding", "retriever", "top_k", "questions_file"}


def _config(**kw):
    cfg = {
        "mode": "extractive", "llm_model": None, "embedding": "multilingual-e5-small",
        "retriever": "hybrid", "top_k": 5, "questions_file": "eval/questions/en.jsonl",
        "chunk_size": 256,
        "corpus_fingerprint": "abc", "git_commit": None, "date": "2025-01-01T00:00:00+00:00",
    }
    cfg.update(kw)
    return cfg


@pytest.fixture
def report(synthetic):
    questions, answers = synthetic
    # real language detection
    records = [score_answer(q, a) for q, a in zip(questions, answers, strict=True)]
    return build_report(records, _config())


def _check_summary(s):
    assert SUMMARY_KEYS <= set(s)
    for key, sub in NESTED.items():
        assert sub <= set(s[key]), key
    for key in ("n", "n_answerable", "n_unanswerable"):
        assert isinstance(s[key], int)
    assert isinstance(s["tokens"]["prompt"], int) and isinstance(s["tokens"]["completion"], int)


def test_report_json__has_every_contract_key(report, tmp_path):
    write_report(report, tmp_path)
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {"config", "summary", "by_language", "questions"} <= set(data)
    assert CONFIG_KEYS <= set(data["config"])
    _check_summary(data["summary"])
    assert set(data["by_language"]) == {"vi", "en", "ru"}
    for lang_summary in data["by_language"].values():
        _check_summary(lang_summary)
        # same keys as summary
        assert set(lang_summary) == set(data["summary"])
    assert len(data["questions"]) == 6
    for q in data["questions"]:
        assert QUESTION_KEYS <= set(q)
        assert q["language"] in {"vi", "en", "ru"}
        assert isinstance(q["retrieved_sources"], list) and isinstance(q["cited_sources"], list)
    # real language detection on the synthetic answers
    assert data["summary"]["answer"]["language_match"] == 1.0
    assert data["summary"]["llm_judged"] == {"computed": False, "reason": "no LLM configured"}
    assert load_report(tmp_path)["summary"] == data["summary"]


def test_report_json__unicode_kept_readable(report, tmp_path):
    write_report(report, tmp_path)
    raw = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert "Việt Nam" in raw


def test_report_html__self_contained(report, tmp_path):
    paths = write_report(report, tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    # metrics by language, latency, gold rank, and the question x document language map
    assert page.count("data:image/png;base64,") == 4
    for b64 in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page):
        assert base64.b64decode(b64).startswith(b"\x89PNG")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "not computed: no LLM configured" in page
    # configuration shown
    for text in ("extractive", "multilingual-e5-small", "hybrid", "256", "abc"):
        assert text in page
    # failures first: en-2 (wrong) comes before en-1 (correct)
    assert page.index("q-en-2") < page.index("q-en-1")
    # retrieved passages shown for failures
    assert "retrieved passages" in page


def test_report_html__escapes_answer_text(synthetic, mk, tmp_path):
    questions, _ = synthetic
    a = mk.answer(
        text='<img src="https://evil.example/x.png"> 16 [1]',
        retrieved=[mk.GOLD[0]], cited=[mk.GOLD[0]],
    )
    rep = build_report([score_answer(questions[0], a, detect=lambda t: "en")], _config())
    page = write_report(rep, tmp_path)["html"].read_text(encoding="utf-8")
    assert '<img src="https://evil' not in page
    assert "&lt;img src=&quot;https://evil" in page


def test_report_md_and_plots_written(report, tmp_path):
    paths = write_report(report, tmp_path)
    md = paths["md"].read_text(encoding="utf-8")
    assert "## Headline metrics" in md
    assert "| right article first (hit@1) |" in md
    assert "not computed: no LLM configured" in md
    assert "Why they failed" in md
    for name in ("metrics_by_language", "latency_histogram", "gold_rank", "cross_language"):
        assert (tmp_path / "plots" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert f"plots/{name}.png" in md


def test_ordered_questions__failures_first():
    qs = [
        {"id": "a", "correct": True, "failed": False},
        {"id": "b", "correct": True, "failed": True},
        {"id": "c", "correct": False, "failed": True},
        {"id": "d", "correct": False, "failed": True},
    ]
    assert [q["id"] for q in ordered_questions(qs)] == ["c", "d", "b", "a"]


def test_report__cost_shown_only_when_priced(synthetic, tmp_path, mk):
    questions, _ = synthetic
    a = mk.answer(text="16 [1]", mode="llm", retrieved=[mk.GOLD[0]], cited=[mk.GOLD[0]],
                  prompt_tokens=1_000_000, completion_tokens=100_000)
    rec = [score_answer(questions[0], a, detect=lambda t: "en")]
    cfg = _config(
        mode="llm", llm_model="gpt-4o-mini", price_prompt_per_1m=0.15, price_completion_per_1m=0.6
    )
    priced = build_report(rec, cfg)
    assert priced["summary"]["cost_usd"] == pytest.approx(0.21)
    md = write_report(priced, tmp_path / "p")["md"].read_text(encoding="utf-8")
    assert "Estimated cost" in md
    unpriced = build_report(rec, _config())
    assert unpriced["summary"]["cost_usd"] is None
    md = write_report(unpriced, tmp_path / "u")["md"].read_text(encoding="utf-8")
    assert "Estimated cost" not in md


@pytest.mark.parametrize("lang", ["vi", "ru"])
def test_report_html__in_vietnamese_and_russian_says_no_english(report, tmp_path, lang):
    """Issue 30: 'no LLM configured', 'parallel' and the technical names (hit@1, MRR)
    were English in a vi/ru report; the technical names are tooltips now."""
    page = write_report(report, tmp_path, lang=lang)["html"].read_text(encoding="utf-8")
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>|title='[^']*'", " ", page))
    # the glossary ("what the numbers mean") is where the technical names are explained
    before_glossary = shown.split(tr(lang)("sec.glossary"))[0]
    for english in ("no LLM configured", "parallel", "hit@1", "MRR"):
        assert english not in before_glossary, english
    assert "title='hit@1'" in page and "title='MRR'" in page
    assert tr(lang)("judged.no_llm") in page and tr(lang)("col.parallel") in page


def test_report__lead_precision_beside_correct(report, tmp_path):
    paths = write_report(report, tmp_path)
    md = paths["md"].read_text(encoding="utf-8")
    correct, lead = md.index("| answered correctly |"), md.index("| share of bold answer lines")
    assert correct < lead and md[correct:lead].count("\n") == 1  # the next row
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert {"lead_precision", "n_leads_given", "n_leads_right"} <= set(data["summary"]["answer"])
