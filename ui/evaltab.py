"""The Evaluation tab's work: run eval/ on its question files, list and show reports.

The eval package is optional: everything here degrades to a message without it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)

_IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$", re.M)


def eval_available() -> bool:
    try:
        from eval.questions import load_questions  # noqa: F401
        from eval.run import run_eval  # noqa: F401
    except Exception:  # ImportError, or a half-written module
        return False
    return True


def list_reports(reports_dir: Path) -> list[str]:
    """Report folder names, newest first."""
    if not reports_dir.is_dir():
        return []
    names = [p.name for p in reports_dir.iterdir() if (p / "report.md").is_file()]
    return sorted(names, reverse=True)


def split_report(md: str) -> tuple[str, str]:
    """(summary, details) of a report.md: the sections before the per-question ones,
    without the plots (shown as images), and the rest."""
    md = _IMAGE_LINE.sub("", md)
    sections = re.split(r"(?m)^(?=## )", md)
    summary, details, in_details = [], [], False
    for section in sections:
        title = section.splitlines()[0] if section else ""
        if title.startswith("## Questions") or title.startswith("## Why"):
            in_details = True
        if title.startswith("## Plots"):
            continue
        (details if in_details else summary).append(section)
    return "".join(summary).strip(), "".join(details).strip()


def report_view(reports_dir: Path, name: str | None) -> tuple[str, list, str]:
    """(markdown summary, plot images, markdown details) of one report folder."""
    if not name:
        return "", [], ""
    folder = (reports_dir / name).resolve()
    if not folder.is_relative_to(reports_dir.resolve()) or not (folder / "report.md").is_file():
        return f"Report {name!r} not found.", [], ""
    summary, details = split_report((folder / "report.md").read_text(encoding="utf-8"))
    summary += f"\n\n`{folder}` (report.md, report.html, report.json)"
    images = []
    plots = folder / "plots"
    if plots.is_dir():
        from PIL import Image

        for png in sorted(plots.glob("*.png")):
            with Image.open(png) as im:
                images.append((im.copy(), png.stem.replace("_", " ")))
    return summary, images, details


class _CountingEngine:
    """Forwards to the engine, reporting each answered question."""

    def __init__(self, engine, total: int, callback: Callable[[int, int], None]):
        self._engine, self._total, self._callback, self._done = engine, total, callback, 0

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def answer(self, *args, **kwargs):
        try:
            return self._engine.answer(*args, **kwargs)
        finally:
            self._done += 1
            self._callback(self._done, self._total)


def run(engine, reports_dir: Path, callback: Callable[[int, int], None]) -> str:
    """Run the eval into reports_dir/<timestamp>/; returns the folder name."""
    from eval.questions import load_questions
    from eval.run import run_eval

    questions = load_questions()
    name = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = reports_dir / name
    suffix = 1
    while out.exists():
        suffix += 1
        out = reports_dir / f"{name}-{suffix}"
    counting = _CountingEngine(engine, len(questions), callback)
    run_eval(counting, questions, out, progress=False)
    logger.info("eval report written to %s", out)
    return out.name
