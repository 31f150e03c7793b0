"""The chat handler in LLM mode, in process, against the scripted OpenAI-compatible
server: streamed deltas reach the Chatbot, and a failing LLM shows the fallback
notice with the extractive answer."""

from __future__ import annotations

import pytest

from tests.support.fake_openai import FakeOpenAI, Reply, Status
from ui import answering, render
from ui.i18n import t

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:.*language model:UserWarning")]

QUESTION = "How many countries does Vietnam have diplomatic relations with?"


@pytest.fixture(scope="module")
def fake_llm():
    with FakeOpenAI(model="test-model") as server:
        yield server


@pytest.fixture(scope="module")
def llm_engine(seeded_dir, fake_llm):
    from cli.wiring import build_engine
    from tests.conftest import make_settings

    settings = make_settings(seeded_dir)
    settings.llm.mode = "openai-compatible"
    settings.llm.model = "test-model"
    settings.llm.max_retries = 0
    settings.llm.request_timeout = 2.0
    settings.llm.timeout = 8.0
    settings.openai_base_url = fake_llm.base_url
    return build_engine(settings)


def test_llm_answer_streams_into_the_chat(llm_engine, fake_llm):
    fake_llm.script(Reply("Vietnam has diplomatic relations with 195 countries [1].",
                          chunk_delay=0.05))
    outputs = answering.respond(llm_engine, answering.Asked(QUESTION, "auto", "en"))
    shown = [(answering.messages(turns)[-1]["content"], turns) for turns in outputs]
    texts = [text for text, _ in shown]
    partial = [text for text in texts if text not in ("…", texts[-1])]
    assert partial, texts  # the answer grew over several updates
    assert texts[-1].startswith("Vietnam has diplomatic relations with 195 countries [1].")
    turns = shown[-1][1]
    sources = turns[-1]["sources_html"]
    assert turns[-1]["mode"] == "test-model" and turns[-1]["ok"]
    assert 'id="src-1"' in sources and "notice-" not in sources
    assert "AI model test-model" in render.header_html("en", llm_engine.mode, "test-model")


def test_llm_failure_shows_fallback_notice(llm_engine, fake_llm):
    fake_llm.script(Status(500), Status(500), Status(500))
    turns = list(answering.respond(llm_engine, answering.Asked(QUESTION, "ru", "ru")))[-1]
    sources = turns[-1]["sources_html"]
    assert "notice-llm_unavailable" in sources
    assert render.esc(t("notice_llm_unavailable", "ru")) in sources  # the UI language
    assert turns[-1]["ok"] and "Согласно источникам" in turns[-1]["answer"]
