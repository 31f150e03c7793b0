"""The report model: report.json (the EVAL_FORMAT.md contract plus extras) built
from per-question records, read back, and the accessors every format uses."""

from __future__ import annotations

import datetime as _dt
import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import (
    cross_language_table,
    language_bias,
    summarize,
    summarize_by_kind,
    summarize_by_language,
    summarize_by_split,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_CONFIG_KEYS = ("mode", "llm_model", "embedding", "retriever", "top_k", "questions_file")
LANG_ORDER = ("vi", "en", "ru")


def git_commit(cwd: Path | None = None) -> str | None:
    """`git rev-parse --short HEAD` of the project, or None when unavailable."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=cwd or PROJECT_ROOT,
            capture_output=True, text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


def now_iso() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def build_report(
    records: Sequence[dict[str, Any]],
    config: dict[str, Any],
    *,
    llm_judged: bool = False,
    llm_judged_reason: str | None = "no LLM configured",
) -> dict[str, Any]:
    """Assemble report.json from per-question records and the run configuration.

    Contract keys: `config`, `summary`, `by_language`, `questions`. Extras: `by_split`
    (tune / holdout), `by_kind` (when questions carry a `kind`), `cross_language` (the
    question x document language table) and `language_bias`.

    Summary keys (every key is described in eval/README.md): `n`, `n_answerable`,
    `n_unanswerable`; `retrieval.{hit_at_1,hit_at_3,hit_at_5,mrr,first_gold_rank_counts}`;
    `answer.{correct,n_correct,correct_all,citation_valid,cited_gold,language_match,
    lead_match,n_leads,lead_precision,n_leads_given,n_leads_right}` (lead precision:
    right bold answer lines ÷ all given, one given to an unanswerable question counting
    wrong); `abstain.{precision,recall,false_abstention,n_abstained,...}`;
    `latency_ms.{p50,p95,mean,max}`; `tokens`, `cost_usd`, `errors`, `llm_judged`;
    `confidence.levels.<strong|partial|weak|none>.{n,share,correct,n_correct,
    n_answerable,lead_precision,n_leads_given}`."""
    prices = (config.get("price_prompt_per_1m"), config.get("price_completion_per_1m"))
    kwargs = {"prices": prices, "llm_judged": llm_judged, "llm_judged_reason": llm_judged_reason}
    config = dict(config)
    for key in CONTRACT_CONFIG_KEYS:
        config.setdefault(key, None)
    report = {
        "config": config,
        "summary": summarize(records, **kwargs),
        "by_language": summarize_by_language(records, **kwargs),
        "by_split": summarize_by_split(records, **kwargs),
        "cross_language": cross_language_table(records),
        "language_bias": language_bias(records),
        "questions": list(records),
    }
    by_kind = summarize_by_kind(records, **kwargs)
    if by_kind:
        report["by_kind"] = by_kind
    return report


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a report.json (or a directory holding one)."""
    from rag.errors import RagError

    p = Path(path)
    if p.is_dir():
        p = p / "report.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RagError(f"{p}: report not found") from None
    except json.JSONDecodeError as e:
        raise RagError(f"{p}: not valid JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(data, dict) or "summary" not in data:
        raise RagError(f"{p}: not an eval report (no 'summary')")
    return data


def scopes(report: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """[("overall", summary), ("vi", ...), ...]"""
    out = [("overall", report.get("summary") or {})]
    by_lang = report.get("by_language") or {}
    for lang in [*LANG_ORDER, *[k for k in by_lang if k not in LANG_ORDER]]:
        if lang in by_lang:
            out.append((lang, by_lang[lang]))
    return out


def split_scopes(report: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """[("tune", ...), ("holdout", ...)] when the report has held-out questions, else []."""
    by_split = report.get("by_split") or {}
    if "holdout" not in by_split:
        return []
    return list(by_split.items())


def ordered_questions(questions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wrong answers first, then answers failing another verdict, then passes;
    file order kept within each group."""

    def key(item: tuple[int, dict[str, Any]]) -> tuple[int, int]:
        i, q = item
        group = 0 if not q.get("correct") else (1 if q.get("failed") else 2)
        return group, i

    return [q for _, q in sorted(enumerate(questions), key=key)]


def verdict_label(q: Mapping[str, Any]) -> str:
    if q.get("error"):
        return "ERROR"
    if not q.get("correct"):
        return "WRONG"
    return "OK*" if q.get("failed") else "OK"


def weakest_cell(report: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    """(question language, document language, cell) with the lowest hit@1 among the
    single-language cells with questions."""
    table = report.get("cross_language") or {}
    best: tuple[str, str, dict[str, Any]] | None = None
    for q_lang, row in (table.get("cells") or {}).items():
        for d_lang, cell in row.items():
            if d_lang == "parallel" or not cell.get("n") or cell.get("hit_at_1") is None:
                continue
            if best is None or cell["hit_at_1"] < best[2]["hit_at_1"]:
                best = (q_lang, d_lang, cell)
    return best
