"""report.html: one self-contained page (inline CSS, plots as data: URIs, no
scripts, no external resources) that can be mailed. The plain-language summary and
the headline tables come first; everything long sits in collapsible <details>."""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from typing import Any

from eval.report.fmt import fmt_value
from eval.report.i18n import tr
from eval.report.model import verdict_label
from eval.report.view import (
    Figure,
    Grid,
    Pairs,
    Section,
    Table,
    answer_text,
    build_sections,
    expected_text,
    listed_questions,
)

# Words are never broken letter by letter: no `break-all`/`anywhere`; a table wider
# than the screen scrolls inside its own box instead of squeezing its columns.
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;
  max-width:1400px;line-height:1.4}
h1{margin-bottom:4px} h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px;font-size:1.3em}
details>summary h2{display:inline;border:0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left;
  word-break:normal;overflow-wrap:normal;hyphens:manual}
th{background:#f4f4f4} td.num{text-align:right;white-space:nowrap}
table.metrics td:first-child{min-width:14em}
.grid{display:flex;flex-wrap:wrap;gap:4px 24px}
.grid table caption{font-weight:600;text-align:left;padding:2px 0}
.summary li{margin:4px 0;font-size:1.05em}
.cfg td:first-child{font-weight:600}
.v-OK{color:#176317;font-weight:600} .v-WRONG,.v-ERROR{color:#b00020;font-weight:600}
.v-OKstar{color:#a15c00;font-weight:600}
tr.fail{background:#fff5f5} tr.warn{background:#fffaf0}
.small{font-size:12px;color:#555} td.ans{min-width:16em;max-width:36em} td.q{min-width:12em;max-width:24em}
td.id{white-space:nowrap}
details{margin:6px 0} summary{cursor:pointer;color:#0645ad}
.passage{font-size:12px;margin:4px 0 8px 0;padding:4px 6px;background:#f8f8f8;border-left:3px solid #ccc}
.passage.gold{border-left-color:#2e7d32}
img{max-width:100%;border:1px solid #eee;margin:8px 0}
.note{color:#555}
@media (max-width:700px){body{margin:8px} table{font-size:13px}}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def html_table(table: Table) -> str:
    caption = f"<caption>{esc(table.caption)}</caption>" if table.caption else ""
    head = "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in table.headers) + "</tr>"
    def cell(i: int, c: str, tip: str | None) -> str:
        if i == 0 and tip:  # plain words, the technical name as a tooltip
            plain = c[: -len(f" ({tip})")] if c.endswith(f" ({tip})") else c
            return f"<td title='{esc(tip)}'>{esc(plain)}</td>"
        return f"<td{' class=num' if i else ''}>{esc(c)}</td>"

    tips = list(table.tips) + [None] * (len(table.rows) - len(table.tips))
    body = "".join(
        "<tr>" + "".join(cell(i, c, tip) for i, c in enumerate(row)) + "</tr>"
        for row, tip in zip(table.rows, tips, strict=False)
    )
    return f"<div class=scroll><table class='{esc(table.css)}'>{caption}{head}{body}</table></div>"


def _block(block: Any, plots: Mapping[str, bytes]) -> str:
    if isinstance(block, str):
        return f"<p class=note>{esc(block)}</p>"
    if isinstance(block, Table):
        return html_table(block)
    if isinstance(block, Grid):
        return "<div class=grid>" + "".join(html_table(t) for t in block.tables) + "</div>"
    if isinstance(block, Pairs):
        rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in block.items)
        return f"<div class=scroll><table class=cfg>{rows}</table></div>"
    if isinstance(block, Figure):
        png = plots.get(block.name)
        if not png:
            return ""
        b64 = base64.b64encode(png).decode("ascii")
        return f"<h3>{esc(block.title)}</h3><img alt='{esc(block.title)}' src='data:image/png;base64,{b64}'>"
    return "<ul class=summary>" + "".join(f"<li>{esc(line)}</li>" for line in block) + "</ul>"


def render_section(section: Section, plots: Mapping[str, bytes]) -> str:
    body = "\n".join(_block(b, plots) for b in section.blocks)
    if section.collapsed:
        return (f"<details id='{esc(section.key)}'><summary><h2>{esc(section.title)}</h2></summary>"
                f"{body}</details>")
    return f"<section id='{esc(section.key)}'><h2>{esc(section.title)}</h2>{body}</section>"


def _question_details(q: Mapping[str, Any], lang: str) -> str:
    t = tr(lang)
    parts = []
    if q.get("missing_groups"):
        missing = "; ".join(" / ".join(g) for g in q["missing_groups"])
        parts.append(f"<div class=small>{esc(t('f.missing'))}: {esc(missing)}</div>")
    if q.get("invalid_markers"):
        parts.append(f"<div class=small>{esc(t('f.markers'))}: {esc(q['invalid_markers'])}</div>")
    parts.append(f"<div class=small>{esc(t('f.language'))}: {esc(q.get('answer_language'))} "
                 f"({esc(t('f.expected_lang', lang=q['language']))})</div>")
    conf = q.get("confidence") or {}
    if conf.get("level"):
        level = t(f"conf.{conf['level']}")
        reason = f" — {conf['reason']}" if conf.get("reason") else ""
        parts.append(f"<div class=small>{esc(t('f.confidence'))}: {esc(level)}{esc(reason)}</div>")
    for metric in ("faithfulness", "relevancy"):
        j = (q.get("llm_judged") or {}).get(metric)
        if j:
            txt = f"error: {j['error']}" if j.get("error") else (
                f"score {j.get('score')}, passing {j.get('passing')}")
            parts.append(f"<div class=small>{metric}: {esc(txt)}</div>")
    passages = [
        f"<div class='passage{' gold' if p.get('gold') else ''}'><b>{p['rank']}. {esc(p['file'])}</b> "
        f"({esc(p.get('language'))}, score {float(p.get('score') or 0):.3f}"
        f"{', gold' if p.get('gold') else ''}) — {esc(p.get('title'))}<br>{esc(p.get('text'))}</div>"
        for p in q.get("retrieved") or []
    ]
    if passages:
        parts.append(f"<details><summary>{esc(t('note.passages'))} ({len(passages)})</summary>"
                     + "".join(passages) + "</details>")
    return "".join(parts)


def question_row(q: Mapping[str, Any], lang: str) -> str:
    label = verdict_label(q)
    css = {"OK": "", "OK*": "warn"}.get(label, "fail")
    vcls = "v-OKstar" if label == "OK*" else f"v-{label}"
    checks = "".join(f"<div class=small>{'✔' if v else '✘'} {esc(k)}</div>"
                     for k, v in (q.get("verdicts") or {}).items())
    cited = "<br>".join(esc(f) for f in q.get("cited_sources") or []) or "—"
    gold = "<br>".join(esc(f) for f in q.get("sources") or []) or "—"
    return (
        f"<tr class='{css}' id='q-{esc(q['id'])}'>"
        f"<td class='{vcls}'>{esc(label)}{checks}</td>"
        f"<td class=id>{esc(q['id'])}<div class=small>{esc(q['language'])}</div></td>"
        f"<td class=q>{esc(q.get('question'))}</td>"
        f"<td class=q>{esc(expected_text(q, lang))}<div class=small>{gold}</div></td>"
        f"<td class=ans>{esc(answer_text(q, lang))}{_question_details(q, lang)}</td>"
        f"<td class=small>{cited}</td>"
        f"<td class=num>{esc(fmt_value(q.get('first_gold_rank')))}</td>"
        f"<td class=num>{esc(fmt_value(q.get('latency_ms'), 'latency', lang))}</td></tr>"
    )


def _questions(report: Mapping[str, Any], lang: str) -> str:
    t = tr(lang)
    listed, total, n_failed = listed_questions(report)
    head = "".join(f"<th>{esc(t(k))}</th>" for k in (
        "col.verdict", "col.id", "col.question", "col.expected", "col.answer", "col.cited",
        "col.rank", "col.latency"))
    note = t("note.questions", n=total, f=n_failed)
    if len(listed) < total:
        note += " " + t("note.truncated", k=len(listed), n=total)
    rows = "\n".join(question_row(q, lang) for q in listed)
    return (f"<details id=questions><summary><h2>{esc(t('sec.questions'))}</h2></summary>"
            f"<p class=note>{esc(note)}</p><div class=scroll><table class=questions><tr>{head}</tr>"
            f"{rows}</table></div></details>")


def render_page(title: str, subtitle: str, body: Sequence[str], lang: str) -> str:
    return "\n".join([
        f"<!DOCTYPE html><html lang='{esc(lang)}'><head><meta charset='utf-8'>",
        "<meta name=viewport content='width=device-width, initial-scale=1'>",
        f"<title>{esc(title)} {esc(subtitle)}</title><style>{CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1><p class=note>{esc(subtitle)}</p>",
        *body,
        "</body></html>",
    ])


def render_html(
    report: Mapping[str, Any], plots: Mapping[str, bytes] | None = None, lang: str = "en"
) -> str:
    """The whole page: sections from `view.build_sections`, then the questions."""
    plots = plots or {}
    cfg = report.get("config") or {}
    subtitle = " · ".join(str(x) for x in (
        cfg.get("date"), cfg.get("mode"), cfg.get("retriever"), cfg.get("questions_file")) if x)
    body = [render_section(s, plots) for s in build_sections(report, lang, list(plots))]
    body.append(_questions(report, lang))
    return render_page(tr(lang)("title"), subtitle, body, lang)
