"""The report as a list of format-neutral sections (paragraphs, bullet lists, tables,
figures), in one of the report languages. `markdown` and `html_page` only render
these, so both formats always say the same thing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.metrics import CONFIDENCE_LEVELS, HEADLINE_METRICS, get_path
from eval.report.fmt import fmt_value, pct
from eval.report.i18n import metric_help, metric_label, metric_plain, metric_technical, tr
from eval.report.model import ordered_questions, scopes, split_scopes, weakest_cell

# The per-question listing keeps the page short; report.json always has every question.
MAX_FAILED_LISTED = 200
MAX_PASSED_LISTED = 100
CROSS_METRICS = (
    ("hit_at_1", "retrieval.hit_at_1"), ("mrr", "retrieval.mrr"),
    ("correct", "answer.correct"), ("false_abstention", "abstain.false_abstention"),
)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    css: str = "metrics"
    # per row, the technical name of its metric: HTML shows the plain words with the
    # technical name as a tooltip (Markdown keeps the label as it is)
    tips: list[str | None] = field(default_factory=list)


@dataclass
class Grid:
    """Tables shown next to each other (HTML) or one after another (Markdown)."""

    tables: list[Table]


@dataclass
class Pairs:
    """Key-value lines (the configuration)."""

    items: list[list[str]]


@dataclass
class Figure:
    name: str
    title: str


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Any] = field(default_factory=list)
    collapsed: bool = False


def scope_name(name: str, t) -> str:
    if name == "overall":
        return t("col.overall")
    if name in ("tune", "holdout"):
        return t(f"split.{name}")
    return name


def metrics_table(groups: Sequence[tuple[str, Mapping[str, Any]]], lang: str) -> Table:
    """One row per headline metric, one column per scope (overall, languages, splits)."""
    t = tr(lang)
    rows = [[t("col.questions")] + [
        f"{s.get('n', 0)} ({s.get('n_answerable', 0)} / {s.get('n_unanswerable', 0)})"
        for _, s in groups
    ]]
    tips: list[str | None] = [None]
    for path, _ in HEADLINE_METRICS:
        rows.append([metric_label(path, lang)]
                    + [fmt_value(get_path(s, path), path, lang) for _, s in groups])
        tips.append(metric_technical(path))
    if any(s.get("cost_usd") is not None for _, s in groups):
        rows.append(["USD"] + [f"{s.get('cost_usd') or 0:.4f}" for _, s in groups])
    if any(s.get("errors") for _, s in groups):
        rows.append(["errors"] + [str(s.get("errors", 0)) for _, s in groups])
    return Table([t("col.metric")] + [scope_name(n, t) for n, _ in groups], rows, tips=tips)


def cross_tables(cross: Mapping[str, Any], lang: str) -> list[Table]:
    """The question x document language table: questions per cell, then one table per
    metric (hit@1, MRR, correct, false abstention)."""
    t = tr(lang)
    rows, cols, cells = cross.get("rows") or [], cross.get("columns") or [], cross.get("cells") or {}
    corner = t("col.corner")
    names = [column_name(c, lang) for c in cols]
    out = [Table([corner, *names], [[r, *[str(cells[r][c]["n"]) for c in cols]] for r in rows],
                 t("note.cross_n"), "cross")]
    for key, path in CROSS_METRICS:
        body = [[r, *[fmt_value(cells[r][c][key], path, lang) if cells[r][c]["n"] else "—"
                      for c in cols]] for r in rows]
        out.append(Table([corner, *names], body, metric_plain(path, lang), "cross"))
    return out


def column_name(column: str, lang: str) -> str:
    """A document-language column: its code, "parallel" in the report's language."""
    return tr(lang)("col.parallel") if column == "parallel" else column


def _summary_lines(report: Mapping[str, Any], lang: str) -> list[str]:
    t = tr(lang)
    s = report.get("summary") or {}
    lines = []
    na, nu = s.get("n_answerable", 0), s.get("n_unanswerable", 0)
    ab = s.get("abstain") or {}
    if na:
        correct = get_path(s, "answer.correct")
        lines.append(t("s.correct", pct=pct(correct, lang, 0), k=get_path(s, "answer.n_correct")
                       or round((correct or 0) * na), n=na))
        given = get_path(s, "answer.n_leads_given")
        if given:
            lines.append(t("s.lead_precision", pct=pct(get_path(s, "answer.lead_precision"), lang, 0),
                           k=get_path(s, "answer.n_leads_right") or 0, n=given))
        lines.append(t("s.hit1", pct=pct(get_path(s, "retrieval.hit_at_1"), lang, 0)))
        lines.append(t("s.false_abst", f=ab.get("n_false_abstained", 0), n=na))
    if nu:
        missed = ab.get("n_unanswerable_answered", 0)
        lines.append(t("s.unans_answered", m=missed, u=nu) if missed else t("s.unans_refused", u=nu))
    held = dict(split_scopes(report)).get("holdout")
    if held:
        hab = held.get("abstain") or {}
        lines.append(t("s.holdout", n=held.get("n", 0),
                       pct=pct(get_path(held, "answer.correct"), lang, 0),
                       m=hab.get("n_unanswerable_answered", 0), u=held.get("n_unanswerable", 0),
                       f=hab.get("n_false_abstained", 0), a=held.get("n_answerable", 0)))
    lines += _language_lines(report, lang)
    conf = s.get("confidence") or {}
    if conf.get("computed"):
        parts = [f"{t('conf.' + level)} {pct(v.get('correct'), lang, 0)} ({v['n']})"
                 for level, v in conf["levels"].items()]
        lines.append(t("s.confidence", parts=", ".join(parts)))
    if s.get("errors"):
        lines.append(t("s.errors", e=s["errors"]))
    return lines


def _language_lines(report: Mapping[str, Any], lang: str) -> list[str]:
    t = tr(lang)
    lines = []
    weak = weakest_cell(report)
    cols = (report.get("cross_language") or {}).get("columns") or []
    if weak and len([c for c in cols if c != "parallel"]) > 1:
        q_lang, d_lang, cell = weak
        lines.append(t("s.weakest", q=t(f"lang.{q_lang}"), d=t(f"lang.{d_lang}"),
                       pct=pct(cell["hit_at_1"], lang, 0), n=cell["n"]))
    bias = report.get("language_bias") or {}
    if bias.get("n"):
        lines.append(t("s.bias", pct=pct(bias.get("rate"), lang, 0), k=bias.get("n_outranked"),
                       n=bias["n"]))
    return lines


def _confidence_blocks(report: Mapping[str, Any], lang: str) -> list[Any]:
    t = tr(lang)
    conf = get_path(report, "summary.confidence") or {}
    if not conf.get("computed"):
        return [t("note.no_confidence")]
    rows = []
    levels = conf.get("levels") or {}
    for level in [lv for lv in CONFIDENCE_LEVELS if lv in levels] + [
        lv for lv in levels if lv not in CONFIDENCE_LEVELS
    ]:
        v = levels[level]
        rows.append([t("conf." + level), str(v["n"]), pct(v.get("share"), lang), pct(v.get("correct"), lang),
                     pct(v.get("lead_precision"), lang) if v.get("n_leads_given") else "—"])
    table = Table([t("col.level"), t("col.n"), t("col.share"), t("col.correct"), t("col.leads")], rows)
    return [t("note.confidence"), table]


def _bias_blocks(report: Mapping[str, Any], lang: str) -> list[Any]:
    t = tr(lang)
    bias = report.get("language_bias") or {}
    rows = [[pair, str(v["n"]), str(v["n_outranked"]), pct(v.get("rate"), lang)]
            for pair, v in (bias.get("by_pair") or {}).items()]
    rows.append([t("col.overall"), str(bias.get("n", 0)), str(bias.get("n_outranked", 0)),
                 pct(bias.get("rate"), lang)])
    header = [t("col.pair"), t("col.n"), t("col.outranked"), t("col.rate")]
    return [t("note.bias"), Table(header, rows)]


def _judged_lines(report: Mapping[str, Any], lang: str) -> list[str]:
    t = tr(lang)
    out = []
    for name, summary in scopes(report):
        j = summary.get("llm_judged") or {}
        if not j.get("computed"):
            reason = j.get("reason") or "no LLM configured"
            if reason == "no LLM configured":
                reason = t("judged.no_llm")
            out.append(f"{scope_name(name, t)}: " + t("judged.not", reason=reason))
            continue
        parts = [f"{metric} {fmt_value(j.get(metric), 'llm_judged.' + metric, lang)} "
                 f"(n={j.get(f'{metric}_n_judged', 0)}, failed {j.get(f'{metric}_n_failed', 0)})"
                 for metric in ("faithfulness", "relevancy")]
        out.append(f"{scope_name(name, t)}: " + "; ".join(parts))
    cost = get_path(report, "summary.cost_usd")
    if cost is not None:
        out.append(t("cost", cost=f"{cost:.4f}"))
    return out


def config_rows(config: Mapping[str, Any], lang: str) -> list[list[str]]:
    t = tr(lang)
    mode = config.get("mode")
    if mode == "llm" and config.get("llm_model"):
        mode = f"llm ({config['llm_model']})"
    pairs = [
        ("cfg.mode", mode), ("cfg.embedder", config.get("embedding")),
        ("cfg.retriever", config.get("retriever")), ("cfg.top_k", config.get("top_k")),
        ("cfg.chunk", config.get("chunk_size")), ("cfg.fingerprint", config.get("corpus_fingerprint")),
        ("cfg.commit", config.get("git_commit")), ("cfg.date", config.get("date")),
        ("cfg.questions", config.get("questions_file")),
        ("cfg.language", t("cfg.forced") if config.get("lang_override") else t("cfg.auto")),
    ]
    return [[t(key), fmt_value(value)] for key, value in pairs]


def glossary(lang: str) -> list[str]:
    return [f"{metric_label(path, lang)}: {metric_help(path, lang)}" for path, _ in HEADLINE_METRICS]


def build_sections(
    report: Mapping[str, Any], lang: str = "en", plot_names: Sequence[str] = ()
) -> list[Section]:
    """Every section above the per-question listing, in reading order."""
    from eval.report.plots import plot_title

    t = tr(lang)
    sections = [
        Section("summary", t("sec.summary"), [_summary_lines(report, lang)]),
        Section("headline", t("sec.headline"),
                [metrics_table(scopes(report), lang), t("note.headline")]),
    ]
    if split_scopes(report):
        sections.append(Section("splits", t("sec.splits"),
                                [metrics_table(split_scopes(report), lang)]))
    cross = report.get("cross_language") or {}
    if cross.get("columns"):
        sections.append(Section("cross", t("sec.cross"),
                                [t("note.cross"), Grid(cross_tables(cross, lang))]))
    if (report.get("language_bias") or {}).get("n"):
        sections.append(Section("bias", t("sec.bias"), _bias_blocks(report, lang)))
    sections += [
        Section("confidence", t("sec.confidence"), _confidence_blocks(report, lang)),
        Section("judged", t("sec.judged"), [_judged_lines(report, lang)]),
        Section("glossary", t("sec.glossary"), [glossary(lang)], collapsed=True),
        Section("config", t("sec.config"),
                [Pairs(config_rows(report.get("config") or {}, lang))], collapsed=True),
    ]
    if plot_names:
        sections.append(Section("plots", t("sec.plots"),
                                [Figure(n, plot_title(n, lang)) for n in plot_names], collapsed=True))
    return sections


def listed_questions(report: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int, int]:
    """(questions to list: failures first, capped), total, number failed."""
    qs = ordered_questions(report.get("questions") or [])
    failed = [q for q in qs if q.get("failed")]
    passed = [q for q in qs if not q.get("failed")]
    return failed[:MAX_FAILED_LISTED] + passed[:MAX_PASSED_LISTED], len(qs), len(failed)


def expected_text(q: Mapping[str, Any], lang: str) -> str:
    if q.get("expected"):
        return str(q["expected"])
    return "" if q.get("answerable") else tr(lang)("q.unanswerable")


def answer_text(q: Mapping[str, Any], lang: str) -> str:
    if q.get("error"):
        return f"ERROR: {q['error']}"
    text = q.get("answer_text") or ""
    return f"{tr(lang)('q.abstained')} {text}" if q.get("abstained") else text


def failed_checks(q: Mapping[str, Any]) -> list[str]:
    return [k for k, v in (q.get("verdicts") or {}).items() if not v]
