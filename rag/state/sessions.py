"""Signed-in sessions, kept in the database so that every replica knows them: the
browser holds a random token, the table its SHA-256. A session that has been idle
longer than RAG_UI__SESSION_IDLE_MINUTES ends.

Every request of a signed-in page asks who it is, so a resolved token is remembered
for a few seconds per process (a logout or a removed account takes effect on the
other replicas within that time)."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update

from rag.state.db import Database
from rag.state.models import LoginSession, User, utcnow

CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Signed:
    """Who a session belongs to."""

    name: str
    role: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions:
    def __init__(self, db: Database, idle_minutes: float):
        self.db = db
        self.idle = timedelta(minutes=idle_minutes)
        self.touch_every = min(timedelta(seconds=60), self.idle / 4)
        self._cache: dict[str, tuple[float, Signed]] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> str:
        """A new session for the account; the token for the cookie."""
        token = secrets.token_urlsafe(32)
        with self.db.writing() as s:
            user_id = s.scalar(select(User.id).where(User.name_key == name.strip().casefold()))
            if user_id is None:
                raise LookupError(name)
            s.add(LoginSession(token_hash=_digest(token), user_id=user_id))
        return token

    def cached(self, token: str | None) -> Signed | None:
        """The account if this process resolved the token a moment ago, else None (then
        ask `resolve`): no database, no thread, for the many requests of one page."""
        with self._lock:
            hit = self._cache.get(token) if token else None
        return hit[1] if hit and time.monotonic() - hit[0] < CACHE_SECONDS else None

    def resolve(self, token: str | None) -> Signed | None:
        """The session's account, or None (unknown, ended or idle too long)."""
        if not token:
            return None
        hit = self.cached(token)
        if hit is not None:
            return hit
        now = time.monotonic()
        signed = self._lookup(_digest(token))
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            if signed is None:
                self._cache.pop(token, None)
            else:
                self._cache[token] = (now, signed)
        return signed

    def _lookup(self, digest: str) -> Signed | None:
        with self.db.reading() as s:
            row = s.execute(select(LoginSession.last_seen_at, User.name, User.role)
                            .join(User, User.id == LoginSession.user_id)
                            .where(LoginSession.token_hash == digest)).first()
        if row is None:
            return None
        now = utcnow()
        if now - row.last_seen_at > self.idle:
            self._end(digest)
            return None
        if now - row.last_seen_at > self.touch_every:
            with self.db.writing() as s:
                s.execute(update(LoginSession).where(LoginSession.token_hash == digest)
                          .values(last_seen_at=now))
        return Signed(row.name, row.role)

    def end(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._cache.pop(token, None)
            self._end(_digest(token))

    def _end(self, digest: str) -> None:
        with self.db.writing() as s:
            s.execute(delete(LoginSession).where(LoginSession.token_hash == digest))

    def forget(self) -> None:
        """Drop what this process remembers (after an account change)."""
        with self._lock:
            self._cache.clear()

    def purge_idle(self) -> int:
        """Delete sessions idle for longer than allowed; how many."""
        with self.db.writing() as s:
            result = s.execute(delete(LoginSession)
                               .where(LoginSession.last_seen_at < utcnow() - self.idle))
            return result.rowcount or 0
