"""The Documents page: upload, add by link (ui.weblinks), a searchable list (title,
language, publication date), delete with confirmation and undo, and "ask about the
selected articles"."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from ui import access, doclist, render, weblinks
from ui.dates import DateRefused
from ui.i18n import t


def build(shell) -> SimpleNamespace:
    L, services = shell.labels, shell.services
    d = SimpleNamespace()
    mb = f"{services.settings.ui.max_upload_mb:g}"
    suffixes = ", ".join(services.upload_suffixes)
    with gr.Row(equal_height=False, elem_id="docs-row"):
        with gr.Column(scale=2, min_width=300):
            d.files = L.make(gr.File, props={"label": lambda lg: t("upload", lg, mb=mb,
                                                                    suffixes=suffixes)},
                             file_count="multiple", file_types=list(services.upload_suffixes),
                             type="filepath", elem_id="upload")
            d.ingest = L.make(gr.Button, props={"value": "ingest"}, variant="primary",
                              elem_id="ingest-btn")
            d.ingest_status = gr.HTML("", elem_id="ingest-status")
            if services.web_ingest is not None:
                weblinks.build(d, L)
        with gr.Column(scale=3, min_width=300):
            with gr.Row():
                d.search = L.make(gr.Textbox, props={"label": "doc_search"}, max_lines=1,
                                  elem_id="doc-search", scale=3)
                d.language = L.make(gr.Dropdown, props={"label": "doc_lang_filter",
                                                        "choices": doclist.language_filter_choices},
                                    value="all", elem_id="doc-lang", scale=1, min_width=170)
            with gr.Row():
                d.since = L.make(gr.Textbox, props={"label": "doc_since",
                                                    "placeholder": "date_from_hint"},
                                 max_lines=1, elem_id="doc-since")
                d.until = L.make(gr.Textbox, props={"label": "doc_until",
                                                    "placeholder": "date_until_hint"},
                                 max_lines=1, elem_id="doc-until")
            d.pick = L.make(gr.Dropdown, props={"label": "doc_select"}, choices=[], value=[],
                            multiselect=True, elem_id="doc-select", interactive=True)
            _actions(d, L)
    d.table = gr.HTML("", elem_id="docs-table")
    d.refresh = L.make(gr.Button, props={"value": "refresh"}, size="sm", elem_id="refresh-btn")
    d.text = L.make(gr.Textbox, props={"label": "doc_text"}, lines=10, max_lines=24,
                    interactive=False, elem_id="doc-text", visible=False)
    return d


def _actions(d, L) -> None:
    with gr.Row(elem_id="doc-actions"):
        d.view = L.make(gr.Button, props={"value": "view"}, size="sm", elem_id="view-btn")
        d.ask = L.make(gr.Button, props={"value": "ask_selected"}, size="sm", elem_id="ask-btn")
        d.delete = L.make(gr.Button, props={"value": "delete"}, size="sm", variant="stop",
                          elem_id="delete-btn")
    with gr.Group(visible=False, elem_id="confirm-box") as d.confirm_box:
        d.confirm_text = gr.HTML("", elem_id="confirm-text")
        with gr.Row():
            d.yes = L.make(gr.Button, props={"value": "confirm_yes"}, size="sm", variant="stop",
                           elem_id="confirm-yes")
            d.no = L.make(gr.Button, props={"value": "confirm_no"}, size="sm",
                          elem_id="confirm-no")
    d.status = gr.HTML("", elem_id="doc-status")
    d.undo = L.make(gr.Button, props={"value": "undo"}, size="sm", visible=False,
                    elem_id="undo-btn")
    d.pending = gr.State([])  # the ids of the last deletion, for Undo


def list_view(services, query, language, since, until, picked, lang) -> tuple:
    """(table html, selection dropdown update) for the current filters; a date that
    cannot be read is said above the list, which is then filtered without it."""
    docs = services.documents()
    refused = ""
    try:
        shown = doclist.filter_docs(docs, query, language, since, until, lang)
    except DateRefused as exc:
        refused = render.status_html("error", exc.message)
        shown = doclist.filter_docs(docs, query, language, lang=lang)
    choices = doclist.choices(shown)
    valid = {v for _, v in choices}
    return (refused + doclist.table_html(shown, len(docs), lang),
            gr.update(choices=choices, value=[p for p in (picked or []) if p in valid]))


def wire(shell, d, c) -> None:
    """Documents events; `c` is the chat page (for "ask about the selected")."""
    s, services = shell, shell.services
    filters = [d.search, d.language, d.since, d.until, d.pick, s.ui_lang]

    def refresh(query, language, since, until, picked, lang):
        table, pick = list_view(services, query, language, since, until, picked, lang)
        all_docs = doclist.choices(services.documents())
        return {d.table: table, d.pick: pick, c.scope_docs: gr.update(choices=all_docs)}

    listed = [d.table, d.pick, c.scope_docs]
    s.refresh_docs = (refresh, filters, listed)
    s.tab_of["docs"].select(refresh, inputs=filters, outputs=listed, api_visibility="private",
                            show_progress="hidden")
    for box in (d.search, d.language, d.since, d.until):
        box.change(refresh, inputs=filters, outputs=listed, api_visibility="private",
                   show_progress="hidden")

    def refreshed(*args):
        return {**refresh(*args), d.status: render.status_html("ok", t("list_refreshed",
                                                                      args[-1]))}

    d.refresh.click(refreshed, inputs=filters, outputs=[*listed, d.status],
                    api_visibility="private")

    def ingest(paths, query, language, since, until, picked, lang, request: gr.Request,
               progress=gr.Progress()):  # noqa: B008
        who = access.require(services, request, "edit_documents", lang)

        def cb(done, total, _label):  # the label is the ingest's English log line
            progress((round(done, 1), total), desc=t("ingest_progress", lang),
                     unit=t("unit_documents", lang))

        status = doclist.ingest_uploads(services, paths or [], lang, cb, who.name)
        return {d.ingest_status: status, d.files: None,
                **refresh(query, language, since, until, picked, lang)}

    d.ingest.click(ingest, inputs=[d.files, *filters], outputs=[d.ingest_status, d.files, *listed],
                   api_name="upload", concurrency_limit=1, concurrency_id="index_write")
    if services.web_ingest is not None:
        weblinks.wire(s, d, refresh, filters, listed)
    _wire_selection(s, d, c)
    _wire_delete(s, d, refresh, filters, listed)


def _wire_selection(s, d, c) -> None:
    services = s.services

    def view_text(picked, lang, request: gr.Request):
        access.require(services, request, "read_documents", lang)
        if len(picked or []) != 1:
            return {d.status: render.status_html("info", t("pick_one", lang)),
                    d.text: gr.update(visible=False)}
        try:
            text = services.engine.document_text(picked[0])
        except Exception as exc:
            return {d.status: render.status_html("error", doclist.error_message(exc, lang)),
                    d.text: gr.update(visible=False)}
        return {d.text: gr.update(value=text, visible=True),
                d.status: render.status_html("ok", t("shown_text", lang,
                                                     file=doclist.names(services, picked)))}

    d.view.click(view_text, inputs=[d.pick, s.ui_lang], outputs=[d.text, d.status],
                 api_visibility="private")

    def ask_about(picked, lang):
        if not picked:
            return {d.status: render.status_html("info", t("pick_first", lang))}
        return {c.scope_docs: gr.update(value=list(picked)), s.tabs: gr.Tabs(selected="chat"),
                d.status: render.status_html("ok", t("scope_set", lang, n=len(picked)))}

    d.ask.click(ask_about, inputs=[d.pick, s.ui_lang], outputs=[c.scope_docs, s.tabs, d.status],
                api_visibility="private")


def _wire_delete(s, d, refresh, filters, listed) -> None:
    services = s.services
    hidden = gr.update(visible=False)

    def ask_confirm(picked, lang, request: gr.Request):
        access.require(services, request, "edit_documents", lang)
        if not picked:
            return {d.status: render.status_html("info", t("pick_first", lang)),
                    d.confirm_box: hidden}
        text = t("confirm_delete", lang, n=len(picked), files=doclist.names(services, picked))
        return {d.confirm_box: gr.update(visible=True), d.status: "",
                d.confirm_text: render.status_html("warn", text)}

    d.delete.click(ask_confirm, inputs=[d.pick, s.ui_lang],
                   outputs=[d.confirm_box, d.status, d.confirm_text], api_visibility="private")
    d.no.click(lambda lang: {d.confirm_box: hidden,
                             d.status: render.status_html("info", t("delete_cancelled", lang))},
               inputs=[s.ui_lang], outputs=[d.confirm_box, d.status], api_visibility="private")

    def confirmed(query, language, since, until, picked, lang, request: gr.Request):
        who = access.require(services, request, "edit_documents", lang)
        status, done = doclist.delete_docs(services, list(picked or []), lang, who.name)
        out = refresh(query, language, since, until, picked, lang)
        return {**out, d.status: status, d.confirm_box: hidden, d.pending: done,
                d.undo: gr.update(visible=bool(done) and services.can_undo_delete),
                d.text: gr.update(visible=False)}

    delete_outputs = [*listed, d.status, d.confirm_box, d.pending, d.undo, d.text]
    d.yes.click(confirmed, inputs=filters, outputs=delete_outputs, api_visibility="private",
                concurrency_limit=1, concurrency_id="index_write")

    def undo(pending, query, language, since, until, picked, lang, request: gr.Request):
        who = access.require(services, request, "edit_documents", lang)
        status = doclist.restore_docs(services, list(pending or []), lang, who.name)
        return {**refresh(query, language, since, until, picked, lang), d.status: status,
                d.pending: [], d.undo: hidden}

    d.undo.click(undo, inputs=[d.pending, *filters], outputs=[*listed, d.status, d.pending, d.undo],
                 api_visibility="private", concurrency_limit=1, concurrency_id="index_write")
