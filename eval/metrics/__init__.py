"""Metric definitions of EVAL_FORMAT.md (summarised in eval/README.md).

- `basic`: pure functions on plain values (matching, ranks, citations, abstention,
  percentiles, cost);
- `scoring`: one answer -> the question's record in report.json;
- `crosslingual`: document language of a question, the question x document language
  table, the language-bias figure;
- `summary`: records -> summary blocks (overall, per language, per split), headline
  metrics, thresholds.

Everything is re-exported here: `from eval.metrics import score_answer, summarize`.
"""

from __future__ import annotations

from eval.metrics.basic import (
    MARKER_RE,
    RANK_BUCKETS,
    abstain_precision_recall,
    citation_markers,
    citation_valid,
    cited_gold,
    distinct_files,
    estimate_cost,
    false_abstention_rate,
    first_gold_rank,
    hit_at_k,
    mean_reciprocal_rank,
    missing_groups,
    normalize_for_match,
    percentile,
    rank_bucket,
    satisfies_must_include,
)
from eval.metrics.crosslingual import (
    PARALLEL,
    annotate,
    cross_language_table,
    document_language,
    language_bias,
    languages_from_records,
    own_language_above_gold,
)
from eval.metrics.scoring import SNIPPET_CHARS, error_record, language_judged_text, score_answer
from eval.metrics.summary import (
    CONFIDENCE_LEVELS,
    HEADLINE_METRICS,
    SPLITS,
    check_thresholds,
    get_path,
    lower_is_better,
    summarize,
    summarize_by_kind,
    summarize_by_language,
    summarize_by_split,
    summarize_confidence,
    summarize_llm_judged,
)

__all__ = [
    "CONFIDENCE_LEVELS", "HEADLINE_METRICS", "MARKER_RE", "PARALLEL", "RANK_BUCKETS",
    "SNIPPET_CHARS", "SPLITS", "abstain_precision_recall", "annotate", "check_thresholds",
    "citation_markers", "citation_valid", "cited_gold", "cross_language_table",
    "distinct_files", "document_language", "error_record", "estimate_cost",
    "false_abstention_rate", "first_gold_rank", "get_path", "hit_at_k", "language_bias",
    "language_judged_text", "languages_from_records", "lower_is_better",
    "mean_reciprocal_rank", "missing_groups", "normalize_for_match",
    "own_language_above_gold", "percentile", "rank_bucket", "satisfies_must_include",
    "score_answer", "summarize", "summarize_by_kind", "summarize_by_language",
    "summarize_by_split", "summarize_confidence", "summarize_llm_judged",
]
