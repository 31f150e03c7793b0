"""The Review page: answers rated 👎 and questions the assistant did not answer, with
filters; selected items are exported as eval questions (JSONL, the format of
EVAL_FORMAT.md) for an editor to complete with the right answer."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from rag.state import REASONS
from ui import access, render
from ui.i18n import t
from ui.render import esc

EVAL_LANGUAGES = ("vi", "en", "ru")


def items(services) -> list[dict]:
    """One item per answer: its 👎 record and/or its abstention, newest first."""
    merged: dict[str, dict] = {}
    for e in services.abstention_log.entries():
        merged[e["id"]] = {**e, "kinds": ["abstained"], "reason": None, "comment": ""}
    for e in services.feedback_log.entries():
        if e.get("rating") != "down":
            continue
        item = merged.setdefault(e["id"], {**e, "kinds": []})
        item.update({k: e.get(k) for k in ("reason", "comment", "answer", "sources", "user")})
        item["kinds"] = ["down", *item["kinds"]]
        if e.get("abstained") and "abstained" not in item["kinds"]:
            item["kinds"].append("abstained")
    return sorted(merged.values(), key=lambda i: i.get("updated") or i.get("time") or "",
                  reverse=True)


def filtered(all_items: list[dict], kind: str, reason: str, query: str) -> list[dict]:
    needle = (query or "").strip().casefold()
    out = []
    for item in all_items:
        if kind not in ("all", None, "") and kind not in item["kinds"]:
            continue
        if reason not in ("all", None, "") and item.get("reason") != reason:
            continue
        if needle and needle not in str(item.get("question", "")).casefold():
            continue
        out.append(item)
    return out


def to_eval_question(item: dict) -> dict:
    """An eval question (EVAL_FORMAT.md) to complete: the reference answer and what it
    must include are left for the editor; `review` keeps what the reviewer saw."""
    language = item.get("language") if item.get("language") in EVAL_LANGUAGES else "en"
    return {
        "id": f"review-{item['id']}",
        "language": language,
        "question": item.get("question", ""),
        "answer": "",
        "must_include": [],
        "sources": [],
        "answerable": item.get("reason") != "should_abstain",
        "review": {"kinds": item["kinds"], "reason": item.get("reason"),
                   "comment": item.get("comment") or "", "given_answer": item.get("answer", ""),
                   "cited": item.get("sources") or [], "user": item.get("user"),
                   "time": item.get("updated") or item.get("time"), "mode": item.get("mode")},
    }


def export(all_items: list[dict], ids: list[str]) -> Path:
    chosen = [i for i in all_items if i["id"] in set(ids)]
    folder = Path(tempfile.mkdtemp(prefix="newsrag-review-"))
    path = folder / f"review-questions-{datetime.now():%Y%m%d-%H%M%S}.jsonl"
    path.write_text("".join(json.dumps(to_eval_question(i), ensure_ascii=False) + "\n"
                            for i in chosen), encoding="utf-8")
    return path


def _kind_text(item: dict, lang: str) -> str:
    return " + ".join(t(f"kind_{k}", lang) for k in item["kinds"])


def table_html(shown: list[dict], lang: str) -> str:
    count = f'<p class="doc-count">{esc(t("review_count", lang, n=len(shown)))}</p>'
    if not shown:
        return f'{count}<p class="muted">{esc(t("review_none", lang))}</p>'
    cols = ("col_when", "col_kind", "col_question", "col_answer", "col_reason", "col_user")
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in cols)
    rows = []
    for i in shown:
        reason = t(f"reason_{i['reason']}", lang) if i.get("reason") in REASONS else ""
        note = " · ".join(x for x in (reason, i.get("comment") or "") if x)
        cells = [(str(i.get("updated") or i.get("time") or "")[:16].replace("T", " "), "no"),
                 (_kind_text(i, lang), "yes"), (i.get("question", ""), "no"),
                 (str(i.get("answer", ""))[:300], "no"), (note, "no"),
                 (i.get("user") or t("anonymous", lang), "no" if i.get("user") else "yes")]
        tds = "".join(f'<td data-label="{esc(t(col, lang))}" translate="{tr}">{esc(v)}</td>'
                      for col, (v, tr) in zip(cols, cells, strict=True))
        rows.append(f'<tr data-item="{esc(i["id"])}">{tds}</tr>')
    return (f'{count}<div class="doc-table-wrap"><table class="doc-table review-table"><thead>'
            f'<tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(f"kind_{k}", lang), k) for k in ("all", "down", "abstained")]


def reason_filter_choices(lang: str) -> list[tuple[str, str]]:
    return [(t("any_reason", lang), "all")] + [(t(f"reason_{r}", lang), r) for r in REASONS]


def build(shell) -> SimpleNamespace:
    L = shell.labels
    r = SimpleNamespace()
    r.intro = L.make(gr.Markdown, props={"value": "review_intro"}, elem_id="review-intro")
    with gr.Row():
        r.kind = L.make(gr.Dropdown, props={"label": "review_kind", "choices": kind_choices},
                        value="all", elem_id="review-kind", min_width=160)
        r.reason = L.make(gr.Dropdown, props={"label": "review_reason",
                                              "choices": reason_filter_choices},
                          value="all", elem_id="review-reason", min_width=160)
        r.search = L.make(gr.Textbox, props={"label": "review_search"}, max_lines=1,
                          elem_id="review-search", scale=2)
    r.table = gr.HTML("", elem_id="review-table")
    r.pick = L.make(gr.Dropdown, props={"label": "review_items"}, choices=[], value=[],
                    multiselect=True, elem_id="review-pick", interactive=True)
    r.export = L.make(gr.Button, props={"value": "review_export"}, variant="primary",
                      elem_id="review-export")
    r.status = gr.HTML("", elem_id="review-status")
    r.file = L.make(gr.File, props={"label": "review_file"}, visible=False,
                    elem_id="review-file", interactive=False)
    return r


def wire(shell, r) -> None:
    services = shell.services
    inputs = [r.kind, r.reason, r.search, r.pick, shell.ui_lang]

    def show(kind, reason, query, picked, lang, request: gr.Request):
        access.require(services, request, "review", lang)
        shown = filtered(items(services), kind, reason, query)
        choices = [(f"{i['question'][:80]} · {_kind_text(i, lang)}", i["id"]) for i in shown]
        valid = {v for _, v in choices}
        return {r.table: table_html(shown, lang),
                r.pick: gr.update(choices=choices, value=[p for p in picked or [] if p in valid])}

    shell.refresh_review = (show, inputs, [r.table, r.pick])
    for box in (r.kind, r.reason, r.search):
        box.change(show, inputs=inputs, outputs=[r.table, r.pick], api_visibility="private",
                   show_progress="hidden")

    def do_export(picked, lang, request: gr.Request):
        access.require(services, request, "review", lang)
        if not picked:
            return {r.status: render.status_html("info", t("pick_first", lang)),
                    r.file: gr.update(visible=False)}
        path = export(items(services), list(picked))
        n = sum(1 for _ in path.read_text(encoding="utf-8").splitlines())
        return {r.status: render.status_html("ok", t("review_exported", lang, n=n)),
                r.file: gr.update(value=str(path), visible=True)}

    r.export.click(do_export, inputs=[r.pick, shell.ui_lang], outputs=[r.status, r.file],
                   api_visibility="private")
