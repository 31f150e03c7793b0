"""Aggregation of per-question records into the summary blocks of report.json
(overall, per question language, per split), the headline metric list, thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eval.metrics.basic import (
    RANK_BUCKETS,
    abstain_precision_recall,
    estimate_cost,
    false_abstention_rate,
    hit_at_k,
    mean_reciprocal_rank,
    percentile,
    rank_bucket,
)

CONFIDENCE_LEVELS = ("strong", "partial", "weak", "none")
SPLITS = ("tune", "holdout")


def _ratio(flags: Sequence[bool]) -> float | None:
    return sum(1 for f in flags if f) / len(flags) if flags else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize_llm_judged(
    records: Sequence[dict[str, Any]], computed: bool, reason: str | None = None
) -> dict[str, Any]:
    """`{"computed": false, "reason": ...}` or the mean judge scores (never zeros
    standing in for "not computed")."""
    if not computed:
        return {"computed": False, "reason": reason or "no LLM configured"}
    out: dict[str, Any] = {"computed": True}
    for metric in ("faithfulness", "relevancy"):
        scores, failed = [], 0
        for r in records:
            j = (r.get("llm_judged") or {}).get(metric)
            if not j:
                continue
            if j.get("error"):
                failed += 1
            elif j.get("score") is not None:
                scores.append(float(j["score"]))
            elif j.get("passing") is not None:
                scores.append(1.0 if j["passing"] else 0.0)
        out[metric] = _mean(scores)
        out[f"{metric}_n_judged"] = len(scores)
        out[f"{metric}_n_failed"] = failed
    return out


def summarize_confidence(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Distribution of `Answer.confidence.level` and the share correct per level
    (over all questions: an unanswerable question is correct when abstained).
    `{"computed": false}` when no answer carried a confidence."""
    rated = [r for r in records if (r.get("confidence") or {}).get("level")]
    if not rated:
        return {"computed": False, "reason": "the engine reports no confidence"}
    levels: dict[str, Any] = {}
    present = [lvl for lvl in CONFIDENCE_LEVELS if any(r["confidence"]["level"] == lvl for r in rated)]
    present += sorted({r["confidence"]["level"] for r in rated} - set(present))
    for level in present:
        group = [r for r in rated if r["confidence"]["level"] == level]
        given = [r for r in group if r.get("lead")]
        levels[level] = {
            "n": len(group),
            "share": len(group) / len(rated),
            "correct": _ratio([r["correct"] for r in group]),
            "n_correct": sum(1 for r in group if r["correct"]),
            "n_answerable": sum(1 for r in group if r["answerable"]),
            "lead_precision": _ratio([bool(r.get("lead_match")) and r["answerable"]
                                      for r in given]),
            "n_leads_given": len(given),
        }
    return {"computed": True, "n": len(rated), "n_missing": len(records) - len(rated),
            "levels": levels}


def _retrieval_block(answerable: Sequence[dict[str, Any]]) -> dict[str, Any]:
    ranks = [r["first_gold_rank"] for r in answerable]
    rank_counts = {b: 0 for b in RANK_BUCKETS}
    for rank in ranks:
        rank_counts[rank_bucket(rank)] += 1
    return {
        "hit_at_1": hit_at_k(ranks, 1),
        "hit_at_3": hit_at_k(ranks, 3),
        "hit_at_5": hit_at_k(ranks, 5),
        "mrr": mean_reciprocal_rank(ranks),
        "first_gold_rank_counts": rank_counts,
    }


def _answer_block(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in records if r["answerable"]]
    answered = [r for r in answerable if not r["abstained"] and r["citation_valid"] is not None]
    led = [r for r in answerable if r.get("lead_match") is not None]
    given = [r for r in records if r.get("lead")]  # unanswerable questions' leads included
    return {
        "correct": _ratio([r["correct"] for r in answerable]),
        "citation_valid": _ratio([bool(r["citation_valid"]) for r in answered]),
        "cited_gold": _ratio([bool(r["cited_gold"]) for r in answerable]),
        "language_match": _ratio([r["language_match"] for r in records]),
        # answers that open with a span: does it agree with the expected answer
        "lead_match": _ratio([r["lead_match"] for r in led]),
        "n_leads": len(led),
        # right leads / all leads given, a lead to an unanswerable question counting wrong
        "lead_precision": _ratio([bool(r.get("lead_match")) and r["answerable"] for r in given]),
        "n_leads_given": len(given),
        "n_leads_right": sum(1 for r in given if r.get("lead_match") and r["answerable"]),
        "correct_all": _ratio([r["correct"] for r in records]),
        "n_citation_checked": len(answered),
        "n_correct": sum(1 for r in answerable if r["correct"]),
    }


def _abstain_block(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r["answerable"] for r in records]
    abstained = [bool(r["abstained"]) for r in records]
    precision, recall = abstain_precision_recall(answerable, abstained)
    return {
        "precision": precision,
        "recall": recall,
        "false_abstention": false_abstention_rate(answerable, abstained),
        "n_abstained": sum(abstained),
        "n_false_abstained": sum(1 for a, s in zip(answerable, abstained, strict=True) if a and s),
        "n_unanswerable_answered": sum(
            1 for a, s in zip(answerable, abstained, strict=True) if not a and not s
        ),
    }


def _latency_block(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    latencies = [float(r["latency_ms"]) for r in records]
    return {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "mean": _mean(latencies),
        "max": max(latencies) if latencies else None,
        "method": "nearest-rank",
    }


def summarize(
    records: Sequence[dict[str, Any]],
    *,
    prices: tuple[float | None, float | None] = (None, None),
    llm_judged: bool = False,
    llm_judged_reason: str | None = "no LLM configured",
) -> dict[str, Any]:
    """Summary block of report.json (the same shape overall, per language, per split)."""
    answerable = [r for r in records if r["answerable"]]
    prompt = sum(int(r["tokens"]["prompt"]) for r in records)
    completion = sum(int(r["tokens"]["completion"]) for r in records)
    return {
        "n": len(records),
        "n_answerable": len(answerable),
        "n_unanswerable": len(records) - len(answerable),
        "retrieval": _retrieval_block(answerable),
        "answer": _answer_block(records),
        "abstain": _abstain_block(records),
        "latency_ms": _latency_block(records),
        "tokens": {"prompt": prompt, "completion": completion},
        "cost_usd": estimate_cost(prompt, completion, *prices),
        "errors": sum(1 for r in records if r.get("error")),
        "llm_judged": summarize_llm_judged(records, llm_judged, llm_judged_reason),
        "confidence": summarize_confidence(records),
    }


def _group(
    records: Sequence[dict[str, Any]], key: str, first: Sequence[str], **kwargs: Any
) -> dict[str, dict[str, Any]]:
    present = list(dict.fromkeys(r.get(key) for r in records if r.get(key)))
    ordered = [x for x in first if x in present] + [x for x in present if x not in first]
    return {name: summarize([r for r in records if r.get(key) == name], **kwargs)
            for name in ordered}


def summarize_by_language(
    records: Sequence[dict[str, Any]], languages: Sequence[str] = ("vi", "en", "ru"), **kwargs: Any
) -> dict[str, dict[str, Any]]:
    """`summarize` per question language; vi/en/ru always present (when they have
    questions), plus any other language found."""
    return _group(records, "language", languages, **kwargs)


def summarize_by_split(records: Sequence[dict[str, Any]], **kwargs: Any) -> dict[str, dict[str, Any]]:
    """`summarize` per question `split` (tune / holdout; a record without one is tune)."""
    tagged = [r if r.get("split") else {**r, "split": "tune"} for r in records]
    return _group(tagged, "split", SPLITS, **kwargs)


def summarize_by_kind(records: Sequence[dict[str, Any]], **kwargs: Any) -> dict[str, dict[str, Any]]:
    """`summarize` per question `kind` (an optional field, e.g. paraphrase, other_year)."""
    return _group(records, "kind", (), **kwargs)


# Headline metrics: (json path, label), used by reports, thresholds and compare.
HEADLINE_METRICS: tuple[tuple[str, str], ...] = (
    ("retrieval.hit_at_1", "hit@1"),
    ("retrieval.hit_at_3", "hit@3"),
    ("retrieval.hit_at_5", "hit@5"),
    ("retrieval.mrr", "MRR"),
    ("answer.correct", "correct"),
    ("answer.lead_precision", "lead precision"),
    ("answer.citation_valid", "citation valid"),
    ("answer.cited_gold", "cited gold"),
    ("answer.language_match", "language match"),
    ("answer.lead_match", "lead matches"),
    ("abstain.precision", "abstain precision"),
    ("abstain.recall", "abstain recall"),
    ("abstain.false_abstention", "false abstention"),
    ("latency_ms.p50", "latency p50 (ms)"),
    ("latency_ms.p95", "latency p95 (ms)"),
    ("tokens.prompt", "prompt tokens"),
    ("tokens.completion", "completion tokens"),
)
# Metrics where a smaller value is better (comparisons colour them the other way).
LOWER_IS_BETTER_PREFIXES = ("latency", "tokens", "cost", "abstain.false_abstention")


def lower_is_better(path: str) -> bool:
    return path.startswith(LOWER_IS_BETTER_PREFIXES)


def get_path(d: dict[str, Any] | None, path: str) -> Any:
    """`get_path(summary, "retrieval.mrr")`; None when any part is missing."""
    cur: Any = d
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def check_thresholds(
    summary: dict[str, Any],
    thresholds: dict[str, float | None],
    maximums: dict[str, float | None] | None = None,
) -> list[str]:
    """Messages for every metric (json path -> minimum) below its minimum, and every
    metric in `maximums` above its maximum. A metric that could not be computed (null)
    fails its threshold."""
    failures = []
    for bound, limits in (("minimum", thresholds), ("maximum", maximums or {})):
        for path, limit in limits.items():
            if limit is None:
                continue
            value = get_path(summary, path)
            if value is None:
                failures.append(f"{path} is not defined for this run ({bound} {limit:g})")
            elif bound == "minimum" and value < limit:
                failures.append(f"{path} = {value:.4f} is below the minimum {limit:g}")
            elif bound == "maximum" and value > limit:
                failures.append(f"{path} = {value:.4f} is above the maximum {limit:g}")
    return failures
