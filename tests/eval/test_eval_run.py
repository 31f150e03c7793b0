"""run_eval and the `rag eval` command with a fake engine (no index, no LLM)."""

from __future__ import annotations

import json
import sys
import types

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
    """`rag eval` wired to the fake engine through a stand-in rag.engine module."""
    fake_module = types.ModuleType("rag.engine")

    class Engine:
        @staticmethod
        def from_settings(settings):
            fake_engine.settings = settings
            return fake_engine

    fake_module.Engine = Engine
    monkeypatch.setitem(sys.modules, "rag.engine", fake_module)
    app = typer.Typer()
    from eval.cli import eval_command

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
    rag_cli = pytest.importorskip("rag.cli")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(rag_cli.app, ["eval", "--help"])
    assert result.exit_code == 0, result.output
    for flag in ("--questions", "--out", "--data-dir", "--retriever", "--top-k",
                 "--lang-override", "--compare", "--min-correct", "--min-abstain-recall"):
        assert flag in result.output
