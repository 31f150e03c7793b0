"""xquad: the external cross-lingual development set (vendored in
eval/datasets/xquad/, CC BY-SA 4.0) through the real engine, default retriever and
plain dense in one run, on one index, offline extractive answers.

The corpus is ingested once into bench/.cache/xquad-<key>/ (key: hash of the corpus
files and the ingest code) and reused while neither changes. Scoring is eval's own
(`eval.run.run_eval`), so the figures are the ones `rag eval` reports. Writes the full
reports (one folder per retriever plus comparison.md / comparison.html with both
question-language x document-language tables side by side) to
reports/xquad-<timestamp>/ (or --out) and a compact bench/results/xquad.json.

The figures are also given for two halves split by article (`article_half`):
retrieval constants are chosen on the tuning half only, so the held-out half
shows how much of a gain is fitted to dev (docs/retrieval.md).

Run: make eval-xquad   (= python -m bench xquad [--report-lang vi] [--xquad-limit N])"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

from bench import common, inputs
from bench.common import CACHE, ROOT, say
from bench.inputs import INDEX_CODE

DATASET = ROOT / "eval" / "datasets" / "xquad"
CORPUS = DATASET / "corpus"
QUESTIONS = DATASET / "questions.jsonl"
BASELINE = "dense"
HALVES = ("tune", "held-out")
# XQuAD's articles have five paragraphs each; the corpus keeps their order
# (xd000-xd004: the first article, xd005-xd009: the second, ...).
PARAGRAPHS_PER_ARTICLE = 5


def article_half(question_id: str) -> str:
    """`tune` for questions on an even-numbered article of the corpus, `held-out`
    for odd ones (ids look like xd-en-042-3: paragraph 42 of article 8). A rule
    on ids alone, fixed before any result was seen."""
    paragraph = int(question_id.split("-")[2])
    return HALVES[(paragraph // PARAGRAPHS_PER_ARTICLE) % 2]


def halves(report: dict[str, Any]) -> dict[str, Any]:
    """Headline and 3x3 cells of each half, from the per-question records."""
    from eval.metrics import cross_language_table
    from eval.metrics.crosslingual import cell_summary

    out = {}
    for half in HALVES:
        records = [r for r in report["questions"] if article_half(r["id"]) == half]
        answerable = [r for r in records if r.get("answerable")]
        table = cross_language_table(records)
        out[half] = {"overall": cell_summary(answerable),
                     "cells": {q: {d: {k: c[k] for k in ("n", "hit_at_1", "mrr", "correct")}
                                   for d, c in row.items()} for q, row in table["cells"].items()}}
    return out


def index_key(corpus: Path | None = None) -> str:
    """Hash of the corpus files (names and bytes) and of the code that shapes an ingest."""
    corpus = corpus or CORPUS
    digest = hashlib.sha256(inputs.content_key(*INDEX_CODE).encode())
    for path in sorted(p for p in corpus.iterdir() if p.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def xquad_index(log=say) -> Path:
    """Data dir with the XQuAD corpus ingested, cached per (corpus, ingest code)."""
    key = index_key()
    final = CACHE / f"xquad-{key}" / "data"
    if (final.parent / "done.json").exists():
        log(f"xquad: reusing the cached index (key {key})")
        return final
    for old in CACHE.glob("xquad-*"):
        common.remove(old)
    log(f"xquad: ingesting {CORPUS.relative_to(ROOT)} (cache key {key}; a few minutes on 2 cores)...")
    work = common.scratch_dir("xquad-")
    engine = common.make_engine(common.make_settings(work / "data", corpus_dir=CORPUS))
    started = time.perf_counter()
    report = engine.ingest([CORPUS])
    del engine
    final.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(work / "data"), str(final))
    common.remove(work)
    (final.parent / "done.json").write_text(json.dumps(
        {"seconds": time.perf_counter() - started, "report": report.model_dump()}, default=str))
    return final


def load(limit: int | None = None):
    """The questions; `limit` keeps N evenly spread ones (a quick look, not the figure)."""
    from eval.questions import load_question_file

    questions = load_question_file(QUESTIONS)
    if limit and limit < len(questions):
        step = len(questions) / limit
        questions = [questions[int(i * step)] for i in range(limit)]
    return questions


def headline(report: dict[str, Any]) -> dict[str, Any]:
    s = report["summary"]
    return {
        "hit_at_1": s["retrieval"]["hit_at_1"], "hit_at_5": s["retrieval"]["hit_at_5"],
        "mrr": s["retrieval"]["mrr"], "correct": s["answer"]["correct"],
        "abstain_precision": s["abstain"]["precision"], "abstain_recall": s["abstain"]["recall"],
        "false_abstention": s["abstain"]["false_abstention"],
        "language_bias": (report.get("language_bias") or {}).get("rate"),
        "latency_p50_ms": s["latency_ms"]["p50"], "errors": s["errors"],
    }


def _cells(report: dict[str, Any]) -> dict[str, Any]:
    cross = report.get("cross_language") or {}
    return {q: {d: {k: c[k] for k in ("n", "hit_at_1", "mrr", "correct", "false_abstention")}
                for d, c in row.items()} for q, row in (cross.get("cells") or {}).items()}


def _print_tables(reports: dict[str, dict[str, Any]]) -> None:
    names = list(reports)
    say(common.table(["retriever", "hit@1", "MRR", "correct", "false abst.", "abstain P",
                      "abstain R", "lang. bias"],
                     [[n, *(headline(r)[k] for k in ("hit_at_1", "mrr", "correct", "false_abstention",
                                                    "abstain_precision", "abstain_recall",
                                                    "language_bias"))]
                      for n, r in reports.items()], digits=3))
    first = reports[names[0]]["cross_language"]
    rows = []
    for q in first["rows"]:
        rows.append([q, *[" / ".join(
            "-" if (c := reports[n]["cross_language"]["cells"].get(q, {}).get(d)) is None
            or not c["n"] else f"{c['hit_at_1']:.2f}" for n in names) for d in first["columns"]]])
    say(f"\nhit@1, question language (rows) x document language (columns): {' / '.join(names)}")
    say(common.table(["q \\ doc", *first["columns"]], rows))
    for half in HALVES:
        parts = {n: halves(r)[half] for n, r in reports.items()}
        say(f"\n{half} half: hit@1 " + " / ".join(
            f"{n} {p['overall']['hit_at_1'] or 0:.3f} (n={p['overall']['n']})"
            for n, p in parts.items()))
        say(common.table(["q \\ doc", *first["columns"]], [[q, *[" / ".join(
            "-" if not (c := parts[n]["cells"].get(q, {}).get(d)) or not c["n"]
            else f"{c['hit_at_1']:.2f}" for n in names) for d in first["columns"]]]
            for q in first["rows"]]))


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    from eval.report import write_side_by_side
    from eval.run import run_eval

    result = common.Result("xquad", argv)
    limit = getattr(options, "xquad_limit", None)
    lang = getattr(options, "report_lang", None) or "en"
    questions = load(limit)
    data_dir = inputs.copy_index(xquad_index(), "xquad-run-")
    engine = common.make_engine(common.make_settings(data_dir, corpus_dir=CORPUS))
    default = engine.settings.retrieval.retriever
    out = Path(getattr(options, "out", None) or ROOT / "reports" / (
        "xquad-" + _dt.datetime.now().strftime("%Y%m%d-%H%M%S")))
    reports: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys([default, BASELINE]):
        say(f"xquad: {len(questions)} questions, retriever={name}...")
        reports[name] = run_eval(
            engine, questions, out / name, retriever=name, progress=False, llm_judge=False,
            questions_files=[QUESTIONS.relative_to(ROOT)], report_lang=lang,
        )
    paths = write_side_by_side(reports, out, lang=lang)
    documents = len(engine.documents())  # before its index copy is removed
    common.remove(data_dir.parent)
    result["config"] = {
        "questions": len(questions), "limit": limit,
        "answerable": sum(q.answerable for q in questions), "mode": engine.mode,
        "top_k": engine.settings.retrieval.top_k, "retrievers": list(reports),
        "index": f"eval/datasets/xquad/corpus ({documents} documents), "
                 "one index for all retrievers", "report_dir": str(out),
        "report_lang": lang,
    }
    result["medians"] = {n: headline(r) for n, r in reports.items()}  # deterministic: one run
    result["cross_language"] = {n: _cells(r) for n, r in reports.items()}
    result["language_bias"] = {n: r.get("language_bias") for n, r in reports.items()}
    result["halves"] = {n: halves(r) for n, r in reports.items()}
    result["by_language"] = {n: {lang_: headline({"summary": s}) for lang_, s in r["by_language"].items()}
                             for n, r in reports.items()}
    result.note("hit@1 / MRR / correct / false abstention per cell: answerable questions only; "
                "document language = language of the gold sources ('parallel' when they span "
                "several languages). Full reports: " + str(paths["md"]))
    if limit:
        result.note(f"--xquad-limit {limit}: an evenly spread subset, not the benchmark figure")
    result.write()
    _print_tables(reports)
    say(f"xquad: reports in {out} (comparison: {paths['html'].name}, {paths['md'].name})")
    return result.data
