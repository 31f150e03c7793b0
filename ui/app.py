"""The Gradio chat UI: `build_app(engine, settings)` and `serve(settings)`.

Tabs: Chat (streamed, cited answers with a sources panel), Documents (upload,
list, view, delete) and Evaluation (run eval/, browse reports). Handlers never
raise into Gradio: RagError becomes a readable message, anything else is logged
and replaced by a generic apology."""

from __future__ import annotations

import html
import logging
import threading

import gradio as gr

from ui import assets, render
from ui.i18n import EXAMPLES, LANGUAGE_CHOICES, t
from ui.state import UIContext
from ui.uploads import ALLOWED_SUFFIXES

logger = logging.getLogger(__name__)

def build_app(engine, settings) -> gr.Blocks:
    ctx = UIContext(engine, settings)

    with gr.Blocks(title="Newsroom Q&A", analytics_enabled=False) as demo:
        with gr.Row(equal_height=False):
            header = gr.HTML(render.header_html("en", engine.mode_label), scale=3,
                             elem_id="app-header")
            lang = gr.Radio(LANGUAGE_CHOICES, value="auto", label=t("language"), scale=2,
                            elem_id="lang-select")
        turns = gr.State([])
        shown_turn = gr.State(-1)

        with gr.Tabs():
            # ------------------------------------------------------------- chat
            with gr.Tab(t("tab_chat"), id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=380):
                        chatbot = gr.Chatbot(
                            label=t("chat"), elem_id="chatbot", height=540,
                            placeholder=t("chat_placeholder"), buttons=["copy", "copy_all"],
                            feedback_options=("Like", "Dislike"), layout="bubble",
                            latex_delimiters=[], allow_tags=False,
                        )
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(
                                label=t("question"), placeholder=t("question_placeholder"),
                                lines=1, max_lines=5, scale=6, elem_id="question",
                                autofocus=True,
                            )
                            send = gr.Button(t("send"), variant="primary", scale=1,
                                             min_width=90, elem_id="send-btn")
                        with gr.Row():
                            clear = gr.Button(t("clear"), size="sm", elem_id="clear-btn",
                                              variant="secondary")
                        examples = gr.Examples(EXAMPLES, inputs=[question], label=t("examples"),
                                               examples_per_page=6)
                        with gr.Accordion(t("feedback"), open=False,
                                          elem_id="feedback") as feedback_box:
                            comment = gr.Textbox(label=t("comment"), lines=2,
                                                 elem_id="feedback-comment")
                            with gr.Row():
                                up = gr.Button(t("helpful"), size="sm", elem_id="fb-up")
                                down = gr.Button(t("unhelpful"), size="sm", elem_id="fb-down")
                            fb_status = gr.Markdown(elem_id="fb-status")
                    with gr.Column(scale=2, min_width=320, elem_id="sources-col"):
                        sources = gr.HTML(render.placeholder_html("en"), label="sources",
                                          elem_id="sources", js_on_load=None)

            # -------------------------------------------------------- documents
            with gr.Tab(t("tab_docs"), id="docs", elem_id="tab-docs") as tab_docs:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=2):
                        files = gr.File(
                            label=t("upload", mb=f"{settings.ui.max_upload_mb:g}"),
                            file_count="multiple", file_types=list(ALLOWED_SUFFIXES),
                            type="filepath", elem_id="upload",
                        )
                        ingest_btn = gr.Button(t("ingest"), variant="primary",
                                               elem_id="ingest-btn")
                        ingest_status = gr.Markdown(elem_id="ingest-status")
                    with gr.Column(scale=3):
                        doc_pick = gr.Dropdown(choices=ctx.doc_choices(), value=None,
                                               label=t("doc_select"), elem_id="doc-select",
                                               interactive=True)
                        with gr.Row():
                            view_btn = gr.Button(t("view"), size="sm", elem_id="view-btn")
                            delete_btn = gr.Button(t("delete"), size="sm", variant="stop",
                                                   elem_id="delete-btn")
                        doc_status = gr.Markdown(elem_id="doc-status")
                        doc_text = gr.Textbox(label=t("doc_text"), lines=12, max_lines=24,
                                              interactive=False, elem_id="doc-text",
                                              buttons=["copy"])
                docs_table = gr.Dataframe(
                    value=ctx.doc_rows(), headers=ctx.doc_headers("en"), label=t("documents"),
                    interactive=False, wrap=True, elem_id="docs-table",
                    column_widths=["20%", "8%", "10%", "20%", "7%", "35%"],
                )
                refresh_btn = gr.Button(t("refresh"), size="sm", elem_id="refresh-btn")

            # ------------------------------------------------------------- eval
            with gr.Tab(t("tab_eval"), id="eval", elem_id="tab-eval") as tab_eval:
                eval_ok = ctx.eval_available()
                eval_intro = gr.Markdown(t("eval_intro") if eval_ok else t("eval_unavailable"))
                with gr.Row():
                    eval_btn = gr.Button(t("eval_run"), variant="primary", interactive=eval_ok,
                                         elem_id="eval-btn")
                    reports = gr.Dropdown(choices=ctx.reports(), label=t("eval_reports"),
                                          interactive=True, elem_id="eval-reports")
                eval_status = gr.Markdown()
                eval_summary = gr.Markdown(elem_id="eval-summary")
                eval_plots = gr.Gallery(label=t("eval_plots"), columns=3, height=380,
                                        object_fit="contain", elem_id="eval-plots")
                with gr.Accordion(t("eval_details"), open=False) as eval_details_box:
                    eval_details = gr.Markdown(elem_id="eval-details")

        # ============================================================ handlers
        def respond(q, lang_choice, turns_in):
            yield from ctx.respond(q, lang_choice, turns_in)

        chat_outputs = [chatbot, sources, question, turns, shown_turn]
        question.submit(respond, inputs=[question, lang, turns], outputs=chat_outputs,
                        api_name="chat", show_progress="minimal")
        send.click(respond, inputs=[question, lang, turns], outputs=chat_outputs,
                   api_visibility="private", show_progress="minimal")

        def do_clear(lang_choice):
            return [], render.placeholder_html(lang_choice), "", [], -1, ""

        clear.click(do_clear, inputs=[lang], outputs=[*chat_outputs, fb_status],
                    api_visibility="private", queue=False)
        chatbot.clear(do_clear, inputs=[lang], outputs=[*chat_outputs, fb_status],
                      api_visibility="private", queue=False)

        def show_turn(turns_in, current, evt: gr.SelectData):
            index = evt.index if isinstance(evt.index, int) else evt.index[0]
            turn_no = index // 2
            if turn_no == current or not (0 <= turn_no < len(turns_in or [])):
                return gr.update(), current
            return turns_in[turn_no]["sources_html"], turn_no

        chatbot.select(show_turn, inputs=[turns, shown_turn], outputs=[sources, shown_turn],
                       api_visibility="private", show_progress="hidden")

        def on_like(turns_in, text, lang_choice, evt: gr.LikeData):
            liked = evt.liked
            rating = "up" if liked in (True, "Like") else "down" if liked in (False, "Dislike") \
                else None
            index = evt.index if isinstance(evt.index, int) else evt.index[0]
            status, box = ctx.feedback(turns_in, index // 2, rating, text, lang_choice)
            if isinstance(status, str):  # the status line may be folded away: a toast too
                gr.Info(status.lstrip("✅❌ "))
            return status, box

        chatbot.like(on_like, inputs=[turns, comment, lang], outputs=[fb_status, comment],
                     api_visibility="private")
        up.click(lambda tr, c, lc: ctx.feedback(tr, -1, "up", c, lc),
                 inputs=[turns, comment, lang], outputs=[fb_status, comment],
                 api_visibility="private")
        down.click(lambda tr, c, lc: ctx.feedback(tr, -1, "down", c, lc),
                   inputs=[turns, comment, lang], outputs=[fb_status, comment],
                   api_visibility="private")

        # documents
        def ingest(paths, lang_choice, progress=gr.Progress()):  # noqa: B008
            def cb(i, total, name):
                progress((i, total), desc=f"{name}", unit="documents")

            status = ctx.ingest_uploads(paths or [], cb)
            return status, None, *ctx.docs_outputs(lang_choice)

        doc_outputs = [docs_table, doc_pick]
        ingest_btn.click(ingest, inputs=[files, lang],
                         outputs=[ingest_status, files, *doc_outputs],
                         api_name="upload", concurrency_limit=1, concurrency_id="index_write")
        refresh_btn.click(lambda lc: ctx.docs_outputs(lc), inputs=[lang], outputs=doc_outputs,
                          api_visibility="private")
        view_btn.click(ctx.view_document, inputs=[doc_pick], outputs=[doc_text, doc_status],
                       api_visibility="private")
        doc_pick.change(ctx.view_document, inputs=[doc_pick], outputs=[doc_text, doc_status],
                        api_visibility="private", show_progress="hidden")

        def delete(doc_id, lang_choice):
            status = ctx.delete_document(doc_id)
            return status, "", *ctx.docs_outputs(lang_choice)

        delete_btn.click(delete, inputs=[doc_pick, lang],
                         outputs=[doc_status, doc_text, *doc_outputs],
                         api_visibility="private", concurrency_limit=1,
                         concurrency_id="index_write")

        # eval
        def run_eval(progress=gr.Progress()):  # noqa: B008
            def cb(done, total):
                progress((done, total), desc="eval", unit="questions")

            name, message = ctx.run_eval(cb)
            return gr.update(choices=ctx.reports(), value=name), message, *ctx.report_view(name)

        report_outputs = [eval_summary, eval_plots, eval_details]
        eval_btn.click(run_eval, outputs=[reports, eval_status, *report_outputs],
                       api_name="eval", concurrency_limit=1, concurrency_id="eval")
        reports.change(lambda name: ctx.report_view(name), inputs=[reports],
                       outputs=report_outputs, api_visibility="private")

        # a new page shows the current documents and the newest report
        def on_load():
            names = ctx.reports()
            docs_table_update, doc_pick_update = ctx.docs_outputs("en")
            newest = names[0] if names else None
            return (docs_table_update, doc_pick_update,
                    gr.Dropdown(choices=names, value=newest), *ctx.report_view(newest))

        demo.load(on_load, outputs=[docs_table, doc_pick, reports, *report_outputs],
                  api_visibility="private", show_progress="hidden")

        # interface language
        def relabel(lang_choice, turns_in):
            lc = lang_choice
            return (
                render.header_html(lc, engine.mode_label),
                gr.Radio(label=t("language", lc)),
                gr.Tab(label=t("tab_chat", lc)),
                gr.Tab(label=t("tab_docs", lc)),
                gr.Tab(label=t("tab_eval", lc)),
                gr.Chatbot(label=t("chat", lc), placeholder=t("chat_placeholder", lc)),
                gr.Textbox(label=t("question", lc), placeholder=t("question_placeholder", lc)),
                gr.Button(t("send", lc)),
                gr.Button(t("clear", lc)),
                gr.Dataset(label=t("examples", lc)),
                gr.Accordion(label=t("feedback", lc)),
                gr.Textbox(label=t("comment", lc)),
                gr.Button(t("helpful", lc)),
                gr.Button(t("unhelpful", lc)),
                gr.update() if turns_in else render.placeholder_html(lc),
                gr.File(label=t("upload", lc, mb=f"{settings.ui.max_upload_mb:g}")),
                gr.Button(t("ingest", lc)),
                gr.Dropdown(label=t("doc_select", lc)),
                gr.Button(t("view", lc)),
                gr.Button(t("delete", lc)),
                gr.Textbox(label=t("doc_text", lc)),
                gr.Dataframe(label=t("documents", lc), headers=ctx.doc_headers(lc),
                             value=ctx.doc_rows()),
                gr.Button(t("refresh", lc)),
                t("eval_intro", lc) if eval_ok else t("eval_unavailable", lc),
                gr.Button(t("eval_run", lc)),
                gr.Dropdown(label=t("eval_reports", lc)),
                gr.Gallery(label=t("eval_plots", lc)),
                gr.Accordion(label=t("eval_details", lc)),
            )

        lang.change(
            relabel, inputs=[lang, turns],
            outputs=[header, lang, tab_chat, tab_docs, tab_eval, chatbot, question, send, clear,
                     examples.dataset, feedback_box, comment, up, down, sources, files,
                     ingest_btn, doc_pick, view_btn, delete_btn, doc_text, docs_table,
                     refresh_btn, eval_intro, eval_btn, reports, eval_plots, eval_details_box],
            api_visibility="private", show_progress="hidden", queue=False,
        )

        # API-only endpoints (JSON in, JSON out; failures raise gr.Error with the reason).
        def ask(question: str, lang: str = "auto") -> dict:
            """Answer one question (lang: auto, vi, en or ru); returns the answer,
            its citations and the retrieved passages as JSON."""
            return ctx.ask(question, lang)

        def documents() -> list[dict]:
            """The indexed documents: doc_id, file, title, language, date,
            translation_group, chunks."""
            return _api_call(ctx.documents_json)

        def document_text(doc_id: str) -> str:
            """The full text of one indexed document."""
            return _api_call(engine.document_text, doc_id)

        def delete_document(doc_id: str) -> str:
            """Remove a document from the index (and its file if it was uploaded)."""
            return _api_call(ctx.delete, doc_id)

        def feedback(question: str, answer: str, sources: list[str], mode: str, rating: str,
                     comment: str = "", lang: str = "auto") -> dict:
            """Rate an answer (rating: up or down); appends one line to feedback.jsonl."""
            return _api_call(ctx.record_feedback, question, answer, sources, mode, rating,
                             comment, lang)

        gr.api(ask, api_name="ask")
        gr.api(feedback, api_name="feedback")
        gr.api(documents, api_name="documents")
        gr.api(document_text, api_name="document_text")
        gr.api(delete_document, api_name="delete_document", concurrency_limit=1,
               concurrency_id="index_write")

    demo.ui_context = ctx  # for tests and embedding
    return demo


def _api_call(fn, *args):
    from rag.errors import RagError

    try:
        return fn(*args)
    except RagError as exc:
        raise gr.Error(html.escape(str(exc), quote=False), print_exception=False) from None
    except Exception:
        logger.exception("API call %s failed", getattr(fn, "__name__", fn))
        raise gr.Error("internal error; see the server log", print_exception=False) from None


def _warm_up() -> None:
    """Load the language detector's models now rather than during a user's first
    question (lingua loads them lazily: several seconds on 2 cores)."""
    try:
        from rag.language import detect_language

        detect_language("festival hotel radio general normal animal capital total")
    except Exception as exc:  # only an optimisation
        logger.debug("warm-up failed: %s", exc)


def launch_kwargs(settings, host: str | None = None, port: int | None = None) -> dict:
    auth = settings.ui_credentials() or None
    return {
        "server_name": host or settings.ui.host,
        "server_port": port or settings.ui.port,
        "auth": auth,
        "auth_message": "Newsroom Q&A" if auth else None,
        "max_file_size": int(settings.ui.max_upload_mb * 1024 * 1024),
        "allowed_paths": [],
        "ssr_mode": False,
        "theme": gr.themes.Soft(primary_hue="indigo", secondary_hue="sky"),
        "css": assets.CSS,
        "head": assets.HEAD,
        "show_error": False,
    }


def serve(settings, host: str | None = None, port: int | None = None) -> None:
    """Build the engine (ingesting the seeds into an empty index) and run the UI."""
    from rag.engine import Engine

    engine = Engine.from_settings(settings)
    if engine.ensure_index(show_progress=True):
        logger.info("ingested %s into the empty index", settings.corpus_dir)
    threading.Thread(target=_warm_up, name="ui-warm-up", daemon=True).start()
    demo = build_app(engine, settings)
    demo.queue(default_concurrency_limit=settings.ui.concurrency)
    kwargs = launch_kwargs(settings, host, port)
    if not kwargs["auth"] and kwargs["server_name"] not in ("127.0.0.1", "localhost", "::1"):
        logger.warning("the UI listens on %s without a login: anyone who can reach it can ask, "
                       "upload and delete documents; set RAG_UI_AUTH=user:password",
                       kwargs["server_name"])
    logger.info("answer mode: %s", engine.mode_label)
    _, local_url, _ = demo.launch(prevent_thread_lock=True, **kwargs)
    logger.info("Newsroom Q&A is running at %s (mode: %s%s)", local_url, engine.mode_label,
                ", login required" if kwargs["auth"] else "")
    try:
        demo.block_thread()
    finally:
        demo.close()


__all__ = ["build_app", "launch_kwargs", "serve"]
