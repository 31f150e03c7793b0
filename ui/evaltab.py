"""The Quality check page: run the eval (a runner handed in by the composition layer;
the UI never imports eval/), then say in plain words how it went, from report.json
(the contract in EVAL_FORMAT.md), with the full report as a download."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from ui import access, evalcharts, render
from ui.i18n import t
from ui.render import esc

logger = logging.getLogger(__name__)


def list_reports(reports_dir: Path) -> list[str]:
    """Report folder names (those with a report.json), newest first."""
    if not reports_dir.is_dir():
        return []
    return sorted((p.name for p in reports_dir.iterdir() if (p / "report.json").is_file()),
                  reverse=True)


def report_choices(reports_dir: Path, lang: str) -> list[tuple[str, str]]:
    out = []
    for name in list_reports(reports_dir):
        try:
            when = datetime.strptime(name[:15], "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = name
        out.append((t("eval_when", lang, when=when), name))
    return out


def _folder(reports_dir: Path, name: str | None) -> Path | None:
    if not name:
        return None
    folder = (reports_dir / name).resolve()
    if not folder.is_relative_to(reports_dir.resolve()) or not (folder / "report.json").is_file():
        return None
    return folder


def _pct(x) -> str:
    return f"{100 * float(x or 0):.0f}"


def _line(text: str, tip: str) -> str:
    return f'<li class="tech-tip" title="{esc(tip)}">{esc(text)}</li>'


def headline_html(report: dict, lang: str) -> str:
    """The two figures staff look at first, side by side: answers right, and the bold
    answer line right (lead precision); the technical names are tooltips."""
    s = report.get("summary", {})
    answer = s.get("answer", {})
    cards = [(answer.get("correct"), t("eval_kpi_correct", lang), "answer.correct")]
    if answer.get("n_leads_given"):
        cards.append((answer.get("lead_precision"), t("eval_kpi_lead", lang),
                      "answer.lead_precision (lead precision)"))
    return '<div class="eval-kpis">' + "".join(
        f'<div class="eval-kpi tech-tip" title="{esc(tip)}"><span class="kpi-value">'
        f'{esc(evalcharts.percent(value))}</span><span class="kpi-label">{esc(label)}</span></div>'
        for value, label, tip in cards) + "</div>"


def summary_html(report: dict, lang: str) -> str:
    """The plain-language summary on top of a report."""
    s = report.get("summary", {})
    answerable, unanswerable = int(s.get("n_answerable") or 0), int(s.get("n_unanswerable") or 0)
    answer, retrieval = s.get("answer", {}), s.get("retrieval", {})
    lines = [_line(t("eval_correct", lang, pct=_pct(answer.get("correct")),
                     n=round(float(answer.get("correct") or 0) * answerable), total=answerable),
                   "answer.correct")]
    if answer.get("n_leads_given"):
        lines.append(_line(t("eval_lead", lang, pct=_pct(answer.get("lead_precision")),
                             n=answer.get("n_leads_right") or 0, total=answer["n_leads_given"]),
                           "answer.lead_precision (lead precision)"))
    lines.append(_line(t("eval_found", lang, pct=_pct(retrieval.get("hit_at_1"))),
                       "retrieval.hit_at_1 (hit@1)"))
    if unanswerable:
        caught = round(float(s.get("abstain", {}).get("recall") or 0) * unanswerable)
        lines.append(_line(t("eval_unanswerable", lang, missed=unanswerable - caught,
                             total=unanswerable), "abstain.recall (abstain recall)"))
    lines.append(_line(t("eval_language", lang, pct=_pct(answer.get("language_match"))),
                       "answer.language_match"))
    p50 = (s.get("latency_ms") or {}).get("p50")
    if p50 is not None:
        lines.append(_line(t("eval_speed", lang, seconds=_seconds(float(p50) / 1000, lang)),
                           "latency_ms.p50 (p50)"))
    took = (report.get("config") or {}).get("duration_s")
    if took is not None:
        lines.append(_line(t("eval_took", lang, n=int(s.get("n") or 0),
                             seconds=_seconds(float(took), lang)), "config.duration_s"))
    return (f'<div class="eval-summary">{headline_html(report, lang)}'
            f'<ul class="eval-lines">{"".join(lines)}</ul>'
            f'{evalcharts.charts_html(report, lang)}</div>')


def _seconds(value: float, lang: str) -> str:
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.replace(".", ",") if lang in ("vi", "ru") else text


def failures_html(report: dict, lang: str) -> str:
    """The answerable questions answered wrongly: question, expected, given (short)."""
    wrong = [q for q in report.get("questions", [])
             if q.get("answerable", True) and q.get("correct") is False]
    if not wrong:
        return f'<p class="muted">{esc(t("eval_all_right", lang))}</p>'
    cards = []
    for q in wrong:
        expected = q.get("expected") or q.get("answer") or ""
        given = str(q.get("answer_text") or "")[:400]
        cards.append(
            f'<div class="eval-fail"><div class="q" translate="no">{esc(q.get("question", ""))}'
            f'</div><div><b>{esc(t("eval_expected", lang))}:</b> '
            f'<span translate="no">{esc(expected)}</span></div>'
            f'<div><b>{esc(t("eval_got", lang))}:</b> <span translate="no">{esc(given)}</span>'
            f'</div></div>')
    return "".join(cards)


def download_path(folder: Path, lang: str) -> str | None:
    """A copy of the full report (HTML, else Markdown) in a temp folder, for download."""
    for name in (f"report.{lang}.html", "report.html", f"report.{lang}.md", "report.md"):
        if (folder / name).is_file():
            target = Path(tempfile.mkdtemp(prefix="newsrag-report-")) / f"{folder.name}-{name}"
            shutil.copyfile(folder / name, target)
            return str(target)
    return None


def report_view(reports_dir: Path, name: str | None, lang: str) -> tuple[str, str, str | None]:
    """(summary html, failures html, download path) of one report."""
    if not name:
        return f'<p class="muted">{esc(t("eval_none", lang))}</p>', "", None
    folder = _folder(reports_dir, name)
    if folder is None:
        return render.status_html("error", t("eval_not_found", lang)), "", None
    try:
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        return summary_html(report, lang), failures_html(report, lang), download_path(folder, lang)
    except (OSError, ValueError, TypeError, AttributeError):
        logger.exception("reading report %s failed", name)
        return render.status_html("error", t("error_internal", lang)), "", None


def run(services, lang: str, progress) -> str:
    """Run the eval into reports/<timestamp>/; returns the folder name."""
    name = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = services.reports_dir / name
    suffix = 1
    while out.exists():
        suffix += 1
        out = services.reports_dir / f"{name}-{suffix}"
    services.eval_runner(services.engine, out, lang, progress)
    logger.info("eval report written to %s", out)
    return out.name


def build(shell) -> SimpleNamespace:
    L, services = shell.labels, shell.services
    e = SimpleNamespace(available=services.eval_runner is not None)
    e.intro = L.make(gr.Markdown, props={"value": "eval_intro" if e.available
                                         else "eval_unavailable"}, elem_id="eval-intro")
    with gr.Row():
        e.run = L.make(gr.Button, props={"value": "eval_run"}, variant="primary",
                       interactive=e.available, elem_id="eval-btn")
        e.reports = L.make(gr.Dropdown, props={"label": "eval_reports"}, choices=[],
                           interactive=True, elem_id="eval-reports")
    e.status = gr.HTML("", elem_id="eval-status")
    e.summary = gr.HTML("", elem_id="eval-summary")
    e.download = L.make(gr.DownloadButton, props={"label": "eval_download"}, value=None,
                        interactive=False, elem_id="eval-download", size="sm")
    with gr.Accordion(t("eval_details"), open=False, elem_id="eval-details-box") as box:
        L.bind(box, label="eval_details")
        e.details = gr.HTML("", elem_id="eval-details")
    return e


def wire(shell, e) -> None:
    services = shell.services

    def view(name, lang, request: gr.Request):
        access.require(services, request, "eval", lang)
        summary, details, path = report_view(services.reports_dir, name, lang)
        return {e.summary: summary, e.details: details,
                e.download: gr.update(value=path, interactive=path is not None),
                e.reports: gr.update(choices=report_choices(services.reports_dir, lang),
                                     value=name)}

    shell.eval_view = view
    outputs = [e.summary, e.details, e.download, e.reports]
    e.reports.input(view, inputs=[e.reports, shell.ui_lang], outputs=outputs,
                    api_visibility="private")

    def run_eval(lang, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        access.require(services, request, "eval", lang)
        if services.eval_runner is None:
            return {e.status: render.status_html("error", t("eval_unavailable", lang))}

        def cb(done, total):
            progress((done, total), desc=t("eval_running", lang), unit=t("unit_questions", lang))

        try:
            name = run(services, lang, cb)
        except Exception:
            logger.exception("the evaluation failed")
            return {e.status: render.status_html("error", t("eval_failed", lang))}
        return {**view(name, lang, request),
                e.status: render.status_html("ok", t("eval_done", lang))}

    e.run.click(run_eval, inputs=[shell.ui_lang], outputs=[e.status, *outputs], api_name="eval",
                concurrency_limit=1, concurrency_id="eval")
