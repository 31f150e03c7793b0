"""The Review page: answers rated 👎 and questions the assistant did not answer, with
filters; selected items are exported as eval questions (JSONL, the format of
EVAL_FORMAT.md) for an editor to complete with the right answer."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from rag.lang.search import matches
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
    """The items of `kind` and `reason` whose question, answer or comment holds every
    word of `query` (case and accents aside)."""
    out = []
    for item in all_items:
        if kind not in ("all", None, "") and kind not in item["kinds"]:
            continue
        if reason not in ("all", None, "") and item.get("reason") != reason:
            continue
        if not matches(query, item.get("question"), item.get("answer"), item.get("comment")):
            continue
        out.append(item)
    return out


def answerable(item: dict) -> bool:
    """What the review says of the question: not answerable when the reader said the
    answer should have been "not found", or when the assistant found nothing and no
    reader disagreed (a 👎 on a "not found" says the articles do answer it)."""
    if item.get("reason") == "should_abstain":
        return False
    return not ("abstained" in item["kinds"] and "down" not in item["kinds"])


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
        "answerable": answerable(item),
        "review": {"kinds": item["kinds"], "reason": item.get("reason"),
                   "comment": item.get("comment") or "", "given_answer": item.get("answer", ""),
                   "cited": item.get("sources") or [], "user": item.get("user"),
                   "time": item.get("updated") or item.get("time"), "mode": item.get("mode")},
    }


def export(all_items: list[dict], ids: list[str], lang: str = "en") -> Path:
    chosen = [i for i in all_items if i["id"] in set(ids)]
    folder = Path(tempfile.mkdtemp(prefix="newsrag-review-"))
    path = folder / f"{t('review_file_stem', lang)}-{datetime.now():%Y%m%d-%H%M%S}.jsonl"
    path.write_text("".join(json.dumps(to_eval_question(i), ensure_ascii=False) + "\n"
                            for i in chosen), encoding="utf-8")
    return path


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def answer_cell(text: object, limit: int = 300) -> str:
    """An answer as the table shows it: the bold answer line bold, not "**19**"; the
    lines run together; cut at `limit` characters."""
    plain = " ".join(re.sub(r"\s*\n\s*-\s+", " · ", str(text or "")).split())
    cut = plain if len(plain) <= limit else plain[: limit - 1] + "…"
    return _BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", esc(cut))


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
        cells = [(esc(str(i.get("updated") or i.get("time") or "")[:16].replace("T", " ")), "no"),
                 (esc(_kind_text(i, lang)), "yes"), (esc(i.get("question", "")), "no"),
                 (answer_cell(i.get("answer")), "no"), (esc(note), "no"),
                 (esc(i.get("user") or t("anonymous", lang)), "no" if i.get("user") else "yes")]
        tds = "".join(f'<td data-label="{esc(t(col, lang))}" translate="{tr}">{v}</td>'
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
    with gr.Row(elem_id="review-actions"):
        r.all = L.make(gr.Button, props={"value": "review_select_all"}, size="sm",
                       elem_id="review-all")
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
    # what was rated or not answered since the page loaded shows when the tab opens
    shell.tab_of["review"].select(show, inputs=inputs, outputs=[r.table, r.pick],
                                  api_visibility="private", show_progress="hidden")
    for box in (r.kind, r.reason, r.search):
        box.change(show, inputs=inputs, outputs=[r.table, r.pick], api_visibility="private",
                   show_progress="hidden")

    def select_all(kind, reason, query, lang, request: gr.Request):
        access.require(services, request, "review", lang)
        shown = filtered(items(services), kind, reason, query)
        return {r.pick: gr.update(value=[i["id"] for i in shown]),
                r.status: render.status_html("info", t("review_selected", lang, n=len(shown)))}

    r.all.click(select_all, inputs=[r.kind, r.reason, r.search, shell.ui_lang],
                outputs=[r.pick, r.status], api_visibility="private", show_progress="hidden")

    def do_export(picked, lang, request: gr.Request):
        access.require(services, request, "review", lang)
        if not picked:
            return {r.status: render.status_html("info", t("review_pick_first", lang)),
                    r.file: gr.update(visible=False)}
        path = export(items(services), list(picked), lang)
        n = sum(1 for _ in path.read_text(encoding="utf-8").splitlines())
        return {r.status: render.status_html("ok", t("review_exported", lang, n=n)),
                r.file: gr.update(value=str(path), visible=True)}

    r.export.click(do_export, inputs=[r.pick, shell.ui_lang], outputs=[r.status, r.file],
                   api_visibility="private")
