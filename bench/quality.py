"""quality: hit@1, MRR and must_include correctness on eval/questions for the
project's retriever (hybrid) against plain dense top-k and plain BM25, in one
run, on one engine and one index (offline extractive answers).

Scoring is eval's own code (`eval.run.answer_questions` + `eval.metrics.summarize`),
so these numbers are the ones `rag eval --retriever NAME` reports.

Run: python -m bench quality"""

from __future__ import annotations

import argparse
from typing import Any

from bench import common, inputs
from bench.common import say
from rag.settings import RETRIEVERS


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    result = common.Result("quality", argv)
    questions = inputs.load_questions()
    data_dir = inputs.copy_index(inputs.seed_index(), "quality-")
    engine = common.make_engine(common.make_settings(data_dir))
    result["config"] = {
        "questions": len(questions),
        "answerable": sum(q.answerable for q in questions),
        "mode": engine.mode,
        "top_k": engine.settings.retrieval.top_k,
        "retrievers": list(RETRIEVERS),
        "index": "seed corpus (5 articles), one index for all retrievers",
        "lang_override": False,
    }
    summaries, per_question = _answer_with_each_retriever(engine, questions)
    common.remove(data_dir.parent)

    heads = {name: headline(s) for name, s in summaries.items()}
    result["samples"] = {"per_question": per_question}
    result["medians"] = heads  # deterministic: one run is the value
    result["summaries"] = summaries
    result["ratios"] = {
        f"hybrid_vs_{base}": {
            metric: common.ratio(heads["hybrid"][metric], heads[base][metric])
            for metric in ("hit_at_1", "mrr", "correct", "correct_all")
        }
        for base in ("dense", "bm25")
    }
    result["deltas"] = {
        f"hybrid_minus_{base}": {
            metric: (heads["hybrid"][metric] - heads[base][metric])
            if heads["hybrid"][metric] is not None and heads[base][metric] is not None else None
            for metric in ("hit_at_1", "mrr", "correct", "correct_all")
        }
        for base in ("dense", "bm25")
    }
    result.note("correct = answerable questions answered with every must_include group; "
                "correct_all also counts unanswerable questions (correct when abstained). "
                "dense and bm25 have no relevance cutoff, so they never abstain.")
    result.note("false_abstention: share of answerable questions refused. by_split: the held-out "
                "part (split=holdout in eval/questions) is never used for tuning.")
    result.note("hit@1 / MRR: rank of the first gold file among the retrieved passages "
                "(eval.metrics.first_gold_rank), answerable questions only")
    result.write()
    _print_tables(heads, summaries)
    return result.data


def _answer_with_each_retriever(engine, questions) -> tuple[dict[str, Any], dict[str, Any]]:
    """(summary, per-question records) for each retriever, on one index."""
    from eval.metrics import summarize, summarize_by_language, summarize_by_split
    from eval.run import answer_questions

    summaries: dict[str, Any] = {}
    per_question: dict[str, Any] = {}
    for name in RETRIEVERS:
        say(f"quality: answering {len(questions)} questions with retriever={name}...")
        records = answer_questions(engine, questions, retriever=name, progress=False,
                                   desc=f"bench {name}")
        summary = summarize(records)
        summary["by_language"] = {
            lang: {"hit_at_1": s["retrieval"]["hit_at_1"], "mrr": s["retrieval"]["mrr"],
                   "correct": s["answer"]["correct"]}
            for lang, s in summarize_by_language(records).items()
        }
        summary["by_split"] = {
            split: {"n": s["n"], "hit_at_1": s["retrieval"]["hit_at_1"], "mrr": s["retrieval"]["mrr"],
                    "correct": s["answer"]["correct"], "abstain_precision": s["abstain"]["precision"],
                    "abstain_recall": s["abstain"]["recall"],
                    "false_abstention": s["abstain"]["false_abstention"]}
            for split, s in summarize_by_split(records).items()
        }
        summaries[name] = summary
        per_question[name] = [
            {"id": r["id"], "first_gold_rank": r["first_gold_rank"], "correct": r["correct"],
             "abstained": r["abstained"], "error": r["error"], "split": r["split"]}
            for r in records
        ]
    return summaries, per_question


def headline(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "hit_at_1": s["retrieval"]["hit_at_1"],
        "hit_at_5": s["retrieval"]["hit_at_5"],
        "mrr": s["retrieval"]["mrr"],
        "correct": s["answer"]["correct"],
        "correct_all": s["answer"]["correct_all"],
        "abstain_precision": s["abstain"]["precision"],
        "abstain_recall": s["abstain"]["recall"],
        "false_abstention": s["abstain"]["false_abstention"],
        "citation_valid": s["answer"]["citation_valid"],
        "errors": s["errors"],
    }



def _print_tables(heads: dict[str, Any], summaries: dict[str, Any]) -> None:
    say(common.table(
        ["retriever", "hit@1", "hit@5", "MRR", "correct", "correct (all)", "abstain P",
         "abstain R", "false abst."],
        [[name, h["hit_at_1"], h["hit_at_5"], h["mrr"], h["correct"], h["correct_all"],
          h["abstain_precision"], h["abstain_recall"], h["false_abstention"]]
         for name, h in heads.items()],
        digits=3))
    say(common.table(
        ["retriever", "split", "n", "hit@1", "MRR", "correct", "abstain P", "abstain R",
         "false abst."],
        [[name, split, v["n"], v["hit_at_1"], v["mrr"], v["correct"], v["abstain_precision"],
          v["abstain_recall"], v["false_abstention"]]
         for name, s in summaries.items() for split, v in s["by_split"].items()],
        digits=3))
