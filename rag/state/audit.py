"""The audit log: who uploaded, deleted, restored or re-ingested which document, who
changed which account, and sign-ins (also the refused ones), with the time.

`detail` holds small facts (file names, counts, the role given); never a password."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime

from sqlalchemy import select

from rag.state.db import Database
from rag.state.feedback import iso
from rag.state.models import AuditEvent, utcnow

logger = logging.getLogger(__name__)

ACTIONS = ("login", "login_failed", "logout", "upload", "reingest", "delete", "restore",
           "ingest", "add_by_link", "user_added", "user_removed", "role_changed", "password_changed",
           "accounts_seeded", "legacy_import")
EXPORT_FIELDS = ("time", "actor", "action", "target", "detail")
_SECRET_WORDS = ("password", "hash", "token")


def _entry(row: AuditEvent) -> dict:
    return {"id": row.id, "time": iso(row.at), "actor": row.actor, "action": row.action,
            "target": row.target, "detail": dict(row.detail or {})}


class AuditLog:
    def __init__(self, db: Database):
        self.db = db

    def record(self, actor: str | None, action: str, target: str = "", **detail) -> None:
        """Add an event; a failure to write is logged, never raised (the action it
        describes has happened)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        detail = {k: v for k, v in detail.items() if not any(w in k for w in _SECRET_WORDS)}
        try:
            with self.db.writing() as s:
                s.add(AuditEvent(at=utcnow(), actor=actor, action=action,
                                 target=str(target)[:2000], detail=detail))
        except Exception as exc:  # the audit must not undo what it records
            logger.error("could not write the audit event %s %s: %s", action, target, exc)

    def entries(self, *, action: str | None = None, actor: str | None = None,
                query: str = "", since: datetime | None = None, limit: int | None = 500,
                ) -> list[dict]:
        """Events, newest first, filtered by action, actor, a text in the target, a time."""
        stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        if action and action != "all":
            stmt = stmt.where(AuditEvent.action == action)
        if actor:
            stmt = stmt.where(AuditEvent.actor == actor)
        if since:
            stmt = stmt.where(AuditEvent.at >= since)
        needle = (query or "").strip().casefold()
        with self.db.reading() as s:
            rows = s.scalars(stmt if needle else stmt.limit(limit)).all()
        out = [_entry(r) for r in rows
               if not needle or needle in f"{r.target} {r.actor or ''}".casefold()]
        return out[:limit] if limit else out

    def actors(self) -> list[str]:
        with self.db.reading() as s:
            return sorted(a for a in s.scalars(select(AuditEvent.actor).distinct()) if a)


def export_csv(entries: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for e in entries:
        writer.writerow([e["time"], e["actor"] or "", e["action"], e["target"],
                         json.dumps(e["detail"], ensure_ascii=False)])
    return buffer.getvalue()
