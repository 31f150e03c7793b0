"""The conversations sidebar: each user's chats kept in the app database (per account;
per browser without accounts), listed with search and rename; a reload reopens the
conversation that was open, a new sign-in the newest one."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import gradio as gr

from rag.errors import StateUnavailableError
from rag.state import new_id, owner_key
from ui import answering, chat, render
from ui.i18n import t

logger = logging.getLogger(__name__)


def build(shell) -> SimpleNamespace:
    L = shell.labels
    b = SimpleNamespace()
    with gr.Sidebar(open=False, elem_id="conv-sidebar", position="left") as b.sidebar:
        L.bind(b.sidebar, label="conversations")
        b.new = L.make(gr.Button, props={"value": "clear"}, size="sm", variant="primary",
                       elem_id="conv-new")
        b.search = L.make(gr.Textbox, props={"label": "conv_search"}, max_lines=1,
                          elem_id="conv-search")
        b.listing = L.make(gr.Radio, props={"label": "conv_list"}, choices=[],
                           elem_id="conv-list", interactive=True)
        b.rename = L.make(gr.Textbox, props={"label": "conv_rename"}, max_lines=1,
                          elem_id="conv-rename")
        b.rename_btn = L.make(gr.Button, props={"value": "conv_rename_btn"}, size="sm",
                              elem_id="conv-rename-btn")
        b.status = gr.HTML("", elem_id="conv-status")
    shell.page_text.sidebar(b.sidebar)  # opened or closed as the browser left it
    return b


def owner(session: dict | None, user: str | None) -> str | None:
    return owner_key(user, (session or {}).get("browser_id"))


def _choices(shell, who: str | None, query: str = "") -> list[tuple[str, str]]:
    return [(c["title"] or t("conv_untitled"), c["id"])
            for c in shell.services.conversations.listing(who, query)]


def save(shell, turns: list[dict], conv: dict | None, session: dict | None, user: str | None,
         ui_lang: str) -> dict:
    """Write the conversation; updates for the conversation state and the list."""
    session = dict(session or {})
    who = owner(session, user)
    conv = dict(conv or {}) or {"id": new_id()}
    conv.setdefault("id", new_id())
    try:
        conv.update(shell.services.conversations.save(who, conv, turns))
    except (OSError, StateUnavailableError) as exc:
        logger.error("could not save the conversation: %s", exc)
    session["conversation"] = conv["id"]
    return {shell.conv: conv, shell.session: session,
            shell.conv_list: gr.update(choices=_choices(shell, who), value=conv["id"])}


def _show(shell, c, conv: dict, turns: list[dict], ui_lang: str) -> dict:
    last = len(turns) - 1
    chatbot = gr.update(value=answering.messages(turns, ui_lang),
                        feedback_value=feedback_shown(shell.services, turns))
    return {shell.conv: {k: conv.get(k) for k in ("id", "title", "created")}, shell.turns: turns,
            c.chatbot: chatbot, shell.shown_turn: last,
            c.sources: chat.shown_sources(shell, turns, last, ui_lang) if turns
            else render.placeholder_html(ui_lang),
            c.export: chat.export_update(turns[-1] if turns else None, ui_lang),
            c.fb_panel: gr.update(visible=False), c.fb_status: ""}


def feedback_shown(services, turns: list[dict]) -> list[str | None]:
    """The 👍/👎 each answer has in the feedback log, as the chat shows them."""
    ids = {turn["id"] for turn in turns}
    if not ids:
        return []
    try:
        rated = {e["id"]: e.get("rating") for e in services.feedback_log.entries()
                 if e.get("id") in ids}
    except (OSError, StateUnavailableError) as exc:
        logger.warning("could not read the feedback log: %s", exc)
        rated = {}
    return [{"up": "Like", "down": "Dislike"}.get(rated.get(turn["id"]) or "") for turn in turns]


def wire(shell, c, b) -> None:
    s = shell
    store = s.services.conversations

    def restore(session, ui_lang, request: gr.Request):
        """On page load: a browser id if there is none, then the open conversation."""
        session = dict(session or {})
        if not session.get("browser_id"):
            session["browser_id"] = new_id() + new_id()
        user = getattr(request, "username", None)
        who = owner(session, user)
        conv = store.load(who, session.get("conversation")) or _latest(who, user) or \
            {"id": new_id(), "turns": []}
        session["conversation"] = conv["id"]
        out = _show(s, c, conv, conv.get("turns", []), ui_lang)
        return {**out, s.session: session,
                s.conv_list: gr.update(choices=_choices(s, who), value=conv["id"])}

    def _latest(who: str | None, user: str | None) -> dict | None:
        """After a login, the user's newest conversation (this browser's open one is
        someone else's, or was never saved)."""
        if not user:
            return None
        newest = store.listing(who)[:1]
        return store.load(who, newest[0]["id"]) if newest else None

    def open_conv(conv_id, session, ui_lang, request: gr.Request):
        who = owner(session, getattr(request, "username", None))
        conv = store.load(who, conv_id)
        if conv is None:
            return {b.status: render.status_html("error", t("conv_pick_first", ui_lang))}
        return {**_show(s, c, conv, conv.get("turns", []), ui_lang),
                s.session: {**(session or {}), "conversation": conv["id"]}, b.status: ""}

    def new_chat(session, ui_lang):
        conv = {"id": new_id()}
        return {**_show(s, c, conv, [], ui_lang), s.session: {**(session or {}),
                                                                "conversation": conv["id"]},
                s.conv_list: gr.update(value=None)}

    def rename(conv, title, session, query, ui_lang, request: gr.Request):
        who = owner(session, getattr(request, "username", None))
        if not store.rename(who, (conv or {}).get("id"), title or ""):
            return {b.status: render.status_html("error", t("conv_pick_first", ui_lang))}
        return {b.status: render.status_html("ok", t("conv_renamed", ui_lang)), b.rename: "",
                s.conv: {**conv, "title": title},
                s.conv_list: gr.update(choices=_choices(s, who, query), value=conv["id"])}

    def search(query, session, conv, request: gr.Request):
        who = owner(session, getattr(request, "username", None))
        return {s.conv_list: gr.update(choices=_choices(s, who, query or ""),
                                       value=(conv or {}).get("id"))}

    shown = [s.conv, s.turns, c.chatbot, s.shown_turn, c.sources, c.export, c.fb_panel,
             c.fb_status, s.session, s.conv_list, b.status]
    s.restore = restore  # run by the app's load event, after the language is known
    b.listing.input(open_conv, inputs=[b.listing, s.session, s.ui_lang], outputs=shown,
                    api_visibility="private")
    for button in (b.new, c.clear):
        button.click(new_chat, inputs=[s.session, s.ui_lang], outputs=shown,
                     api_visibility="private", queue=False)
    b.rename_btn.click(rename, inputs=[s.conv, b.rename, s.session, b.search, s.ui_lang],
                       outputs=[b.status, b.rename, s.conv, s.conv_list],
                       api_visibility="private")
    b.search.change(search, inputs=[b.search, s.session, s.conv], outputs=[s.conv_list],
                    api_visibility="private", show_progress="hidden")
    s.restore_outputs = shown
    # the page keeps whether the sidebar is open (a cookie the first render reads)
    b.sidebar.expand(None, js="() => { if (window.newsrag) window.newsrag.sidebar(true); }",
                     api_visibility="private", queue=False)
    b.sidebar.collapse(None, js="() => { if (window.newsrag) window.newsrag.sidebar(false); }",
                       api_visibility="private", queue=False)
