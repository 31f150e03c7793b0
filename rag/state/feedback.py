"""Ratings of answers, and the questions the assistant did not answer.

`FeedbackLog` keeps one record per answer: rating the same answer again (👍 then 👎,
or a reason added) updates that record. Records sent without an answer id get one.
`AbstentionLog` notes each answer the chat gave up on, for the Review page. Entries
are the dicts the Review page reads: times as ISO strings (UTC), `user` the name."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select

from rag.state.db import Database
from rag.state.models import Abstention, Feedback, utcnow

REASONS = ("wrong", "incomplete", "wrong_language", "should_abstain", "other")


def iso(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when else None


def _feedback_entry(row: Feedback) -> dict:
    entry = {"id": row.id, "time": iso(row.created_at), "rating": row.rating,
             "reason": row.reason, "comment": row.comment, "question": row.question,
             "answer": row.answer, "sources": list(row.sources or []), "mode": row.mode,
             "language": row.language, "user": row.user_name, "abstained": row.abstained,
             "confidence": row.confidence}
    if row.updated_at:
        entry["updated"] = iso(row.updated_at)
    return entry


def _abstention_entry(row: Abstention) -> dict:
    entry = {"id": row.id, "time": iso(row.created_at), "question": row.question,
             "answer": row.answer, "language": row.language, "mode": row.mode,
             "user": row.user_name}
    if row.updated_at:
        entry["updated"] = iso(row.updated_at)
    return entry


def _upsert(s, model, entry_id: str, values: dict):
    """Insert the record, or update the one with this id (its first time kept)."""
    row = s.get(model, entry_id)
    if row is None:
        row = model(id=entry_id, created_at=utcnow(), **values)
        s.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utcnow()
    s.flush()
    return row


class FeedbackLog:
    def __init__(self, db: Database):
        self.db = db

    def record(self, *, question: str, answer: str, sources: list[str], mode: str, rating: str,
               comment: str = "", language: str | None = None, answer_id: str | None = None,
               reason: str | None = None, user: str | None = None, abstained: bool = False,
               confidence: str | None = None) -> dict:
        """One record per answer when `answer_id` is given (a second rating updates it)."""
        values = {"rating": rating, "reason": reason if rating == "down" else None,
                  "comment": (comment or "").strip(), "question": question, "answer": answer,
                  "sources": list(sources or []), "mode": mode or "", "language": language,
                  "user_name": user, "abstained": bool(abstained), "confidence": confidence}
        entry_id = answer_id or uuid.uuid4().hex[:16]
        return self.db.write(lambda s: _feedback_entry(_upsert(s, Feedback, entry_id, values)))

    def entries(self) -> list[dict]:
        """Every record, oldest first."""
        with self.db.reading() as s:
            rows = s.scalars(select(Feedback).order_by(Feedback.created_at, Feedback.id))
            return [_feedback_entry(r) for r in rows]

    def remove(self, entry_id: str) -> bool:
        with self.db.writing() as s:
            return bool(s.execute(delete(Feedback).where(Feedback.id == entry_id)).rowcount)


class AbstentionLog:
    def __init__(self, db: Database):
        self.db = db

    def record(self, turn: dict, user: str | None) -> dict:
        """Note an answer given up on (a second note of the same answer updates it)."""
        values = {"question": turn["question"], "answer": turn.get("answer", ""),
                  "language": turn.get("language"), "mode": turn.get("mode") or "",
                  "user_name": user}
        return self.db.write(
            lambda s: _abstention_entry(_upsert(s, Abstention, turn["id"], values)))

    def entries(self) -> list[dict]:
        with self.db.reading() as s:
            rows = s.scalars(select(Abstention).order_by(Abstention.created_at, Abstention.id))
            return [_abstention_entry(r) for r in rows]
