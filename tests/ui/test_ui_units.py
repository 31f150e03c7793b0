"""Fast in-process tests of the UI modules with fake engines: rendering and
escaping, upload names, the review list, the chat handler's error handling, eval
report browsing, and building the app. (Feedback and conversations are stored by
rag.state: tests/state.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rag.errors import InvalidQuestionError, RagError, StoreUnavailableError
from rag.lang.prompts import phrase
from rag.schema import (
    Answer,
    Citation,
    Confidence,
    DeltaEvent,
    DoneEvent,
    Notice,
    NoticeEvent,
    RetrievedPassage,
    SourcesEvent,
    TranslationRef,
)
from ui import answering, evaltab, render
from ui.i18n import LABELS, t
from ui.uploads import UploadRefused, check_upload, is_upload, safe_name, save_upload

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
        # a text, or plural forms by CLDR category (each with an "other")
        forms = {lang: v if isinstance(v, dict) else {"other": v} for lang, v in entry.items()}
        assert all("other" in f and all(x.strip() for x in f.values()) for f in forms.values()), key
        placeholders = {lang: {frozenset(re.findall(r"{(\w+)}", x)) for x in f.values()}
                        for lang, f in forms.items()}
        assert placeholders["vi"] == placeholders["en"] == placeholders["ru"], key
    assert t("send", "auto") == "Ask" and t("send", "ru") == "Спросить"


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("en", 1, "1 item"), ("en", 6, "6 items"), ("vi", 6, "6 mục"), ("ru", 1, "1 запись"),
    ("ru", 3, "3 записи"), ("ru", 6, "6 записей"), ("ru", 21, "21 запись")])
def test_counts_take_the_plural_form_of_the_language(lang, n, expected):
    assert t("review_count", lang, n=n) == expected


@pytest.mark.parametrize(("header", "choice", "expected"), [
    ("ru-RU,ru;q=0.9,en;q=0.8", "auto", "ru"), ("de-DE,vi;q=0.5,en;q=0.3", "auto", "vi"),
    ("fr-FR", "auto", "en"), ("", None, "en"), ("vi-VN", "en", "en"), ("en-US", "ru", "ru"),
    ("en;q=0.2,ru;q=0.9", "bogus", "ru")])
def test_interface_language__saved_choice_else_browser_languages(header, choice, expected):
    from ui.i18n import resolve_language

    assert resolve_language(choice, header) == expected


def test_every_gradio_string_is_translated():
    from ui.strings.frontend import PATTERNS, TEXTS

    for english, entry in TEXTS.items():
        assert entry.get("vi") and entry.get("ru"), english
    message = "Invalid file type: setup.exe. Only .txt, .md allowed."
    pattern, replacement = PATTERNS[0]
    assert re.sub(pattern, replacement["ru"], message).startswith("Такой тип файла")


def test_page_script_carries_the_tables_and_swaps_patterns():
    from ui.script import page_script

    js = page_script(25)
    assert "Thả tệp vào đây" in js and "$1" in js and "</" not in js.replace("<\\/", "")
    assert "up to 25 MB" in js and "{mb}" not in js  # Gradio's "10.0 Mb", said from the setting
    assert '"vi": "Hỏi đáp tòa soạn"' in js  # the tab title per language


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


def test_check_upload_refuses_types_and_sizes_in_every_language():
    assert check_upload("a.PDF", 10, 1) == "a.PDF"
    with pytest.raises(UploadRefused, match="unsupported file type .exe") as err:
        check_upload("x.exe", 10, 1)
    assert t(err.value.key, "vi", **err.value.params).startswith("x.exe: không thể thêm")
    with pytest.raises(UploadRefused, match="over the 1 MB limit") as err:
        check_upload("x.txt", 2 * 1024 * 1024, 1)
    assert "2.0 МБ" in t(err.value.key, "ru", **err.value.params)
    with pytest.raises(UploadRefused, match="empty"):
        check_upload("x.txt", 0, 1)
    with pytest.raises(UploadRefused):  # the composition layer's list wins
        check_upload("a.pdf", 10, 1, suffixes=(".txt",))


def test_save_upload_stays_in_the_uploads_folder(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("hello", encoding="utf-8")
    uploads = tmp_path / "data" / "uploads"
    saved = save_upload(src, "../../../evil.txt", uploads, 1)
    assert saved == (uploads / "evil.txt").resolve() and saved.read_text() == "hello"
    assert is_upload(saved, uploads) and not is_upload(src, uploads)


def test_review_items_merge_dislikes_and_abstentions_and_export_eval_questions(tmp_path):
    from types import SimpleNamespace

    from rag.state import open_state
    from tests.conftest import make_settings
    from ui import review

    state = open_state(make_settings(tmp_path / "data"))
    services = SimpleNamespace(feedback_log=state.feedback, abstention_log=state.abstentions)
    services.abstention_log.record({"id": "x1", "question": "Ai?", "answer": "Không có.",
                                    "language": "vi", "mode": "extractive"}, None)
    services.feedback_log.record(question="Ai?", answer="Không có.", sources=[], mode="e",
                                 rating="down", answer_id="x1", reason="wrong", language="vi")
    services.feedback_log.record(question="Who?", answer="X [1]", sources=["b.txt"], mode="e",
                                 rating="down", answer_id="x2", reason="should_abstain",
                                 language="en", user="bob")
    services.feedback_log.record(question="Fine?", answer="Yes", sources=[], mode="e",
                                 rating="up", answer_id="x3")
    items = review.items(services)
    assert {i["id"]: i["kinds"] for i in items} == {"x1": ["down", "abstained"], "x2": ["down"]}
    assert [i["id"] for i in review.filtered(items, "abstained", "all", "")] == ["x1"]
    assert [i["id"] for i in review.filtered(items, "all", "should_abstain", "who")] == ["x2"]
    path = review.export(items, ["x2"])
    (line,) = path.read_text(encoding="utf-8").splitlines()
    q = json.loads(line)
    assert q["id"] == "review-x2" and q["language"] == "en" and q["answerable"] is False
    assert q["review"]["user"] == "bob" and q["review"]["cited"] == ["b.txt"]
    assert set(q) >= {"id", "language", "question", "answer", "must_include", "sources",
                      "answerable"}
    html = review.table_html(items, "ru")
    assert "Неверно" in html and "аноним" in html


# -- the chat handler ------------------------------------------------------------------
class FakeEngine:
    mode = "extractive"
    mode_label = "offline extractive"

    def __init__(self, events=None, error=None, fail_after=None):
        self.events, self.error, self.fail_after, self.calls = events or [], error, fail_after, []

    def stream(self, question, lang=None, history=None, **kwargs):
        self.calls.append((question, lang, history, kwargs))
        if self.error:
            raise self.error
        yield from self.events
        if self.fail_after:
            raise self.fail_after

    def document_text(self, doc_id):
        raise RagError("gone")

    def documents(self):
        return []


def run(engine, question="question?", turns=None, lang="auto", ui_lang="en", scope=None):
    asked = answering.Asked(question, lang, ui_lang, scope, turns or [])
    return list(answering.respond(engine, asked))


def test_respond_streams_deltas_and_replacements():
    final = answer(text="xy [1]", citations=[citation()])
    engine = FakeEngine([SourcesEvent(retrieved=[passage()]), DeltaEvent(text="ab"),
                         DeltaEvent(text="x", replace=True), DeltaEvent(text="y"),
                         DoneEvent(answer=final)])
    outputs = answering.respond(engine, answering.Asked("question?", "auto", "en"))
    texts = [answering.messages(out)[-1]["content"] for out in outputs]  # as each is shown
    assert texts[:3] == ["…", "ab", "x"] and texts[-1] == "xy [1]"
    turn = run(engine)[-1][0]
    assert turn["ok"] and turn["files"] == ["a.txt"] and 'id="src-1"' in turn["sources_html"]
    assert turn["answer_json"]["text"] == "xy [1]" and len(turn["id"]) == 16


def test_respond_passes_history_of_successful_turns_and_the_scope():
    from datetime import date

    from rag.schema import Scope

    engine = FakeEngine([DoneEvent(answer=answer(text="second"))])
    ok = {**answering.new_turn("first?", "en"), "answer": "first answer", "ok": True}
    broken = answering.new_turn("broken?", "en")
    scope = Scope(doc_ids=["a.txt"], since=date(2025, 1, 1))
    run(engine, "and then?", [ok, broken], lang="ru", scope=scope)
    assert engine.calls[0] == ("and then?", "ru", [
        {"role": "user", "content": "first?"},
        {"role": "assistant", "content": "first answer"}], {"scope": scope})


def test_respond_empty_question_adds_no_turn():
    outputs = run(FakeEngine(error=InvalidQuestionError("the question is empty")), "  ")
    assert outputs[-1] == []


@pytest.mark.parametrize(("error", "key"), [
    (InvalidQuestionError("the question is 5,000 characters long; the limit is 2,000 (x)",
                          code="question_too_long", length=5000, limit=2000),
     "err_too_long"),
    (RagError("the index is empty: run `rag ingest` first"), "error_generic"),
    (InvalidQuestionError("the question has no words", code="question_no_words"), "err_no_words"),
    (StoreUnavailableError("the Chroma server did not answer"), "err_store"),
    (RuntimeError("boom"), "error_generic"),
])
@pytest.mark.parametrize("lang", ["vi", "en", "ru"])
def test_respond_errors_become_chat_replies_in_the_interface_language(error, key, lang):
    turns = run(FakeEngine(error=error), "x" * 20, ui_lang=lang)[-1]
    content = answering.messages(turns)[-1]["content"]
    expected = t(key, lang, n="5,000", limit="2,000")
    assert render.answer_markdown(expected) in content
    assert "boom" not in content and not turns[-1]["ok"]


def test_store_failure_after_a_complete_answer_keeps_the_answer():
    """Issue 14, defect #10: the streamed answer stays; the store error is shown under it."""
    engine = FakeEngine([SourcesEvent(retrieved=[passage()]),
                         DeltaEvent(text="Vietnam has signed 16 FTAs [1].")],
                        fail_after=StoreUnavailableError("the Chroma server did not answer"))
    for lang in ("en", "vi", "ru"):
        turn = run(engine, ui_lang=lang)[-1][-1]
        assert turn["answer_md"].startswith("Vietnam has signed 16 FTAs [1].")
        assert render.answer_markdown(t("err_store_after_answer", lang)) in turn["answer_md"]
        assert t("error_generic", lang) not in turn["answer_md"]
        assert turn["ok"] and turn["answer"] == "Vietnam has signed 16 FTAs [1]."


def test_failure_before_any_text_shows_the_error_only():
    def broken():
        yield SourcesEvent(retrieved=[])
        raise RuntimeError("mid-stream")

    engine = FakeEngine()
    engine.stream = lambda *a, **k: broken()
    turn = run(engine)[-1][-1]
    assert "something went wrong" in turn["answer_md"] and not turn["ok"]


def test_engine_without_scope_is_a_clear_message():
    class OldEngine(FakeEngine):
        def stream(self, question, lang=None, history=None):
            yield from ()

    from rag.schema import Scope

    turn = run(OldEngine(), scope=Scope(doc_ids=["a.txt"]), ui_lang="vi")[-1][-1]
    assert render.answer_markdown(t("err_scope_unsupported", "vi")) in turn["answer_md"]


def test_respond_notice_banner_for_fallback_in_the_interface_language():
    """The panel is the interface's: in its language whatever the answer's (issue 30)."""
    final = answer(language="ru", notices=[Notice(code="llm_unavailable", message="m")],
                   citations=[citation()])
    engine = FakeEngine([NoticeEvent(notice=final.notices[0]), DoneEvent(answer=final)])
    turn = run(engine, ui_lang="vi")[-1][-1]
    assert "notice-llm_unavailable" in turn["sources_html"]
    assert render.esc(t("notice_llm_unavailable", "vi")) in turn["sources_html"]
    assert 'lang="vi"' in turn["sources_html"] and render.panel_lang(turn["sources_html"]) == "vi"


# -- confidence --------------------------------------------------------------------------------
@pytest.mark.parametrize("level", ["strong", "partial", "weak", "none"])
@pytest.mark.parametrize("lang", ["vi", "en", "ru"])
def test_confidence_badge_on_the_answer_and_in_the_panel(level, lang):
    conf = Confidence(level=level, reason_code="span_in_quote", reason="«16» is in the quote",
                      score=0.8)
    final = answer(language="en", citations=[citation()], confidence=conf)
    turn = run(FakeEngine([DoneEvent(answer=final)]), ui_lang=lang)[-1][-1]
    assert t(f"conf_{level}", lang) in turn["answer_md"]  # the interface's language
    # the engine's reason (written in the answer's language) is said in the interface's
    assert phrase("confidence_reason", lang)["span_in_quote"] in turn["answer_md"]
    reason = Confidence(level=level, reason_code="close_match", reason="x", score=0.8)
    spoken = answering.messages([{**turn, "answer_json": {**turn["answer_json"],
                                  "confidence": reason.model_dump()}}], lang)[-1]["content"]
    assert phrase("confidence_reason", lang)["close_match"] in spoken
    assert f'class="confidence conf-{level}"' in turn["sources_html"]
    assert 'data-reason-code="span_in_quote"' in turn["sources_html"]
    assert turn["confidence"]["level"] == level


def test_no_confidence_renders_nothing():
    turn = run(FakeEngine([DoneEvent(answer=answer(citations=[citation()]))]))[-1][-1]
    assert "confidence" not in turn["sources_html"] and "**" not in turn["answer_md"]


def test_export_text_numbers_the_sources_with_title_date_and_file():
    a = answer(question="How many?", citations=[citation(date="2025-07-12", title="FTAs"),
                                                citation(n=2, file="b.txt", title="B")])
    text = render.export_text(a, "vi")
    assert "## Câu hỏi" in text and "How many?" in text
    assert "[1] FTAs — 2025-07-12 — a.txt" in text and "[2] B — không rõ ngày — b.txt" in text


def test_header_mode_badge_is_localised():
    assert "Ngoại tuyến" in render.header_html("vi", "extractive")
    assert "Модель ИИ gpt-x" in render.header_html("ru", "llm", "gpt-x")


# -- documents -----------------------------------------------------------------------------
def doc(doc_id, title, language, date=None, path=""):
    from rag.schema import DocumentInfo

    return DocumentInfo(doc_id=doc_id, file=doc_id, title=title, language=language, date=date,
                        translation_group="g", chunks=3, path=path)


def test_document_filters_search_language_and_dates():
    from ui import doclist

    docs = [doc("a.txt", "Budget 2025", "en", "2025-03-01"),
            doc("b.txt", "Ngân sách", "vi", "2024-12-30"), doc("c.txt", "Без даты", "ru")]
    assert [d.doc_id for d in doclist.filter_docs(docs, "budget")] == ["a.txt"]
    assert [d.doc_id for d in doclist.filter_docs(docs, language="vi")] == ["b.txt"]
    assert [d.doc_id for d in doclist.filter_docs(docs, since="2025-01-01")] == ["a.txt"]
    assert [d.doc_id for d in doclist.filter_docs(docs, until="2024-12-31")] == ["b.txt"]
    html = doclist.table_html(doclist.filter_docs(docs), 3, "ru")
    assert "Вьетнамский" in html and "3 из 3" in html and 'translate="no"' in html


class DocEngine(FakeEngine):
    def __init__(self, undo=True):
        super().__init__()
        self.deleted, self.docs = set(), [doc("a.txt", "A", "en"), doc("b.txt", "B", "vi")]
        if undo:
            self.restore_document = self.deleted.discard

    def documents(self):
        return [d.model_copy(update={"deleted_at": 1.0 if d.doc_id in self.deleted else None})
                for d in self.docs]

    def delete_document(self, doc_id):
        if doc_id not in {d.doc_id for d in self.docs}:
            raise RagError(f"no document with id {doc_id!r} in the index", code="no_document")
        self.deleted.add(doc_id)


def test_delete_then_undo_says_what_happened(tmp_path):
    from tests.conftest import make_settings
    from ui import doclist
    from ui.services import Services

    services = Services(DocEngine(), make_settings(tmp_path / "data"))
    status, done = doclist.delete_docs(services, ["a.txt", "nope.txt"], "vi")
    assert done == ["a.txt"] and "Đã xóa a.txt" in status and "Hoàn tác" in status
    assert "nope.txt" in status and t("err_no_document", "vi") in status
    assert [d.doc_id for d in services.documents()] == ["b.txt"]
    assert "Đã khôi phục a.txt" in doclist.restore_docs(services, done, "vi")
    assert [d.doc_id for d in services.documents()] == ["a.txt", "b.txt"]
    hard = Services(DocEngine(undo=False), make_settings(tmp_path / "data2"))
    assert "Hoàn tác" not in doclist.delete_docs(hard, ["a.txt"], "vi")[0]
    assert t("undo_unavailable", "en") in doclist.restore_docs(hard, ["a.txt"], "en")


# -- evaluation tab -------------------------------------------------------------------
REPORT = {"summary": {"n": 87, "n_answerable": 72, "n_unanswerable": 15,
                      "retrieval": {"hit_at_1": 0.93}, "abstain": {"recall": 0.6},
                      "answer": {"correct": 0.8611, "language_match": 1.0,
                                 "lead_precision": 0.9, "n_leads_given": 50,
                                 "n_leads_right": 45},
                      "latency_ms": {"p50": 93.6},
                      "confidence": {"computed": True, "levels": {
                          "strong": {"n": 40, "correct": 0.95}, "weak": {"n": 10, "correct": 0.4}}}},
          "config": {"duration_s": 21.4},
          "by_language": {"vi": {"n": 30, "n_answerable": 24,
                                 "answer": {"correct": 0.9, "lead_precision": 0.8}}},
          "questions": [{"id": "q1", "question": "When?", "answerable": True, "correct": False,
                         "expected": "On October 31.", "answer_text": "Not found"},
                        {"id": "q2", "question": "Ok?", "answerable": True, "correct": True}]}


def test_report_view_in_plain_language_with_a_download(tmp_path):
    reports = tmp_path / "reports"
    for name in ("20250101-000000", "20250102-000000"):
        (reports / name).mkdir(parents=True)
        (reports / name / "report.json").write_text(json.dumps(REPORT), encoding="utf-8")
    (reports / "20250102-000000" / "report.html").write_text("<html>r</html>", encoding="utf-8")
    (reports / "not-a-report").mkdir()
    assert evaltab.list_reports(reports) == ["20250102-000000", "20250101-000000"]
    summary, details, path = evaltab.report_view(reports, "20250102-000000", "en")
    assert "86 % of the questions that the articles answer were answered correctly (62 of 72)" \
        in summary
    assert "6 of 15 questions that the articles cannot answer still got an answer" in summary
    shown = re.sub(r"<[^>]+>", " ", summary)  # the technical names are tooltips only
    assert "hit" not in shown.lower() and "mrr" not in shown.lower() and "hit@1" in summary
    # lead precision beside "correct", in plain words; the charts are in the tab
    assert re.search(r"86 %.*answered correctly.*90 %.*bold answer lines right", shown)
    assert "right 90 % of the times one was given (45 of 50" in shown
    assert "took 21 s" in shown and 'id="chart-languages"' in summary
    assert 'id="chart-confidence"' in summary and "40 answers" in shown and "95 %" in shown
    assert "On October 31." in details and "Ok?" not in details
    assert path and Path(path).read_text() == "<html>r</html>" and str(reports) not in path
    summary_ru, _, _ = evaltab.report_view(reports, "20250102-000000", "ru")
    assert "86 %" in summary_ru and "Вьетнамский" in summary_ru
    assert evaltab.report_view(reports, "../../etc", "en")[0].count("not found") == 1
    assert evaltab.report_choices(reports, "vi")[0] == ("Lần kiểm tra 2025-01-02 00:00",
                                                       "20250102-000000")


# -- building the app -----------------------------------------------------------------
def test_build_app_and_launch_settings(tmp_path):
    import gradio as gr

    from tests.conftest import make_settings
    from ui.app import build_app, launch_kwargs

    settings = make_settings(tmp_path / "data")
    demo = build_app(FakeEngine(), settings)
    assert isinstance(demo, gr.Blocks)
    names = {d.api_name for d in demo.fns.values() if d.api_name}
    assert {"chat", "ask", "upload", "documents", "document_text", "delete_document",
            "restore_document", "feedback", "eval"} <= names
    assert {"whoami", "audit_log"} <= names
    kwargs = launch_kwargs(settings)
    assert kwargs["server_name"] == "127.0.0.1" and kwargs["server_port"] == 7860
    assert kwargs["auth_dependency"] is None and kwargs["max_file_size"] == 10 * 1024 * 1024
    assert kwargs["footer_links"] == [] and len(kwargs["app_kwargs"]["middleware"]) == 1
    services = demo.ui_services
    assert not services.login_required  # no account: nobody signs in (127.0.0.1 only)
    assert (tmp_path / "data" / "app-state.db").is_file()
    signed = launch_kwargs(settings, "0.0.0.0", 9000, state=services.state)
    assert signed["server_port"] == 9000 and callable(signed["auth_dependency"])
    assert [m.cls.__name__ for m in signed["app_kwargs"]["middleware"]] == ["AuthGate",
                                                                           "PageScript"]


def test_page_html_gets_the_script_and_the_language_of_the_request():
    from ui.pagehtml import PageScript
    from ui.pagetext import request_language

    inject = PageScript(None, script="var x = 1;").inject
    page = inject(b'<html\n\tlang="en" style="x"><head></head></html>', "ru", "auto")
    assert page.startswith(b'<html lang="ru" data-nr-choice="auto"')
    assert b"<script>var x = 1;</script></head>" in page
    assert request_language([(b"cookie", b"a=1; newsrag_lang=vi")]) == ("vi", "vi", None)
    assert request_language([(b"cookie", b"newsrag_lang=de; newsrag_sidebar=1"),
                             (b"accept-language", b"ru-RU,ru;q=0.9")]) == ("auto", "ru", True)
    assert request_language([(b"cookie", b"newsrag_lang=auto"),
                             (b"accept-language", b"de")]) == ("auto", "en", None)


def test_first_render_config_is_in_the_language_of_the_request(tmp_path):
    """The config the server sends (in the page and at /config) carries every bound
    label in the request's language, the selector's choice and the tab title."""
    from tests.conftest import make_settings
    from ui.app import build_app
    from ui.pagehtml import PageScript

    demo = build_app(FakeEngine(), make_settings(tmp_path / "data"))
    config = demo.get_config_file()
    middleware = PageScript(None, script="", page_text=demo.ui_page_text)
    page = ('<html lang="en"><head><script>window.gradio_config = '
            + json.dumps(config, default=str) + ';</script></head></html>').encode()
    out = middleware.inject(page, "vi", "auto", True).decode()
    embedded = json.loads(out.split("window.gradio_config = ", 1)[1].split(";</script>", 1)[0])
    props = {c["props"].get("elem_id"): c["props"] for c in embedded["components"]}
    assert embedded["title"] == t("title", "vi")
    assert props["chatbot"]["placeholder"] == t("chat_placeholder", "vi")
    assert props["conv-list"]["label"] == t("conv_list", "vi")
    assert props["export-btn"]["label"] == t("export_answer", "vi")
    assert props["lang-select"]["value"] == "auto" and props["ui-lang"]["value"] == "vi"
    assert props["conv-sidebar"]["open"] is True
    assert t("sources_empty", "vi") in props["sources"]["value"]
    via_api = json.loads(middleware.config(json.dumps(config, default=str).encode(), "ru", "ru"))
    ru = {c["props"].get("elem_id"): c["props"] for c in via_api["components"]}
    assert ru["send-btn"]["value"] == "Спросить" and ru["lang-select"]["value"] == "ru"
    assert "<" not in out.split("window.gradio_config = ", 1)[1].split(";</script>")[0]


def test_sign_in_page_follows_the_apps_language_rule_and_names_the_app():
    """The sign-in page (ui.login, before Gradio) picks its language as the app does:
    ?lang=, else the choice kept in the cookie, else (Auto) the browser's languages."""
    from starlette.requests import Request

    from ui.login import page_language
    from ui.login_page import login_page_html
    from ui.render import esc

    def request(cookie: str = "", accept: str = "", query: str = "") -> Request:
        return Request({"type": "http", "method": "GET", "path": "/login",
                        "query_string": query.encode(),
                        "headers": [(b"cookie", cookie.encode()),
                                    (b"accept-language", accept.encode())]})

    assert page_language(request("newsrag_lang=auto", "ru-RU,ru;q=0.9,en;q=0.8")) == "ru"
    assert page_language(request("newsrag_lang=vi", "ru-RU")) == "vi"
    assert page_language(request("", "de, en;q=0.5, vi;q=0.8")) == "vi"
    assert page_language(request("newsrag_lang=xx", "de")) == "en"
    assert page_language(request("newsrag_lang=vi", "ru", "lang=en")) == "en"
    for lang in ("vi", "en", "ru"):
        html = login_page_html(lang)
        assert f'<html lang="{lang}"' in html and esc(t("title", lang)) in html
        assert esc(t("login_hint", lang)) in html and esc(t("login_button", lang)) in html


def test_ui_imports_only_core():
    import ast

    root = Path(__file__).resolve().parents[2] / "ui"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert name.split(".")[0] not in ("eval", "ingest", "cli", "bench"), (path, name)


def test_how_the_question_was_read__shows_in_the_bubble_above_the_answer(engine):
    # issue 26: the tone-restoration notice was only in the sources drawer
    answer = engine.answer("nghe an xuat khau bao nhieu")
    tip = next(n.message for n in answer.notices if n.code == "no_tone_marks")
    turn = answering.new_turn(answer.question, "vi")
    answering.finish_turn(engine, turn, answer, "vi", 0)
    bubble = turn["answer_md"]
    assert bubble.startswith("ℹ") and tip.split("«")[0].strip() in bubble
    assert bubble.index("ℹ") < bubble.index(render.answer_markdown(answer.text).split("\n")[0])


def test_a_stand_alone_question__has_no_reading_line(engine):
    answer = engine.answer("Nghệ An xuất khẩu bao nhiêu?")
    turn = answering.new_turn(answer.question, "vi")
    answering.finish_turn(engine, turn, answer, "vi", 0)
    assert "ℹ" not in turn["answer_md"]
