"""`rag eval`: the typer command, registered by `cli.main`."""

from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from rag.settings import RETRIEVERS

logger = logging.getLogger(__name__)

# CLI option -> summary metric path
THRESHOLD_PATHS = {
    "min_hit1": "retrieval.hit_at_1",
    "min_mrr": "retrieval.mrr",
    "min_correct": "answer.correct",
    "min_citation_valid": "answer.citation_valid",
    "min_language_match": "answer.language_match",
    "min_abstain_precision": "abstain.precision",
    "min_abstain_recall": "abstain.recall",
    "min_lead_match": "answer.lead_match",
}


def _default_out() -> Path:
    return Path("reports") / _dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _pct(v: Any) -> str:
    return "—" if v is None else f"{100 * v:.1f}"


def _mrr(v: Any) -> str:
    return "—" if v is None else f"{v:.3f}"


def _ms(v: Any) -> str:
    return "—" if v is None else f"{v:,.0f}"


SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("hit@1", "retrieval.hit_at_1"), ("hit@3", "retrieval.hit_at_3"),
    ("hit@5", "retrieval.hit_at_5"), ("MRR", "retrieval.mrr"),
    ("correct", "answer.correct"), ("lead prec.", "answer.lead_precision"),
    ("citation ok", "answer.citation_valid"),
    ("cited gold", "answer.cited_gold"), ("lang. match", "answer.language_match"),
    ("lead ok", "answer.lead_match"),
    ("abst. prec.", "abstain.precision"), ("abst. recall", "abstain.recall"),
    ("false abst.", "abstain.false_abstention"),
)


def _cells(columns: list[tuple[str, dict[str, Any]]], path: str) -> list[str]:
    from eval.metrics import get_path

    fmt = _mrr if path == "retrieval.mrr" else _pct
    return [fmt(get_path(s, path)) for _, s in columns]


def summary_table(report: dict[str, Any], title: str = "Eval summary"):
    """A rich Table: one row per metric, one column per language plus overall, and the
    tune / held-out parts when the questions have a held-out split (narrow enough for
    an 80-column terminal)."""
    from rich.table import Table

    from eval.metrics import get_path
    from eval.report import scopes, split_scopes

    table = Table(
        title=title, title_justify="left",
        caption="percentages except MRR; abst. = abstain (false abst.: answerable questions "
        "refused); p50/p95: latency, nearest-rank; tokens: LLM in/out; questions: all "
        "(unanswerable)",
    )
    columns = [*scopes(report), *split_scopes(report)]
    table.add_column("metric", justify="left", no_wrap=True)
    for name, _ in columns:
        table.add_column(name, justify="right", no_wrap=True)
    table.add_row("questions", *[f"{s.get('n', 0)} ({s.get('n_unanswerable', 0)})"
                                 for _, s in columns])
    for label, path in SUMMARY_ROWS:
        table.add_row(label, *_cells(columns, path))
    table.add_row("p50 ms", *[_ms(get_path(s, "latency_ms.p50")) for _, s in columns])
    table.add_row("p95 ms", *[_ms(get_path(s, "latency_ms.p95")) for _, s in columns])
    table.add_row("tokens", *[f"{get_path(s, 'tokens.prompt') or 0:,}/"
                                     f"{get_path(s, 'tokens.completion') or 0:,}" for _, s in columns])
    return table


def cross_language_table(report: dict[str, Any]):
    """Question language (rows) x document language (columns): hit@1 % / correct % per
    cell, with the number of questions; None when the report has no such data."""
    from rich.table import Table

    cross = report.get("cross_language") or {}
    if not cross.get("columns"):
        return None
    bias = report.get("language_bias") or {}
    caption = "cells: hit@1 % / correct % / false abstention % (questions)"
    if bias.get("n"):
        caption += (f"; language bias: a wrong passage in the question's language ranked above "
                    f"the right one in {_pct(bias.get('rate'))} % of {bias['n']} questions")
    table = Table(title="question language \\ document language", title_justify="left",
                  caption=caption)
    table.add_column("q \\ doc")
    for col in cross["columns"]:
        table.add_column(col, justify="right")
    for row in cross["rows"]:
        cells = [cross["cells"][row][col] for col in cross["columns"]]
        table.add_row(row, *[
            f"{_pct(c['hit_at_1'])}/{_pct(c['correct'])}/{_pct(c['false_abstention'])} ({c['n']})"
            if c["n"] else "—" for c in cells])
    return table


def _print_report_footer(
    console: Any, report: dict[str, Any], paths: dict[str, Path] | None
) -> None:
    s = report["summary"]
    cost = s.get("cost_usd")
    if cost is not None:
        console.print(f"Estimated cost: ${cost:.4f}")
    j = s.get("llm_judged") or {}
    if j.get("computed"):
        console.print(
            f"LLM-judged: faithfulness {_pct(j.get('faithfulness'))}%, "
            f"relevancy {_pct(j.get('relevancy'))}%"
        )
    else:
        console.print(f"LLM-judged metrics: not computed: {j.get('reason')}", markup=False)
    if s.get("errors"):
        console.print(f"[red]{s['errors']} question(s) failed in the engine; see the report.[/red]")
    if paths:
        console.print(
            f"Report: {paths['html']}  ({paths['json'].name}, {paths['md'].name})", markup=False
        )


def _run_compare(console: Any, old: Path, new: Path, out: Path) -> None:
    from rich.markup import escape
    from rich.table import Table

    from eval.metrics import lower_is_better
    from eval.report import (
        FLIP_TITLES,
        compare_reports,
        fmt_delta,
        fmt_value,
        load_report,
        metric_name,
        write_compare,
    )

    cmp = compare_reports(load_report(old), load_report(new))
    paths = write_compare(cmp, out, str(old), str(new))
    for scope, block in cmp["metrics"].items():
        table = Table(title=escape(f"{scope}: {old} → {new}"), title_justify="left")
        for col, j in (("metric", "left"), ("old", "right"), ("new", "right"), ("change", "right")):
            table.add_column(col, justify=j)
        for path, v in block.items():
            delta = fmt_delta(v["delta"], path)
            style = ""
            if v["delta"]:
                better = v["delta"] < 0 if lower_is_better(path) else v["delta"] > 0
                style = "green" if better else "red"
            table.add_row(metric_name(path), fmt_value(v["old"], path), fmt_value(v["new"], path),
                          f"[{style}]{delta}[/{style}]" if style else delta)
        console.print(table)
    for key, title in FLIP_TITLES:
        items = cmp["flips"][key]
        ids = escape(": " + ", ".join(f["id"] for f in items)) if items else ""
        console.print(f"[bold]{title}: {len(items)}[/bold]{ids}")
    console.print(f"Written: {paths['md']}, {paths['json']}", markup=False)


def _minimum(flag: str, path: str) -> Any:
    return typer.Option(flag, help=f"Exit 1 when {path} is below this (0-1).")


QuestionsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--questions", "-q", help="Question file (JSONL); repeat for several. "
        "Default: every file in eval/questions/."
    ),
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Output folder. Default: reports/<timestamp>/.")
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Index and state folder (default: RAG_DATA_DIR or ./data)."),
]
RetrieverOpt = Annotated[
    str | None,
    typer.Option(
        "--retriever", help="hybrid, dense or bm25; a comma list (hybrid,dense,bm25) runs "
        "each into its own subfolder plus comparison.md."
    ),
]
TopKOpt = Annotated[
    int | None, typer.Option("--top-k", min=1, help="Passages given to the answerer.")
]
LangOverrideOpt = Annotated[
    bool,
    typer.Option(
        "--lang-override", help="Answer in each question's `language` instead of auto-detecting."
    ),
]
CompareOpt = Annotated[
    tuple[Path, Path] | None,
    typer.Option(
        "--compare", help="Compare two reports: --compare OLD/report.json NEW/report.json "
        "(no engine needed); writes compare.md and compare.json to --out."
    ),
]
LLMJudgeOpt = Annotated[
    bool,
    typer.Option(
        "--llm-judge/--no-llm-judge",
        help="LLM-judged faithfulness and relevancy when an LLM is configured.",
    ),
]
ProgressOpt = Annotated[
    bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
]
MinCorrect = Annotated[float | None, _minimum("--min-correct", "answer.correct")]
MinHit1 = Annotated[float | None, _minimum("--min-hit1", "retrieval.hit_at_1")]
MinMRR = Annotated[float | None, _minimum("--min-mrr", "retrieval.mrr")]
MinCitationValid = Annotated[float | None, _minimum("--min-citation-valid", "answer.citation_valid")]
MinLanguageMatch = Annotated[float | None, _minimum("--min-language-match", "answer.language_match")]
MinAbstainPrecision = Annotated[float | None, _minimum("--min-abstain-precision", "abstain.precision")]
MinAbstainRecall = Annotated[float | None, _minimum("--min-abstain-recall", "abstain.recall")]
MinLeadMatch = Annotated[float | None, _minimum("--min-lead-match", "answer.lead_match")]
MaxFalseAbstention = Annotated[
    float | None,
    typer.Option("--max-false-abstention",
                 help="Exit 1 when abstain.false_abstention (answerable questions refused) is "
                      "above this (0-1)."),
]
ReportLangOpt = Annotated[
    str,
    typer.Option("--report-lang", help="Language of report.md and report.html: en, vi or ru "
                 "(report.json is never translated)."),
]


def eval_command(
    questions: QuestionsOpt = None,
    out: OutOpt = None,
    data_dir: DataDirOpt = None,
    retriever: RetrieverOpt = None,
    top_k: TopKOpt = None,
    lang_override: LangOverrideOpt = False,
    compare: CompareOpt = None,
    min_correct: MinCorrect = None,
    min_hit1: MinHit1 = None,
    min_mrr: MinMRR = None,
    min_citation_valid: MinCitationValid = None,
    min_language_match: MinLanguageMatch = None,
    min_abstain_precision: MinAbstainPrecision = None,
    min_abstain_recall: MinAbstainRecall = None,
    min_lead_match: MinLeadMatch = None,
    max_false_abstention: MaxFalseAbstention = None,
    llm_judge: LLMJudgeOpt = True,
    progress: ProgressOpt = True,
    report_lang: ReportLangOpt = "en",
) -> None:
    """Run the eval questions through the engine and write report.json, report.md and
    a self-contained report.html. Exits 0 when the run completed, whatever the scores,
    unless a --min-* / --max-* threshold is missed.

    Example: rag eval --out reports/today --min-correct 0.7 --report-lang vi
    Compare: rag eval --compare reports/a/report.json reports/b/report.json
    """
    from rich.console import Console
    from rich.markup import escape

    from eval.report import check_language
    from rag.errors import RagError

    console = Console(soft_wrap=True)
    out_dir = out or _default_out()
    try:
        report_lang = check_language(report_lang)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--report-lang") from None
    try:
        if compare:
            _run_compare(console, compare[0], compare[1], out_dir)
            return
        minimums = {
            THRESHOLD_PATHS[name]: value
            for name, value in {
                "min_hit1": min_hit1, "min_mrr": min_mrr, "min_correct": min_correct,
                "min_citation_valid": min_citation_valid, "min_language_match": min_language_match,
                "min_abstain_precision": min_abstain_precision,
                "min_abstain_recall": min_abstain_recall, "min_lead_match": min_lead_match,
            }.items()
        }
        run = EvalRun(
            question_paths=questions, out_dir=out_dir, data_dir=data_dir,
            retrievers=_retrievers(retriever), top_k=top_k, lang_override=lang_override,
            minimums=minimums, maximums={"abstain.false_abstention": max_false_abstention},
            llm_judge=llm_judge, progress=progress, report_lang=report_lang,
        )
        failures = _run_eval(console, run)
    except RagError as e:
        console.print(f"[red]Error:[/red] {escape(str(e))}")
        raise typer.Exit(1) from None
    if failures:
        console.print("[red]Thresholds not met:[/red]")
        for f in failures:
            console.print(f"  - {f}", markup=False)
        raise typer.Exit(1)


def _retrievers(retriever: str | None) -> list[str | None]:
    retrievers = [r.strip() for r in retriever.split(",") if r.strip()] if retriever else [None]
    unknown = [r for r in retrievers if r is not None and r not in RETRIEVERS]
    if unknown:
        raise typer.BadParameter(
            f"unknown retriever {', '.join(unknown)}: choose from {', '.join(RETRIEVERS)}",
            param_hint="--retriever",
        )
    return retrievers


@dataclass
class EvalRun:
    """What `rag eval` was asked to do."""

    question_paths: list[Path] | None
    out_dir: Path
    data_dir: Path | None
    retrievers: list[str | None]
    top_k: int | None
    lang_override: bool
    minimums: dict[str, float | None]
    maximums: dict[str, float | None]
    llm_judge: bool
    progress: bool
    report_lang: str = "en"


def _run_eval(console: Any, run: EvalRun) -> list[str]:
    from cli.wiring import build_engine, load_settings
    from eval.metrics import check_thresholds
    from eval.questions import default_question_files, load_questions
    from eval.report import write_side_by_side
    from eval.run import run_eval

    files = list(run.question_paths) if run.question_paths else default_question_files()
    qs = load_questions(files)
    settings = load_settings(Path(run.data_dir) if run.data_dir else None)
    engine = build_engine(settings)
    engine.ensure_index(required=True)  # one clear error, not a run where every question fails

    multi = len(run.retrievers) > 1
    reports: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    for name in run.retrievers:
        run_dir = run.out_dir / name if multi and name else run.out_dir
        report = run_eval(
            engine, qs, run_dir, retriever=name, top_k=run.top_k, lang_override=run.lang_override,
            progress=run.progress, llm_judge=run.llm_judge, questions_files=[str(f) for f in files],
            report_lang=run.report_lang,
        )
        label = name or report["config"].get("retriever") or "run"
        reports[label] = report
        _print_run(console, report, label, run_dir)
        s = report["summary"]
        if s["n"] and s.get("errors") == s["n"]:
            failures.append(
                f"[{label}] every question failed in the engine; the run did not complete"
            )
        failures += [f"[{label}] {m}" if multi else m
                     for m in check_thresholds(s, run.minimums, run.maximums)]
    if multi:
        paths = write_side_by_side(reports, run.out_dir, lang=run.report_lang)
        console.print(f"Side-by-side tables: {paths['md']}, {paths['html']}", markup=False)
    return failures


def _print_run(console: Any, report: dict[str, Any], label: str, run_dir: Path) -> None:
    console.print(summary_table(report, title=f"Eval summary — retriever {label}"))
    cross = cross_language_table(report)
    if cross is not None:
        console.print(cross)
    _print_report_footer(console, report, {
        kind: run_dir / f"report.{kind}" for kind in ("html", "json", "md")
    })
