"""The Chat page: the conversation, the question box, the sources panel (a drawer on
phones), the 👎 reason form, the question scope and the answer export."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from rag.schema import Answer, Scope
from ui import answering, render
from ui.dates import DateRefused, parse_date
from ui.i18n import EXAMPLES, t

logger = logging.getLogger(__name__)

_EXPORT_DIR: Path | None = None


def build(shell) -> SimpleNamespace:
    """Lay out the page inside the current Tab; returns its components."""
    L = shell.labels
    c = SimpleNamespace()
    with gr.Row(equal_height=False, elem_id="chat-row"):
        with gr.Column(scale=3, min_width=320, elem_id="chat-col"):
            c.chatbot = L.make(
                gr.Chatbot, props={"label": "chat", "placeholder": "chat_placeholder"},
                elem_id="chatbot", height=520, buttons=["copy"],
                feedback_options=("Like", "Dislike"), layout="bubble", latex_delimiters=[],
                allow_tags=False, examples=[{"text": q} for q in EXAMPLES],
                # the page script scrolls a new answer's first line into view instead
                autoscroll=False)
            c.scope_line = gr.HTML("", elem_id="scope-line")
            with gr.Row(equal_height=True, elem_id="ask-row"):
                c.question = L.make(gr.Textbox, props={"label": "question",
                                                       "placeholder": "question_placeholder"},
                                    lines=1, max_lines=5, scale=6, elem_id="question",
                                    autofocus=True, show_label=False)
                c.send = L.make(gr.Button, props={"value": "send"}, variant="primary", scale=1,
                                min_width=80, elem_id="send-btn")
            _feedback_form(c, L)
            with gr.Row(elem_id="chat-tools"):
                c.clear = L.make(gr.Button, props={"value": "clear"}, size="sm",
                                 elem_id="clear-btn", variant="secondary")
                c.export = L.make(gr.DownloadButton, props={"label": "export_answer"}, size="sm",
                                  elem_id="export-btn", value=None, interactive=False)
            _scope_form(c, L, shell)
        with gr.Column(scale=2, min_width=300, elem_id="sources-col"):
            c.sources = gr.HTML(render.placeholder_html("en"), elem_id="sources")
    shell.page_text.add(c.sources, "value", lambda lang, choice: render.placeholder_html(lang))
    return c


def _feedback_form(c, L) -> None:
    with gr.Group(visible=False, elem_id="fb-panel") as c.fb_panel:
        c.fb_title = L.make(gr.Markdown, props={"value": lambda lg: f"**{t('fb_title', lg)}**"})
        c.fb_reason = L.make(gr.Radio, props={"label": "fb_reason", "choices": reason_choices,
                                              "info": "fb_reason_info"},
                             value=None, elem_id="fb-reason")
        c.fb_comment = L.make(gr.Textbox, props={"label": "comment"}, lines=2, max_lines=6,
                              elem_id="fb-comment")
        with gr.Row():
            c.fb_send = L.make(gr.Button, props={"value": "fb_send"}, size="sm",
                               variant="primary", elem_id="fb-send")
            c.fb_cancel = L.make(gr.Button, props={"value": "fb_cancel"}, size="sm",
                                 elem_id="fb-cancel")
    c.fb_status = gr.HTML("", elem_id="fb-status")
    c.fb_target = gr.State(-1)


def reason_choices(lang: str) -> list[tuple[str, str]]:
    from rag.state import REASONS

    return [(t(f"reason_{r}", lang), r) for r in REASONS]


def _scope_form(c, L, shell) -> None:
    with gr.Accordion(t("scope"), open=False, elem_id="scope-box") as c.scope_box:
        L.bind(c.scope_box, label="scope")
        c.scope_docs = L.make(gr.Dropdown, props={"label": "scope_docs"}, choices=[],
                              multiselect=True, elem_id="scope-docs", interactive=True)
        with gr.Row():
            c.since = L.make(gr.Textbox, props={"label": "scope_since",
                                                "placeholder": "date_from_hint"},
                             elem_id="scope-since", max_lines=1)
            c.until = L.make(gr.Textbox, props={"label": "scope_until",
                                                "placeholder": "date_until_hint"},
                             elem_id="scope-until", max_lines=1)
        c.scope_clear = L.make(gr.Button, props={"value": "scope_clear"}, size="sm",
                               elem_id="scope-clear")


# -- the question scope ------------------------------------------------------------
def parse_scope(doc_ids, since: str, until: str, lang: str) -> tuple[Scope | None, str | None]:
    """(scope or None, error message or None) from the scope form; dates as staff type
    them (ui.dates)."""
    try:
        start = parse_date(since, lang)
        end = parse_date(until, lang, end=True)
    except DateRefused as refused:
        return None, refused.message
    scope = Scope(doc_ids=list(doc_ids or []) or None, since=start, until=end)
    return (None if scope.is_empty() else scope), None


def scope_html(doc_ids, since: str, until: str, lang: str) -> str:
    scope, error = parse_scope(doc_ids, since, until, lang)
    if error:
        return render.status_html("error", error)
    if scope is None:
        return ""
    return render.status_html("info", t("scope_active", lang,
                                        what=render.scope_words(scope, lang)))


# -- exporting an answer ---------------------------------------------------------------
def export_file(turn: dict | None, ui_lang: str) -> str | None:
    """A Markdown file with the answer and its numbered sources, for the download button."""
    global _EXPORT_DIR
    if not turn or not turn.get("answer_json"):
        return None
    if _EXPORT_DIR is None:
        _EXPORT_DIR = Path(tempfile.mkdtemp(prefix="newsrag-export-"))
    answer = Answer.model_validate(turn["answer_json"])
    path = _EXPORT_DIR / f"answer-{turn['id']}.md"
    lang = answering.panel_language(turn, ui_lang)
    path.write_text(render.export_text(answer, lang, render.scope_words(turn.get("scope"), lang)),
                    encoding="utf-8")
    return str(path)


def export_update(turn: dict | None, ui_lang: str):
    path = export_file(turn, ui_lang)
    return gr.update(value=path, interactive=path is not None)


def turn_index(evt_index) -> int:
    index = evt_index if isinstance(evt_index, int) else evt_index[0]
    return index // 2


def shown_sources(shell, turns: list[dict], turn_no: int, ui_lang: str) -> str:
    """The panel of one turn, rendered now if it was loaded from disk or drawn in
    another interface language."""
    if not (0 <= turn_no < len(turns or [])):
        return render.placeholder_html(ui_lang)
    turn = turns[turn_no]
    if render.panel_lang(turn.get("sources_html") or "") != ui_lang:
        turn["sources_html"] = answering.render_sources(shell.services.engine, turn, ui_lang,
                                                        turn_no)
    return turn["sources_html"]
