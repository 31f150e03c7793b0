"""Roles on the server, in process: every Gradio handler and API function that needs
more than a reader is called, as Gradio calls it, for a reader, an editor and an
administrator (signed in through real sessions in a real SQLite app database), and
must refuse or proceed as the role says; the page load sends a reader no review
items, reports or accounts. (tests/ui/test_ui_roles.py does the same over HTTP and
in Chromium against a running `rag ui`.)"""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr
import pytest

from rag.schema import DocumentInfo
from rag.state import open_state
from tests.conftest import make_settings
from ui.access import SESSION_COOKIE

PASSWORD = "a long password"
ROLES = ("reader", "editor", "admin")
# (elem_id, event, what it needs): every handler of a button or list that does more than
# a reader may
HANDLERS = [
    ("ingest-btn", "click", "editor"),
    ("delete-btn", "click", "editor"),
    ("confirm-yes", "click", "editor"),
    ("undo-btn", "click", "editor"),
    ("review-kind", "change", "editor"),
    ("review-export", "click", "editor"),
    ("eval-btn", "click", "admin"),
    ("eval-reports", "input", "admin"),
    ("user-add", "click", "admin"),
    ("user-set-role", "click", "admin"),
    ("user-set-password", "click", "admin"),
    ("user-remove", "click", "admin"),
    ("audit-action", "change", "admin"),
    ("audit-export", "click", "admin"),
    ("view-btn", "click", "reader"),
]
API = [("delete_document", ("a.txt",), "editor"), ("restore_document", ("a.txt",), "editor"),
       ("audit_log", (), "admin"), ("documents", (), "reader"), ("whoami", (), "reader")]


class Engine:
    mode, mode_label = "extractive", "offline extractive"

    def __init__(self):
        self.deleted: set[str] = set()

    def documents(self):
        return [DocumentInfo(doc_id="a.txt", file="a.txt", path="/x/a.txt", title="A",
                             language="en", content_hash="h", chunks=1,
                             deleted_at=1.0 if "a.txt" in self.deleted else None)]

    def delete_document(self, doc_id):
        self.deleted.add(doc_id)

    def restore_document(self, doc_id):
        self.deleted.discard(doc_id)

    def document_text(self, doc_id):
        return "text"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from ui.app import build_app

    settings = make_settings(tmp_path_factory.mktemp("access") / "data")
    state = open_state(settings)
    for role in ROLES:
        state.add_user(role, PASSWORD, role, None)
    ran = []
    demo = build_app(Engine(), settings, state=state,
                     eval_runner=lambda engine, out, lang, progress: ran.append(out))
    tokens = {role: state.sessions.start(role) for role in ROLES}
    return SimpleNamespace(demo=demo, state=state, tokens=tokens, evals=ran)


def request_for(app, role):
    return SimpleNamespace(cookies={SESSION_COOKIE: app.tokens[role]}, username=role)


def handler(demo, elem_id, event):
    ids = {b._id for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id}
    for fn in demo.fns.values():
        if fn.fn is not None and any(t[0] in ids and t[1] == event for t in fn.targets):
            return fn
    raise LookupError(f"no {event} handler on #{elem_id}")


def call(fn, request):
    """Call a handler as Gradio does: each input's current value, then the request."""
    values = [getattr(block, "value", None) for block in fn.inputs]
    result = fn.fn(*values, request=request)
    return list(result) if hasattr(result, "__next__") else result


def refused(exc: BaseException) -> bool:
    return isinstance(exc, gr.Error) and "Not allowed" in str(exc)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("elem_id", "event", "needs"), HANDLERS,
                         ids=[f"{h[0]}-{h[1]}" for h in HANDLERS])
def test_every_handler_refuses_or_proceeds_by_role(app, role, elem_id, event, needs):
    fn = handler(app.demo, elem_id, event)
    allowed = ROLES.index(role) >= ROLES.index(needs)
    try:
        call(fn, request_for(app, role))
    except gr.Error as exc:
        assert not allowed and refused(exc), f"{role} on #{elem_id}: {exc}"
        assert f"needs the {'administrator' if needs == 'admin' else needs} role" in str(exc)
        return
    assert allowed, f"{role} was let through #{elem_id}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("api_name", "args", "needs"), API, ids=[a[0] for a in API])
def test_every_api_function_refuses_or_proceeds_by_role(app, role, api_name, args, needs):
    (fn,) = [f for f in app.demo.fns.values() if f.api_name == api_name]
    allowed = ROLES.index(role) >= ROLES.index(needs)
    try:
        fn.fn(*args, request=request_for(app, role))
    except gr.Error as exc:
        assert not allowed and refused(exc), f"{role} on /{api_name}: {exc}"
        return
    assert allowed, f"{role} was let through /{api_name}"


def test_a_signed_out_or_removed_account_is_refused(app):
    gone = SimpleNamespace(cookies={SESSION_COOKIE: "not-a-session"}, username="editor")
    with pytest.raises(gr.Error, match="not signed in any more"):
        call(handler(app.demo, "confirm-yes", "click"), gone)


def test_the_audit_log_names_who_deleted_and_restored(app):
    for api_name in ("delete_document", "restore_document"):
        (fn,) = [f for f in app.demo.fns.values() if f.api_name == api_name]
        fn.fn("a.txt", request=request_for(app, "editor"))
    events = app.state.audit.entries(actor="editor")
    assert [(e["action"], e["target"]) for e in events][:2] == [("restore", "a.txt"),
                                                                ("delete", "a.txt")]


def test_the_page_load_sends_each_role_only_what_it_may_see(app):
    (load,) = [f for f in app.demo.fns.values() if getattr(f.fn, "__name__", "") == "load"]
    shell_tables = {b.elem_id: b for b in app.demo.blocks.values()
                    if getattr(b, "elem_id", None) in ("review-table", "audit-table",
                                                       "users-table", "eval-summary")}
    tabs = {b.elem_id: b for b in app.demo.blocks.values()
            if getattr(b, "elem_id", None) in ("tab-review", "tab-eval", "tab-admin")}
    for role, sees in (("reader", set()), ("editor", {"review-table"}),
                       ("admin", {"review-table", "audit-table", "users-table", "eval-summary"})):
        out = call(load, request_for(app, role))
        sent = {elem for elem, block in shell_tables.items() if block in out}
        assert sent == sees, role
        visible = {elem for elem, tab in tabs.items() if out[tab].get("visible")}
        assert visible == {"reader": set(), "editor": {"tab-review"},
                           "admin": set(tabs)}[role], role
        bar = out[next(b for b in app.demo.blocks.values()
                       if getattr(b, "elem_id", None) == "user-bar-box")]
        assert bar["visible"] and role in bar["value"]
