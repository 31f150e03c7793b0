"""The parallel calibration set shipped in the package (rag/data/calibration_qa.json):
the same everyday questions and answer sentences in every supported language,
unrelated to any corpus. Retrieval calibrates cross-language scores on it; the
tone restorer reads its Vietnamese."""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.resources import files

CALIBRATION_FILE = "data/calibration_qa.json"


@functools.cache
def calibration_items() -> tuple[dict[str, tuple[str, str]], ...]:
    """The shipped parallel (question, answer) pairs: one dict per item, per language."""
    data = json.loads(files("rag").joinpath(CALIBRATION_FILE).read_text("utf-8"))
    return tuple({lang: tuple(pair) for lang, pair in item.items()} for item in data["items"])


@functools.cache
def calibration_version() -> str:
    """Changes when the shipped calibration set changes (stored rows are then redone)."""
    raw = files("rag").joinpath(CALIBRATION_FILE).read_bytes()
    return hashlib.sha256(raw).hexdigest()[:12]
