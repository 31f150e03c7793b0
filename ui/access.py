"""Who is asking, and what their role lets them do: checked on the server in every
handler and API endpoint that needs more than a reader (hiding a button is only a
courtesy). Without any account (the UI then listens on 127.0.0.1 only) everyone may
do everything, as before accounts existed."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from rag.state import role_allows
from ui.i18n import t

# What each action needs. A reader asks, keeps their own conversations, rates answers
# and reads the articles.
NEEDS = {
    "ask": "reader",
    "read_documents": "reader",
    "edit_documents": "editor",
    "review": "editor",
    "eval": "admin",
    "users": "admin",
    "audit": "admin",
}
SESSION_COOKIE = "newsrag_session"


@dataclass(frozen=True)
class Viewer:
    name: str | None  # None: no accounts, nobody signs in
    role: str | None  # None: signed out meanwhile, or the account was removed

    def may(self, action: str) -> bool:
        return role_allows(self.role, NEEDS[action])

    @property
    def signed_in(self) -> bool:
        return self.name is not None


LOCAL = Viewer(None, "admin")


def viewer(services, request: gr.Request | None) -> Viewer:
    """The person behind a request: from the session cookie (each replica knows every
    session: they live in the database), or LOCAL when no account exists."""
    if not services.login_required:
        return LOCAL
    token = _cookie(request)
    signed = services.state.sessions.resolve(token) if token else None
    if signed is None:
        return Viewer(getattr(request, "username", None), None)
    return Viewer(signed.name, signed.role)


def _cookie(request) -> str | None:
    try:
        return request.cookies.get(SESSION_COOKIE) if request is not None else None
    except AttributeError:
        return None


def refusal(who: Viewer, action: str, lang: str) -> str:
    if who.role is None:
        return t("refused_signed_out", lang)
    return t("refused", lang, action=t(f"action_{action}", lang),
             needed=t(f"role_{NEEDS[action]}", lang), role=t(f"role_{who.role}", lang))


def require(services, request: gr.Request | None, action: str, lang: str = "en") -> Viewer:
    """The viewer, or gr.Error saying (in `lang`) why they may not."""
    who = viewer(services, request)
    if not who.may(action):
        raise gr.Error(refusal(who, action, lang), print_exception=False)
    return who

