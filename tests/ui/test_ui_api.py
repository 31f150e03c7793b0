"""The UI's API with gradio_client: /ask in each language, errors, concurrency,
the streaming /chat endpoint and /documents."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ui.helpers import CROSS_LINGUAL_RU, EN_ONLY_002, QUESTIONS, SEED_FILES, app_state

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(ui_server):
    from gradio_client import Client

    return Client(ui_server.url + "/", verbose=False)


@pytest.mark.parametrize(("lang", "question", "framing", "expected", "must_contain"), QUESTIONS,
                         ids=[q[0] for q in QUESTIONS])
def test_ask_answers_in_each_language(client, lang, question, framing, expected, must_contain):
    result = client.predict(question, "auto", api_name="/ask")
    assert result["language"] == lang
    assert result["mode"] == "extractive" and not result["abstained"]
    assert framing in result["answer"] and "[1]" in result["answer"]
    assert must_contain in result["answer"]
    files = [c["file"] for c in result["citations"]]
    assert expected in files, files
    assert all(r["file"] in SEED_FILES for r in result["retrieved"])


def test_ask_language_override(client):
    result = client.predict(QUESTIONS[1][1], "vi", api_name="/ask")
    assert result["language"] == "vi" and "Theo các bài viết" in result["answer"]
    assert result["citations"][0]["file"] == EN_ONLY_002


@pytest.mark.parametrize(("question", "message"), [
    ("", "the question is empty"),
    ("   ", "the question is empty"),
    ("why? " * 600, "the limit is"),
    ("🙂 ?", "the question has no words"),
])
def test_ask_invalid_question_is_a_clear_error(client, question, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=message):
        client.predict(question, "auto", api_name="/ask")


def test_ask_unknown_language_is_a_clear_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="unknown answer language"):
        client.predict("Who is Hoang Nghia Hieu?", "fr", api_name="/ask")


def _chat(client, question):
    out = client.predict(question, "auto", "en", {}, [], "", "", api_name="/chat")
    return out[0], out[2]  # the chat messages, the sources panel


def test_chat_endpoint_keeps_the_conversation_of_a_session(ui_server):
    from gradio_client import Client

    client = Client(ui_server.url + "/", verbose=False)  # one client = one session
    messages, sources = _chat(client, "")
    assert messages == []  # an empty question is refused without a crash or a turn
    messages, sources = _chat(client, QUESTIONS[0][1])
    assert [m["role"] for m in messages] == ["user", "assistant"]
    answer = messages[-1]["content"][0]["text"]
    assert "Theo các bài viết" in answer and "[1]" in answer
    assert 'id="src-1"' in sources and QUESTIONS[0][3] in sources
    # a follow-up question is answered in the same conversation
    messages, sources = _chat(client, QUESTIONS[2][1])
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    assert "Согласно источникам" in messages[-1]["content"][0]["text"]
    assert 'data-turn="1"' in sources


def test_documents_endpoints(client):
    docs = client.predict(api_name="/documents")
    by_file = {d["file"]: d for d in docs}
    assert set(SEED_FILES) <= set(by_file)
    assert by_file[EN_ONLY_002]["language"] == "en" and by_file[EN_ONLY_002]["chunks"] > 0
    text = client.predict(by_file[EN_ONLY_002]["doc_id"], api_name="/document_text")
    assert "Hoang Nghia Hieu" in text


def test_document_endpoints_unknown_id_is_a_clear_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="no document with id"):
        client.predict("nope.txt", api_name="/document_text")
    with pytest.raises(AppError, match="no document with id"):
        client.predict("nope.txt", api_name="/delete_document")


def test_eight_concurrent_questions_all_answered_correctly(ui_server):
    from gradio_client import Client

    cases = [(q[1], q[3]) for q in QUESTIONS] * 2 + [
        (CROSS_LINGUAL_RU, EN_ONLY_002),
        ("Who is the Standing Deputy Secretary of the Nghe An Provincial Party Committee?",
         EN_ONLY_002),
    ]
    assert len(cases) == 8

    feedback_log = app_state(ui_server).feedback
    before = {e["id"] for e in feedback_log.entries()}

    def one(case):
        question, expected = case
        client = Client(ui_server.url + "/", verbose=False)
        result = client.predict(question, "auto", api_name="/ask")
        files = [c["file"] for c in result["citations"]]
        client.predict(question, result["answer"], files, result["mode"], "up",
                       f"concurrent {question}", "auto", api_name="/feedback")
        return expected, result

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, cases))
    for expected, result in results:
        assert not result["abstained"], result["question"]
        assert expected in [c["file"] for c in result["citations"]], result["question"]
    # Every rating was written whole: 8 more records in the app database.
    new = [e for e in feedback_log.entries() if e["id"] not in before]
    assert sorted(e["comment"] for e in new) == sorted(f"concurrent {q}" for q, _ in cases)
    assert all(e["rating"] == "up" and e["sources"] for e in new)


def test_feedback_api_refuses_a_bad_rating(client):
    with pytest.raises(Exception, match="rating must be 'up' or 'down'"):
        client.predict("q?", "a.", [], "extractive", "meh", "", "auto", api_name="/feedback")
    with pytest.raises(Exception, match="reason must be one of"):
        client.predict("q?", "a.", [], "extractive", "down", "", "auto", "id1", "bad",
                       api_name="/feedback")


def test_feedback_api_with_answer_id_keeps_one_record(ui_server, client):
    for rating, reason in (("up", ""), ("down", "incomplete")):
        client.predict("api q?", "a.", ["a.txt"], "extractive", rating, "", "en", "api-ans-1",
                       reason, api_name="/feedback")
    mine = [e for e in app_state(ui_server).feedback.entries() if e["id"] == "api-ans-1"]
    assert len(mine) == 1 and mine[0]["rating"] == "down" and mine[0]["reason"] == "incomplete"


def test_api_requires_login_when_ui_auth_is_set(auth_server):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(auth_server.url + "/", verbose=False)
    with pytest.raises(ValueError, match="(?i)could not login"):  # wrong password
        Client(auth_server.url + "/", auth=("alice", "wrong"), verbose=False)
    client = Client(auth_server.url + "/", auth=("alice", "s3cret"), verbose=False)
    result = client.predict(QUESTIONS[1][1], "auto", api_name="/ask")
    assert EN_ONLY_002 in [c["file"] for c in result["citations"]]
