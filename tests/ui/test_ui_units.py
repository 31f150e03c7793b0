"""Fast in-process tests of the UI modules with fake engines: rendering and
escaping, upload names, feedback under concurrency, the chat handler's error
handling, eval report browsing, and building the app."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from rag.errors import DocumentError, InvalidQuestionError, RagError
from rag.schema import (
    Answer,
    Citation,
    DeltaEvent,
    DoneEvent,
    Notice,
    NoticeEvent,
    RetrievedPassage,
    SourcesEvent,
    TranslationRef,
)
from ui import chat, evaltab, render
from ui.feedback import FeedbackLog
from ui.i18n import LABELS, t
from ui.uploads import check_upload, is_upload, safe_name, save_upload

pytestmark = pytest.mark.filterwarnings("ignore:the (question|index):UserWarning")

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def passage(file="a.txt", text="Some passage text.", chunk="a.txt#0", **kw):
    return RetrievedPassage(chunk_id=chunk, doc_id=file, file=file, title=kw.pop("title", "T"),
                            language=kw.pop("language", "en"), score=0.5, text=text, **kw)


def citation(n=1, file="a.txt", text="The evidence sentence is here.", passage_text=None, **kw):
    return Citation(n=n, doc_id=file, chunk_id=f"{file}#0", file=file,
                    title=kw.pop("title", "Title"), language=kw.pop("language", "en"),
                    text=text, passage=passage_text or f"Before. {text} After.", **kw)


def answer(**kw):
    base = {"question": "q?", "language": "en", "text": "According to the articles: x [1]",
            "mode": "extractive"}
    return Answer(**{**base, **kw})


# -- rendering -------------------------------------------------------------------------
def test_sources_html_escapes_document_text():
    a = answer(citations=[citation(title=EVIL, file="f<b>.txt", text=EVIL,
                                   passage_text=f"x {EVIL} y")],
               retrieved=[passage(text=EVIL, title=EVIL, chunk="other#1")])
    html = render.sources_html(a, "en", lambda doc_id: EVIL)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_sources_html_cards_marks_translations_and_uncited():
    c = citation(also_in=[TranslationRef(doc_id="b.txt", file="b.txt", language="vi")],
                 date="2025-01-02")
    a = answer(citations=[c], retrieved=[passage(chunk="a.txt#0"), passage(chunk="z.txt#3",
                                                                          file="z.txt")])
    html = render.sources_html(a, "vi", lambda doc_id: f"Full text of {doc_id}. "
                               "The evidence sentence is here.", turn=3)
    assert 'data-turn="3"' in html and 'id="src-1"' in html and 'data-file="a.txt"' in html
    assert "<mark>The evidence sentence is here.</mark>" in html
    assert "2025-01-02" in html and "Nguồn" in html  # labels follow the UI language
    assert 'href="#doc-b_txt"' in html and 'id="doc-b_txt"' in html  # translation opens
    assert "Full text of b.txt" in html
    assert html.count('class="src-uncited"') == 1 and "z.txt" in html


@pytest.mark.parametrize(("code", "css"), [("llm_unavailable", "notice-llm_unavailable"),
                                           ("abstained", "notice-abstained")])
def test_sources_html_shows_notices(code, css):
    a = answer(notices=[Notice(code=code, message="m")], abstained=code == "abstained")
    assert css in render.sources_html(a, "en", lambda d: None)


def test_answer_markdown_keeps_markers_plain_and_escapes_html():
    md = render.answer_markdown("Quote «<b>x</b>» [1] ![img](http://evil/x.png)")
    assert "[1]" in md and "<b>" not in md and "&lt;b&gt;" in md
    assert "![" not in md


def test_highlight_falls_back_to_sentences():
    html, found = render.highlight("One two three four. Five six seven eight.",
                                   "Five six seven eight. Missing sentence here.")
    assert found and "<mark>Five six seven eight.</mark>" in html


def test_every_label_is_translated():
    for key, entry in LABELS.items():
        assert set(entry) == {"en", "vi", "ru"}, key
    assert t("send", "auto") == "Ask" and t("send", "ru") == "Спросить"


# -- uploads ---------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\boot.ini.md", "boot.ini.md"),
    ("...hidden.txt", "hidden.txt"),
    ("a b&c.txt", "a_b_c.txt"),
    ("Tin tức Nghệ An.html", "Tin_tức_Nghệ_An.html"),
    ("", "upload"),
])
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_check_upload_refuses_types_and_sizes():
    assert check_upload("a.PDF", 10, 1) == "a.PDF"
    with pytest.raises(DocumentError, match="unsupported file type .exe"):
        check_upload("x.exe", 10, 1)
    with pytest.raises(DocumentError, match="over the 1 MB limit"):
        check_upload("x.txt", 2 * 1024 * 1024, 1)
    with pytest.raises(DocumentError, match="empty"):
        check_upload("x.txt", 0, 1)


def test_save_upload_stays_in_the_uploads_folder(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("hello", encoding="utf-8")
    uploads = tmp_path / "data" / "uploads"
    saved = save_upload(src, "../../../evil.txt", uploads, 1)
    assert saved == (uploads / "evil.txt").resolve() and saved.read_text() == "hello"
    assert is_upload(saved, uploads) and not is_upload(src, uploads)


# -- feedback --------------------------------------------------------------------------
def test_feedback_lines_do_not_interleave(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    long_answer = "x" * 20000

    def write(i):
        for j in range(25):
            log.record(question=f"q{i}-{j}", answer=long_answer, sources=["a.txt"],
                       mode="extractive", rating="up" if j % 2 else "down", comment="ок")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    lines = (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200
    entries = [json.loads(line) for line in lines]
    assert {e["rating"] for e in entries} == {"up", "down"} and entries[0]["comment"] == "ок"
    assert all(e["time"] and e["sources"] == ["a.txt"] for e in entries)


# -- the chat handler ------------------------------------------------------------------
class FakeEngine:
    mode_label = "offline extractive"

    def __init__(self, events=None, error=None):
        self.events, self.error, self.calls = events or [], error, []

    def stream(self, question, lang=None, history=None):
        self.calls.append((question, lang, history))
        if self.error:
            raise self.error
        yield from self.events

    def document_text(self, doc_id):
        raise RagError("gone")

    def documents(self):
        return []


def run(engine, question="question?", turns=None, lang="auto"):
    return list(chat.respond(engine, question, lang, turns or []))


def test_respond_streams_deltas_and_replacements():
    final = answer(text="xy [1]", citations=[citation()])
    engine = FakeEngine([SourcesEvent(retrieved=[passage()]), DeltaEvent(text="ab"),
                         DeltaEvent(text="x", replace=True), DeltaEvent(text="y"),
                         DoneEvent(answer=final)])
    outputs = run(engine)
    texts = [out[0][-1]["content"] for out in outputs]
    assert texts[:3] == ["…", "ab", "x"] and texts[-1] == "xy [1]"
    messages, sources, box, turns, shown = outputs[-1]
    assert box == "" and shown == 0 and turns[0]["ok"] and turns[0]["files"] == ["a.txt"]
    assert 'id="src-1"' in sources


def test_respond_passes_history_of_successful_turns():
    engine = FakeEngine([DoneEvent(answer=answer(text="second"))])
    turns = [chat._turn("first?", "first answer", "", answer="first answer", ok=True),
             chat._turn("broken?", "⚠️ error", "")]
    run(engine, "and then?", turns, lang="ru")
    assert engine.calls[0] == ("and then?", "ru", [
        {"role": "user", "content": "first?"},
        {"role": "assistant", "content": "first answer"}])


def test_respond_empty_question_adds_no_turn():
    outputs = run(FakeEngine(error=InvalidQuestionError("the question is empty")), "  ")
    messages, _, _, turns, _ = outputs[-1]
    assert messages == [] and turns == []


@pytest.mark.parametrize(("error", "shown"), [
    (InvalidQuestionError("the question is 5,000 characters long"), "5,000 characters"),
    (RagError("the index is empty: run `rag ingest` first"), "the index is empty"),
    (RuntimeError("boom"), "something went wrong"),
])
def test_respond_errors_become_chat_replies(error, shown):
    messages, _, _, turns, _ = run(FakeEngine(error=error), "x" * 20)[-1]
    assert messages[-1]["role"] == "assistant" and shown in messages[-1]["content"]
    assert "boom" not in messages[-1]["content"] and not turns[-1]["ok"]


def test_respond_mid_stream_failure_is_caught():
    def broken():
        yield SourcesEvent(retrieved=[])
        raise RuntimeError("mid-stream")

    engine = FakeEngine()
    engine.stream = lambda *a, **k: broken()
    messages, *_ = run(engine)[-1]
    assert "something went wrong" in messages[-1]["content"]


def test_respond_notice_banner_for_fallback():
    final = answer(notices=[Notice(code="llm_unavailable", message="m")], citations=[citation()])
    engine = FakeEngine([NoticeEvent(notice=final.notices[0]), DoneEvent(answer=final)])
    _, sources, *_ = run(engine)[-1]
    assert "notice-llm_unavailable" in sources


# -- evaluation tab -------------------------------------------------------------------
def test_reports_listing_and_view(tmp_path):
    reports = tmp_path / "reports"
    for name in ("20250101-000000", "20250102-000000"):
        (reports / name / "plots").mkdir(parents=True)
        (reports / name / "report.md").write_text(
            "# Eval\n\n## Headline\n\n| a | b |\n\n## Plots\n\n![hit rate](plots/hit.png)\n"
            "\n## Questions (failures first)\n\n| q1 |\n", encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (4, 4)).save(reports / "20250102-000000" / "plots" / "hit.png")
    (reports / "not-a-report").mkdir()
    assert evaltab.list_reports(reports) == ["20250102-000000", "20250101-000000"]
    md, images, details = evaltab.report_view(reports, "20250102-000000")
    assert "# Eval" in md and "| a | b |" in md and "![" not in md and "Plots" not in md
    assert len(images) == 1 and details.startswith("## Questions") and "q1" in details
    assert evaltab.report_view(reports, "../../etc")[0].startswith("Report")


def test_counting_engine_reports_progress():
    seen = []

    class E:
        llm = None

        def answer(self, q, lang=None):
            return q.upper()

    counting = evaltab._CountingEngine(E(), 2, lambda done, total: seen.append((done, total)))
    assert counting.answer("a") == "A" and counting.llm is None
    counting.answer("b")
    assert seen == [(1, 2), (2, 2)]


# -- building the app -----------------------------------------------------------------
def test_build_app_and_launch_settings(tmp_path):
    import gradio as gr
    from pydantic import SecretStr

    from tests.conftest import make_settings
    from ui.app import build_app, launch_kwargs

    settings = make_settings(tmp_path / "data")
    demo = build_app(FakeEngine(), settings)
    assert isinstance(demo, gr.Blocks)
    names = {d.api_name for d in demo.fns.values() if d.api_name}
    assert {"chat", "ask", "upload", "documents", "document_text", "delete_document",
            "eval"} <= names
    kwargs = launch_kwargs(settings)
    assert kwargs["server_name"] == "127.0.0.1" and kwargs["server_port"] == 7860
    assert kwargs["auth"] is None and kwargs["max_file_size"] == 10 * 1024 * 1024
    settings = settings.model_copy(update={"ui_auth": SecretStr("alice:pw,bob:pw2")})
    assert launch_kwargs(settings, "0.0.0.0", 9000)["auth"] == [("alice", "pw"), ("bob", "pw2")]
    assert launch_kwargs(settings, "0.0.0.0", 9000)["server_port"] == 9000
    assert Path(demo.ui_context.feedback_log.path).name == "feedback.jsonl"
