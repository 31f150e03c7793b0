"""Words of the Markdown and HTML reports in English, Vietnamese and Russian.

The texts live in `locales/<lang>.json` (one entry a line, for translators):
`metrics` maps a metric path to [label, plain-words explanation]; `strings` holds
every other text, with `{name}` placeholders. `tr(lang)` returns a lookup
`t(key, **values)`; report.json is never localised (other tools read it)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPORT_LANGUAGES = ("en", "vi", "ru")
LOCALES = Path(__file__).resolve().parent / "locales"


@functools.cache
def _locale(lang: str) -> dict[str, Any]:
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def check_language(lang: str | None) -> str:
    lang = (lang or "en").lower()
    if lang not in REPORT_LANGUAGES:
        raise ValueError(f"report language {lang!r}: choose from {', '.join(REPORT_LANGUAGES)}")
    return lang


def strings(lang: str) -> dict[str, str]:
    return _locale(check_language(lang))["strings"]


def metrics(lang: str) -> dict[str, tuple[str, str]]:
    """metric path -> (label, explanation) in `lang`."""
    return {path: (label, help_) for path, (label, help_) in _locale(check_language(lang))["metrics"].items()}


def tr(lang: str) -> Callable[..., str]:
    """`t = tr("vi"); t("s.correct", pct="86%", k=43, n=50)`; English when a key is
    missing in `lang`, the key itself when it is missing everywhere."""
    table, english = strings(lang), strings("en")

    def t(key: str, **values: object) -> str:
        text = table.get(key) or english.get(key) or key
        return text.format(**values) if values else text

    return t


def metric_label(path: str, lang: str = "en") -> str:
    entry = metrics(lang).get(path) or metrics("en").get(path)
    return entry[0] if entry else path


_TECHNICAL = re.compile(r"\s*\(([^()]*[A-Za-z@][^()]*)\)\s*$")


def metric_technical(path: str) -> str:
    """The technical name of a metric (hit@1, MRR, abstain precision, p50): the part of
    its English label in brackets, else the headline's short name."""
    from eval.metrics import HEADLINE_METRICS

    m = _TECHNICAL.search(metric_label(path, "en"))
    return m.group(1) if m else dict(HEADLINE_METRICS).get(path, path)


def metric_plain(path: str, lang: str = "en") -> str:
    """The label in plain words only ("right article first"); the technical name goes
    into a tooltip or the glossary."""
    label = metric_label(path, lang)
    m = _TECHNICAL.search(label)
    return label[: m.start()] if m and m.group(1) == metric_technical(path) else label


def metric_help(path: str, lang: str = "en") -> str:
    entry = metrics(lang).get(path) or metrics("en").get(path)
    return entry[1] if entry else ""
