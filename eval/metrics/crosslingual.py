"""Cross-lingual views of the per-question records: the document language of a
question, the question-language x document-language table and the language-bias
figure.

- The **document language** of an answerable question is the language of its gold
  `sources` (looked up in the corpus: `engine.documents()`); when the gold sources
  span several languages (a translation group) it is `parallel`, so the
  single-language cells stay clean. Unknown when no gold file is in the corpus.
- **Language bias**: among answerable questions whose gold documents are all in other
  languages than the question's, the share where a wrong passage in the question's
  own language is ranked above the first gold passage (or no gold passage was
  retrieved at all while a wrong own-language one was).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eval.metrics.basic import false_abstention_rate, hit_at_k, mean_reciprocal_rank

PARALLEL = "parallel"
LANGUAGES = ("vi", "en", "ru")
CELL_METRICS = ("hit_at_1", "mrr", "correct", "false_abstention")


def gold_languages(sources: Sequence[str], doc_languages: Mapping[str, str]) -> list[str]:
    """Distinct languages of the gold files found in `doc_languages`, in order."""
    return list(dict.fromkeys(doc_languages[s] for s in sources if s in doc_languages))


def document_language(sources: Sequence[str], doc_languages: Mapping[str, str]) -> str | None:
    """One language, `parallel` for several, None when unknown or no sources."""
    langs = gold_languages(sources, doc_languages)
    if not langs:
        return None
    return langs[0] if len(langs) == 1 else PARALLEL


def own_language_above_gold(
    question_language: str, passages: Sequence[Mapping[str, Any]]
) -> bool:
    """True when, in rank order, a non-gold passage in `question_language` comes
    before the first gold passage (or no gold passage was retrieved but a wrong one in
    the question's language was). `passages` carry `language` and `gold`."""
    for p in passages:
        if p.get("gold"):
            return False
        if p.get("language") == question_language:
            return True
    return False


def annotate(record: dict[str, Any], doc_languages: Mapping[str, str]) -> dict[str, Any]:
    """Add `document_language`, `gold_languages` and `own_language_above_gold` (None
    when the question is not eligible for the bias figure) to a record, in place."""
    if not record.get("answerable"):
        record.update(document_language=None, gold_languages=[], own_language_above_gold=None)
        return record
    langs = gold_languages(record.get("sources") or [], doc_languages)
    record["gold_languages"] = langs
    record["document_language"] = document_language(record.get("sources") or [], doc_languages)
    eligible = bool(langs) and record["language"] not in langs and not record.get("error")
    record["own_language_above_gold"] = (
        own_language_above_gold(record["language"], record.get("retrieved") or [])
        if eligible else None
    )
    return record


def languages_from_records(records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """file -> language from the retrieved passages: a fallback for engines that do
    not list their documents."""
    out: dict[str, str] = {}
    for r in records:
        for p in r.get("retrieved") or []:
            if p.get("file") and p.get("language"):
                out.setdefault(p["file"], p["language"])
    return out


def _ordered(present: Sequence[str], first: Sequence[str] = LANGUAGES) -> list[str]:
    present = list(dict.fromkeys(present))
    return [x for x in first if x in present] + [x for x in present if x not in first]


def cell_summary(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The metrics of one cell, over answerable records."""
    ranks = [r["first_gold_rank"] for r in records]
    return {
        "n": len(records),
        "hit_at_1": hit_at_k(ranks, 1),
        "mrr": mean_reciprocal_rank(ranks),
        "correct": (sum(1 for r in records if r["correct"]) / len(records)) if records else None,
        "false_abstention": false_abstention_rate(
            [True] * len(records), [bool(r["abstained"]) for r in records]
        ),
    }


def cross_language_table(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Question language (rows) x document language (columns) over answerable
    questions with a known document language; `parallel` is the last column."""
    answerable = [r for r in records if r.get("answerable")]
    known = [r for r in answerable if r.get("document_language")]
    rows = _ordered([r["language"] for r in answerable])
    single = _ordered([r["document_language"] for r in known if r["document_language"] != PARALLEL])
    columns = single + ([PARALLEL] if any(r["document_language"] == PARALLEL for r in known) else [])
    cells: dict[str, dict[str, Any]] = {}
    for q_lang in rows:
        cells[q_lang] = {}
        for d_lang in columns:
            group = [
                r for r in known if r["language"] == q_lang and r["document_language"] == d_lang
            ]
            cells[q_lang][d_lang] = cell_summary(group)
    return {
        "rows": rows,
        "columns": columns,
        "metrics": list(CELL_METRICS),
        "cells": cells,
        "n_unknown_document_language": len(answerable) - len(known),
        "definition": "rows: question language; columns: language of the gold documents "
        f"('{PARALLEL}' when they span several languages); answerable questions only",
    }


def language_bias(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How often a wrong passage in the question's language outranks the right
    passage in another language, overall and per (question, document) language pair."""
    eligible = [r for r in records if r.get("own_language_above_gold") is not None]

    def block(group: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        hits = sum(1 for r in group if r["own_language_above_gold"])
        return {"n": len(group), "n_outranked": hits, "rate": hits / len(group) if group else None}

    pairs = _ordered([f"{r['language']}→{r['document_language']}" for r in eligible], ())
    return {
        **block(eligible),
        "by_pair": {
            pair: block([r for r in eligible
                         if f"{r['language']}→{r['document_language']}" == pair])
            for pair in pairs
        },
        "definition": "answerable questions whose gold documents are all in other languages "
        "than the question's: share where a wrong passage in the question's language is ranked "
        "above the first gold passage",
    }
