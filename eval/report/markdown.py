"""report.md: the report sections, then the questions (failures first) and why
they failed. Section headings are `## ` lines (the UI's eval tab splits on them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import eval.report.view as view
from eval.report.fmt import fmt_value, truncate
from eval.report.i18n import tr
from eval.report.model import verdict_label
from eval.report.view import Section, Table


def md_cell(text: Any, limit: int = 200) -> str:
    s = truncate(str(text) if text is not None else "", limit)
    return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") or " "


def md_table(table: Table) -> list[str]:
    out = []
    if table.caption:
        out += [f"**{md_cell(table.caption, 300)}**", ""]
    out.append("| " + " | ".join(md_cell(h) for h in table.headers) + " |")
    out.append("|---|" + "---:|" * (len(table.headers) - 1))
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in table.rows]
    return out


def _block(block: Any, plot_files: Mapping[str, str]) -> list[str]:
    if isinstance(block, str):
        return [md_cell(block, 2000)]
    if isinstance(block, Table):
        return md_table(block)
    if isinstance(block, view.Grid):
        out: list[str] = []
        for table in block.tables:
            out += [*md_table(table), ""]
        return out[:-1]
    if isinstance(block, view.Pairs):
        return [" · ".join(f"**{md_cell(k)}**: {md_cell(v)}" for k, v in block.items)]
    if isinstance(block, view.Figure):
        file = plot_files.get(block.name)
        return [f"![{md_cell(block.title)}]({file})"] if file else []
    return [f"- {md_cell(line, 2000)}" for line in block]  # a bullet list


def render_sections(sections: Sequence[Section], plot_files: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for section in sections:
        out += [f"## {section.title}", ""]
        for block in section.blocks:
            lines = _block(block, plot_files)
            if lines:
                out += [*lines, ""]
    return out


def _question_rows(questions: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    t = tr(lang)
    header = ["col.verdict", "col.id", "col.question", "col.expected", "col.answer", "col.cited",
              "col.rank", "col.latency"]
    out = ["| " + " | ".join(t(h) for h in header) + " |", "|---|---|---|---|---|---|---:|---:|"]
    for q in questions:
        cells = [
            verdict_label(q), md_cell(q["id"]), md_cell(q.get("question"), 160),
            md_cell(view.expected_text(q, lang), 120), md_cell(view.answer_text(q, lang), 240),
            md_cell(", ".join(q.get("cited_sources") or []), 120),
            fmt_value(q.get("first_gold_rank")), fmt_value(q.get("latency_ms"), "latency", lang),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out


def _why(q: Mapping[str, Any], lang: str) -> list[str]:
    t = tr(lang)
    out = [f"### {q['id']} ({q['language']}) — {verdict_label(q)}", ""]
    out.append(f"- **{t('f.question')}:** {md_cell(q.get('question'), 1000)}")
    out.append(f"- **{t('f.expected')}:** {md_cell(view.expected_text(q, lang), 1000)}")
    out.append(f"- **{t('f.answer')}:** {md_cell(q.get('error') or q.get('answer_text'), 1500)}")
    out.append(f"- **{t('f.checks')}:** {', '.join(view.failed_checks(q)) or '—'}")
    if q.get("missing_groups"):
        out.append(f"- **{t('f.missing')}:** " + "; ".join(" / ".join(g) for g in q["missing_groups"]))
    if q.get("invalid_markers"):
        out.append(f"- **{t('f.markers')}:** {q['invalid_markers']}")
    out.append(f"- **{t('f.language')}:** {q.get('answer_language')} "
               f"({t('f.expected_lang', lang=q['language'])})")
    if (q.get("confidence") or {}).get("level"):
        out.append(f"- **{t('f.confidence')}:** {t('conf.' + q['confidence']['level'])} "
                   f"{md_cell(q['confidence'].get('reason') or '', 300)}".rstrip())
    out.append(f"- **{t('f.gold')}:** {', '.join(q.get('sources') or []) or '—'}")
    if q.get("retrieved"):
        out.append(f"- **{t('f.passages')}:**")
        for p in q["retrieved"]:
            gold = " ★gold" if p.get("gold") else ""
            out.append(f"  {p['rank']}. `{p['file']}` ({p.get('language')}, "
                       f"score {float(p.get('score') or 0):.3f}{gold}) — {md_cell(p.get('text'), 300)}")
    return [*out, ""]


def render_markdown(
    report: Mapping[str, Any], plot_files: Mapping[str, str] | None = None, lang: str = "en"
) -> str:
    t = tr(lang)
    plot_files = plot_files or {}
    out = [f"# {t('title')}", ""]
    out += render_sections(view.build_sections(report, lang, list(plot_files)), plot_files)
    listed, total, n_failed = view.listed_questions(report)
    out += [f"## {t('sec.questions')}", "", t("note.questions", n=total, f=n_failed), ""]
    if len(listed) < total:
        out += [t("note.truncated", k=len(listed), n=total), ""]
    out += [*_question_rows(listed, lang), ""]
    failures = [q for q in listed if q.get("failed")]
    if failures:
        out += [f"## {t('sec.failures')}", ""]
        for q in failures:
            out += _why(q, lang)
    return "\n".join(out).rstrip() + "\n"
