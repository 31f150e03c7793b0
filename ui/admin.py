"""The Users & audit page (administrators): the accounts with their roles (add, change
role, set a password, remove) and the audit log (filter, export as CSV)."""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from rag.state import ROLES, AccountError
from rag.state.audit import ACTIONS, export_csv
from ui import access, render
from ui.i18n import t
from ui.render import esc

logger = logging.getLogger(__name__)


def role_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(f"role_{r}", lang), r) for r in ROLES]


def action_choices(lang: str) -> list[tuple[str, str]]:
    return [(t("audit_all", lang), "all")] + [(t(f"audit_{a}", lang), a) for a in ACTIONS]


def _when(value) -> str:
    if not value:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return text[:16].replace("T", " ")


def users_html(accounts: list, lang: str) -> str:
    cols = ("col_user_name", "col_role", "col_created", "col_last_login")
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in cols)
    rows = "".join(
        f'<tr data-user="{esc(a.name)}"><td translate="no">{esc(a.name)}</td>'
        f'<td data-label="{esc(t("col_role", lang))}">{esc(t(f"role_{a.role}", lang))}</td>'
        f'<td data-label="{esc(t("col_created", lang))}" translate="no">{_when(a.created_at)}</td>'
        f'<td data-label="{esc(t("col_last_login", lang))}">'
        f'{esc(_when(a.last_login_at) or t("never", lang))}</td></tr>' for a in accounts)
    return (f'<div class="doc-table-wrap"><table class="doc-table users-table"><thead><tr>{head}'
            f'</tr></thead><tbody>{rows}</tbody></table></div>')


def audit_html(entries: list[dict], lang: str) -> str:
    count = f'<p class="doc-count">{esc(t("audit_count", lang, n=len(entries)))}</p>'
    if not entries:
        return f'{count}<p class="muted">{esc(t("audit_none", lang))}</p>'
    cols = ("col_time", "col_actor", "col_action", "col_target")
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in cols)
    rows = []
    for e in entries:
        actor = e["actor"] or t("audit_system", lang)
        action = t("audit_" + e["action"], lang)
        rows.append(
            f'<tr data-action="{esc(e["action"])}"><td translate="no">{_when(e["time"])}</td>'
            f'<td data-label="{esc(t("col_actor", lang))}" translate="no">{esc(actor)}</td>'
            f'<td data-label="{esc(t("col_action", lang))}">{esc(action)}'
            f'</td><td data-label="{esc(t("col_target", lang))}" translate="no">'
            f'{esc(e["target"])}</td></tr>')
    return (f'{count}<div class="doc-table-wrap"><table class="doc-table audit-table"><thead>'
            f'<tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def build(shell) -> SimpleNamespace:
    L = shell.labels
    a = SimpleNamespace()
    a.users_title = L.make(gr.Markdown, props={"value": lambda lg: f"### {t('users_heading', lg)}"})
    a.intro = L.make(gr.Markdown, props={"value": "users_intro"}, elem_id="users-intro")
    a.users = gr.HTML("", elem_id="users-table")
    with gr.Row(elem_id="user-new", equal_height=True):
        a.name = L.make(gr.Textbox, props={"label": "user_name"}, max_lines=1, elem_id="user-name")
        a.new_role = L.make(gr.Dropdown, props={"label": "user_role", "choices": role_choices},
                            value="reader", elem_id="user-new-role")
        a.new_password = L.make(gr.Textbox, props={"label": "user_password"}, type="password",
                                max_lines=1, elem_id="user-new-password")
        a.add = L.make(gr.Button, props={"value": "user_add"}, variant="primary",
                       elem_id="user-add")
    with gr.Row(elem_id="user-change", equal_height=True):
        a.pick = L.make(gr.Dropdown, props={"label": "user_account"}, choices=[],
                        elem_id="user-pick", interactive=True)
        a.role = L.make(gr.Dropdown, props={"label": "user_role", "choices": role_choices},
                        value="reader", elem_id="user-role")
        a.password = L.make(gr.Textbox, props={"label": "user_password"}, type="password",
                            max_lines=1, elem_id="user-password")
        with gr.Column(min_width=160):
            a.set_role = L.make(gr.Button, props={"value": "user_set_role"}, size="sm",
                                elem_id="user-set-role")
            a.set_password = L.make(gr.Button, props={"value": "user_set_password"}, size="sm",
                                    elem_id="user-set-password")
            a.remove = L.make(gr.Button, props={"value": "user_remove"}, variant="stop",
                              size="sm", elem_id="user-remove")
    a.status = gr.HTML("", elem_id="user-status")
    a.audit_title = L.make(gr.Markdown, props={"value": lambda lg: f"### {t('audit_heading', lg)}"})
    with gr.Row():
        a.action = L.make(gr.Dropdown, props={"label": "audit_action", "choices": action_choices},
                          value="all", elem_id="audit-action")
        a.search = L.make(gr.Textbox, props={"label": "audit_search"}, max_lines=1,
                          elem_id="audit-search", scale=2)
        a.export = L.make(gr.Button, props={"value": "audit_export"}, size="sm",
                          elem_id="audit-export")
    a.audit = gr.HTML("", elem_id="audit-table")
    a.file = L.make(gr.File, props={"label": "audit_file"}, visible=False, interactive=False,
                    elem_id="audit-file")
    return a


def _account_error(exc: AccountError, lang: str) -> str:
    key = {"no_user": "user_pick"}.get(exc.code, f"user_{exc.code}")
    reason = t(key, lang) if key in _KNOWN else str(exc)
    return render.status_html("error", t("user_error", lang, reason=reason))


_KNOWN = {"user_bad_name", "user_exists", "user_short_password", "user_last_admin", "user_pick",
          "user_not_self"}


def wire(shell, a) -> None:
    services = shell.services
    state = services.state

    def show(action, query, lang, request: gr.Request):
        access.require(services, request, "users", lang)
        accounts = state.accounts.list()
        entries = state.audit.entries(action=action, query=query or "")
        return {a.users: users_html(accounts, lang), a.audit: audit_html(entries, lang),
                a.pick: gr.update(choices=[x.name for x in accounts])}

    shell.refresh_admin = (show, [a.action, a.search, shell.ui_lang], [a.users, a.audit, a.pick])
    listed = [a.users, a.audit, a.pick]
    for box in (a.action, a.search):
        box.change(show, inputs=[a.action, a.search, shell.ui_lang], outputs=listed,
                   api_visibility="private", show_progress="hidden")

    def change(kind):
        def handler(name, role, password, action, query, lang, request: gr.Request):
            who = access.require(services, request, "users", lang)
            cleared = {a.password: "", a.new_password: ""}
            try:
                message = _apply(state, kind, who, (name or "").strip(), role, password or "",
                                 lang)
            except AccountError as exc:
                return {a.status: _account_error(exc, lang), **cleared}
            done = {a.name: ""} if kind == "add" else {}
            return {**show(action, query, lang, request), **cleared, **done,
                    a.status: render.status_html("ok", message)}
        return handler

    outputs = [*listed, a.status, a.password, a.new_password, a.name]
    shown = [a.action, a.search, shell.ui_lang]
    a.add.click(change("add"), inputs=[a.name, a.new_role, a.new_password, *shown],
                outputs=outputs, api_visibility="private")
    for button, kind in ((a.set_role, "role"), (a.set_password, "password"), (a.remove, "remove")):
        button.click(change(kind), inputs=[a.pick, a.role, a.password, *shown], outputs=outputs,
                     api_visibility="private")

    def export(action, query, lang, request: gr.Request):
        access.require(services, request, "audit", lang)
        entries = state.audit.entries(action=action, query=query or "", limit=None)
        path = Path(tempfile.mkdtemp(prefix="newsrag-audit-")) / \
            f"audit-{datetime.now():%Y%m%d-%H%M%S}.csv"
        path.write_text(export_csv(entries), encoding="utf-8")
        return {a.file: gr.update(value=str(path), visible=True),
                a.status: render.status_html("ok", t("audit_exported", lang, n=len(entries)))}

    a.export.click(export, inputs=[a.action, a.search, shell.ui_lang],
                   outputs=[a.file, a.status], api_visibility="private")


def _apply(state, kind: str, who, picked: str, role: str, password: str, lang: str) -> str:
    """Do one account change (`picked`: the name typed for "add", else the account
    chosen); the status message, or AccountError when it is refused."""
    if kind == "add":
        account = state.add_user(picked, password, role, who.name)
        return t("user_added", lang, name=account.name, role=t(f"role_{account.role}", lang))
    if not picked:
        raise AccountError("no account chosen", code="no_user")
    if kind == "role":
        account = state.set_role(picked, role, who.name)
        return t("user_role_set", lang, name=account.name, role=t(f"role_{account.role}", lang))
    if kind == "password":
        state.set_password(picked, password, who.name)
        return t("user_password_set", lang, name=picked)
    if who.name and picked.casefold() == who.name.casefold():
        raise AccountError("you cannot remove your own account", code="not_self")
    account, _ = state.remove_user(picked, who.name)
    return t("user_removed", lang, name=account.name)
