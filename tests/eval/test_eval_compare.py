"""`rag eval --compare`: metric changes and flipped questions, no engine."""

from __future__ import annotations

import copy
import json

import pytest

from eval.metrics import score_answer
from eval.report import build_report, compare_reports, write_compare, write_report


@pytest.fixture
def old_new(synthetic, mk):
    questions, answers = synthetic
    detect = lambda t: "und"  # noqa: E731 - language is irrelevant here
    old = build_report(
        [score_answer(q, a, detect=detect) for q, a in zip(questions, answers, strict=True)],
        {"mode": "extractive", "retriever": "hybrid"},
    )
    new_answers = list(answers)
    # en-1 correct -> wrong; en-2 wrong -> correct
    new_answers[0] = mk.answer(
        text="Vietnam signed many FTAs [1].", retrieved=[mk.GOLD[0]], cited=[mk.GOLD[0]]
    )
    new_answers[1] = mk.answer(
        text="Vietnam signed 16 FTAs [1].", retrieved=[mk.GOLD[1]], cited=[mk.GOLD[1]]
    )
    new = build_report(
        [score_answer(q, a, detect=detect) for q, a in zip(questions, new_answers, strict=True)],
        {"mode": "extractive", "retriever": "dense"},
    )
    return old, new


def test_compare__flips_matched_by_id(old_new):
    old, new = old_new
    cmp = compare_reports(old, new)
    assert [f["id"] for f in cmp["flips"]["correct_to_wrong"]] == ["en-1"]
    assert [f["id"] for f in cmp["flips"]["wrong_to_correct"]] == ["en-2"]
    assert cmp["only_in_old"] == [] and cmp["only_in_new"] == []


def test_compare__every_metric_overall_and_per_language(old_new):
    old, new = old_new
    cmp = compare_reports(old, new)
    assert list(cmp["metrics"]) == ["overall", "vi", "en", "ru"]
    hit1 = cmp["metrics"]["en"]["retrieval.hit_at_1"]
    assert hit1["old"] == pytest.approx(0.5) and hit1["new"] == pytest.approx(1.0)
    assert hit1["delta"] == pytest.approx(0.5)
    for path in ("retrieval.mrr", "answer.correct", "answer.citation_valid", "abstain.precision",
                 "latency_ms.p95", "tokens.prompt"):
        assert path in cmp["metrics"]["overall"]
    # undefined on both sides: delta is None, never a fake number
    undefined = {"old": None, "new": None, "delta": None}
    assert cmp["metrics"]["ru"]["answer.citation_valid"] == undefined


def test_compare__question_sets_differ(old_new):
    old, new = old_new
    new = copy.deepcopy(new)
    new["questions"] = [q for q in new["questions"] if q["id"] != "vi-2"]
    new["questions"].append({**new["questions"][0], "id": "xx-1"})
    cmp = compare_reports(old, new)
    assert cmp["only_in_old"] == ["vi-2"] and cmp["only_in_new"] == ["xx-1"]


def test_compare__writes_md_and_json(old_new, tmp_path):
    old, new = old_new
    paths = write_compare(compare_reports(old, new), tmp_path, "a/report.json", "b/report.json")
    md = paths["md"].read_text(encoding="utf-8")
    assert "Correct → wrong (1)" in md and "Wrong → correct (1)" in md
    assert "en-1" in md and "en-2" in md
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["flips"]["correct_to_wrong"][0]["id"] == "en-1"


def test_compare_cli__no_engine_needed(old_new, tmp_path):
    import typer
    from typer.testing import CliRunner

    from cli.eval_cmd import eval_command

    old, new = old_new
    write_report(old, tmp_path / "old", plots=False)
    write_report(new, tmp_path / "new", plots=False)
    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, [
        "eval", "--compare",
        str(tmp_path / "old" / "report.json"), str(tmp_path / "new" / "report.json"),
        "--out", str(tmp_path / "cmp"),
    ])
    assert result.exit_code == 0, result.output
    assert "Correct → wrong: 1" in result.output
    assert (tmp_path / "cmp" / "compare.md").exists()
    assert (tmp_path / "cmp" / "compare.json").exists()
