"""Number and text formatting shared by every report format."""

from __future__ import annotations

import math
from typing import Any

from eval.metrics import HEADLINE_METRICS

RATIO_METRICS = {
    path for path, _ in HEADLINE_METRICS if not path.startswith(("latency", "tokens"))
} | {"answer.correct_all", "hit_at_1", "correct", "false_abstention", "rate", "share"}
# Languages that write decimals with a comma.
DECIMAL_COMMA = {"vi", "ru"}


def _localise(text: str, lang: str) -> str:
    if lang not in DECIMAL_COMMA:
        return text
    # 1,234.5 -> 1 234,5 (thin grouping spaces, decimal comma)
    return text.replace(",", "\u202f").replace(".", ",")


def pct(value: float | None, lang: str = "en", digits: int = 1) -> str:
    """0.861 -> '86.1%' (en), '86,1%' (vi, ru); None -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return _localise(f"{100 * value:.{digits}f}", lang) + "%"


def fmt_value(value: Any, path: str = "", lang: str = "en") -> str:
    """Human formatting: ratios as percentages, MRR with 3 decimals, ms with no
    decimals, None as '—'."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    last = path.rpartition(".")[2]
    if last == "mrr":
        return _localise(f"{value:.3f}", lang)
    if path in RATIO_METRICS or last in RATIO_METRICS or (
        path.startswith("llm_judged.") and isinstance(value, float)
    ):
        return pct(value, lang)
    if path.startswith("latency"):
        return _localise(f"{value:,.0f}", lang)
    if isinstance(value, int):
        return _localise(f"{value:,}", lang)
    if isinstance(value, float):
        return _localise(f"{value:.4g}", lang)
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


def truncate(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
