"""Charts of a quality check, drawn in the page (HTML and CSS, no images): plain words
in the interface language, figures on every bar, the technical name of each measure
in a tooltip. From report.json (EVAL_FORMAT.md, eval/README.md)."""

from __future__ import annotations

from ui.i18n import language_name, t
from ui.render import esc

# (report.json path, label key, technical name for the tooltip)
LANGUAGE_MEASURES = (
    ("answer.correct", "chart_correct", "answer.correct"),
    ("answer.lead_precision", "chart_lead", "answer.lead_precision (lead precision)"),
    ("retrieval.hit_at_1", "chart_found", "retrieval.hit_at_1 (hit@1)"),
)
LEVELS = ("strong", "partial", "weak", "none")


def get(d: dict | None, path: str):
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def percent(value) -> str:
    return "—" if value is None else f"{100 * float(value):.0f} %"


def _bar(label: str, value, tip: str, note: str = "", css: str = "") -> str:
    width = 0 if value is None else max(0.0, min(1.0, float(value))) * 100
    return (f'<div class="chart-row tech-tip" title="{esc(tip)}"><span class="chart-label">{esc(label)}</span>'
            f'<span class="chart-track"><span class="chart-bar {css}" style="width:{width:.1f}%">'
            f'</span></span><span class="chart-value">{esc(percent(value))}'
            f'{(" · " + esc(note)) if note else ""}</span></div>')


def by_language(report: dict, lang: str) -> str:
    """Per question language: answered correctly, bold line right, right article first."""
    groups = []
    for code, part in (report.get("by_language") or {}).items():
        rows = [_bar(t(key, lang), get(part, path), tip)
                for path, key, tip in LANGUAGE_MEASURES
                if get(part, path) is not None or path == "answer.correct"]
        n = int(part.get("n") or 0)
        groups.append(f'<div class="chart-group"><div class="chart-group-head">'
                      f'{esc(language_name(code, lang))} '
                      f'<span class="muted">{esc(t("chart_n_questions", lang, n=n))}</span></div>'
                      f'{"".join(rows)}</div>')
    if not groups:
        return ""
    return (f'<figure class="chart" id="chart-languages"><figcaption>{esc(t("chart_by_language", lang))}'
            f'</figcaption>{"".join(groups)}</figure>')


def by_confidence(report: dict, lang: str) -> str:
    """Per evidence level shown with the answers: how often right, and how many."""
    levels = get(report, "summary.confidence.levels") or {}
    rows = []
    for level in [lv for lv in LEVELS if lv in levels]:
        v = levels[level]
        n = int(v.get("n") or 0)
        note = t("chart_n_answers", lang, n=n)
        rows.append(_bar(t(f"conf_{level}", lang), v.get("correct"),
                         f"summary.confidence.levels.{level}.correct", note, f"conf-bar-{level}"))
    if not rows:
        return ""
    return (f'<figure class="chart" id="chart-confidence"><figcaption>'
            f'{esc(t("chart_by_confidence", lang))}</figcaption>'
            f'<p class="muted chart-note">{esc(t("chart_confidence_note", lang))}</p>'
            f'{"".join(rows)}</figure>')


def charts_html(report: dict, lang: str) -> str:
    parts = [by_language(report, lang), by_confidence(report, lang)]
    inner = "".join(p for p in parts if p)
    return f'<div class="eval-charts">{inner}</div>' if inner else ""
