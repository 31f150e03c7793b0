"""Faults at the terminal, as a user runs the commands: document text that
looks like console markup, help texts, and `rag ask` against a model that
never answers (the bound holds for the whole command, not just the engine)."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
import time

import pytest

from rag.lang.prompts import phrase
from tests.conftest import ROOT, make_settings
from tests.support.fake_openai import Delay, FakeOpenAI

RAG = [sys.executable, "-m", "cli"]
SLACK_S = 2.0

MARKUP_TITLE = "Budget report [/bold] for Hai Phong"
MARKUP_DOC = (
    f"{MARKUP_TITLE}\n"
    "The Hai Phong harbour budget for 2025 is 1,200 billion dong, [red]approved[/red] :x: by "
    "the city council in March.\n"
    "The harbour budget funds two new container berths and the dredging of the channel.\n"
)


def run(args, env_extra=None, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update({"RAG_LLM__MODE": "none", "RAG_LOG_LEVEL": "WARNING", "COLUMNS": "200",
                "PYTHONUNBUFFERED": "1", **(env_extra or {})})
    return subprocess.run(RAG + args, capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=timeout)


@pytest.fixture(scope="module")
def markup_dir(tmp_path_factory, seeded_dir):
    """The seeded index plus one article whose title and text look like rich markup."""
    import shutil

    from cli.wiring import build_engine

    data = tmp_path_factory.mktemp("markup") / "data"
    shutil.copytree(seeded_dir, data)
    doc = data.parent / "hai_phong_budget.txt"
    doc.write_text(MARKUP_DOC, encoding="utf-8")
    report = build_engine(make_settings(data)).ingest([doc])
    assert report.new == 1
    return data


def test_sources__a_title_with_markup_prints_verbatim(markup_dir):
    result = run(["sources", "--data-dir", str(markup_dir)])
    assert result.returncode == 0, result.stderr
    assert MARKUP_TITLE in result.stdout
    assert "MarkupError" not in result.stderr and "Traceback" not in result.stderr


def test_ask__markup_and_emoji_codes_in_document_text_print_verbatim(markup_dir):
    result = run(["ask", "How big is the Hai Phong harbour budget for 2025?",
                  "--data-dir", str(markup_dir)])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"[1] {MARKUP_TITLE} (en" in result.stdout  # the source line
    assert "[red]approved[/red] :x: by the city council" in result.stdout  # the quote
    assert "❌" not in result.stdout


def _normalise(text: str) -> str:
    """Help text without panel borders and line wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_help__every_command_shows_its_docstring_and_option_help_verbatim():
    import typer.main
    from typer.testing import CliRunner

    from cli.main import app

    group = typer.main.get_command(app)
    runner = CliRunner()
    assert set(group.commands) >= {"ingest", "sources", "ask", "eval", "ui", "doctor"}
    for name, command in group.commands.items():
        result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        shown = _normalise(result.output)
        doc = inspect.getdoc(command.callback) or ""
        for paragraph in doc.replace("\\[", "[").split("\n\n"):  # "\[" is rich's escape
            assert _normalise(paragraph) in shown, (name, paragraph)
        for param in command.params:
            if getattr(param, "help", None):
                assert _normalise(param.help) in shown, (name, param.help)


def test_ask__a_sleeping_model_returns_within_the_timeout_with_a_notice(seeded_copy):
    """`rag ask` against a model that sleeps 120 s, with RAG_LLM__TIMEOUT=12 and a
    request timeout (60 s) longer than the whole budget. (The budget covers the
    whole answer: on a loaded machine a cold process needs a few seconds of it
    before the model is even asked.)"""
    with FakeOpenAI(model="test-model") as server:
        server.script(*[Delay(120)] * 4)
        env = {"RAG_LLM__MODE": "openai-compatible", "OPENAI_BASE_URL": server.base_url,
               "RAG_LLM__MODEL": "test-model", "RAG_LLM__TIMEOUT": "12",
               "RAG_LLM__REQUEST_TIMEOUT": "60"}
        env = {**{k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"},
               "RAG_LOG_LEVEL": "WARNING", "COLUMNS": "200", "PYTHONUNBUFFERED": "1", **env}
        process = subprocess.Popen(RAG + ["ask", "How many countries does Vietnam have "
                                          "diplomatic relations with?", "--data-dir",
                                          str(seeded_copy)],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        lines, footer_at = [], None
        for line in process.stdout:  # the footer "extractive · 11950 ms" is the last line
            lines.append(line)
            footer_at = time.monotonic()
        stderr = process.stderr.read()
        process.wait(timeout=60)
        exited_at = time.monotonic()
        requests = len(server.requests)
    out = "".join(lines)
    assert process.returncode == 0, stderr
    footer = re.search(r"^extractive · (\d+) ms", lines[-1])
    assert footer, out
    assert int(footer.group(1)) <= (12 + SLACK_S) * 1000  # the answer's wall-clock latency
    # The abandoned request (the model sleeps 120 s) does not hold the process: it exits
    # after the usual interpreter shutdown (2-5 s on a loaded 2-core machine, offline too).
    assert exited_at - footer_at < 20
    assert requests >= 1
    assert "195" in out and phrase("according", "en") in out
    assert f"note: {phrase('llm_timeout', 'en', seconds='12')}" in stderr
