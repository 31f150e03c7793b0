"""Saved conversations, per owner: the signed-in user (`user-<hash of the name>`) or,
without a login, a random id kept in the browser (`browser-<id>`). A conversation's
turns are stored one row each, without their rendered sources panel.

The dicts in and out are the ones the chat page keeps: {"id", "title", "created",
"updated", "turns"}, times as epoch seconds."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select

from rag.lang.search import matches, search_key
from rag.state.db import Database
from rag.state.models import Conversation, Message, utcnow

logger = logging.getLogger(__name__)

_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
MAX_TITLE = 80
NOT_STORED = ("sources_html",)  # re-rendered from the stored answer when shown


def owner_key(username: str | None, browser_id: str | None) -> str | None:
    """The owner of a user's or a browser's conversations: never the raw name."""
    if username:
        return "user-" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:20]
    if browser_id and _ID.match(browser_id):
        return "browser-" + browser_id
    return None


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def title_for(question: str) -> str:
    text = " ".join(str(question or "").split())
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def _epoch(when: datetime | None) -> float | None:
    return when.timestamp() if when else None


def _when(epoch) -> datetime:
    try:
        return datetime.fromtimestamp(float(epoch), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def _summary(row: Conversation) -> dict:
    return {"id": row.id, "title": row.title, "created": _epoch(row.created_at),
            "updated": _epoch(row.updated_at)}


def write_turns(s, conv_id: str, turns: list[dict]) -> None:
    """Store the turns: those already stored at their places are kept, the rest written."""
    stored = s.execute(select(Message.position, Message.turn_id)
                       .where(Message.conversation_id == conv_id)
                       .order_by(Message.position)).all()
    same = 0
    for (position, turn_id), turn in zip(stored, turns, strict=False):
        if position != same or turn_id != str(turn.get("id", "")):
            break
        same += 1
    if same < len(stored):
        s.execute(delete(Message).where(Message.conversation_id == conv_id,
                                        Message.position >= same))
    s.add_all(Message(conversation_id=conv_id, position=i, turn_id=str(t.get("id", "")),
                      question=str(t.get("question", "")), turn=t)
              for i, t in enumerate(turns[same:], start=same))


class Conversations:
    def __init__(self, db: Database):
        self.db = db

    def load(self, owner: str | None, conv_id: str | None) -> dict | None:
        if not owner or not conv_id or not _ID.match(conv_id):
            return None
        with self.db.reading() as s:
            row = s.get(Conversation, conv_id)
            if row is None or row.owner != owner:
                return None
            turns = s.scalars(select(Message.turn).where(Message.conversation_id == conv_id)
                              .order_by(Message.position)).all()
            return {**_summary(row), "turns": [dict(t) for t in turns]}

    def save(self, owner: str | None, conv: dict, turns: list[dict]) -> dict:
        """Store the conversation (new turns appended); returns its summary."""
        conv_id = conv.get("id") or ""
        if not owner or not _ID.match(conv_id):
            return conv
        kept = [{k: v for k, v in turn.items() if k not in NOT_STORED} for turn in turns]
        with self.db.writing() as s:
            row = s.get(Conversation, conv_id)
            if row is not None and row.owner != owner:
                logger.warning("conversation %s belongs to another owner: not saved", conv_id)
                return conv
            title = conv.get("title") or title_for(kept[0]["question"] if kept else "")
            if row is None:
                row = Conversation(id=conv_id, owner=owner, created_at=_when(conv.get("created"))
                                   if conv.get("created") else utcnow())
                s.add(row)
            row.title, row.updated_at = title[:200], utcnow()
            s.flush()
            write_turns(s, conv_id, kept)
            return _summary(row)

    def rename(self, owner: str | None, conv_id: str | None, title: str) -> bool:
        title = title_for(title)
        if not owner or not conv_id or not title:
            return False
        with self.db.writing() as s:
            row = s.get(Conversation, conv_id)
            if row is None or row.owner != owner:
                return False
            row.title, row.updated_at = title, utcnow()
            return True

    def listing(self, owner: str | None, query: str = "") -> list[dict]:
        """Summaries, newest first; every word of `query` in the title or a question (case
        and accents aside, rag.lang.search: compared here, not by the database's LIKE)."""
        if not owner:
            return []
        needle = search_key(query)
        with self.db.reading() as s:
            rows = s.scalars(select(Conversation).where(Conversation.owner == owner)
                             .order_by(Conversation.updated_at.desc())).all()
            asked: dict[str, list[str]] = {}
            if needle:
                for conv_id, question in s.execute(
                        select(Message.conversation_id, Message.question)
                        .join(Conversation, Conversation.id == Message.conversation_id)
                        .where(Conversation.owner == owner)):
                    asked.setdefault(conv_id, []).append(question)
        out = []
        for row in rows:
            if needle and not matches(needle, row.title, *asked.get(row.id, [])):
                continue
            out.append(_summary(row))
        return out

    def remove_owner(self, owner: str) -> int:
        """Delete every conversation of an owner; how many."""
        with self.db.writing() as s:
            ids = s.scalars(select(Conversation.id).where(Conversation.owner == owner)).all()
            if ids:
                s.execute(delete(Message).where(Message.conversation_id.in_(ids)))
                s.execute(delete(Conversation).where(Conversation.id.in_(ids)))
            return len(ids)
