"""Eval reports: report.json (the EVAL_FORMAT.md contract), report.md, a
self-contained report.html (plots embedded as base64 PNG), comparisons of two
reports and a side-by-side table of several runs.

matplotlib is imported lazily and only through its object-oriented API with the
Agg canvas, so no global backend is touched.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import logging
import math
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import (
    HEADLINE_METRICS,
    RANK_BUCKETS,
    get_path,
    summarize,
    summarize_by_language,
)

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RATIO_METRICS = {
    path for path, _ in HEADLINE_METRICS if not path.startswith(("latency", "tokens"))
} | {"answer.correct_all"}
PLOT_METRICS: tuple[tuple[str, str], ...] = tuple(
    (p, label) for p, label in HEADLINE_METRICS if p in RATIO_METRICS
)
CONTRACT_CONFIG_KEYS = ("mode", "llm_model", "embedding", "retriever", "top_k", "questions_file")
LANG_ORDER = ("vi", "en", "ru")
FLIP_TITLES = (("correct_to_wrong", "Correct → wrong"), ("wrong_to_correct", "Wrong → correct"))


# --------------------------------------------------------------------------- helpers
def git_commit(cwd: Path | None = None) -> str | None:
    """`git rev-parse --short HEAD` of the project, or None when unavailable."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=cwd or PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


def now_iso() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def fmt_value(value: Any, path: str = "") -> str:
    """Human formatting: ratios as percentages, ms with no decimals, None as '—'."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if path == "retrieval.mrr":
        return f"{value:.3f}"
    if path in RATIO_METRICS or (path.startswith("llm_judged.") and isinstance(value, float)):
        return f"{100 * value:.1f}%"
    if path.startswith("latency"):
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def fmt_delta(delta: float | None, path: str) -> str:
    if delta is None:
        return "—"
    if path == "retrieval.mrr":
        return f"{delta:+.3f}"
    if path in RATIO_METRICS or path.startswith("llm_judged."):
        return f"{100 * delta:+.1f} pp"
    if path.startswith("latency"):
        return f"{delta:+,.0f}"
    if float(delta).is_integer():
        return f"{int(delta):+,}"
    return f"{delta:+.4g}"


def _truncate(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _md_cell(text: Any, limit: int = 200) -> str:
    s = _truncate(str(text) if text is not None else "", limit)
    return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") or " "


def ordered_questions(questions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wrong answers first, then answers failing another verdict, then passes;
    file order kept within each group."""

    def key(item: tuple[int, dict[str, Any]]) -> tuple[int, int]:
        i, q = item
        group = 0 if not q.get("correct") else (1 if q.get("failed") else 2)
        return group, i

    return [q for _, q in sorted(enumerate(questions), key=key)]


def scopes(report: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """[("overall", summary), ("vi", ...), ...]"""
    out = [("overall", report.get("summary") or {})]
    by_lang = report.get("by_language") or {}
    for lang in [*LANG_ORDER, *[k for k in by_lang if k not in LANG_ORDER]]:
        if lang in by_lang:
            out.append((lang, by_lang[lang]))
    return out


def _counts(s: Mapping[str, Any]) -> str:
    return f"{s.get('n', 0)} ({s.get('n_answerable', 0)} / {s.get('n_unanswerable', 0)})"


def _expected(q: Mapping[str, Any]) -> str:
    if q.get("expected"):
        return str(q["expected"])
    return "" if q.get("answerable") else "(unanswerable: should abstain)"


def _answer(q: Mapping[str, Any]) -> str:
    if q.get("error"):
        return f"ERROR: {q['error']}"
    text = q.get("answer_text") or ""
    return f"[abstained] {text}" if q.get("abstained") else text


def verdict_label(q: Mapping[str, Any]) -> str:
    if q.get("error"):
        return "ERROR"
    if not q.get("correct"):
        return "WRONG"
    return "OK*" if q.get("failed") else "OK"


# --------------------------------------------------------------------------- build
def build_report(
    records: Sequence[dict[str, Any]],
    config: dict[str, Any],
    *,
    llm_judged: bool = False,
    llm_judged_reason: str | None = "no LLM configured",
) -> dict[str, Any]:
    """Assemble report.json from per-question records and the run configuration."""
    prices = (config.get("price_prompt_per_1m"), config.get("price_completion_per_1m"))
    kwargs = {"prices": prices, "llm_judged": llm_judged, "llm_judged_reason": llm_judged_reason}
    config = dict(config)
    for key in CONTRACT_CONFIG_KEYS:
        config.setdefault(key, None)
    return {
        "config": config,
        "summary": summarize(records, **kwargs),
        "by_language": summarize_by_language(records, **kwargs),
        "questions": list(records),
    }


# --------------------------------------------------------------------------- plots
SCOPE_COLORS = {"overall": "#555555", "vi": "#e4572e", "en": "#2e86ab", "ru": "#5a9e3a"}
_EXTRA_COLORS = ("#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")


def _color(name: str) -> str:
    if name in SCOPE_COLORS:
        return SCOPE_COLORS[name]
    return _EXTRA_COLORS[sum(map(ord, name)) % len(_EXTRA_COLORS)]


def _figure(width: float = 8.0, height: float = 4.0):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def plot_metrics_by_language(report: Mapping[str, Any]) -> bytes:
    """Grouped bars: one group per metric, one bar per language (and overall)."""
    fig = _figure(11, 4.5)
    ax = fig.add_subplot(1, 1, 1)
    groups = scopes(report)
    n = len(groups)
    width = 0.8 / max(n, 1)
    xs = range(len(PLOT_METRICS))
    for i, (name, summary) in enumerate(groups):
        values = [get_path(summary, p) for p, _ in PLOT_METRICS]
        heights = [v if v is not None else float("nan") for v in values]
        ax.bar(
            [x - 0.4 + width * (i + 0.5) for x in xs], heights, width, label=name,
            color=_color(name),
        )
    ax.set_xticks(list(xs))
    ax.set_xticklabels([label for _, label in PLOT_METRICS], rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("fraction")
    ax.set_title("Metrics by language")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _png(fig)


def plot_latency_histogram(report: Mapping[str, Any]) -> bytes:
    """Histogram of per-question latency, stacked by language, p50/p95 marked."""
    fig = _figure(8, 4)
    ax = fig.add_subplot(1, 1, 1)
    questions = report.get("questions") or []
    present = list(dict.fromkeys(q["language"] for q in questions))
    langs = [x for x in LANG_ORDER if x in present] + [x for x in present if x not in LANG_ORDER]
    data = [[float(q["latency_ms"]) for q in questions if q["language"] == lang] for lang in langs]
    if any(data):
        ax.hist(data, bins=20, stacked=True, label=langs, color=[_color(x) for x in langs])
        summary = report.get("summary") or {}
        for key, style in (("p50", "--"), ("p95", ":")):
            v = get_path(summary, f"latency_ms.{key}")
            if v is not None:
                ax.axvline(v, color="black", linestyle=style, label=f"{key} {v:,.0f} ms")
        ax.legend(fontsize="small")
    else:
        ax.text(0.5, 0.5, "no latencies", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("questions")
    ax.set_title("End-to-end latency per question")
    return _png(fig)


def plot_gold_rank(report: Mapping[str, Any]) -> bytes:
    """Distribution of the rank of the first gold source (answerable questions)."""
    fig = _figure(8, 4)
    ax = fig.add_subplot(1, 1, 1)
    groups = [(name, s) for name, s in scopes(report) if name != "overall"] or scopes(report)
    n = len(groups)
    width = 0.8 / max(n, 1)
    xs = range(len(RANK_BUCKETS))
    for i, (name, summary) in enumerate(groups):
        counts = get_path(summary, "retrieval.first_gold_rank_counts") or {}
        ax.bar(
            [x - 0.4 + width * (i + 0.5) for x in xs],
            [counts.get(b, 0) for b in RANK_BUCKETS],
            width,
            label=name,
            color=_color(name),
        )
    ax.set_xticks(list(xs))
    ax.set_xticklabels(list(RANK_BUCKETS))
    ax.set_xlabel("rank of the first gold source")
    ax.set_ylabel("answerable questions")
    ax.set_title("Where the first gold source was retrieved")
    ax.legend(fontsize="small")
    return _png(fig)


PLOTS = {
    "metrics_by_language": ("Metrics by language", plot_metrics_by_language),
    "latency_histogram": ("Latency", plot_latency_histogram),
    "gold_rank": ("Rank of the first gold source", plot_gold_rank),
}


def make_plots(report: Mapping[str, Any]) -> dict[str, bytes]:
    """PNG bytes per plot name; a plot that fails is logged and left out."""
    out = {}
    for name, (_, fn) in PLOTS.items():
        try:
            out[name] = fn(report)
        except Exception:  # a broken plot must not lose the report
            logger.exception("plot %s failed", name)
    return out


# --------------------------------------------------------------------------- markdown
def _config_rows(config: Mapping[str, Any]) -> list[tuple[str, Any]]:
    mode = config.get("mode")
    if mode == "llm" and config.get("llm_model"):
        mode = f"llm ({config['llm_model']})"
    return [
        ("mode", mode),
        ("embedder", config.get("embedding")),
        ("retriever", config.get("retriever")),
        ("top-k", config.get("top_k")),
        ("chunk size", config.get("chunk_size")),
        ("corpus fingerprint", config.get("corpus_fingerprint")),
        ("git commit", config.get("git_commit")),
        ("date", config.get("date")),
        ("questions", config.get("questions_file")),
        (
            "language",
            "forced to each question's language"
            if config.get("lang_override")
            else "auto-detected",
        ),
    ]


def _cost_line(report: Mapping[str, Any]) -> str | None:
    cost = get_path(report, "summary.cost_usd")
    if cost is None:
        return None
    cfg = report.get("config") or {}
    return (
        f"Estimated cost: ${cost:.4f} (prompt ${cfg.get('price_prompt_per_1m') or 0}/1M tokens, "
        f"completion ${cfg.get('price_completion_per_1m') or 0}/1M tokens; answers only, "
        "LLM-judge calls not included)"
    )


def _llm_judged_lines(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """[(scope, text)] describing LLM-judged metrics."""
    out = []
    for name, summary in scopes(report):
        j = summary.get("llm_judged") or {}
        if not j.get("computed"):
            out.append((name, f"not computed: {j.get('reason') or 'no LLM configured'}"))
            continue
        parts = []
        for metric in ("faithfulness", "relevancy"):
            v = j.get(metric)
            txt = f"{100 * v:.1f}%" if v is not None else "—"
            parts.append(
                f"{metric} {txt} (judged {j.get(f'{metric}_n_judged', 0)}, "
                f"judge failures {j.get(f'{metric}_n_failed', 0)})"
            )
        out.append((name, "; ".join(parts)))
    return out


def headline_table_md(report: Mapping[str, Any]) -> str:
    groups = scopes(report)
    lines = [
        "| metric | " + " | ".join(name for name, _ in groups) + " |",
        "|---|" + "---:|" * len(groups),
        "| questions (answerable / unanswerable) | "
        + " | ".join(_counts(s) for _, s in groups)
        + " |",
    ]
    for path, label in HEADLINE_METRICS:
        lines.append(
            f"| {label} | "
            + " | ".join(fmt_value(get_path(s, path), path) for _, s in groups)
            + " |"
        )
    if get_path(report, "summary.cost_usd") is not None:
        lines.append(
            "| estimated cost (USD) | "
            + " | ".join(f"{get_path(s, 'cost_usd') or 0:.4f}" for _, s in groups)
            + " |"
        )
    if get_path(report, "summary.errors"):
        errors = " | ".join(str(s.get("errors", 0)) for _, s in groups)
        lines.append(f"| engine errors | {errors} |")
    return "\n".join(lines)


def render_markdown(report: Mapping[str, Any], plot_files: Mapping[str, str] | None = None) -> str:
    cfg = report.get("config") or {}
    out = ["# RAG eval report", ""]
    out.append(" · ".join(f"**{k}**: {fmt_value(v)}" for k, v in _config_rows(cfg)))
    out += ["", "## Headline metrics", "", headline_table_md(report), ""]
    out.append(
        "Retrieval metrics are over answerable questions; latency percentiles are nearest-rank."
    )
    cost = _cost_line(report)
    if cost:
        out += ["", cost]
    out += ["", "### LLM-judged metrics", ""]
    out += [f"- **{name}**: {text}" for name, text in _llm_judged_lines(report)]
    if plot_files:
        out += ["", "## Plots", ""]
        for name, file in plot_files.items():
            out.append(f"![{PLOTS.get(name, (name,))[0]}]({file})")
            out.append("")
    questions = ordered_questions(report.get("questions") or [])
    out += [
        "",
        "## Questions (failures first)",
        "",
        "| verdict | id | question | expected | answer | cited | gold rank | latency ms |",
        "|---|---|---|---|---|---|---:|---:|",
    ]
    for q in questions:
        expected = _expected(q)
        answer = _answer(q)
        out.append(
            "| "
            + " | ".join(
                [
                    verdict_label(q),
                    _md_cell(q["id"]),
                    _md_cell(q.get("question"), 160),
                    _md_cell(expected, 120),
                    _md_cell(answer, 240),
                    _md_cell(", ".join(q.get("cited_sources") or []), 120),
                    fmt_value(q.get("first_gold_rank")),
                    fmt_value(q.get("latency_ms"), "latency"),
                ]
            )
            + " |"
        )
    failures = [q for q in questions if q.get("failed")]
    if failures:
        out += ["", "## Why they failed", ""]
        for q in failures:
            out.append(f"### {q['id']} ({q['language']}) — {verdict_label(q)}")
            out.append("")
            out.append(f"- **question:** {_md_cell(q.get('question'), 1000)}")
            out.append(f"- **expected:** {_md_cell(q.get('expected') or '(should abstain)', 1000)}")
            out.append(f"- **answer:** {_md_cell(q.get('error') or q.get('answer_text'), 1500)}")
            bad = [k for k, v in (q.get("verdicts") or {}).items() if not v]
            out.append(f"- **failed checks:** {', '.join(bad) or '—'}")
            if q.get("missing_groups"):
                out.append(
                    "- **missing:** "
                    + "; ".join(" / ".join(g) for g in q["missing_groups"])
                )
            if q.get("invalid_markers"):
                out.append(f"- **markers without a source:** {q['invalid_markers']}")
            out.append(
                f"- **answer language:** {q.get('answer_language')} (expected {q['language']})"
            )
            out.append(f"- **gold sources:** {', '.join(q.get('sources') or []) or '—'}")
            if q.get("retrieved"):
                out.append("- **retrieved passages:**")
                for p in q["retrieved"]:
                    gold = " ★gold" if p.get("gold") else ""
                    out.append(
                        f"  {p['rank']}. `{p['file']}` ({p.get('language')}, "
                        f"score {float(p.get('score') or 0):.3f}{gold}) — "
                        f"{_md_cell(p.get('text'), 300)}"
                    )
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- html
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;
  max-width:1400px}
h1{margin-bottom:4px} h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f4f4f4} td.num{text-align:right;white-space:nowrap}
.cfg td:first-child{font-weight:600}
.v-OK{color:#176317;font-weight:600} .v-WRONG,.v-ERROR{color:#b00020;font-weight:600}
.v-OKstar{color:#a15c00;font-weight:600}
tr.fail{background:#fff5f5} tr.warn{background:#fffaf0}
.small{font-size:12px;color:#555} .ans{max-width:420px} .q{max-width:300px}
details{margin:2px 0} summary{cursor:pointer;color:#0645ad}
.passage{font-size:12px;margin:4px 0 8px 0;padding:4px 6px;background:#f8f8f8;
  border-left:3px solid #ccc}
.passage.gold{border-left-color:#2e7d32}
img{max-width:100%;border:1px solid #eee;margin:8px 0}
.note{color:#555}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _html_headline(report: Mapping[str, Any]) -> str:
    groups = scopes(report)
    rows = ["<tr><th>metric</th>" + "".join(f"<th>{_e(n)}</th>" for n, _ in groups) + "</tr>"]
    rows.append(
        "<tr><td>questions (answerable / unanswerable)</td>"
        + "".join(f"<td class=num>{_counts(s)}</td>" for _, s in groups)
        + "</tr>"
    )
    for path, label in HEADLINE_METRICS:
        rows.append(
            f"<tr><td>{_e(label)}</td>"
            + "".join(
                f"<td class=num>{_e(fmt_value(get_path(s, path), path))}</td>" for _, s in groups
            )
            + "</tr>"
        )
    if get_path(report, "summary.cost_usd") is not None:
        rows.append(
            "<tr><td>estimated cost (USD)</td>"
            + "".join(f"<td class=num>{get_path(s, 'cost_usd') or 0:.4f}</td>" for _, s in groups)
            + "</tr>"
        )
    if get_path(report, "summary.errors"):
        rows.append(
            "<tr><td>engine errors</td>"
            + "".join(f"<td class=num>{s.get('errors', 0)}</td>" for _, s in groups)
            + "</tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _html_question_row(q: Mapping[str, Any]) -> str:
    label = verdict_label(q)
    css = {"OK": "", "OK*": "warn"}.get(label, "fail")
    vcls = "v-OKstar" if label == "OK*" else f"v-{label}"
    expected = _expected(q)
    answer = _answer(q)
    bad = [k for k, v in (q.get("verdicts") or {}).items() if not v]
    verdicts = "".join(
        f"<div class=small>{'✔' if v else '✘'} {_e(k)}</div>"
        for k, v in (q.get("verdicts") or {}).items()
    )
    details = []
    if q.get("missing_groups"):
        missing = "; ".join(" / ".join(g) for g in q["missing_groups"])
        details.append(f"<div class=small>missing: {_e(missing)}</div>")
    if q.get("invalid_markers"):
        details.append(
            f"<div class=small>markers without a source: {_e(q['invalid_markers'])}</div>"
        )
    details.append(
        f"<div class=small>answer language: {_e(q.get('answer_language'))} "
        f"(expected {_e(q['language'])})"
        f"{' · abstained' if q.get('abstained') else ''}</div>"
    )
    lj = q.get("llm_judged") or {}
    for metric in ("faithfulness", "relevancy"):
        j = lj.get(metric)
        if j:
            if j.get("error"):
                txt = f"error: {j['error']}"
            else:
                txt = f"score {j.get('score')}, passing {j.get('passing')}"
            details.append(f"<div class=small>{metric}: {_e(txt)}</div>")
    passages = []
    for p in q.get("retrieved") or []:
        passages.append(
            f"<div class='passage{' gold' if p.get('gold') else ''}'>"
            f"<b>{p['rank']}. {_e(p['file'])}</b> "
            f"({_e(p.get('language'))}, score {float(p.get('score') or 0):.3f}"
            f"{', gold' if p.get('gold') else ''}) — {_e(p.get('title'))}"
            f"<br>{_e(p.get('text'))}</div>"
        )
    if passages:
        details.append(
            f"<details{' open' if bad else ''}>"
            f"<summary>retrieved passages ({len(passages)})</summary>"
            + "".join(passages)
            + "</details>"
        )
    cited = "<br>".join(_e(f) for f in q.get("cited_sources") or []) or "—"
    gold = "<br>".join(_e(f) for f in q.get("sources") or []) or "—"
    return (
        f"<tr class='{css}' id='q-{_e(q['id'])}'>"
        f"<td class='{vcls}'>{_e(label)}{verdicts}</td>"
        f"<td>{_e(q['id'])}<div class=small>{_e(q['language'])}</div></td>"
        f"<td class=q>{_e(q.get('question'))}</td>"
        f"<td class=q>{_e(expected)}<div class=small>gold: {gold}</div></td>"
        f"<td class=ans>{_e(answer)}{''.join(details)}</td>"
        f"<td class=small>{cited}</td>"
        f"<td class=num>{_e(fmt_value(q.get('first_gold_rank')))}</td>"
        f"<td class=num>{_e(fmt_value(q.get('latency_ms'), 'latency'))}</td>"
        "</tr>"
    )


def render_html(report: Mapping[str, Any], plots: Mapping[str, bytes] | None = None) -> str:
    """One self-contained HTML file: inline CSS, plots as data: URIs, no scripts,
    no external resources."""
    cfg = report.get("config") or {}
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset='utf-8'>",
        "<meta name=viewport content='width=device-width, initial-scale=1'>",
        f"<title>RAG eval report {_e(cfg.get('date') or '')}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>RAG eval report</h1>",
        f"<p class=note>{_e(cfg.get('date') or '')}</p>",
        "<h2>Configuration</h2><table class=cfg>",
    ]
    parts += [f"<tr><td>{_e(k)}</td><td>{_e(fmt_value(v))}</td></tr>" for k, v in _config_rows(cfg)]
    parts.append("</table>")
    parts += ["<h2>Headline metrics</h2>", _html_headline(report)]
    parts.append(
        "<p class=note>Retrieval metrics are over answerable questions; citation validity over "
        "answered (not abstained) answerable questions; language match over all answers; "
        "latency percentiles are nearest-rank.</p>"
    )
    cost = _cost_line(report)
    if cost:
        parts.append(f"<p>{_e(cost)}</p>")
    parts.append("<h3>LLM-judged metrics</h3><ul>")
    parts += [f"<li><b>{_e(n)}</b>: {_e(t)}</li>" for n, t in _llm_judged_lines(report)]
    parts.append("</ul>")
    if plots:
        parts.append("<h2>Plots</h2>")
        for name, png in plots.items():
            title = PLOTS.get(name, (name,))[0]
            b64 = base64.b64encode(png).decode("ascii")
            parts.append(
                f"<h3>{_e(title)}</h3><img alt='{_e(title)}' src='data:image/png;base64,{b64}'>"
            )
    questions = ordered_questions(report.get("questions") or [])
    n_fail = sum(1 for q in questions if q.get("failed"))
    parts.append(
        f"<h2>Questions</h2><p class=note>{len(questions)} questions, {n_fail} with at least one "
        "failed check, listed first (WRONG / ERROR, then OK* = correct but another check "
        "failed).</p>"
    )
    parts.append(
        "<table><tr><th>verdict</th><th>id</th><th>question</th><th>expected</th><th>answer</th>"
        "<th>cited sources</th><th>gold rank</th><th>latency ms</th></tr>"
    )
    parts += [_html_question_row(q) for q in questions]
    parts.append("</table></body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- write
def write_report(
    report: Mapping[str, Any], out_dir: str | Path, *, plots: bool = True
) -> dict[str, Path]:
    """Write report.json, report.md, report.html and plots/*.png into `out_dir`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html"}
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    pngs = make_plots(report) if plots else {}
    plot_files = {}
    if pngs:
        (out / "plots").mkdir(exist_ok=True)
        for name, png in pngs.items():
            p = out / "plots" / f"{name}.png"
            p.write_bytes(png)
            plot_files[name] = f"plots/{name}.png"
    paths["md"].write_text(render_markdown(report, plot_files), encoding="utf-8")
    paths["html"].write_text(render_html(report, pngs), encoding="utf-8")
    logger.info("report written to %s", out)
    return paths


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a report.json (or a directory holding one)."""
    p = Path(path)
    if p.is_dir():
        p = p / "report.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        from rag.errors import RagError

        raise RagError(f"{p}: report not found") from None
    except json.JSONDecodeError as e:
        from rag.errors import RagError

        raise RagError(f"{p}: not valid JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(data, dict) or "summary" not in data:
        from rag.errors import RagError

        raise RagError(f"{p}: not an eval report (no 'summary')")
    return data


# --------------------------------------------------------------------------- compare
COMPARE_EXTRA_METRICS: tuple[tuple[str, str], ...] = (
    ("answer.correct_all", "correct (incl. abstentions)"),
    ("llm_judged.faithfulness", "faithfulness (LLM-judged)"),
    ("llm_judged.relevancy", "relevancy (LLM-judged)"),
    ("cost_usd", "estimated cost (USD)"),
)


def _metric_delta(old: Any, new: Any) -> float | None:
    if isinstance(old, int | float) and isinstance(new, int | float) and not isinstance(old, bool):
        return new - old
    return None


def compare_reports(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Change of every headline metric, overall and per language, and the questions
    (matched by id) that flipped between correct and wrong."""
    old_scopes = dict(scopes(old))
    new_scopes = dict(scopes(new))
    names = list(dict.fromkeys([*old_scopes, *new_scopes]))
    metrics: dict[str, dict[str, Any]] = {}
    for name in names:
        o, n = old_scopes.get(name) or {}, new_scopes.get(name) or {}
        block = {}
        for path, _ in (*HEADLINE_METRICS, *COMPARE_EXTRA_METRICS):
            ov, nv = get_path(o, path), get_path(n, path)
            if ov is None and nv is None and path in dict(COMPARE_EXTRA_METRICS):
                continue
            block[path] = {"old": ov, "new": nv, "delta": _metric_delta(ov, nv)}
        block["n"] = {
            "old": o.get("n"), "new": n.get("n"), "delta": _metric_delta(o.get("n"), n.get("n"))
        }
        metrics[name] = block

    old_q = {q["id"]: q for q in old.get("questions") or []}
    new_q = {q["id"]: q for q in new.get("questions") or []}

    def flip(q_old: Mapping[str, Any], q_new: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "id": q_new["id"],
            "language": q_new.get("language"),
            "question": q_new.get("question"),
            "old_answer": q_old.get("answer_text"),
            "new_answer": q_new.get("answer_text"),
            "old_abstained": q_old.get("abstained"),
            "new_abstained": q_new.get("abstained"),
        }

    to_wrong, to_right = [], []
    for qid, qn in new_q.items():
        qo = old_q.get(qid)
        if qo is None:
            continue
        if qo.get("correct") and not qn.get("correct"):
            to_wrong.append(flip(qo, qn))
        elif not qo.get("correct") and qn.get("correct"):
            to_right.append(flip(qo, qn))
    return {
        "old": {"config": old.get("config"), "n": get_path(old, "summary.n")},
        "new": {"config": new.get("config"), "n": get_path(new, "summary.n")},
        "metrics": metrics,
        "flips": {"correct_to_wrong": to_wrong, "wrong_to_correct": to_right},
        "only_in_old": sorted(set(old_q) - set(new_q)),
        "only_in_new": sorted(set(new_q) - set(old_q)),
    }


def _label(path: str) -> str:
    return dict((*HEADLINE_METRICS, *COMPARE_EXTRA_METRICS)).get(path, path)


def render_compare_markdown(
    cmp: Mapping[str, Any], old_name: str = "old", new_name: str = "new"
) -> str:
    out = ["# Eval comparison", ""]
    for side, name in (("old", old_name), ("new", new_name)):
        cfg = (cmp.get(side) or {}).get("config") or {}
        out.append(
            f"- **{side}** ({_md_cell(name, 200)}): mode {cfg.get('mode')}"
            f"{' ' + str(cfg.get('llm_model')) if cfg.get('llm_model') else ''}, retriever "
            f"{cfg.get('retriever')}, top-k {cfg.get('top_k')}, "
            f"commit {fmt_value(cfg.get('git_commit'))}, date {cfg.get('date')}, "
            f"{(cmp.get(side) or {}).get('n')} questions"
        )
    for scope, block in (cmp.get("metrics") or {}).items():
        out += ["", f"## {scope}", "", "| metric | old | new | change |", "|---|---:|---:|---:|"]
        for path, v in block.items():
            out.append(
                f"| {_label(path)} | {fmt_value(v['old'], path)} | {fmt_value(v['new'], path)} | "
                f"{fmt_delta(v['delta'], path)} |"
            )
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
            out.append(
                f"| {_md_cell(f['id'])} | {_md_cell(f.get('question'), 150)} "
                f"| {_md_cell(oa)} | {_md_cell(na)} |"
            )
    for key, title in (("only_in_old", "Only in old"), ("only_in_new", "Only in new")):
        if cmp.get(key):
            out += ["", f"{title}: " + ", ".join(cmp[key])]
    return "\n".join(out).rstrip() + "\n"


def write_compare(
    cmp: Mapping[str, Any], out_dir: str | Path, old_name: str = "old", new_name: str = "new"
) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "compare.json", "md": out / "compare.md"}
    paths["json"].write_text(json.dumps(cmp, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["md"].write_text(render_compare_markdown(cmp, old_name, new_name), encoding="utf-8")
    return paths


# --------------------------------------------------------------------------- side by side
def side_by_side(reports: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """{scope: {metric path: {run name: value}}} for several runs (e.g. retrievers)."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for run, report in reports.items():
        for scope, summary in scopes(report):
            block = table.setdefault(scope, {})
            for path, _ in HEADLINE_METRICS:
                block.setdefault(path, {})[run] = get_path(summary, path)
    return table


def render_side_by_side_markdown(reports: Mapping[str, Mapping[str, Any]]) -> str:
    runs = list(reports)
    table = side_by_side(reports)
    out = ["# Retrievers side by side", ""]
    first = next(iter(reports.values()), {})
    cfg = first.get("config") or {}
    out.append(
        f"mode {cfg.get('mode')}, embedder {cfg.get('embedding')}, top-k {cfg.get('top_k')}, "
        f"date {cfg.get('date')}, commit {fmt_value(cfg.get('git_commit'))}. "
        "Each run has its own folder with the full report."
    )
    for scope, block in table.items():
        out += ["", f"## {scope}", ""]
        out += ["| metric | " + " | ".join(runs) + " |", "|---|" + "---:|" * len(runs)]
        for path, values in block.items():
            cells = " | ".join(fmt_value(values.get(r), path) for r in runs)
            out.append(f"| {_label(path)} | {cells} |")
    return "\n".join(out).rstrip() + "\n"


def write_side_by_side(
    reports: Mapping[str, Mapping[str, Any]], out_dir: str | Path
) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"md": out / "comparison.md", "json": out / "comparison.json"}
    paths["md"].write_text(render_side_by_side_markdown(reports), encoding="utf-8")
    paths["json"].write_text(
        json.dumps(side_by_side(reports), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return paths
