"""Metric definitions of EVAL_FORMAT.md, without an engine."""

from __future__ import annotations

import pytest

from eval import metrics as m


# ---------------------------------------------------------------- must_include
def test_must_include__case_insensitive():
    assert m.satisfies_must_include("Vietnam signed SIXTEEN deals", [["sixteen"]])


def test_must_include__every_group_needs_one_alternative():
    groups = [
        ["Nguyen Dong Trung", "Nguyễn Đồng Trung"],
        ["Deputy Director", "Phó Cục trưởng"],
    ]
    assert m.satisfies_must_include("Nguyễn Đồng Trung, Phó Cục trưởng", groups)
    assert not m.satisfies_must_include("Nguyễn Đồng Trung spoke", groups)
    assert m.missing_groups("Nguyễn Đồng Trung spoke", groups) == [groups[1]]


def test_must_include__unicode_nfc_vs_nfd():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Phó Cục trưởng")
    assert nfd != "Phó Cục trưởng"
    assert m.satisfies_must_include(f"ông là {nfd} Bộ Ngoại giao", [["Phó Cục trưởng"]])
    assert m.satisfies_must_include("ông là Phó Cục trưởng", [[nfd]])


def test_must_include__decimal_comma_equals_dot_both_ways():
    assert m.satisfies_must_include("growth of 1,75% in 2024", [["1.75"]])
    assert m.satisfies_must_include("growth of 1.75% in 2024", [["1,75"]])
    # a comma that is not between digits is left alone
    assert not m.satisfies_must_include("items 1, 75 more", [["1.75"]])


def test_must_include__cyrillic_case_folding():
    text = "ЗАМЕСТИТЕЛЬ ДИРЕКТОРА департамента"
    assert m.satisfies_must_include(text, [["заместитель директора"]])


def test_must_include__empty_list_has_nothing_to_check():
    assert m.satisfies_must_include("anything", [])


# ---------------------------------------------------------------- retrieval
def test_first_gold_rank__counts_distinct_files_in_rank_order():
    ranked = ["a.txt", "a.txt", "b.txt", "c.txt", "b.txt"]
    assert m.distinct_files(ranked) == ["a.txt", "b.txt", "c.txt"]
    assert m.first_gold_rank(ranked, ["c.txt"]) == 3
    assert m.first_gold_rank(ranked, ["b.txt", "c.txt"]) == 2
    assert m.first_gold_rank(ranked, ["z.txt"]) is None
    assert m.first_gold_rank([], ["a.txt"]) is None


def test_hit_at_k_and_mrr():
    ranks = [1, 2, None, 4, 6]
    assert m.hit_at_k(ranks, 1) == pytest.approx(1 / 5)
    assert m.hit_at_k(ranks, 3) == pytest.approx(2 / 5)
    assert m.hit_at_k(ranks, 5) == pytest.approx(3 / 5)
    assert m.mean_reciprocal_rank(ranks) == pytest.approx((1 + 1 / 2 + 0 + 1 / 4 + 1 / 6) / 5)
    assert m.hit_at_k([], 1) is None
    assert m.mean_reciprocal_rank([]) is None


def test_rank_bucket():
    assert [m.rank_bucket(r) for r in (1, 5, 6, None)] == ["1", "5", ">5/none", ">5/none"]


# ---------------------------------------------------------------- citations
def test_citation_valid__markers_must_be_given_citations():
    assert m.citation_valid("A [1] and B [2].", [1, 2])
    assert not m.citation_valid("A [1] and B [3].", [1, 2])
    assert m.citation_valid("No markers at all.", [])
    assert not m.citation_valid("Claim [1].", [])


def test_citation_valid__only_bracketed_integers_count():
    assert m.citation_markers("see [1], [a], [1, 2], [ 3 ], [2]") == [1, 2]
    assert m.citation_valid("see [1], [a], [1, 2], [ 3 ]", [1])


def test_citation_valid__bracketed_numbers_inside_quoted_evidence_are_ignored():
    quote = "the report [12] says exports rose sharply"
    text = f'According to [1]: "{quote}".'
    assert m.citation_markers(text) == [1, 12]
    assert m.citation_markers(text, [quote]) == [1]
    assert m.citation_valid(text, [1], [quote])


def test_cited_gold():
    assert m.cited_gold(["x.txt", "a.txt"], ["a.txt"])
    assert not m.cited_gold(["x.txt"], ["a.txt"])
    assert not m.cited_gold([], ["a.txt"])


# ---------------------------------------------------------------- abstention
def test_abstain_precision_recall__positive_class_is_unanswerable():
    answerable = [True, True, False, False, False]
    abstained = [True, False, True, True, False]
    p, r = m.abstain_precision_recall(answerable, abstained)
    assert p == pytest.approx(2 / 3)
    assert r == pytest.approx(2 / 3)


def test_abstain_precision__no_abstentions():
    assert m.abstain_precision_recall([True, False], [False, False]) == (0.0, 0.0)
    assert m.abstain_precision_recall([True, True], [False, False]) == (1.0, 1.0)


def test_abstain_recall__no_unanswerable_questions():
    assert m.abstain_precision_recall([True, True], [True, False]) == (0.0, 1.0)


# ---------------------------------------------------------------- latency, cost
def test_percentile_nearest_rank():
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert m.percentile(values, 50) == 50
    assert m.percentile(values, 95) == 100
    assert m.percentile([7], 95) == 7
    assert m.percentile([], 50) is None


def test_estimate_cost():
    assert m.estimate_cost(1_000_000, 500_000, 0.15, 0.6) == pytest.approx(0.45)
    assert m.estimate_cost(10, 10, None, None) is None


# ---------------------------------------------------------------- per-question scoring
def test_score_answer__answerable(mk):
    q = mk.question("en-1")
    a = mk.answer(
        text="Vietnam signed 16 FTAs [1] [2].", retrieved=[mk.OTHER, mk.GOLD[1]], cited=[mk.OTHER]
    )
    r = m.score_answer(q, a, detect=lambda t: "en")
    assert r["first_gold_rank"] == 2
    assert r["correct"] is True
    assert r["citation_valid"] is False  # [2] is not a given citation
    assert r["invalid_markers"] == [2]
    assert r["cited_gold"] is False
    assert r["failed"] is True
    assert r["retrieved_sources"] == [mk.OTHER, mk.GOLD[1]]


def test_score_answer__abstained_answerable_is_not_correct(mk):
    q = mk.question("en-1")
    a = mk.answer(
        text="The sources do not say; closest: 16 [1]",
        abstained=True, retrieved=[mk.GOLD[0]], cited=[mk.GOLD[0]],
    )
    assert m.score_answer(q, a, detect=lambda t: "en")["correct"] is False


def test_score_answer__unanswerable_correct_iff_abstained(mk):
    q = mk.question("en-9", answerable=False)
    yes = m.score_answer(q, mk.answer(text="No.", abstained=True), detect=lambda t: "en")
    no = m.score_answer(q, mk.answer(text="It is 16."), detect=lambda t: "en")
    assert yes["correct"] is True and no["correct"] is False
    assert yes["first_gold_rank"] is None


def test_score_answer__extractive_language_judged_on_framing(mk):
    q = mk.question("vi-1", "vi")
    a = mk.answer(
        text='Vietnam signed "16 FTAs" [1]',
        framing="Theo nguồn tin", mode="extractive", cited=[mk.GOLD[0]],
    )
    seen = []
    m.score_answer(q, a, detect=lambda t: seen.append(t) or "vi")
    assert seen == ["Theo nguồn tin"]
    a2 = mk.answer(text="Việt Nam đã ký 16 FTA", framing="", mode="extractive")
    seen.clear()
    m.score_answer(q, a2, detect=lambda t: seen.append(t) or "vi")
    assert seen == ["Việt Nam đã ký 16 FTA"]


def test_summarize__contract_definitions(synthetic):
    questions, answers = synthetic
    detect = {"en": "en", "vi": "vi", "ru": "ru"}
    records = [
        m.score_answer(q, a, detect=lambda t, a=a: detect[a.language])
        for q, a in zip(questions, answers, strict=True)
    ]
    s = m.summarize(records)
    assert (s["n"], s["n_answerable"], s["n_unanswerable"]) == (6, 4, 2)
    # answerable ranks: en-1 -> 1, en-2 -> 2, vi-1 -> 2 (OTHER, GOLD), ru-1 -> None
    assert s["retrieval"]["hit_at_1"] == pytest.approx(1 / 4)
    assert s["retrieval"]["hit_at_3"] == pytest.approx(3 / 4)
    assert s["retrieval"]["mrr"] == pytest.approx((1 + 0.5 + 0.5 + 0) / 4)
    counts = {"1": 1, "2": 2, "3": 0, "4": 0, "5": 0, ">5/none": 1}
    assert s["retrieval"]["first_gold_rank_counts"] == counts
    # correct: en-1 yes, en-2 no, vi-1 yes, ru-1 no (abstained)
    assert s["answer"]["correct"] == pytest.approx(2 / 4)
    # citation validity over answerable & not abstained: en-1 ok, en-2 bad [3], vi-1 ok
    assert s["answer"]["citation_valid"] == pytest.approx(2 / 3)
    assert s["answer"]["cited_gold"] == pytest.approx(2 / 4)
    assert s["answer"]["language_match"] == 1.0
    # abstained: en-3 (unans, TP), ru-1 (ans, FP); vi-2 unans not abstained (FN)
    assert s["abstain"]["precision"] == pytest.approx(1 / 2)
    assert s["abstain"]["recall"] == pytest.approx(1 / 2)
    assert s["latency_ms"]["p50"] == 120
    assert s["latency_ms"]["p95"] == 300
    assert s["llm_judged"] == {"computed": False, "reason": "no LLM configured"}
    by = m.summarize_by_language(records)
    assert list(by) == ["vi", "en", "ru"]
    assert by["ru"]["answer"]["citation_valid"] is None  # nothing answered: undefined, not 0


def test_check_thresholds():
    summary = {"answer": {"correct": 0.5, "citation_valid": None}, "retrieval": {"mrr": 0.9}}
    msgs = m.check_thresholds(
        summary,
        {
            "answer.correct": 0.6,
            "retrieval.mrr": 0.5,
            "answer.citation_valid": 0.1,
            "abstain.recall": None,
        },
    )
    assert len(msgs) == 2
    assert any("answer.correct" in x for x in msgs)
    assert any("answer.citation_valid" in x for x in msgs)


# ---------------------------------------------------------------- language detection
def test_detect_language__vi_en_ru_and_no_signal():
    from eval.langid import detect_language

    assert detect_language("Theo các bài viết, Việt Nam đã ký 16 hiệp định [1].") == "vi"
    assert detect_language("According to the articles, Vietnam signed 16 agreements [1].") == "en"
    assert detect_language("Согласно источникам, Вьетнам подписал 16 соглашений [1].") == "ru"
    # digits and markers only: no language, so it matches nothing
    assert detect_language("16 [1] [2]") == "und"
    assert detect_language("") == "und"


def test_lead_matches__figures_across_languages_and_names_without_diacritics():
    from eval.metrics.basic import answer_lead, lead_matches

    assert answer_lead("**2,2 tỷ USD** [1]\n\nTheo các bài viết: …") == "2,2 tỷ USD"
    assert answer_lead("Theo các bài viết: **2,2** …") is None
    assert lead_matches("2,2 tỷ USD", [["2.2 billion"]])
    assert lead_matches("17 786 419", [["17,786,419"]])
    assert lead_matches("năm 2018", [["2018"]])
    assert lead_matches("Tran Khanh Thuc", [["Trần Khánh Thức"]])
    assert not lead_matches("gần 1,75 tỷ USD", [["2.2 billion", "2,2 tỷ"]])
    assert not lead_matches("Bui Dinh Long", [["Tran Khanh Thuc"]])


def test_lead_precision__a_lead_given_to_an_unanswerable_question_counts_wrong(mk):
    """Issue 26's definition: right leads ÷ all leads given; 'lead agreement' keeps
    counting answerable questions only."""
    detect = {"detect": lambda t: "en"}
    records = [
        m.score_answer(mk.question("en-1"), mk.answer(text="**16** [1]\n\nAccording to …",
                                                      cited=[mk.GOLD[0]]), **detect),
        m.score_answer(mk.question("en-2"), mk.answer(text="**15** [1]\n\nAccording to …",
                                                      cited=[mk.GOLD[0]]), **detect),
        m.score_answer(mk.question("en-3"), mk.answer(text="According to … 16 [1]",
                                                      cited=[mk.GOLD[0]]), **detect),
        m.score_answer(mk.question("en-9", answerable=False),
                       mk.answer(text="**12** [1]\n\nAccording to …", cited=[mk.OTHER]), **detect),
        m.score_answer(mk.question("en-8", answerable=False),
                       mk.answer(text="The articles do not say.", abstained=True), **detect),
    ]
    assert [r["lead"] for r in records] == ["16", "15", None, "12", None]
    assert [r["lead_match"] for r in records] == [True, False, None, False, None]
    answer = m.summarize(records)["answer"]
    assert answer["lead_match"] == pytest.approx(1 / 2) and answer["n_leads"] == 2
    assert answer["lead_precision"] == pytest.approx(1 / 3)
    assert (answer["n_leads_given"], answer["n_leads_right"]) == (3, 1)
    assert m.summarize(records[2:3])["answer"]["lead_precision"] is None  # no lead: undefined
    assert ("answer.lead_precision", "lead precision") in m.HEADLINE_METRICS


def test_confidence_levels__right_and_how_many_with_lead_precision(mk):
    from rag.schema import Confidence

    strong = Confidence(level="strong", reason_code="span_in_quote", score=0.9)
    detect = {"detect": lambda t: "en"}
    answers = [mk.answer(text="**16** [1]", cited=[mk.GOLD[0]]),
               mk.answer(text="**12** [1]", cited=[mk.OTHER])]
    for a in answers:
        a.confidence = strong
    records = [m.score_answer(mk.question("en-1"), answers[0], **detect),
               m.score_answer(mk.question("en-9", answerable=False), answers[1], **detect)]
    level = m.summarize_confidence(records)["levels"]["strong"]
    assert (level["n"], level["n_correct"], level["n_leads_given"]) == (2, 1, 2)
    assert level["correct"] == pytest.approx(0.5) and level["lead_precision"] == pytest.approx(0.5)
