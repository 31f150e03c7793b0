"""Document language of a question, the question x document language table, the
language-bias figure, false abstention, held-out split and confidence summaries."""

from __future__ import annotations

import pytest

from eval import metrics as m
from eval.report import build_report
from rag.schema import Confidence

VI_DOC, EN_DOC, RU_DOC = "a_vi.txt", "b_en.txt", "c_ru.txt"
DOC_LANGS = {VI_DOC: "vi", EN_DOC: "en", RU_DOC: "ru"}


def _answer(mk, retrieved, *, abstained=False, text="16 [1]", confidence=None):
    a = mk.answer(text=text, retrieved=[f for f, _ in retrieved],
                  cited=[] if abstained else [retrieved[0][0]], abstained=abstained)
    for p, (_, lang) in zip(a.retrieved, retrieved, strict=True):
        p.language = lang
    a.confidence = confidence
    return a


def _record(mk, qid, lang, sources, retrieved, **kw):
    q = mk.question(qid, lang, sources=sources, split=kw.pop("split", "tune"))
    return m.score_answer(q, _answer(mk, retrieved, **kw), detect=lambda t: lang,
                          doc_languages=DOC_LANGS)


def test_document_language__single_parallel_unknown():
    assert m.document_language([EN_DOC], DOC_LANGS) == "en"
    assert m.document_language([EN_DOC, VI_DOC], DOC_LANGS) == m.PARALLEL
    assert m.document_language(["missing.txt"], DOC_LANGS) is None
    assert m.document_language([], DOC_LANGS) is None


@pytest.mark.parametrize(("passages", "expected"), [
    ([("vi", False), ("en", True)], True),      # wrong own-language passage first
    ([("en", True), ("vi", False)], False),     # right one first
    ([("ru", False), ("en", True)], False),     # a wrong passage, but not in the question's language
    ([("ru", False), ("vi", False)], True),     # gold never retrieved, own-language wrong one was
    ([], False),
])
def test_own_language_above_gold(passages, expected):
    ps = [{"language": lang, "gold": gold} for lang, gold in passages]
    assert m.own_language_above_gold("vi", ps) is expected


def test_score_answer__records_source_languages_and_document_language(mk):
    r = _record(mk, "vi-1", "vi", [EN_DOC], [(VI_DOC, "vi"), (EN_DOC, "en")])
    assert r["retrieved_sources"] == [VI_DOC, EN_DOC]
    assert r["retrieved_source_languages"] == ["vi", "en"]
    assert r["document_language"] == "en" and r["gold_languages"] == ["en"]
    assert r["own_language_above_gold"] is True and r["first_gold_rank"] == 2
    # the question's own language among the gold languages: not eligible for the bias figure
    same = _record(mk, "vi-2", "vi", [VI_DOC, EN_DOC], [(VI_DOC, "vi")])
    assert same["document_language"] == m.PARALLEL and same["own_language_above_gold"] is None


@pytest.fixture
def records(mk):
    return [
        _record(mk, "en-1", "en", [EN_DOC], [(EN_DOC, "en")]),                       # hit
        _record(mk, "en-2", "en", [VI_DOC], [(EN_DOC, "en"), (VI_DOC, "vi")]),       # biased
        _record(mk, "en-3", "en", [VI_DOC], [(VI_DOC, "vi")], abstained=True,        # refused
                split="holdout"),
        _record(mk, "vi-1", "vi", [EN_DOC], [(EN_DOC, "en"), (VI_DOC, "vi")],
                split="holdout"),                                                   # not biased
        _record(mk, "ru-1", "ru", [EN_DOC, RU_DOC], [(RU_DOC, "ru")]),              # parallel
        m.score_answer(mk.question("ru-2", "ru", answerable=False),
                       _answer(mk, [(RU_DOC, "ru")], abstained=True), detect=lambda t: "ru"),
    ]


def test_cross_language_table__cells_per_question_and_document_language(records):
    t = m.cross_language_table(records)
    assert t["rows"] == ["vi", "en", "ru"]
    assert t["columns"] == ["vi", "en", m.PARALLEL]  # parallel always last, unanswerables out
    en_vi = t["cells"]["en"]["vi"]
    assert en_vi["n"] == 2 and en_vi["hit_at_1"] == 0.5 and en_vi["mrr"] == pytest.approx(0.75)
    assert en_vi["correct"] == 0.5 and en_vi["false_abstention"] == 0.5
    assert t["cells"]["en"]["en"] == {"n": 1, "hit_at_1": 1.0, "mrr": 1.0, "correct": 1.0,
                                      "false_abstention": 0.0}
    assert t["cells"]["ru"][m.PARALLEL]["n"] == 1
    assert t["cells"]["vi"]["vi"]["n"] == 0 and t["cells"]["vi"]["vi"]["hit_at_1"] is None


def test_language_bias__share_of_eligible_questions_outranked(records):
    bias = m.language_bias(records)
    # eligible: en-2, en-3 (en about vi) and vi-1 (vi about en); en-2 outranked
    assert (bias["n"], bias["n_outranked"]) == (3, 1)
    assert bias["rate"] == pytest.approx(1 / 3)
    assert bias["by_pair"]["en→vi"] == {"n": 2, "n_outranked": 1, "rate": 0.5}
    assert bias["by_pair"]["vi→en"]["n_outranked"] == 0


def test_summary__false_abstention_counts_refused_answerable_questions(records):
    s = m.summarize(records)
    assert s["abstain"]["false_abstention"] == pytest.approx(1 / 5)
    assert s["abstain"]["n_false_abstained"] == 1
    assert s["abstain"]["n_unanswerable_answered"] == 0
    assert m.false_abstention_rate([], []) is None
    assert m.false_abstention_rate([True, False], [False, True]) == 0.0


def test_summary_by_split__tune_and_holdout(records):
    by_split = m.summarize_by_split(records)
    assert list(by_split) == ["tune", "holdout"]
    assert by_split["holdout"]["n"] == 2 and by_split["tune"]["n"] == 4
    assert by_split["holdout"]["abstain"]["false_abstention"] == 0.5
    # a record without a split counts as tune
    assert list(m.summarize_by_split([{**records[0], "split": None}])) == ["tune"]


def test_confidence__distribution_and_share_correct_per_level(mk):
    strong = Confidence(level="strong", reason_code="span_in_quote", score=0.9)
    weak = Confidence(level="weak", reason_code="weak_match", score=0.1)
    recs = [
        _record(mk, "a", "en", [EN_DOC], [(EN_DOC, "en")], confidence=strong),
        _record(mk, "b", "en", [EN_DOC], [(EN_DOC, "en")], confidence=strong, text="no [1]"),
        _record(mk, "c", "en", [EN_DOC], [(VI_DOC, "vi")], confidence=weak, text="x [1]"),
        _record(mk, "d", "en", [EN_DOC], [(EN_DOC, "en")]),  # no confidence
    ]
    assert recs[0]["confidence"]["level"] == "strong"
    c = m.summarize_confidence(recs)
    assert c["computed"] and c["n"] == 3 and c["n_missing"] == 1
    assert list(c["levels"]) == ["strong", "weak"]
    assert c["levels"]["strong"] == {"n": 2, "share": pytest.approx(2 / 3), "correct": 0.5,
                                     "n_correct": 1, "n_answerable": 2, "lead_precision": None,
                                     "n_leads_given": 0}
    assert c["levels"]["weak"]["correct"] == 0.0
    assert m.summarize_confidence(recs[3:]) == {
        "computed": False, "reason": "the engine reports no confidence"}


def test_build_report__carries_splits_cross_table_and_bias(records):
    report = build_report(records, {"mode": "extractive"})
    assert set(report["by_split"]) == {"tune", "holdout"}
    assert report["cross_language"]["cells"]["en"]["vi"]["n"] == 2
    assert report["language_bias"]["n"] == 3
    assert set(report["by_split"]["tune"]) == set(report["summary"])


def test_check_thresholds__maximum_for_false_abstention():
    summary = {"abstain": {"false_abstention": 0.2}}
    assert m.check_thresholds(summary, {}, {"abstain.false_abstention": 0.1}) == [
        "abstain.false_abstention = 0.2000 is above the maximum 0.1"]
    assert m.check_thresholds(summary, {}, {"abstain.false_abstention": 0.25}) == []
