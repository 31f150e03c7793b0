"""Run eval questions through the engine and write the report."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.metrics import annotate, error_record, languages_from_records, score_answer
from eval.questions import Question
from eval.report.model import build_report, git_commit, now_iso
from eval.report.writer import write_report

logger = logging.getLogger(__name__)


def _describe(engine: Any) -> dict[str, Any]:
    try:
        info = engine.describe()
        return dict(info) if info else {}
    except Exception:
        logger.exception("engine.describe() failed; the report's configuration will be incomplete")
        return {}


def document_languages(engine: Any) -> dict[str, str]:
    """file -> language of every document in the engine's index ({} when the engine
    cannot list them)."""
    try:
        docs = engine.documents()
    except Exception as e:  # a fake or read-only engine: fall back to the passages
        logger.info("engine.documents() unavailable (%s); document languages come from the "
                    "retrieved passages", type(e).__name__)
        return {}
    return {d.file: d.language for d in docs if getattr(d, "file", None)}


def _display_path(path: str | Path) -> str:
    """`path` relative to the working directory when it is inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def _questions_file_label(
    questions: Sequence[Question], files: Sequence[str | Path] | None
) -> tuple[str, list[str]]:
    if files:
        names = [_display_path(f) for f in files]
    else:
        names = list(dict.fromkeys(_display_path(q.file) for q in questions if q.file))
    return (names[0] if len(names) == 1 else ", ".join(names)), names


def build_config(
    engine: Any,
    questions: Sequence[Question],
    *,
    retriever: str | None = None,
    top_k: int | None = None,
    lang_override: bool = False,
    questions_files: Sequence[str | Path] | None = None,
    llm_judged: bool = False,
) -> dict[str, Any]:
    """The report's `config` block: the contract's keys plus what a reader needs to
    reproduce the run."""
    info = _describe(engine)
    label, names = _questions_file_label(questions, questions_files)
    return {
        "mode": info.get("mode"),
        "llm_model": info.get("llm_model"),
        "embedding": info.get("embedding"),
        "retriever": retriever or info.get("retriever"),
        "top_k": top_k or info.get("top_k"),
        "questions_file": label,
        "questions_files": names,
        "chunk_size": info.get("chunk_size"),
        "corpus_fingerprint": info.get("corpus_fingerprint"),
        "git_commit": git_commit(),
        "date": now_iso(),
        "lang_override": lang_override,
        "price_prompt_per_1m": info.get("price_prompt_per_1m"),
        "price_completion_per_1m": info.get("price_completion_per_1m"),
        "llm_judged": llm_judged,
        "latency_percentile_method": "nearest-rank",
    }


class _Judge:
    """LLM-judged faithfulness and relevancy with llama-index's evaluators. A judge
    failure is recorded on the question and never aborts the run."""

    def __init__(self, llm: Any) -> None:
        from llama_index.core.evaluation import FaithfulnessEvaluator, RelevancyEvaluator

        self.evaluators = {
            "faithfulness": FaithfulnessEvaluator(llm=llm),
            "relevancy": RelevancyEvaluator(llm=llm),
        }

    def __call__(self, question: str, answer_text: str, contexts: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, evaluator in self.evaluators.items():
            try:
                res = evaluator.evaluate(query=question, response=answer_text, contexts=contexts)
                out[name] = {
                    "passing": res.passing,
                    "score": res.score,
                    "feedback": (res.feedback or "")[:500] or None,
                }
            except Exception as e:  # judge failures are per question
                logger.warning("LLM judge %s failed: %s", name, e)
                out[name] = {"error": f"{type(e).__name__}: {e}"[:300]}
        return out


PREPARE_AHEAD = 32  # questions embedded in one batch ahead of answering (Engine.prepare_questions)


def answer_questions(
    engine: Any,
    questions: Sequence[Question],
    *,
    retriever: str | None = None,
    top_k: int | None = None,
    lang_override: bool = False,
    judge: Any = None,
    progress: bool = True,
    desc: str = "eval",
    doc_languages: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Per-question records, in question order. An engine error on one question is
    recorded (counted as wrong) and the run goes on. `doc_languages` (file ->
    language, default: `engine.documents()`) gives each question its document
    language; files it lacks are looked up in the retrieved passages."""
    if doc_languages is None:
        doc_languages = document_languages(engine)
    from tqdm.auto import tqdm

    records: list[dict[str, Any]] = []
    n_correct = 0
    bar = tqdm(questions, desc=desc, unit="q", disable=not progress, dynamic_ncols=True)
    for i, q in enumerate(bar):
        if i % PREPARE_AHEAD == 0 and hasattr(engine, "prepare_questions"):
            engine.prepare_questions([later.question for later in questions[i:i + PREPARE_AHEAD]])
        kwargs: dict[str, Any] = {}
        if retriever is not None:
            kwargs["retriever"] = retriever
        if top_k is not None:
            kwargs["top_k"] = top_k
        start = time.perf_counter()
        try:
            answer = engine.answer(q.question, q.language if lang_override else None,
                                   conversation(q.after), **kwargs)
        except Exception as e:
            elapsed = (time.perf_counter() - start) * 1000
            logger.warning("question %s failed: %s: %s", q.id, type(e).__name__, e)
            records.append(error_record(q, f"{type(e).__name__}: {e}", elapsed, doc_languages))
            continue
        elapsed = (time.perf_counter() - start) * 1000
        record = score_answer(q, answer, latency_ms=elapsed, doc_languages=doc_languages)
        record["wall_ms"] = elapsed
        if judge is not None and not answer.abstained and answer.text.strip():
            contexts = [p.text for p in answer.retrieved] or [c.passage for c in answer.citations]
            record["llm_judged"] = judge(q.question, answer.text, contexts)
        records.append(record)
        n_correct += bool(record["correct"])
        bar.set_postfix(correct=f"{n_correct}/{len(records)}")
    bar.close()
    fallback = {**languages_from_records(records), **doc_languages}
    if len(fallback) > len(doc_languages):
        for record in records:
            annotate(record, fallback)
    return records


def conversation(earlier: Sequence[str]) -> list[dict[str, str]]:
    """A chat history holding the user's earlier questions (their answers are not
    needed: follow-ups are resolved from the user's turns)."""
    return [{"role": "user", "content": text} for text in earlier]


def _make_judge(engine: Any, llm_judge: bool) -> tuple[_Judge | None, str | None]:
    """(judge, None) or (None, why the LLM-judged metrics are not computed)."""
    llm = getattr(engine, "llm", None)
    if llm is None:
        return None, "no LLM configured"
    if not llm_judge:
        return None, "disabled (--no-llm-judge)"
    try:
        return _Judge(llm), None
    except Exception as e:
        logger.warning("LLM-judged metrics unavailable: %s", e)
        return None, f"judge unavailable: {type(e).__name__}: {e}"


def run_eval(
    engine: Any,
    questions: Sequence[Question],
    out_dir: str | Path,
    *,
    retriever: str | None = None,
    top_k: int | None = None,
    lang_override: bool = False,
    progress: bool = True,
    llm_judge: bool = True,
    questions_files: Sequence[str | Path] | None = None,
    report_lang: str = "en",
    doc_languages: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Answer every question, score it, write report.json/.md/.html into `out_dir`,
    and return the report dict.

    `lang_override` answers each question in its `language` field instead of letting
    the engine detect it. LLM-judged metrics are computed when `llm_judge` is true
    and the engine has an LLM (`engine.llm` not None). `report_lang` (en, vi, ru) is
    the language of report.md and report.html. `doc_languages` (file -> language)
    defaults to `engine.documents()`; it is recorded in `config.document_languages`.
    """
    from eval.report.i18n import check_language

    report_lang = check_language(report_lang)
    judge, reason = _make_judge(engine, llm_judge)
    config = build_config(
        engine, questions, retriever=retriever, top_k=top_k, lang_override=lang_override,
        questions_files=questions_files, llm_judged=judge is not None,
    )
    if doc_languages is None:
        doc_languages = document_languages(engine)
    started = time.perf_counter()
    records = answer_questions(
        engine, questions, retriever=retriever, top_k=top_k, lang_override=lang_override,
        judge=judge, progress=progress, desc=f"eval {retriever}" if retriever else "eval",
        doc_languages=doc_languages,
    )
    config["duration_s"] = round(time.perf_counter() - started, 3)
    config["report_lang"] = report_lang
    config["document_languages"] = dict(sorted(
        {**languages_from_records(records), **doc_languages}.items()))
    report = build_report(records, config, llm_judged=judge is not None, llm_judged_reason=reason)
    write_report(report, out_dir, lang=report_lang)
    return report
