"""Metric definitions of EVAL_FORMAT.md as pure functions.

Everything here works on plain values (or on `rag.schema.Answer` objects already
produced), so it can be unit-tested without an engine.

Conventions chosen where the contract leaves room (also in eval/README.md):

- A ratio whose denominator is empty is ``None`` (JSON null), never a made-up 0 or 1,
  except abstain precision/recall which have explicit rules (see
  `abstain_precision_recall`).
- Per question, ``correct`` for an answerable question means: not abstained and the
  answer text satisfies ``must_include``; for an unanswerable question: abstained.
- Latency percentiles use the nearest-rank method (no interpolation).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from eval.questions import Question
    from rag.schema import Answer

MARKER_RE = re.compile(r"\[(\d+)\]")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_SPACES = re.compile(r"\s+")
SNIPPET_CHARS = 400
RANK_BUCKETS = ("1", "2", "3", "4", "5", ">5/none")


# --------------------------------------------------------------------------- matching
def normalize_for_match(text: str) -> str:
    """NFC, case-folded, whitespace collapsed, decimal commas between digits -> dots."""
    text = unicodedata.normalize("NFC", text or "")
    text = unicodedata.normalize("NFC", text.casefold())
    text = _SPACES.sub(" ", text.replace("\u00a0", " "))
    return _DECIMAL_COMMA.sub(".", text)


def missing_groups(text: str, must_include: Sequence[Sequence[str]]) -> list[list[str]]:
    """The groups of `must_include` with no alternative present in `text`."""
    haystack = normalize_for_match(text)
    missing = []
    for group in must_include:
        if not any(
            (needle := normalize_for_match(alt).strip()) and needle in haystack for alt in group
        ):
            missing.append(list(group))
    return missing


def satisfies_must_include(text: str, must_include: Sequence[Sequence[str]]) -> bool:
    """True when every group has at least one alternative in `text` (substring match
    after `normalize_for_match`). An empty `must_include` has nothing to check: True."""
    return not missing_groups(text, must_include)


# --------------------------------------------------------------------------- retrieval
def distinct_files(files: Iterable[str]) -> list[str]:
    """`files` with duplicates removed, first occurrence (rank order) kept."""
    seen: set[str] = set()
    out = []
    for f in files:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def first_gold_rank(ranked_files: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first file in `gold` among the distinct `ranked_files`."""
    gold_set = set(gold)
    for rank, f in enumerate(distinct_files(ranked_files), start=1):
        if f in gold_set:
            return rank
    return None


def hit_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Fraction of ranks that are not None and <= k; None for no questions."""
    if not ranks:
        return None
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float | None:
    """Mean of 1/rank, counting 0 for None; None for no questions."""
    if not ranks:
        return None
    return sum(1.0 / r for r in ranks if r) / len(ranks)


def rank_bucket(rank: int | None) -> str:
    """'1'..'5', or '>5/none'."""
    return str(rank) if rank is not None and 1 <= rank <= 5 else ">5/none"


# --------------------------------------------------------------------------- citations
def citation_markers(text: str, quotes: Iterable[str] = ()) -> list[int]:
    """Numbers of the `[n]` markers in `text`, in order. Verbatim quoted evidence
    (`quotes`, e.g. the citations' evidence sentences) is removed first, so bracketed
    numbers inside quoted source text are not mistaken for markers."""
    for quote in sorted({q for q in quotes if q and len(q.strip()) >= 12}, key=len, reverse=True):
        text = text.replace(quote, " ")
    return [int(m) for m in MARKER_RE.findall(text or "")]


def citation_valid(
    text: str, citation_numbers: Iterable[int], quotes: Iterable[str] = ()
) -> bool:
    """True when every `[n]` marker in `text` is one of `citation_numbers` (the
    sources actually given to the answerer). No markers at all is vacuously valid."""
    valid = set(citation_numbers)
    return all(n in valid for n in citation_markers(text, quotes))


def cited_gold(cited_files: Iterable[str], gold: Iterable[str]) -> bool:
    """At least one cited file is a gold source."""
    return bool(set(cited_files) & set(gold))


# --------------------------------------------------------------------------- abstention
def abstain_precision_recall(
    answerable: Sequence[bool], abstained: Sequence[bool]
) -> tuple[float, float]:
    """Precision and recall of abstaining; the positive class is "unanswerable".

    precision = TP / (TP + FP) where predicted positive = abstained. With no
    abstentions at all, precision is 1.0 if there are no unanswerable questions
    (nothing was wrongly withheld or missed) and 0.0 otherwise.
    recall = TP / (TP + FN). With no unanswerable questions recall is 1.0 (there was
    nothing to catch).
    """
    if len(answerable) != len(abstained):
        raise ValueError("answerable and abstained must have the same length")
    tp = sum(1 for a, s in zip(answerable, abstained, strict=True) if not a and s)
    fp = sum(1 for a, s in zip(answerable, abstained, strict=True) if a and s)
    fn = sum(1 for a, s in zip(answerable, abstained, strict=True) if not a and not s)
    positives = tp + fn
    precision = tp / (tp + fp) if tp + fp else (1.0 if positives == 0 else 0.0)
    recall = tp / positives if positives else 1.0
    return precision, recall


# --------------------------------------------------------------------------- latency, cost
def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100): the smallest value with at least q% of
    the values <= it. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def estimate_cost(
    prompt_tokens: int,
    completion_tokens: int,
    price_prompt_per_1m: float | None,
    price_completion_per_1m: float | None,
) -> float | None:
    """USD cost from per-1M-token prices; None when no price is configured."""
    if price_prompt_per_1m is None and price_completion_per_1m is None:
        return None
    return (
        prompt_tokens * (price_prompt_per_1m or 0.0)
        + completion_tokens * (price_completion_per_1m or 0.0)
    ) / 1_000_000


# --------------------------------------------------------------------------- per question
def language_judged_text(answer: Answer) -> str:
    """The text whose language is judged: in extractive mode the framing the system
    wrote itself (when non-empty), not the quoted evidence; otherwise the answer text."""
    if answer.mode == "extractive" and answer.framing.strip():
        return answer.framing
    return answer.text


def _snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = _SPACES.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _base_record(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "language": q.language,
        "question": q.question,
        "answerable": q.answerable,
        "expected": q.answer,
        "must_include": q.must_include,
        "sources": q.sources,
        "questions_file": q.file,
    }


def score_answer(
    q: Question,
    answer: Answer,
    *,
    detect: Callable[[str], str] | None = None,
    latency_ms: float | None = None,
) -> dict[str, Any]:
    """The per-question record of report.json: the contract's fields plus extras."""
    if detect is None:
        from eval.langid import detect_language as detect

    retrieved_sources = distinct_files(p.file for p in answer.retrieved)
    rank = first_gold_rank(retrieved_sources, q.sources) if q.answerable else None
    citations = sorted(answer.citations, key=lambda c: c.n)
    cited_sources = distinct_files(c.file for c in citations)
    quotes = [c.text for c in citations]
    markers = citation_markers(answer.text, quotes)
    numbers = {c.n for c in citations}
    cit_valid = all(n in numbers for n in markers)
    judged = language_judged_text(answer)
    answer_language = detect(judged)
    missing = missing_groups(answer.text, q.must_include) if q.answerable else []
    if q.answerable:
        correct = (not answer.abstained) and not missing
        gold_cited: bool | None = cited_gold(cited_sources, q.sources)
    else:
        correct = answer.abstained
        gold_cited = None
    lang_match = answer_language == q.language
    latency = answer.latency_ms if answer.latency_ms and answer.latency_ms > 0 else latency_ms
    verdicts: dict[str, bool] = {"correct": correct, "language_match": lang_match}
    if q.answerable:
        verdicts["retrieved_gold"] = rank is not None
        verdicts["cited_gold"] = bool(gold_cited)
    if q.answerable and not answer.abstained:
        verdicts["citation_valid"] = cit_valid
    record = {
        **_base_record(q),
        "answer_text": answer.text,
        "answer_language": answer_language,
        "abstained": answer.abstained,
        "retrieved_sources": retrieved_sources,
        "first_gold_rank": rank,
        "cited_sources": cited_sources,
        "correct": correct,
        "citation_valid": cit_valid,
        "latency_ms": float(latency or 0.0),
        # extras
        "cited_gold": gold_cited,
        "language_match": lang_match,
        "missing_groups": missing,
        "citation_markers": markers,
        "invalid_markers": sorted({n for n in markers if n not in numbers}),
        "framing": answer.framing,
        "engine_language": answer.language,
        "question_language_detected": answer.question_language,
        "mode": answer.mode,
        "model": answer.model,
        "tokens": {
            "prompt": answer.usage.prompt_tokens,
            "completion": answer.usage.completion_tokens,
        },
        "notices": [n.code for n in answer.notices],
        "citations": [
            {
                "n": c.n,
                "file": c.file,
                "language": c.language,
                "title": c.title,
                "text": _snippet(c.text),
            }
            for c in citations
        ],
        "retrieved": [
            {
                "rank": i,
                "file": p.file,
                "language": p.language,
                "title": p.title,
                "score": p.score,
                "gold": p.file in q.sources,
                "text": _snippet(p.text),
            }
            for i, p in enumerate(answer.retrieved, start=1)
        ],
        "verdicts": verdicts,
        "failed": not all(verdicts.values()),
        "error": None,
        "llm_judged": None,
    }
    return record


def error_record(q: Question, error: str, latency_ms: float = 0.0) -> dict[str, Any]:
    """Record for a question the engine failed on: it counts as wrong everywhere and
    is left out of citation validity (there is no answer whose markers to check)."""
    verdicts = {"correct": False, "language_match": False}
    if q.answerable:
        verdicts.update(retrieved_gold=False, cited_gold=False)
    return {
        **_base_record(q),
        "answer_text": "",
        "answer_language": None,
        "abstained": False,
        "retrieved_sources": [],
        "first_gold_rank": None,
        "cited_sources": [],
        "correct": False,
        "citation_valid": None,
        "latency_ms": float(latency_ms),
        "cited_gold": False if q.answerable else None,
        "language_match": False,
        "missing_groups": [list(g) for g in q.must_include],
        "citation_markers": [],
        "invalid_markers": [],
        "framing": "",
        "engine_language": None,
        "question_language_detected": None,
        "mode": None,
        "model": None,
        "tokens": {"prompt": 0, "completion": 0},
        "notices": [],
        "citations": [],
        "retrieved": [],
        "verdicts": verdicts,
        "failed": True,
        "error": error,
        "llm_judged": None,
    }


# --------------------------------------------------------------------------- aggregation
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


def summarize(
    records: Sequence[dict[str, Any]],
    *,
    prices: tuple[float | None, float | None] = (None, None),
    llm_judged: bool = False,
    llm_judged_reason: str | None = "no LLM configured",
) -> dict[str, Any]:
    """Summary block of report.json (the same shape overall and per language)."""
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    ranks = [r["first_gold_rank"] for r in answerable]
    answered = [r for r in answerable if not r["abstained"] and r["citation_valid"] is not None]
    latencies = [float(r["latency_ms"]) for r in records]
    precision, recall = abstain_precision_recall(
        [r["answerable"] for r in records], [r["abstained"] for r in records]
    )
    prompt = sum(int(r["tokens"]["prompt"]) for r in records)
    completion = sum(int(r["tokens"]["completion"]) for r in records)
    rank_counts = {b: 0 for b in RANK_BUCKETS}
    for rank in ranks:
        rank_counts[rank_bucket(rank)] += 1
    return {
        "n": len(records),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "retrieval": {
            "hit_at_1": hit_at_k(ranks, 1),
            "hit_at_3": hit_at_k(ranks, 3),
            "hit_at_5": hit_at_k(ranks, 5),
            "mrr": mean_reciprocal_rank(ranks),
            "first_gold_rank_counts": rank_counts,
        },
        "answer": {
            "correct": _ratio([r["correct"] for r in answerable]),
            "citation_valid": _ratio([bool(r["citation_valid"]) for r in answered]),
            "cited_gold": _ratio([bool(r["cited_gold"]) for r in answerable]),
            "language_match": _ratio([r["language_match"] for r in records]),
            "correct_all": _ratio([r["correct"] for r in records]),
            "n_citation_checked": len(answered),
        },
        "abstain": {
            "precision": precision,
            "recall": recall,
            "n_abstained": sum(1 for r in records if r["abstained"]),
        },
        "latency_ms": {
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "mean": _mean(latencies),
            "max": max(latencies) if latencies else None,
            "method": "nearest-rank",
        },
        "tokens": {"prompt": prompt, "completion": completion},
        "cost_usd": estimate_cost(prompt, completion, *prices),
        "errors": sum(1 for r in records if r.get("error")),
        "llm_judged": summarize_llm_judged(records, llm_judged, llm_judged_reason),
    }


def summarize_by_language(
    records: Sequence[dict[str, Any]], languages: Sequence[str] = ("vi", "en", "ru"), **kwargs: Any
) -> dict[str, dict[str, Any]]:
    """`summarize` per question language; vi/en/ru always present (when they have
    questions), plus any other language found."""
    present = list(dict.fromkeys(r["language"] for r in records))
    ordered = [lang for lang in languages if lang in present] + [
        lang for lang in present if lang not in languages
    ]
    return {
        lang: summarize([r for r in records if r["language"] == lang], **kwargs) for lang in ordered
    }


# Headline metrics: (json path, label), used by reports, thresholds and compare.
HEADLINE_METRICS: tuple[tuple[str, str], ...] = (
    ("retrieval.hit_at_1", "hit@1"),
    ("retrieval.hit_at_3", "hit@3"),
    ("retrieval.hit_at_5", "hit@5"),
    ("retrieval.mrr", "MRR"),
    ("answer.correct", "correct"),
    ("answer.citation_valid", "citation valid"),
    ("answer.cited_gold", "cited gold"),
    ("answer.language_match", "language match"),
    ("abstain.precision", "abstain precision"),
    ("abstain.recall", "abstain recall"),
    ("latency_ms.p50", "latency p50 (ms)"),
    ("latency_ms.p95", "latency p95 (ms)"),
    ("tokens.prompt", "prompt tokens"),
    ("tokens.completion", "completion tokens"),
)


def get_path(d: dict[str, Any] | None, path: str) -> Any:
    """`get_path(summary, "retrieval.mrr")`; None when any part is missing."""
    cur: Any = d
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


# --------------------------------------------------------------------------- thresholds
def check_thresholds(
    summary: dict[str, Any], thresholds: dict[str, float | None]
) -> list[str]:
    """Messages for every metric (json path -> minimum) below its minimum. A metric
    that could not be computed (null) fails its threshold."""
    failures = []
    for path, minimum in thresholds.items():
        if minimum is None:
            continue
        value = get_path(summary, path)
        if value is None:
            failures.append(f"{path} is not defined for this run (minimum {minimum:g})")
        elif value < minimum:
            failures.append(f"{path} = {value:.4f} is below the minimum {minimum:g}")
    return failures
