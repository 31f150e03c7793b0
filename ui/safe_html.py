"""Document text is untrusted: `esc` for every piece of it that reaches the page,
and `highlight`, the evidence marked in an article's text (the source cards)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+")


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _spans(haystack: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for needle in needles:
        needle = needle.strip()
        if len(needle) < 8:
            continue
        start = haystack.find(needle)
        if start >= 0:
            spans.append((start, start + len(needle)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def highlight(text: str, evidence: str) -> tuple[str, bool]:
    """Escaped `text` with the evidence wrapped in <mark>; (html, found)."""
    text = text or ""
    spans = _spans(text, [evidence])
    if not spans:  # the evidence may span sentences that are not contiguous
        spans = _spans(text, _SENTENCE_SPLIT.split(evidence or ""))
    out, pos = [], 0
    for s, e in spans:
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out), bool(spans)


