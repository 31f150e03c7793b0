"""PNG plots of a report (matplotlib, object-oriented API on the Agg canvas: no
global backend is touched; imported lazily)."""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from eval.metrics import HEADLINE_METRICS, RANK_BUCKETS, get_path
from eval.report.fmt import RATIO_METRICS
from eval.report.i18n import metric_plain, tr
from eval.report.model import LANG_ORDER, scopes

logger = logging.getLogger(__name__)

PLOT_METRICS: tuple[str, ...] = tuple(p for p, _ in HEADLINE_METRICS if p in RATIO_METRICS)
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


def _grouped_bars(ax, groups, xs, values_of) -> None:
    width = 0.8 / max(len(groups), 1)
    for i, (name, summary) in enumerate(groups):
        ax.bar([x - 0.4 + width * (i + 0.5) for x in xs], values_of(summary), width, label=name,
               color=_color(name))


def plot_metrics_by_language(report: Mapping[str, Any], lang: str = "en") -> bytes:
    """Grouped bars: one group per metric, one bar per language (and overall)."""
    fig = _figure(11, 4.5)
    ax = fig.add_subplot(1, 1, 1)
    xs = range(len(PLOT_METRICS))

    def values(summary):
        return [v if (v := get_path(summary, p)) is not None else float("nan") for p in PLOT_METRICS]

    _grouped_bars(ax, scopes(report), xs, values)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([textwrap.fill(metric_plain(p, lang), 16) for p in PLOT_METRICS],
                       rotation=30, ha="right", fontsize="small")
    ax.set_ylim(0, 1.05)
    ax.set_title(plot_title("metrics_by_language", lang))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _png(fig)


def plot_latency_histogram(report: Mapping[str, Any], lang: str = "en") -> bytes:
    """Histogram of per-question latency, stacked by language, p50/p95 marked."""
    fig = _figure(8, 4)
    ax = fig.add_subplot(1, 1, 1)
    questions = report.get("questions") or []
    present = list(dict.fromkeys(q["language"] for q in questions))
    langs = [x for x in LANG_ORDER if x in present] + [x for x in present if x not in LANG_ORDER]
    data = [[float(q["latency_ms"]) for q in questions if q["language"] == x] for x in langs]
    if any(data):
        ax.hist(data, bins=20, stacked=True, label=langs, color=[_color(x) for x in langs])
        for key, style in (("p50", "--"), ("p95", ":")):
            v = get_path(report, f"summary.latency_ms.{key}")
            if v is not None:
                ax.axvline(v, color="black", linestyle=style, label=f"{key} {v:,.0f} ms")
        ax.legend(fontsize="small")
    else:
        ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("ms")
    ax.set_title(plot_title("latency_histogram", lang))
    return _png(fig)


def plot_gold_rank(report: Mapping[str, Any], lang: str = "en") -> bytes:
    """Distribution of the rank of the first gold source (answerable questions)."""
    fig = _figure(8, 4)
    ax = fig.add_subplot(1, 1, 1)
    groups = [(name, s) for name, s in scopes(report) if name != "overall"] or scopes(report)
    xs = range(len(RANK_BUCKETS))

    def counts(summary):
        c = get_path(summary, "retrieval.first_gold_rank_counts") or {}
        return [c.get(b, 0) for b in RANK_BUCKETS]

    _grouped_bars(ax, groups, xs, counts)
    ax.set_xticks(list(xs))
    ax.set_xticklabels(list(RANK_BUCKETS))
    ax.set_title(plot_title("gold_rank", lang))
    ax.legend(fontsize="small")
    return _png(fig)


def plot_cross_language(report: Mapping[str, Any], lang: str = "en") -> bytes | None:
    """Heat map of hit@1 per (question language, document language); None without
    cross-language data."""
    cross = report.get("cross_language") or {}
    rows, cols, cells = cross.get("rows") or [], cross.get("columns") or [], cross.get("cells") or {}
    if not rows or not cols:
        return None
    grid = [[cells[r][c]["hit_at_1"] if cells[r][c]["n"] else float("nan") for c in cols]
            for r in rows]
    fig = _figure(1.6 + 1.3 * len(cols), 1.2 + 0.9 * len(rows))
    ax = fig.add_subplot(1, 1, 1)
    ax.imshow([[v if v is not None else float("nan") for v in row] for row in grid],
              cmap="RdYlGn", vmin=0, vmax=1)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v is not None and v == v:  # not NaN
                ax.text(j, i, f"{v:.2f}\n({cells[rows[i]][cols[j]]['n']})", ha="center",
                        va="center", fontsize=9)
    t = tr(lang)
    ax.set_xticks(range(len(cols)), [t("col.parallel") if c == "parallel" else c for c in cols])
    ax.set_yticks(range(len(rows)), rows)
    question, _, article = t("col.corner").partition(" \\ ")
    ax.set_xlabel(article or "article")
    ax.set_ylabel(question)
    ax.set_title(plot_title("cross_language", lang), fontsize=10)
    return _png(fig)


PLOTS: dict[str, tuple[str, Callable[..., bytes | None]]] = {
    "metrics_by_language": ("plot.metrics", plot_metrics_by_language),
    "latency_histogram": ("plot.latency", plot_latency_histogram),
    "gold_rank": ("plot.gold_rank", plot_gold_rank),
    "cross_language": ("plot.cross", plot_cross_language),
}


def plot_title(name: str, lang: str = "en") -> str:
    key = PLOTS.get(name, (name,))[0]
    return tr(lang)(key)


def make_plots(report: Mapping[str, Any], lang: str = "en") -> dict[str, bytes]:
    """PNG bytes per plot name; a plot that fails (or has no data) is left out."""
    out = {}
    for name, (_, fn) in PLOTS.items():
        try:
            png = fn(report, lang)
        except Exception:  # a broken plot must not lose the report
            logger.exception("plot %s failed", name)
            continue
        if png:
            out[name] = png
    return out
