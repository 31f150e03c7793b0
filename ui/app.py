"""The Gradio app: `build_app(engine, settings, ...)` and `serve(engine, settings, ...)`.

Pages: Chat (ui.chat, ui.chat_events, with the conversations sidebar ui.sidebar),
Documents (ui.documents), Review (ui.review), Quality check (ui.evaltab) and Users &
audit (ui.admin); the JSON API is ui.api. Signing in is ui.login; what a role may do
is ui.access, checked in every handler; a page shows only what its viewer may use.
The composition layer (cli/) hands in what the UI may not import: the eval runner, the
upload suffixes of the ingest loaders and the web ingest."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from types import SimpleNamespace

import gradio as gr

from rag.errors import ConfigError
from ui import access, admin, answering, api, assets, chat, chat_events, documents, evaltab, render, review, sidebar
from ui.i18n import Labels, language_choices, resolve_language, t
from ui.pagetext import PageText, request_language
from ui.services import EvalRunner, Services, WebIngestFn
from ui.uploads import ALLOWED_SUFFIXES
from ui.userbar import user_bar_html

logger = logging.getLogger(__name__)

# The selector: the page keeps the choice (a cookie the server reads on every page and
# event), the server decides the language (ui.i18n.resolve_language), then the page
# script applies it to what Gradio draws itself.
JS_CHOOSE = "(choice, ...rest) => { if (window.newsrag) window.newsrag.save(choice); " \
            "return [choice, ...rest]; }"
JS_APPLY = "(lang) => { if (window.newsrag) window.newsrag.apply(lang); }"


def build_app(engine, settings, *, eval_runner: EvalRunner | None = None,
              upload_suffixes: Sequence[str] | None = None,
              web_ingest: WebIngestFn | None = None, state=None) -> gr.Blocks:
    services = Services(engine, settings, eval_runner, upload_suffixes or ALLOWED_SUFFIXES,
                        web_ingest, state)
    shell = SimpleNamespace(services=services, labels=Labels())
    L = shell.labels
    shell.page_text = PageText(L)
    with gr.Blocks(title=t("title"), analytics_enabled=False) as demo:
        shell.session = gr.BrowserState({}, storage_key="newsrag-session")
        shell.turns, shell.shown_turn, shell.conv = gr.State([]), gr.State(-1), gr.State({})
        shell.ui_lang = gr.Textbox("en", visible=False, elem_id="ui-lang")
        with gr.Row(equal_height=False, elem_id="header-row"):
            shell.header = gr.HTML(render.header_html("en", services.mode, services.model, False),
                                   elem_id="app-header", scale=3)
            shell.lang = L.make(gr.Radio, props={"label": "language", "choices": language_choices},
                                value="auto", elem_id="lang-select", scale=2, min_width=260)
            shell.user_bar = gr.HTML("", elem_id="user-bar-box", visible=False, scale=1,
                                     min_width=180)  # shown when signed in
        _first_render(shell)
        api.register(services)  # first: the API keeps its plain names (/ask, /feedback, ...)
        bar = sidebar.build(shell)
        shell.conv_list = bar.listing
        pages = _tabs(shell)
        c, d, r, e, a = pages
        chat_events.wire(shell, c)
        sidebar.wire(shell, c, bar)
        documents.wire(shell, d, c)
        review.wire(shell, r)
        evaltab.wire(shell, e)
        admin.wire(shell, a)
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
    shell.tab_of = {}
    with gr.Tabs(elem_id="tabs") as shell.tabs:
        for key, tab_id, module in (("tab_chat", "chat", chat), ("tab_docs", "docs", documents),
                                    ("tab_review", "review", review),
                                    ("tab_eval", "eval", evaltab), ("tab_admin", "admin", admin)):
            # the pages a role may not use stay hidden until the page load shows them
            with gr.Tab(t(key), id=tab_id, elem_id=f"tab-{tab_id}",
                        visible=tab_id in ("chat", "docs")) as tab:
                L.bind(tab, label=key)
                built.append(module.build(shell))
            shell.tab_of[tab_id] = tab
    d = built[1]
    shell.restricted = {"review": [shell.tab_of["review"]], "eval": [shell.tab_of["eval"]],
                        "users": [shell.tab_of["admin"]],
                        "edit_documents": [d.files, d.ingest, d.delete]}
    for component in shell.restricted["edit_documents"]:
        component.visible = False
    return built


def role_view(shell, who: access.Viewer, lang: str) -> dict:
    """What the viewer's role shows: the pages and buttons it may use, and who is signed in."""
    out = {component: gr.update(visible=who.may(action))
           for action, components in shell.restricted.items() for component in components}
    out[shell.user_bar] = gr.update(value=user_bar_html(who, lang), visible=who.signed_in)
    return out


def _wire_language(shell, c, d, r, e, a) -> None:
    """The language: chosen in the page (stored in the browser), then every label,
    list and panel is redrawn in it. Page load does the same, and restores the open
    conversation, the documents, the review list, the newest report and the audit log,
    as far as the viewer's role may see them."""
    services = shell.services
    docs_fn, docs_in, docs_out = shell.refresh_docs
    review_fn, review_in, review_out = shell.refresh_review
    admin_fn, admin_in, admin_out = shell.refresh_admin

    def redraw(lang, turns, shown, report, query, language, since, until, picked, kind, reason,
               rsearch, rpicked, action, asearch, request: gr.Request):
        filters = (query, language, since, until, picked, kind, reason, rsearch, rpicked, action,
                   asearch)
        who = access.viewer(services, request)
        out = dict(shell.labels.updates(lang))
        out[shell.header] = render.header_html(lang, services.mode, services.model)
        names = evaltab.list_reports(services.reports_dir)
        parts = [docs_fn(*filters[:5], lang), role_view(shell, who, lang)]
        if who.may("review"):
            parts.append(review_fn(*filters[5:9], lang, request))
        if who.may("eval"):
            parts.append(shell.eval_view(report or (names[0] if names else None), lang, request))
        if who.may("users"):
            parts.append(admin_fn(*filters[9:11], lang, request))
        for more in parts:
            _merge(out, more)
        out[c.sources] = chat.shown_sources(shell, turns or [], shown, lang) if turns \
            else render.placeholder_html(lang)
        if turns:  # the badges and limit lines of the answers, in the new language
            _merge(out, {c.chatbot: gr.update(value=answering.messages(turns, lang))})
        return out

    filters = [*docs_in[:5], *review_in[:4], *admin_in[:2]]
    inputs = [shell.turns, shell.shown_turn, e.reports, *filters]
    outputs = list(dict.fromkeys([
        *shell.labels.components, shell.header, *docs_out, *review_out, e.summary, e.details,
        e.download, e.reports, c.sources, *admin_out, shell.user_bar, shell.ui_lang, c.chatbot,
        *(x for group in shell.restricted.values() for x in group)]))

    # Gradio hands the request only to a named parameter: the filters are spelled out
    def choose(choice, turns, shown, report, query, language, since, until, picked, kind,
               reason, rsearch, rpicked, action, asearch, request: gr.Request):
        lang = resolve_language(choice, _header(request, "accept-language"))
        out = redraw(lang, turns, shown, report, query, language, since, until, picked, kind,
                     reason, rsearch, rpicked, action, asearch, request)
        return {**out, shell.ui_lang: lang}

    shell.lang.input(choose, inputs=[shell.lang, *inputs], outputs=outputs, js=JS_CHOOSE,
                     api_visibility="private", show_progress="hidden").then(
        None, inputs=[shell.ui_lang], js=JS_APPLY, api_visibility="private", queue=False)

    def load(session, turns, shown, report, query, language, since, until, picked, kind,
             reason, rsearch, rpicked, action, asearch, request: gr.Request):
        choice, lang, _ = request_language(_raw_headers(request))
        restored = shell.restore(session, lang, request)
        out = redraw(lang, restored[shell.turns], restored[shell.shown_turn], report, query,
                     language, since, until, picked, kind, reason, rsearch, rpicked, action,
                     asearch, request)
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
        from rag.query.language import detect_language

        detect_language("festival hotel radio general normal animal capital total")
    except Exception as exc:  # only an optimisation
        logger.debug("warm-up failed: %s", exc)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def launch_kwargs(settings, host: str | None = None, port: int | None = None, *,
                  state=None, demo: gr.Blocks | None = None) -> dict:
    """Gradio's launch() arguments. With `state` (the app database holding accounts),
    signing in is required: ui.login's gate in front, its sessions behind Gradio's
    `auth_dependency`. With `demo` (build_app's), every page and /config go out in the
    language of the request (ui.pagehtml)."""
    from starlette.middleware import Middleware

    from ui.login import SESSION_SCRIPT, AuthGate, auth_dependency
    from ui.pagehtml import PageScript
    from ui.script import page_script

    script = page_script(settings.ui.max_upload_mb) + (SESSION_SCRIPT if state else "")
    middleware = [Middleware(PageScript, script=script,
                             page_text=getattr(demo, "ui_page_text", None))]
    if state is not None:
        middleware.insert(0, Middleware(AuthGate, state=state))
    return {
        "server_name": host or settings.ui.host,
        "server_port": port or settings.ui.port,
        "auth_dependency": auth_dependency(state) if state is not None else None,
        "max_file_size": int(settings.ui.max_upload_mb * 1024 * 1024),
        "allowed_paths": [],
        "ssr_mode": False,
        "theme": gr.themes.Soft(primary_hue="indigo", secondary_hue="sky"),
        "css": assets.CSS,
        "show_error": False,
        "footer_links": [],
        "app_kwargs": {"middleware": middleware},
    }


def check_exposure(host: str, login_required: bool) -> None:
    """Without accounts the UI is open to whoever reaches it: 127.0.0.1 only."""
    if not login_required and host not in LOOPBACK:
        raise ConfigError(
            f"refusing to listen on {host} without accounts: anyone who could reach it could "
            "upload and delete articles. Add an administrator with `rag users add NAME --role "
            "admin` (or set RAG_UI_AUTH), or listen on 127.0.0.1.")


def serve(engine, settings, host: str | None = None, port: int | None = None, *,
          eval_runner: EvalRunner | None = None,
          upload_suffixes: Sequence[str] | None = None,
          web_ingest: WebIngestFn | None = None, state=None) -> None:
    """Run the UI on a built engine (ingesting the seeds into an empty index first).
    Sign-in is required when the app database holds an account; without one the UI
    serves 127.0.0.1 only, open to whoever uses that machine."""
    if engine.ensure_index(show_progress=True):
        logger.info("ingested %s into the empty index", settings.corpus_dir)
    threading.Thread(target=_warm_up, name="ui-warm-up", daemon=True).start()
    demo = build_app(engine, settings, eval_runner=eval_runner, upload_suffixes=upload_suffixes,
                     web_ingest=web_ingest, state=state)
    services = demo.ui_services
    demo.queue(default_concurrency_limit=settings.ui.concurrency)
    kwargs = launch_kwargs(settings, host, port,
                           state=services.state if services.login_required else None, demo=demo)
    check_exposure(kwargs["server_name"], services.login_required)
    logger.info("answer mode: %s; app database: %s", engine.mode_label, services.state.where)
    try:
        _, local_url, _ = demo.launch(prevent_thread_lock=True, **kwargs)
    except OSError as exc:  # gradio: "Cannot find empty port in range: 7860-7860 …"
        raise ConfigError(
            f"cannot listen on {kwargs['server_name']}:{kwargs['server_port']}: the port is taken "
            "(another program, or an earlier `rag ui`, uses it). Stop that program or choose "
            "another port with --port or RAG_UI__PORT.") from exc
    logger.info("Newsroom Q&A is running at %s (mode: %s%s)", local_url, engine.mode_label,
                ", sign-in required" if services.login_required else
                ", no accounts: open to this machine only")
    try:
        demo.block_thread()
    finally:
        demo.close()


__all__ = ["build_app", "check_exposure", "launch_kwargs", "serve"]
