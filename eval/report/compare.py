"""Comparisons: two reports (`rag eval --compare OLD NEW`: metric changes and flipped
questions) and several runs side by side (`rag eval --retriever a,b`, `bench xquad`),
including the question x document language tables next to each other."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval.metrics import HEADLINE_METRICS, get_path
from eval.report.fmt import fmt_delta, fmt_value
from eval.report.html_page import esc, html_table, render_page
from eval.report.i18n import check_language, metric_label, tr
from eval.report.markdown import md_cell, md_table
from eval.report.model import scopes, split_scopes
from eval.report.view import CROSS_METRICS, Table, config_rows, scope_name
from eval.report.writer import write_json

COMPARE_EXTRA_METRICS: tuple[tuple[str, str], ...] = (
    ("answer.correct_all", "correct (incl. abstentions)"),
    ("llm_judged.faithfulness", "faithfulness (LLM-judged)"),
    ("llm_judged.relevancy", "relevancy (LLM-judged)"),
    ("cost_usd", "estimated cost (USD)"),
)
FLIP_TITLES = (("correct_to_wrong", "Correct → wrong"), ("wrong_to_correct", "Wrong → correct"))


def metric_name(path: str) -> str:
    """The short technical name of a metric path (hit@1, MRR, ...)."""
    return dict((*HEADLINE_METRICS, *COMPARE_EXTRA_METRICS)).get(path, path)


def _delta(old: Any, new: Any) -> float | None:
    if isinstance(old, int | float) and isinstance(new, int | float) and not isinstance(old, bool):
        return new - old
    return None


def _metric_block(o: Mapping[str, Any], n: Mapping[str, Any]) -> dict[str, Any]:
    block = {}
    extras = dict(COMPARE_EXTRA_METRICS)
    for path, _ in (*HEADLINE_METRICS, *COMPARE_EXTRA_METRICS):
        ov, nv = get_path(o, path), get_path(n, path)
        if ov is None and nv is None and path in extras:
            continue
        block[path] = {"old": ov, "new": nv, "delta": _delta(ov, nv)}
    block["n"] = {"old": o.get("n"), "new": n.get("n"), "delta": _delta(o.get("n"), n.get("n"))}
    return block


def _flip(q_old: Mapping[str, Any], q_new: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": q_new["id"], "language": q_new.get("language"), "question": q_new.get("question"),
        "old_answer": q_old.get("answer_text"), "new_answer": q_new.get("answer_text"),
        "old_abstained": q_old.get("abstained"), "new_abstained": q_new.get("abstained"),
    }


def compare_reports(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Change of every headline metric, overall, per language and per split, and the
    questions (matched by id) that flipped between correct and wrong."""
    old_scopes = dict([*scopes(old), *split_scopes(old)])
    new_scopes = dict([*scopes(new), *split_scopes(new)])
    names = list(dict.fromkeys([*old_scopes, *new_scopes]))
    metrics = {name: _metric_block(old_scopes.get(name) or {}, new_scopes.get(name) or {})
               for name in names}
    old_q = {q["id"]: q for q in old.get("questions") or []}
    new_q = {q["id"]: q for q in new.get("questions") or []}
    to_wrong, to_right = [], []
    for qid, qn in new_q.items():
        qo = old_q.get(qid)
        if qo is None:
            continue
        if qo.get("correct") and not qn.get("correct"):
            to_wrong.append(_flip(qo, qn))
        elif not qo.get("correct") and qn.get("correct"):
            to_right.append(_flip(qo, qn))
    return {
        "old": {"config": old.get("config"), "n": get_path(old, "summary.n")},
        "new": {"config": new.get("config"), "n": get_path(new, "summary.n")},
        "metrics": metrics,
        "flips": {"correct_to_wrong": to_wrong, "wrong_to_correct": to_right},
        "only_in_old": sorted(set(old_q) - set(new_q)),
        "only_in_new": sorted(set(new_q) - set(old_q)),
    }


def _side_line(cmp: Mapping[str, Any], side: str, name: str) -> str:
    cfg = (cmp.get(side) or {}).get("config") or {}
    model = f" {cfg.get('llm_model')}" if cfg.get("llm_model") else ""
    return (f"- **{side}** ({md_cell(name, 200)}): mode {cfg.get('mode')}{model}, retriever "
            f"{cfg.get('retriever')}, top-k {cfg.get('top_k')}, commit {fmt_value(cfg.get('git_commit'))}, "
            f"date {cfg.get('date')}, {(cmp.get(side) or {}).get('n')} questions")


def render_compare_markdown(
    cmp: Mapping[str, Any], old_name: str = "old", new_name: str = "new"
) -> str:
    out = ["# Eval comparison", "", _side_line(cmp, "old", old_name), _side_line(cmp, "new", new_name)]
    for scope, block in (cmp.get("metrics") or {}).items():
        rows = [[metric_name(p), fmt_value(v["old"], p), fmt_value(v["new"], p), fmt_delta(v["delta"], p)]
                for p, v in block.items()]
        out += ["", f"## {scope}", "", *md_table(Table(["metric", "old", "new", "change"], rows))]
    flips = cmp.get("flips") or {}
    for key, title in FLIP_TITLES:
        items = flips.get(key) or []
        out += ["", f"## {title} ({len(items)})", ""]
        if not items:
            out.append("none")
            continue
        out += ["| id | question | old answer | new answer |", "|---|---|---|---|"]
        for f in items:
            oa = ("[abstained] " if f.get("old_abstained") else "") + (f.get("old_answer") or "")
            na = ("[abstained] " if f.get("new_abstained") else "") + (f.get("new_answer") or "")
            out.append(f"| {md_cell(f['id'])} | {md_cell(f.get('question'), 150)} "
                       f"| {md_cell(oa)} | {md_cell(na)} |")
    for key, title in (("only_in_old", "Only in old"), ("only_in_new", "Only in new")):
        if cmp.get(key):
            out += ["", f"{title}: " + ", ".join(cmp[key])]
    return "\n".join(out).rstrip() + "\n"


def write_compare(
    cmp: Mapping[str, Any], out_dir: str | Path, old_name: str = "old", new_name: str = "new"
) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": write_json(cmp, out / "compare.json"), "md": out / "compare.md"}
    paths["md"].write_text(render_compare_markdown(cmp, old_name, new_name), encoding="utf-8")
    return paths


# --------------------------------------------------------------------------- side by side
def side_by_side(reports: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """{scope: {metric path: {run name: value}}} for several runs (e.g. retrievers),
    plus `cross_language`: {metric: {question lang: {document lang: {run: value}}}}."""
    table: dict[str, Any] = {}
    cross: dict[str, Any] = {}
    for run, report in reports.items():
        for scope, summary in [*scopes(report), *split_scopes(report)]:
            block = table.setdefault(scope, {})
            for path, _ in HEADLINE_METRICS:
                block.setdefault(path, {})[run] = get_path(summary, path)
        cells = (report.get("cross_language") or {}).get("cells") or {}
        for key, _ in (("n", None), *CROSS_METRICS):
            for q_lang, row in cells.items():
                for d_lang, cell in row.items():
                    cross.setdefault(key, {}).setdefault(q_lang, {}).setdefault(d_lang, {})[run] = cell.get(key)
        bias = report.get("language_bias") or {}
        table.setdefault("language_bias", {}).setdefault("rate", {})[run] = bias.get("rate")
    if cross:
        table["cross_language"] = cross
    return table


def cross_side_by_side_tables(
    reports: Mapping[str, Mapping[str, Any]], lang: str = "en"
) -> list[Table]:
    """One table per metric; each cell holds every run's value, 'a / b'."""
    runs = list(reports)
    cross = side_by_side(reports).get("cross_language") or {}
    if not cross:
        return []
    rows = list(dict.fromkeys(r for m in cross.values() for r in m))
    cols = list(dict.fromkeys(c for m in cross.values() for row in m.values() for c in row))
    corner = tr(lang)("col.corner")
    out = []
    for key, path in (("n", "n"), *CROSS_METRICS):
        label = tr(lang)("note.cross_n") if key == "n" else metric_label(path, lang)
        body = [[r, *[" / ".join(fmt_value((cross[key].get(r, {}).get(c) or {}).get(run), path, lang)
                                 for run in runs) for c in cols]] for r in rows]
        out.append(Table([corner, *cols], body, f"{label} — {' / '.join(runs)}", "cross"))
    return out


def _metric_tables(reports: Mapping[str, Mapping[str, Any]], lang: str) -> list[tuple[str, Table]]:
    """(title, table) per scope (overall, languages, splits), then the language bias."""
    t = tr(lang)
    runs = list(reports)
    table = side_by_side(reports)
    out = []
    for scope, block in table.items():
        if scope in ("cross_language", "language_bias"):
            continue
        rows = [[metric_label(p, lang), *[fmt_value(values.get(r), p, lang) for r in runs]]
                for p, values in block.items()]
        out.append((scope_name(scope, t), Table([t("col.metric"), *runs], rows)))
    rates = table.get("language_bias", {}).get("rate", {})
    if any(v is not None for v in rates.values()):
        row = [t("col.outranked"), *[fmt_value(rates.get(r), "rate", lang) for r in runs]]
        out.append((t("sec.bias"), Table([t("col.metric"), *runs], [row])))
    return out


def render_side_by_side_markdown(reports: Mapping[str, Mapping[str, Any]], lang: str = "en") -> str:
    t = tr(check_language(lang))
    out = [f"# {t('cmp.title')}", "", md_cell(_intro(reports, lang), 2000)]
    cross = cross_side_by_side_tables(reports, lang)
    if cross:
        out += ["", f"## {t('cmp.cross')}", "", t("note.cross")]
        for table in cross:
            out += ["", *md_table(table)]
    for scope, table in _metric_tables(reports, lang):
        out += ["", f"## {scope}", "", *md_table(table)]
    return "\n".join(out).rstrip() + "\n"


def _intro(reports: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    """The shared configuration of the runs (but the retriever) and where the reports are."""
    cfg = dict((next(iter(reports.values()), {}).get("config") or {}), retriever=None)
    pairs = [f"{k}: {v}" for k, v in config_rows(cfg, lang) if v != "—"]
    return " · ".join(pairs) + ". " + tr(lang)("cmp.note")


def render_side_by_side_html(reports: Mapping[str, Mapping[str, Any]], lang: str = "en") -> str:
    t = tr(check_language(lang))
    body = [f"<p class=note>{esc(_intro(reports, lang))}</p>"]
    cross = cross_side_by_side_tables(reports, lang)
    if cross:
        body.append(f"<h2>{esc(t('cmp.cross'))}</h2><p class=note>{esc(t('note.cross'))}</p>"
                    "<div class=grid>" + "".join(html_table(x) for x in cross) + "</div>")
    for scope, table in _metric_tables(reports, lang):
        body.append(f"<h2>{esc(scope)}</h2>{html_table(table)}")
    return render_page(t("cmp.title"), " / ".join(reports), body, lang)


def write_side_by_side(
    reports: Mapping[str, Mapping[str, Any]], out_dir: str | Path, lang: str = "en"
) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"md": out / "comparison.md", "html": out / "comparison.html",
             "json": write_json(side_by_side(reports), out / "comparison.json")}
    paths["md"].write_text(render_side_by_side_markdown(reports, lang), encoding="utf-8")
    paths["html"].write_text(render_side_by_side_html(reports, lang), encoding="utf-8")
    return paths
