"""Thumbs up/down with an optional comment, one JSON line per rating."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

_LOCK = threading.Lock()  # one lock for every log in this process


class FeedbackLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def record(
        self,
        *,
        question: str,
        answer: str,
        sources: list[str],
        mode: str,
        rating: str,
        comment: str = "",
        language: str | None = None,
    ) -> dict:
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "rating": rating,
            "comment": (comment or "").strip(),
            "question": question,
            "answer": answer,
            "sources": sources,
            "mode": mode,
            "language": language,
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with _LOCK:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line)
        return entry
