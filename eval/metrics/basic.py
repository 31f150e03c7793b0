"""The building blocks of the metrics: pure functions on plain values (matching,
ranks, citation markers, abstention, percentiles, cost), unit-testable without an
engine.

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
from collections.abc import Iterable, Sequence

from rag.answer.citations import MARKER

MARKER_RE = MARKER  # the engine's citation marker: one home (rag.answer.citations)
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_SPACES = re.compile(r"\s+")
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


_LEAD = re.compile(r"^\*\*(.+?)\*\*")
_THOUSANDS = re.compile(r"(?<=\d)[\s.,](?=\d{3}(?!\d))")


def answer_lead(text: str) -> str | None:
    """The answer span an offline answer opens with in bold, if any."""
    m = _LEAD.match((text or "").strip())
    return m.group(1) if m else None


def _figures(text: str) -> set[str]:
    """The numbers of a text, thousands separators dropped, decimal commas as dots."""
    return set(re.findall(r"\d+(?:\.\d+)?", normalize_for_match(_THOUSANDS.sub("", text))))


def lead_matches(lead: str, must_include: Sequence[Sequence[str]]) -> bool:
    """Whether the lead agrees with an expected answer: a figure in common when
    the expected answer holds one ("2,2 tỷ USD" and "2.2 billion"), else the
    same words without diacritics ("Tran Khanh Thuc" and "Trần Khánh Thức")."""
    for alt in (a for group in must_include for a in group):
        if _figures(alt):
            if _figures(alt) & _figures(lead):
                return True
        elif (needle := _folded(alt)) and (needle in _folded(lead) or _folded(lead) in needle):
            return True
    return False


def _folded(text: str) -> str:
    from rag.lang.text import fold_diacritics

    return fold_diacritics(normalize_for_match(text)).strip()


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


def false_abstention_rate(answerable: Sequence[bool], abstained: Sequence[bool]) -> float | None:
    """Share of answerable questions the system refused to answer (abstained on);
    None when there is no answerable question."""
    refused = [s for a, s in zip(answerable, abstained, strict=True) if a]
    return sum(refused) / len(refused) if refused else None


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
