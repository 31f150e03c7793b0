"""Eval reports over one report model (`model.build_report` -> report.json):

- `model`: build / load report.json, scopes, ordering, the weakest language pair;
- `view`: the format-neutral sections (localised: `i18n`, vi/en/ru);
- `markdown`, `html_page`, `plots`: the formats; `writer.write_report` writes them all;
- `compare`: `--compare OLD NEW` and several runs side by side.
"""

from __future__ import annotations

from eval.report.compare import (
    COMPARE_EXTRA_METRICS,
    FLIP_TITLES,
    compare_reports,
    metric_name,
    render_compare_markdown,
    render_side_by_side_html,
    render_side_by_side_markdown,
    side_by_side,
    write_compare,
    write_side_by_side,
)
from eval.report.fmt import fmt_delta, fmt_value, pct
from eval.report.html_page import render_html
from eval.report.i18n import REPORT_LANGUAGES, check_language, metric_help, metric_label
from eval.report.markdown import render_markdown
from eval.report.model import (
    build_report,
    git_commit,
    load_report,
    now_iso,
    ordered_questions,
    scopes,
    split_scopes,
    verdict_label,
    weakest_cell,
)
from eval.report.plots import PLOTS, make_plots
from eval.report.writer import write_report

__all__ = [
    "COMPARE_EXTRA_METRICS", "FLIP_TITLES", "PLOTS", "REPORT_LANGUAGES", "build_report",
    "check_language", "compare_reports", "fmt_delta", "fmt_value", "git_commit", "load_report",
    "make_plots", "metric_help", "metric_label", "metric_name", "now_iso", "ordered_questions",
    "pct", "render_compare_markdown", "render_html", "render_markdown",
    "render_side_by_side_html", "render_side_by_side_markdown", "scopes", "side_by_side",
    "split_scopes", "verdict_label", "weakest_cell", "write_compare", "write_report",
    "write_side_by_side",
]
