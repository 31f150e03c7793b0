"""Ratings of answers and the questions the assistant did not answer, as JSON lines.

`FeedbackLog` keeps one record per answer: rating the same answer again (👍 then
👎, or a reason added) rewrites that record in place. Records written through the
API without an answer id are appended. `AbstentionLog` notes each answer the chat
gave up on, for the Review page."""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

_LOCK = threading.Lock()  # one lock for every log in this process

REASONS = ("wrong", "incomplete", "wrong_language", "should_abstain", "other")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class JsonLines:
    def __init__(self, path: Path):
        self.path = Path(path)

    def entries(self) -> list[dict]:
        if not self.path.is_file():
            return []
        out = []
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError:  # a torn line from a crash: skip it
                        continue
        return out

    def _append(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)

    def _rewrite(self, entries: list[dict]) -> None:
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
        os.replace(tmp, self.path)

    def upsert(self, entry: dict) -> tuple[dict, bool]:
        """Write `entry`, replacing the record with the same id; (entry, replaced)."""
        with _LOCK:
            entries = self.entries() if self.path.is_file() else []
            for i, old in enumerate(entries):
                if old.get("id") == entry["id"]:
                    entries[i] = {**entry, "time": old.get("time", entry["time"]),
                                  "updated": _now()}
                    self._rewrite(entries)
                    return entries[i], True
            self._append(entry)
            return entry, False

    def append(self, entry: dict) -> dict:
        with _LOCK:
            self._append(entry)
        return entry

    def remove(self, entry_id: str) -> bool:
        with _LOCK:
            entries = self.entries()
            kept = [e for e in entries if e.get("id") != entry_id]
            if len(kept) == len(entries):
                return False
            self._rewrite(kept)
            return True


class FeedbackLog(JsonLines):
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
        answer_id: str | None = None,
        reason: str | None = None,
        user: str | None = None,
        abstained: bool = False,
        confidence: str | None = None,
    ) -> dict:
        """One record per answer when `answer_id` is given (a second rating updates it)."""
        entry = {
            "id": answer_id or uuid.uuid4().hex[:16],
            "time": _now(),
            "rating": rating,
            "reason": reason if rating == "down" else None,
            "comment": (comment or "").strip(),
            "question": question,
            "answer": answer,
            "sources": sources,
            "mode": mode,
            "language": language,
            "user": user,
            "abstained": abstained,
            "confidence": confidence,
        }
        if answer_id is None:
            return self.append(entry)
        return self.upsert(entry)[0]


class AbstentionLog(JsonLines):
    def record(self, turn: dict, user: str | None) -> dict:
        entry = {"id": turn["id"], "time": _now(), "question": turn["question"],
                 "answer": turn.get("answer", ""), "language": turn.get("language"),
                 "mode": turn.get("mode") or "", "user": user}
        return self.upsert(entry)[0]
