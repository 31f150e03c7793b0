"""`rag ask` as a user runs it: JSON shape, auto-ingest, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

RAG = [sys.executable, "-m", "cli"]


def run(args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update({"RAG_LLM__MODE": "none", "RAG_LOG_LEVEL": "WARNING", **(env_extra or {})})
    return subprocess.run(RAG + args, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_ask_json__has_the_documented_shape(seeded_copy):
    result = run(["ask", "Сколько делегаций провинция Нгеан приняла в 2024 году?", "--json",
                  "--data-dir", str(seeded_copy)])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"question", "language", "answer", "mode", "abstained", "citations",
                         "retrieved", "usage", "latency_ms"}
    assert data["language"] == "ru" and data["mode"] == "extractive"
    assert set(data["citations"][0]) == {"n", "file", "title", "language", "date", "text", "url"}
    assert set(data["retrieved"][0]) == {"file", "language", "score", "text"}
    scores = [r["score"] for r in data["retrieved"]]
    assert scores[0] == max(scores)  # rank order
    assert set(data["usage"]) == {"prompt_tokens", "completion_tokens"}


def test_ask__sources_are_labelled_in_the_answers_language(seeded_copy):
    for question, heading in (
        ("Сколько делегаций провинция Нгеан приняла в 2024 году?", "Источники"),
        ("Kiều hối hằng năm về Nghệ An đạt khoảng bao nhiêu?", "Nguồn"),
    ):
        result = run(["ask", question, "--data-dir", str(seeded_copy)])
        assert result.returncode == 0, result.stderr
        assert heading in result.stdout.splitlines()
        assert "Sources" not in result.stdout and "evidence" not in result.stdout


def test_ask__empty_index_ingests_the_corpus_first_and_says_so(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lotus.txt").write_text(
        "Blue Lotus festival in Vinh\nThe Blue Lotus festival in Vinh city drew 12,345 visitors "
        "this spring. Organisers said the lanterns were the main attraction.\n",
        encoding="utf-8",
    )
    result = run(["ask", "How many visitors did the Blue Lotus festival draw?",
                  "--data-dir", str(tmp_path / "data")], {"RAG_CORPUS_DIR": str(corpus)})
    assert result.returncode == 0, result.stderr
    assert "ingested" in result.stderr
    assert "12,345" in result.stdout and "lotus.txt" in result.stdout


def test_ask__bad_input_is_one_readable_line_and_exit_1(seeded_copy):
    for args, message in (
        (["ask", "   "], "the question is empty"),
        (["ask", "x" * 5000], "the limit is 2,000"),
        (["ask", "hello", "--lang", "klingon"], "unknown answer language"),
        (["ask", "hello", "--retriever", "magic"], "unknown retriever"),
    ):
        result = run([*args, "--data-dir", str(seeded_copy)])
        assert result.returncode == 1, args
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_cli__help_lists_every_command():
    result = run(["--help"])
    for command in ("ingest", "sources", "ask", "eval", "ui"):
        assert command in result.stdout
