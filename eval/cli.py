"""`rag eval`: the typer command. The main CLI registers it with
`app.command("eval")(eval_command)`."""

from __future__ import annotations

import datetime as _dt
import logging
from pathlib import Path
from typing import Annotated, Any

import typer

logger = logging.getLogger(__name__)

RETRIEVERS = ("hybrid", "dense", "bm25")

# CLI option -> summary metric path
THRESHOLD_PATHS = {
    "min_hit1": "retrieval.hit_at_1",
    "min_mrr": "retrieval.mrr",
    "min_correct": "answer.correct",
    "min_citation_valid": "answer.citation_valid",
    "min_language_match": "answer.language_match",
    "min_abstain_precision": "abstain.precision",
    "min_abstain_recall": "abstain.recall",
}


def _default_out() -> Path:
    return Path("reports") / _dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _pct(v: Any) -> str:
    return "—" if v is None else f"{100 * v:.1f}"


def _mrr(v: Any) -> str:
    return "—" if v is None else f"{v:.3f}"


def _ms(v: Any) -> str:
    return "—" if v is None else f"{v:,.0f}"


def summary_table(report: dict[str, Any], title: str = "Eval summary"):
    """A rich Table: one row per metric, one column per language plus overall
    (narrow enough for an 80-column terminal)."""
    from rich.table import Table

    from eval.metrics import get_path
    from eval.report import scopes

    table = Table(
        title=title, title_justify="left", caption="percentages except MRR; latency nearest-rank"
    )
    columns = list(scopes(report))
    table.add_column("metric", justify="left")
    for name, _ in columns:
        table.add_column(name, justify="right")
    rows = [
        ("questions", lambda s: f"{s.get('n', 0)} ({s.get('n_unanswerable', 0)} unans.)"),
        ("hit@1", "retrieval.hit_at_1"), ("hit@3", "retrieval.hit_at_3"),
        ("hit@5", "retrieval.hit_at_5"), ("MRR", "retrieval.mrr"),
        ("correct", "answer.correct"), ("citation valid", "answer.citation_valid"),
        ("cited gold", "answer.cited_gold"), ("language match", "answer.language_match"),
        ("abstain precision", "abstain.precision"), ("abstain recall", "abstain.recall"),
        ("latency p50 ms", lambda s: _ms(get_path(s, "latency_ms.p50"))),
        ("latency p95 ms", lambda s: _ms(get_path(s, "latency_ms.p95"))),
        ("tokens in/out", lambda s: f"{get_path(s, 'tokens.prompt') or 0:,}/"
                                    f"{get_path(s, 'tokens.completion') or 0:,}"),
    ]
    for label, spec in rows:
        if callable(spec):
            cells = [spec(s) for _, s in columns]
        elif spec == "retrieval.mrr":
            cells = [_mrr(get_path(s, spec)) for _, s in columns]
        else:
            cells = [_pct(get_path(s, spec)) for _, s in columns]
        table.add_row(label, *cells)
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

    from eval.report import (
        FLIP_TITLES,
        compare_reports,
        fmt_delta,
        fmt_value,
        load_report,
        write_compare,
    )
    from eval.report import _label as label

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
                lower_is_better = path.startswith(("latency", "tokens", "cost"))
                better = v["delta"] < 0 if lower_is_better else v["delta"] > 0
                style = "green" if better else "red"
            table.add_row(label(path), fmt_value(v["old"], path), fmt_value(v["new"], path),
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
MinCitationValid = Annotated[
    float | None, _minimum("--min-citation-valid", "answer.citation_valid")
]
MinLanguageMatch = Annotated[
    float | None, _minimum("--min-language-match", "answer.language_match")
]
MinAbstainPrecision = Annotated[
    float | None, _minimum("--min-abstain-precision", "abstain.precision")
]
MinAbstainRecall = Annotated[float | None, _minimum("--min-abstain-recall", "abstain.recall")]


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
    llm_judge: LLMJudgeOpt = True,
    progress: ProgressOpt = True,
) -> None:
    """Run the eval questions through the engine and write report.json, report.md and
    a self-contained report.html. Exits 0 when the run completed, whatever the scores,
    unless a --min-* threshold is missed.

    Example: rag eval --out reports/today --min-correct 0.7
    Compare: rag eval --compare reports/a/report.json reports/b/report.json
    """
    from rich.console import Console
    from rich.markup import escape

    from rag.errors import RagError

    console = Console(soft_wrap=True)
    out_dir = out or _default_out()
    try:
        if compare:
            _run_compare(console, compare[0], compare[1], out_dir)
            return
        thresholds = {
            THRESHOLD_PATHS[name]: value
            for name, value in {
                "min_hit1": min_hit1, "min_mrr": min_mrr, "min_correct": min_correct,
                "min_citation_valid": min_citation_valid, "min_language_match": min_language_match,
                "min_abstain_precision": min_abstain_precision,
                "min_abstain_recall": min_abstain_recall,
            }.items()
        }
        retrievers = [r.strip() for r in retriever.split(",") if r.strip()] if retriever else [None]
        unknown = [r for r in retrievers if r is not None and r not in RETRIEVERS]
        if unknown:
            raise typer.BadParameter(
                f"unknown retriever {', '.join(unknown)}: choose from {', '.join(RETRIEVERS)}",
                param_hint="--retriever",
            )
        failures = _run_eval(
            console, questions, out_dir, data_dir, retrievers, top_k, lang_override,
            thresholds, llm_judge, progress,
        )
    except RagError as e:
        console.print(f"[red]Error:[/red] {escape(str(e))}")
        raise typer.Exit(1) from None
    if failures:
        console.print("[red]Thresholds not met:[/red]")
        for f in failures:
            console.print(f"  - {f}", markup=False)
        raise typer.Exit(1)


def _load_settings(data_dir: Path | None) -> Any:
    """Settings via the main CLI's loader (validation errors as ConfigError, logging
    configured) when present, else `rag.config.get_settings`."""
    try:
        from rag.cli import load_settings
    except ImportError:
        load_settings = None
    if load_settings is not None:
        return load_settings(data_dir)
    from pydantic import ValidationError

    from rag.config import get_settings
    from rag.errors import ConfigError

    try:
        return get_settings(data_dir=data_dir)
    except ValidationError as e:
        raise ConfigError(f"invalid configuration: {e}") from None


def _run_eval(
    console: Any,
    question_paths: list[Path] | None,
    out_dir: Path,
    data_dir: Path | None,
    retrievers: list[str | None],
    top_k: int | None,
    lang_override: bool,
    thresholds: dict[str, float | None],
    llm_judge: bool,
    progress: bool,
) -> list[str]:
    from eval.metrics import check_thresholds
    from eval.questions import default_question_files, load_questions
    from eval.report import write_side_by_side
    from eval.run import run_eval
    from rag.engine import Engine

    files = list(question_paths) if question_paths else default_question_files()
    qs = load_questions(files)
    settings = _load_settings(Path(data_dir) if data_dir else None)
    engine = Engine.from_settings(settings)
    engine.ensure_index()

    multi = len(retrievers) > 1
    reports: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    for name in retrievers:
        run_dir = out_dir / name if multi and name else out_dir
        report = run_eval(
            engine, qs, run_dir, retriever=name, top_k=top_k, lang_override=lang_override,
            progress=progress, llm_judge=llm_judge, questions_files=[str(f) for f in files],
        )
        label = name or report["config"].get("retriever") or "run"
        reports[label] = report
        console.print(summary_table(report, title=f"Eval summary — retriever {label}"))
        _print_report_footer(console, report, {
            kind: run_dir / f"report.{kind}" for kind in ("html", "json", "md")
        })
        s = report["summary"]
        if s["n"] and s.get("errors") == s["n"]:
            failures.append(
                f"[{label}] every question failed in the engine; the run did not complete"
            )
        failures += [f"[{label}] {m}" if multi else m for m in check_thresholds(s, thresholds)]
    if multi:
        paths = write_side_by_side(reports, out_dir)
        console.print(f"Side-by-side table: {paths['md']}", markup=False)
    return failures
