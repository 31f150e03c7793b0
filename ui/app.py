"""The Gradio app: `build_app(engine, settings, ...)` and `serve(engine, settings, ...)`.

Pages: Chat (ui.chat, ui.chat_events, with the conversations sidebar ui.sidebar),
Documents (ui.documents), Review (ui.review) and Quality check (ui.evaltab); the
JSON API is ui.api. The composition layer (cli/) hands in what the UI may not import:
the eval runner and the upload suffixes of the ingest loaders."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from types import SimpleNamespace

import gradio as gr

from rag.errors import ConfigError
from ui import answering, api, assets, chat, chat_events, documents, evaltab, render, review, sidebar
from ui.i18n import Labels, language_choices, resolve_language, t
from ui.pagetext import PageText, request_language
from ui.services import EvalRunner, Services
from ui.uploads import ALLOWED_SUFFIXES

logger = logging.getLogger(__name__)

# The selector: the page keeps the choice (a cookie the server reads on every page and
# event), the server decides the language (ui.i18n.resolve_language), then the page
# script applies it to what Gradio draws itself.
JS_CHOOSE = "(choice, ...rest) => { if (window.newsrag) window.newsrag.save(choice); " \
            "return [choice, ...rest]; }"
JS_APPLY = "(lang) => { if (window.newsrag) window.newsrag.apply(lang); }"


def build_app(engine, settings, *, eval_runner: EvalRunner | None = None,
              upload_suffixes: Sequence[str] | None = None) -> gr.Blocks:
    services = Services(engine, settings, eval_runner, upload_suffixes or ALLOWED_SUFFIXES)
    shell = SimpleNamespace(services=services, labels=Labels())
    L = shell.labels
    shell.page_text = PageText(L, render.login_html)
    with gr.Blocks(title=t("title"), analytics_enabled=False) as demo:
        shell.session = gr.BrowserState({}, storage_key="newsrag-session")
        shell.turns, shell.shown_turn, shell.conv = gr.State([]), gr.State(-1), gr.State({})
        shell.ui_lang = gr.Textbox("en", visible=False, elem_id="ui-lang")
        with gr.Row(equal_height=False, elem_id="header-row"):
            shell.header = gr.HTML(render.header_html("en", services.mode, services.model, False),
                                   elem_id="app-header", scale=3)
            shell.lang = L.make(gr.Radio, props={"label": "language", "choices": language_choices},
                                value="auto", elem_id="lang-select", scale=2, min_width=260)
        _first_render(shell)
        api.register(services)  # first: the API keeps its plain names (/ask, /feedback, ...)
        bar = sidebar.build(shell)
        shell.conv_list = bar.listing
        pages = _tabs(shell)
        c, d, r, e = pages
        chat_events.wire(shell, c)
        sidebar.wire(shell, c, bar)
        documents.wire(shell, d, c)
        review.wire(shell, r)
        evaltab.wire(shell, e)
        _wire_language(shell, *pages)
    demo.ui_services = services  # for tests and embedding
    demo.ui_page_text = shell.page_text  # for the middleware (launch_kwargs)
    return demo


def _first_render(shell) -> None:
    """What the server puts into the first render besides the bound labels."""
    services, text = shell.services, shell.page_text
    text.add(shell.lang, "value", lambda lang, choice: choice)
    text.add(shell.ui_lang, "value", lambda lang, choice: lang)
    text.add(shell.header, "value",
             lambda lang, choice: render.header_html(lang, services.mode, services.model, False))


def _tabs(shell):
    L = shell.labels
    built = []
    with gr.Tabs(elem_id="tabs") as shell.tabs:
        for key, tab_id, module in (("tab_chat", "chat", chat), ("tab_docs", "docs", documents),
                                    ("tab_review", "review", review),
                                    ("tab_eval", "eval", evaltab)):
            with gr.Tab(t(key), id=tab_id, elem_id=f"tab-{tab_id}") as tab:
                L.bind(tab, label=key)
                built.append(module.build(shell))
            setattr(shell, f"{tab_id}_tab", tab)
    return built


def _wire_language(shell, c, d, r, e) -> None:
    """The language: chosen in the page (stored in the browser), then every label,
    list and panel is redrawn in it. Page load does the same, and restores the open
    conversation, the documents, the review list and the newest report."""
    services = shell.services
    docs_fn, docs_in, docs_out = shell.refresh_docs
    review_fn, review_in, review_out = shell.refresh_review

    def redraw(lang, turns, shown, report, *filters):
        out = dict(shell.labels.updates(lang))
        out[shell.header] = render.header_html(lang, services.mode, services.model)
        names = evaltab.list_reports(services.reports_dir)
        for more in (docs_fn(*filters[:5], lang), review_fn(*filters[5:9], lang),
                     shell.eval_view(report or (names[0] if names else None), lang)):
            _merge(out, more)
        out[c.sources] = chat.shown_sources(shell, turns or [], shown, lang) if turns \
            else render.placeholder_html(lang)
        if turns:  # the badges and limit lines of the answers, in the new language
            _merge(out, {c.chatbot: gr.update(value=answering.messages(turns, lang))})
        return out

    filters = [*docs_in[:5], *review_in[:4]]
    inputs = [shell.turns, shell.shown_turn, e.reports, *filters]
    outputs = [*shell.labels.components, shell.header, *docs_out, *review_out, e.summary,
               e.details, e.download, e.reports, c.sources, shell.ui_lang, c.chatbot]

    # Gradio hands the request only to a named parameter: the filters are spelled out
    def choose(choice, turns, shown, report, query, language, since, until, picked, kind,
               reason, rsearch, rpicked, request: gr.Request):
        lang = resolve_language(choice, _header(request, "accept-language"))
        out = redraw(lang, turns, shown, report, query, language, since, until, picked, kind,
                     reason, rsearch, rpicked)
        return {**out, shell.ui_lang: lang}

    shell.lang.input(choose, inputs=[shell.lang, *inputs], outputs=outputs, js=JS_CHOOSE,
                     api_visibility="private", show_progress="hidden").then(
        None, inputs=[shell.ui_lang], js=JS_APPLY, api_visibility="private", queue=False)

    def load(session, turns, shown, report, query, language, since, until, picked, kind,
             reason, rsearch, rpicked, request: gr.Request):
        choice, lang, _ = request_language(_raw_headers(request))
        restored = shell.restore(session, lang, request)
        out = redraw(lang, restored[shell.turns], restored[shell.shown_turn], report, query,
                     language, since, until, picked, kind, reason, rsearch, rpicked)
        _merge(out, restored)
        out[shell.lang] = gr.update(value=choice)
        out[shell.ui_lang] = lang
        return out

    load_outputs = list(dict.fromkeys([*outputs, shell.lang, *shell.restore_outputs]))
    gr.context.Context.root_block.load(
        load, inputs=[shell.session, *inputs], outputs=load_outputs, api_visibility="private",
        show_progress="hidden").then(
        None, inputs=[shell.ui_lang], js=JS_APPLY, api_visibility="private", queue=False)


def _header(request: gr.Request | None, name: str) -> str:
    headers = getattr(request, "headers", None) or {}
    try:
        return headers.get(name) or ""
    except AttributeError:
        return ""


def _raw_headers(request: gr.Request | None) -> list[tuple[bytes, bytes]]:
    """The request's cookie and Accept-Language headers, as the middleware sees them."""
    return [(name.encode(), _header(request, name).encode("latin-1", "replace"))
            for name in ("cookie", "accept-language")]


def _merge(out: dict, more: dict) -> None:
    """Add updates to `out`; two updates of one component (a label from the binder,
    choices from a page) are combined, not replaced."""
    for component, value in more.items():
        old = out.get(component)
        if isinstance(old, dict) and isinstance(value, dict):
            out[component] = {**old, **value}
        else:
            out[component] = value


def _warm_up() -> None:
    """Load the language detector's models now rather than during a user's first
    question (lingua loads them lazily: several seconds on 2 cores)."""
    try:
        from rag.language import detect_language

        detect_language("festival hotel radio general normal animal capital total")
    except Exception as exc:  # only an optimisation
        logger.debug("warm-up failed: %s", exc)


def launch_kwargs(settings, host: str | None = None, port: int | None = None,
                  demo: gr.Blocks | None = None) -> dict:
    from starlette.middleware import Middleware

    from ui.pagehtml import PageScript
    from ui.script import page_script

    auth = settings.ui_credentials() or None
    return {
        "server_name": host or settings.ui.host,
        "server_port": port or settings.ui.port,
        "auth": auth,
        "auth_message": None,
        "max_file_size": int(settings.ui.max_upload_mb * 1024 * 1024),
        "allowed_paths": [],
        "ssr_mode": False,
        "theme": gr.themes.Soft(primary_hue="indigo", secondary_hue="sky"),
        "css": assets.CSS,
        "show_error": False,
        "footer_links": [],
        "app_kwargs": {"middleware": [Middleware(
            PageScript, script=page_script(settings.ui.max_upload_mb), css=assets.LOGIN_CSS,
            page_text=getattr(demo, "ui_page_text", None))]},
    }


def serve(engine, settings, host: str | None = None, port: int | None = None, *,
          eval_runner: EvalRunner | None = None,
          upload_suffixes: Sequence[str] | None = None) -> None:
    """Run the UI on a built engine (ingesting the seeds into an empty index first)."""
    if engine.ensure_index(show_progress=True):
        logger.info("ingested %s into the empty index", settings.corpus_dir)
    threading.Thread(target=_warm_up, name="ui-warm-up", daemon=True).start()
    demo = build_app(engine, settings, eval_runner=eval_runner, upload_suffixes=upload_suffixes)
    demo.queue(default_concurrency_limit=settings.ui.concurrency)
    kwargs = launch_kwargs(settings, host, port, demo)
    if not kwargs["auth"] and kwargs["server_name"] not in ("127.0.0.1", "localhost", "::1"):
        logger.warning("the UI listens on %s without a login: anyone who can reach it can ask, "
                       "upload and delete documents; set RAG_UI_AUTH=user:password",
                       kwargs["server_name"])
    logger.info("answer mode: %s", engine.mode_label)
    try:
        _, local_url, _ = demo.launch(prevent_thread_lock=True, **kwargs)
    except OSError as exc:  # gradio: "Cannot find empty port in range: 7860-7860 …"
        raise ConfigError(
            f"cannot listen on {kwargs['server_name']}:{kwargs['server_port']}: the port is taken "
            "(another program, or an earlier `rag ui`, uses it). Stop that program or choose "
            "another port with --port or RAG_UI__PORT.") from exc
    logger.info("Newsroom Q&A is running at %s (mode: %s%s)", local_url, engine.mode_label,
                ", login required" if kwargs["auth"] else "")
    try:
        demo.block_thread()
    finally:
        demo.close()


__all__ = ["build_app", "launch_kwargs", "serve"]
