"""Write a report folder: report.json, report.md, report.html, plots/*.png."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval.report.html_page import render_html
from eval.report.i18n import check_language
from eval.report.markdown import render_markdown
from eval.report.plots import make_plots

logger = logging.getLogger(__name__)


def write_json(data: Any, path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_report(
    report: Mapping[str, Any], out_dir: str | Path, *, plots: bool = True, lang: str = "en"
) -> dict[str, Path]:
    """Write report.json (never localised), and report.md / report.html in `lang`
    (en, vi or ru) with plots/*.png into `out_dir`."""
    lang = check_language(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html"}
    write_json(report, paths["json"])
    pngs = make_plots(report, lang) if plots else {}
    plot_files = {}
    if pngs:
        (out / "plots").mkdir(exist_ok=True)
        for name, png in pngs.items():
            (out / "plots" / f"{name}.png").write_bytes(png)
            plot_files[name] = f"plots/{name}.png"
    paths["md"].write_text(render_markdown(report, plot_files, lang), encoding="utf-8")
    paths["html"].write_text(render_html(report, pngs, lang), encoding="utf-8")
    logger.info("report written to %s", out)
    return paths
