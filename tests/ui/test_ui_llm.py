"""The chat handler in LLM mode, in process, against the scripted OpenAI-compatible
server: streamed deltas reach the Chatbot, and a failing LLM shows the fallback
notice with the extractive answer."""

from __future__ import annotations

import pytest

from tests.support.fake_openai import FakeOpenAI, Reply, Status
from ui import chat, render
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
    from rag.engine import Engine
    from tests.conftest import make_settings

    settings = make_settings(seeded_dir)
    settings.llm.mode = "openai-compatible"
    settings.llm.model = "test-model"
    settings.llm.max_retries = 0
    settings.llm.request_timeout = 2.0
    settings.llm.timeout = 8.0
    settings.openai_base_url = fake_llm.base_url
    return Engine.from_settings(settings)


def test_llm_answer_streams_into_the_chat(llm_engine, fake_llm):
    fake_llm.script(Reply("Vietnam has diplomatic relations with 195 countries [1].",
                          chunk_delay=0.05))
    outputs = list(chat.respond(llm_engine, QUESTION, "auto", []))
    texts = [out[0][-1]["content"] for out in outputs]
    partial = [text for text in texts if text not in ("…", texts[-1])]
    assert partial, texts  # the answer grew over several updates
    assert texts[-1] == "Vietnam has diplomatic relations with 195 countries [1]."
    _messages, sources, _box, turns, _shown = outputs[-1]
    assert turns[-1]["mode"] == "test-model" and turns[-1]["ok"]
    assert 'id="src-1"' in sources and "notice-" not in sources
    assert "LLM test-model" in render.header_html("en", llm_engine.mode_label)


def test_llm_failure_shows_fallback_notice(llm_engine, fake_llm):
    fake_llm.script(Status(500), Status(500), Status(500))
    _messages, sources, _box, turns, _shown = list(
        chat.respond(llm_engine, QUESTION, "ru", []))[-1]
    assert "notice-llm_unavailable" in sources
    assert render.esc(t("notice_llm_unavailable", "ru")) in sources  # the UI language
    assert turns[-1]["ok"] and turns[-1]["answer"].startswith("Согласно источникам")
