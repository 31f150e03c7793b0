"""run_eval and the `rag eval` command with a fake engine (no index, no LLM)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from eval.run import run_eval


def test_run_eval__writes_all_files_and_returns_report(synthetic, fake_engine, tmp_path):
    questions, _ = synthetic
    report = run_eval(fake_engine, questions, tmp_path / "out", progress=False)
    for name in ("report.json", "report.md", "report.html"):
        assert (tmp_path / "out" / name).exists()
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(report, ensure_ascii=False)
    )
    cfg = report["config"]
    assert cfg["mode"] == "extractive" and cfg["retriever"] == "hybrid" and cfg["top_k"] == 5
    assert cfg["chunk_size"] == 256 and cfg["corpus_fingerprint"] == "abc123"
    assert cfg["git_commit"] == "abc1234"
    assert cfg["date"]
    assert report["summary"]["n"] == 6
    assert report["summary"]["llm_judged"] == {"computed": False, "reason": "no LLM configured"}
    # auto-detection by default
    assert all(c["lang"] is None for c in fake_engine.calls)


def test_run_eval__lang_override_retriever_top_k_passed_through(synthetic, fake_engine, tmp_path):
    questions, _ = synthetic
    report = run_eval(
        fake_engine, questions, tmp_path, retriever="bm25", top_k=3, lang_override=True,
        progress=False,
    )
    assert [c["lang"] for c in fake_engine.calls] == [q.language for q in questions]
    assert {c["retriever"] for c in fake_engine.calls} == {"bm25"}
    assert {c["top_k"] for c in fake_engine.calls} == {3}
    assert report["config"]["retriever"] == "bm25" and report["config"]["top_k"] == 3
    assert report["config"]["lang_override"] is True


def test_run_eval__engine_error_on_one_question_does_not_abort(synthetic, fake_engine, tmp_path):
    questions, _ = synthetic
    fake_engine.fail_on = {questions[0].question}
    report = run_eval(fake_engine, questions, tmp_path, progress=False)
    assert report["summary"]["n"] == 6 and report["summary"]["errors"] == 1
    bad = report["questions"][0]
    assert bad["error"].startswith("RuntimeError") and bad["correct"] is False


class _Result:
    def __init__(self, score):
        self.passing, self.score, self.feedback = bool(score), score, "ok"


def test_run_eval__llm_judged_when_llm_configured_and_failures_survive(
    synthetic, fake_engine, tmp_path, monkeypatch
):
    import eval.run as run_mod

    calls = {"n": 0}

    class FakeJudge:
        def __init__(self, llm):
            pass

        def __call__(self, question, answer_text, contexts):
            calls["n"] += 1
            if calls["n"] == 1:
                return {
                    "faithfulness": {"error": "TimeoutError: slow"},
                    "relevancy": {"passing": True, "score": 1.0},
                }
            return {
                "faithfulness": {"passing": True, "score": 1.0},
                "relevancy": {"passing": False, "score": 0.0},
            }

    monkeypatch.setattr(run_mod, "_Judge", FakeJudge)
    fake_engine.llm = object()
    questions, _ = synthetic
    report = run_eval(fake_engine, questions, tmp_path, progress=False)
    j = report["summary"]["llm_judged"]
    assert j["computed"] is True
    # judged: the 4 non-abstained answers; first faithfulness failed
    assert j["faithfulness_n_failed"] == 1 and j["faithfulness_n_judged"] == 3
    assert j["faithfulness"] == 1.0
    assert j["relevancy"] == pytest.approx(1 / 4)


def test_judge__uses_llama_index_evaluators_and_catches_errors():
    from llama_index.core.llms.mock import MockLLM

    from eval.run import _Judge

    judge = _Judge(MockLLM())
    out = judge("How many FTAs?", "16 FTAs.", ["Vietnam has signed 16 FTAs."])
    assert set(out) == {"faithfulness", "relevancy"}
    for v in out.values():
        assert "error" in v or "passing" in v


@pytest.fixture
def cli_app(synthetic, fake_engine, monkeypatch):
    """`rag eval` wired to the fake engine: cli.wiring.build_engine is replaced, so
    neither the real engine nor ingest/ is imported."""
    import cli.wiring

    def build_engine(settings, warm_up=True):
        fake_engine.settings = settings
        return fake_engine

    monkeypatch.setattr(cli.wiring, "build_engine", build_engine)
    app = typer.Typer()
    from cli.eval_cmd import eval_command

    app.command("eval")(eval_command)
    app.command("noop")(lambda: None)
    return app


@pytest.fixture
def qfile(synthetic, tmp_path):
    questions, _ = synthetic
    p = tmp_path / "q.jsonl"
    p.write_text("\n".join(q.model_dump_json() for q in questions) + "\n", encoding="utf-8")
    return p


def _invoke(app, qfile, tmp_path, *args):
    return CliRunner(env={"COLUMNS": "220"}).invoke(
        app, ["eval", "-q", str(qfile), "--out", str(tmp_path / "r"), "--no-progress", *args]
    )


def test_cli__exit_0_whatever_the_scores(cli_app, qfile, tmp_path, fake_engine):
    r = _invoke(cli_app, qfile, tmp_path, "--data-dir", str(tmp_path / "data"))
    assert r.exit_code == 0, r.output
    assert "overall" in r.output and "not computed: no LLM configured" in r.output
    assert (tmp_path / "r" / "report.html").exists()
    assert fake_engine.settings.data_dir == tmp_path / "data"


def test_cli__threshold_missed_exits_1_naming_the_metric(cli_app, qfile, tmp_path):
    r = _invoke(cli_app, qfile, tmp_path, "--min-correct", "0.9", "--min-mrr", "0.1")
    assert r.exit_code == 1
    assert "answer.correct" in r.output and "retrieval.mrr" not in r.output


def test_cli__comma_list_of_retrievers_side_by_side(cli_app, qfile, tmp_path, fake_engine):
    r = _invoke(cli_app, qfile, tmp_path, "--retriever", "hybrid,dense,bm25")
    assert r.exit_code == 0, r.output
    for name in ("hybrid", "dense", "bm25"):
        assert (tmp_path / "r" / name / "report.json").exists()
    md = (tmp_path / "r" / "comparison.md").read_text(encoding="utf-8")
    assert "| metric | hybrid | dense | bm25 |" in md
    assert [c["retriever"] for c in fake_engine.calls][::6] == ["hybrid", "dense", "bm25"]


def test_cli__bad_question_file_is_one_readable_error(cli_app, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    r = _invoke(cli_app, bad, tmp_path)
    assert r.exit_code == 1
    assert "bad.jsonl, line 1" in r.output


def test_main_cli__registers_eval_command():
    rag_cli = pytest.importorskip("cli.main")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(rag_cli.app, ["eval", "--help"])
    assert result.exit_code == 0, result.output
    for flag in ("--questions", "--out", "--data-dir", "--retriever", "--top-k",
                 "--lang-override", "--compare", "--min-correct", "--min-abstain-recall"):
        assert flag in result.output


def test_run_eval__document_languages_from_the_engine_make_the_cross_table(
    synthetic, fake_engine, tmp_path, mk
):
    questions, _ = synthetic
    fake_engine.doc_languages = {mk.GOLD[0]: "vi", mk.GOLD[1]: "ru", mk.OTHER: "en"}
    report = run_eval(fake_engine, questions, tmp_path, progress=False)
    assert report["config"]["document_languages"] == dict(sorted(fake_engine.doc_languages.items()))
    cross = report["cross_language"]
    assert cross["columns"] == ["parallel"]  # gold = a vi and a ru file: a translation pair
    assert cross["cells"]["en"]["parallel"]["n"] == 2
    assert report["questions"][0]["retrieved_source_languages"] == ["en", "en"]
    # eligible: the 2 en questions; vi and ru ones have their language among the gold files
    assert report["language_bias"]["n"] == 2


def test_run_eval__report_language_and_holdout_split(synthetic, fake_engine, tmp_path):
    questions, _ = synthetic
    questions = [q.model_copy(update={"split": "holdout"}) if q.language == "vi" else q
                 for q in questions]
    report = run_eval(fake_engine, questions, tmp_path, progress=False, report_lang="ru")
    assert report["config"]["report_lang"] == "ru"
    assert report["by_split"]["holdout"]["n"] == 2 and report["by_split"]["tune"]["n"] == 4
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<html lang='ru'>" in page and "Отложенная часть" in page
    with pytest.raises(ValueError):
        run_eval(fake_engine, questions, tmp_path, progress=False, report_lang="xx")


def test_cli__report_lang_false_abstention_and_split_columns(cli_app, synthetic, tmp_path):
    questions, _ = synthetic
    qfile = tmp_path / "split.jsonl"
    qfile.write_text("\n".join(
        q.model_copy(update={"split": "holdout"} if q.language == "ru" else {}).model_dump_json()
        for q in questions) + "\n", encoding="utf-8")
    r = _invoke(cli_app, qfile, tmp_path, "--report-lang", "vi", "--max-false-abstention", "0.1")
    assert r.exit_code == 1, r.output
    assert "abstain.false_abstention = 0.2500 is above the maximum 0.1" in r.output
    assert "false abst." in r.output and "holdout" in r.output
    assert "question language \\ document language" in r.output
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "<html lang='vi'>" in page
    bad = _invoke(cli_app, qfile, tmp_path, "--report-lang", "fr")
    assert bad.exit_code != 0 and "en, vi, ru" in bad.output
