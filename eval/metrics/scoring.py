"""Per-question scoring: one `rag.schema.Answer` (or an engine error) becomes the
question's record in report.json (the contract's fields plus extras)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from eval.metrics.basic import (
    answer_lead,
    citation_markers,
    cited_gold,
    distinct_files,
    first_gold_rank,
    lead_matches,
    missing_groups,
)
from eval.metrics.crosslingual import annotate

if TYPE_CHECKING:  # pragma: no cover
    from eval.questions import Question
    from rag.schema import Answer

SNIPPET_CHARS = 400
_SPACES = re.compile(r"\s+")


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
    extra = q.model_extra or {}
    return {
        "id": q.id,
        "language": q.language,
        "question": q.question,
        "answerable": q.answerable,
        "expected": q.answer,
        "must_include": q.must_include,
        "sources": q.sources,
        "questions_file": q.file,
        "split": q.split,
        "kind": extra.get("kind"),
        "paraphrase_of": extra.get("paraphrase_of"),
    }


def _passages(answer: Answer, gold: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "rank": i,
            "file": p.file,
            "language": p.language,
            "title": p.title,
            "score": p.score,
            "gold": p.file in gold,
            "text": _snippet(p.text),
        }
        for i, p in enumerate(answer.retrieved, start=1)
    ]


def _citations(citations: list[Any]) -> list[dict[str, Any]]:
    return [
        {"n": c.n, "file": c.file, "language": c.language, "title": c.title,
         "text": _snippet(c.text)}
        for c in citations
    ]


def _confidence(answer: Answer) -> dict[str, Any] | None:
    conf = getattr(answer, "confidence", None)
    if conf is None:
        return None
    return {"level": conf.level, "reason_code": conf.reason_code, "reason": conf.reason,
            "score": conf.score}


def _verdicts(q: Question, answer: Answer, correct: bool, lang_match: bool,
              rank: int | None, gold_cited: bool | None, cit_valid: bool) -> dict[str, bool]:
    verdicts: dict[str, bool] = {"correct": correct, "language_match": lang_match}
    if q.answerable:
        verdicts["retrieved_gold"] = rank is not None
        verdicts["cited_gold"] = bool(gold_cited)
    if q.answerable and not answer.abstained:
        verdicts["citation_valid"] = cit_valid
    return verdicts


def _source_languages(answer: Answer, files: list[str]) -> list[str | None]:
    first: dict[str, str] = {}
    for p in answer.retrieved:
        first.setdefault(p.file, p.language)
    return [first.get(f) for f in files]


def score_answer(
    q: Question,
    answer: Answer,
    *,
    detect: Callable[[str], str] | None = None,
    latency_ms: float | None = None,
    doc_languages: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The per-question record of report.json: the contract's fields plus extras.
    `doc_languages` (file -> language) fills in the document language of the question;
    without it the languages of the retrieved passages are used."""
    if detect is None:
        from eval.langid import detect_language as detect

    retrieved_sources = distinct_files(p.file for p in answer.retrieved)
    rank = first_gold_rank(retrieved_sources, q.sources) if q.answerable else None
    citations = sorted(answer.citations, key=lambda c: c.n)
    cited_sources = distinct_files(c.file for c in citations)
    markers = citation_markers(answer.text, [c.text for c in citations])
    numbers = {c.n for c in citations}
    cit_valid = all(n in numbers for n in markers)
    answer_language = detect(language_judged_text(answer))
    missing = missing_groups(answer.text, q.must_include) if q.answerable else []
    correct = (not answer.abstained and not missing) if q.answerable else answer.abstained
    gold_cited = cited_gold(cited_sources, q.sources) if q.answerable else None
    lang_match = answer_language == q.language
    # the bold line an answer opens with; one given to an unanswerable question is wrong
    lead = answer_lead(answer.text) if not answer.abstained else None
    latency = answer.latency_ms if answer.latency_ms and answer.latency_ms > 0 else latency_ms
    verdicts = _verdicts(q, answer, correct, lang_match, rank, gold_cited, cit_valid)
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
        "retrieved_source_languages": _source_languages(answer, retrieved_sources),
        "false_abstention": bool(q.answerable and answer.abstained),
        "confidence": _confidence(answer),
        "cited_gold": gold_cited,
        "language_match": lang_match,
        "lead": lead,
        "lead_match": (lead_matches(lead, q.must_include) if q.answerable else False)
        if lead else None,
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
        "citations": _citations(citations),
        "retrieved": _passages(answer, set(q.sources)),
        "verdicts": verdicts,
        "failed": not all(verdicts.values()),
        "error": None,
        "llm_judged": None,
    }
    languages = doc_languages if doc_languages is not None else {
        p.file: p.language for p in answer.retrieved
    }
    return annotate(record, languages)


def error_record(
    q: Question, error: str, latency_ms: float = 0.0,
    doc_languages: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Record for a question the engine failed on: it counts as wrong everywhere and
    is left out of citation validity (there is no answer whose markers to check)."""
    verdicts = {"correct": False, "language_match": False}
    if q.answerable:
        verdicts.update(retrieved_gold=False, cited_gold=False)
    record = {
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
        "retrieved_source_languages": [],
        "false_abstention": False,
        "confidence": None,
        "cited_gold": False if q.answerable else None,
        "language_match": False,
        "lead": None,
        "lead_match": None,
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
    return annotate(record, doc_languages or {})
