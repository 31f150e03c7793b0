"""Staff accounts: names, roles and argon2 password hashes; checking a password with
wrong attempts slowed down; seeding accounts once from RAG_UI_AUTH.

Nothing here logs or returns a password or a hash."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from rag.errors import RagError
from rag.state.db import Database
from rag.state.models import ROLES, LoginFailure, LoginSession, Meta, User, utcnow

logger = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[\w.@+-]{1,64}$")
MIN_PASSWORD = 8
FREE_ATTEMPTS = 3  # wrong passwords in a row before each further attempt waits
MAX_DELAY_SECONDS = 30.0
FAILURES_FORGOTTEN_AFTER = timedelta(minutes=15)

_hasher = PasswordHasher()
_DUMMY_HASH: list[str] = []  # verified against for unknown names: the same time either way


class AccountError(RagError):
    """A refused account change: the message says what to do."""

    code = "account"


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: datetime
    last_login_at: datetime | None = None

    def public(self) -> dict:
        return {"name": self.name, "role": self.role, "created": self.created_at.isoformat(),
                "last_login": self.last_login_at.isoformat() if self.last_login_at else None}


def role_allows(role: str | None, needed: str) -> bool:
    """Each role may do everything the ones before it in ROLES may."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_PATTERN.match(name):
        raise AccountError(f"{name!r} is not a valid user name: use 1-64 letters, digits "
                           "and . _ @ + -", code="bad_name")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"{role!r} is not a role: choose {', '.join(ROLES)}", code="bad_role")
    return role


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"the password is too short: use at least {MIN_PASSWORD} characters",
                           code="short_password")
    return password


def login_delay(failures: int) -> float:
    """Seconds the next attempt waits after `failures` wrong passwords in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS))


def _account(user: User) -> Account:
    return Account(user.name, user.role, user.created_at, user.last_login_at)


class Accounts:
    def __init__(self, db: Database):
        self.db = db

    # -- reading ---------------------------------------------------------------
    def count(self) -> int:
        with self.db.reading() as s:
            return s.scalar(select(func.count()).select_from(User)) or 0

    def list(self) -> list[Account]:
        with self.db.reading() as s:
            return [_account(u) for u in s.scalars(select(User).order_by(User.name_key))]

    def get(self, name: str | None) -> Account | None:
        if not name:
            return None
        with self.db.reading() as s:
            user = s.scalar(select(User).where(User.name_key == name.strip().casefold()))
            return _account(user) if user else None

    # -- changing --------------------------------------------------------------
    def add(self, name: str, password: str, role: str, *, check_length: bool = True) -> Account:
        name, role = check_name(name), check_role(role)
        hashed = _hasher.hash(check_password(password) if check_length else password)
        with self.db.writing() as s:
            if s.scalar(select(User.id).where(User.name_key == name.casefold())) is not None:
                raise AccountError(f"a user named {name!r} already exists: change it with "
                                   "`rag users passwd` or `rag users set-role`", code="exists")
            user = User(name=name, name_key=name.casefold(), password_hash=hashed, role=role)
            s.add(user)
            s.flush()
            return _account(user)

    def set_password(self, name: str, password: str) -> None:
        hashed = _hasher.hash(check_password(password))
        with self.db.writing() as s:
            user = self._existing(s, name)
            user.password_hash, user.password_changed_at = hashed, utcnow()
            s.execute(delete(LoginSession).where(LoginSession.user_id == user.id))

    def set_role(self, name: str, role: str) -> Account:
        role = check_role(role)
        with self.db.writing() as s:
            user = self._existing(s, name)
            if user.role == "admin" and role != "admin":
                self._keep_an_admin(s, user)
            user.role = role
            return _account(user)

    def remove(self, name: str) -> Account:
        with self.db.writing() as s:
            user = self._existing(s, name)
            if user.role == "admin":
                self._keep_an_admin(s, user)
            account = _account(user)
            s.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
            s.delete(user)
            return account

    @staticmethod
    def _existing(s, name: str) -> User:
        user = s.scalar(select(User).where(User.name_key == (name or "").strip().casefold()))
        if user is None:
            raise AccountError(f"there is no user named {name!r} (`rag users list` shows them)",
                               code="no_user")
        return user

    @staticmethod
    def _keep_an_admin(s, user: User) -> None:
        admins = s.scalar(select(func.count()).select_from(User).where(User.role == "admin"))
        if admins <= 1:
            raise AccountError(f"{user.name!r} is the last admin: make another user admin first",
                               code="last_admin")

    # -- signing in ---------------------------------------------------------------
    def failures(self, name: str) -> int:
        """Wrong passwords in a row for this name (forgotten after a quiet while)."""
        with self.db.reading() as s:
            row = s.get(LoginFailure, _name_key(name))
            if row is None or utcnow() - row.last_failure_at > FAILURES_FORGOTTEN_AFTER:
                return 0
            return row.failures

    def verify(self, name: str, password: str) -> Account | None:
        """The account when the password is right, else None (the failure counted)."""
        key = _name_key(name)
        with self.db.reading() as s:
            user = s.scalar(select(User).where(User.name_key == key))
            stored = user.password_hash if user else None
        ok = _matches(stored, password)
        with self.db.writing() as s:
            if not ok or user is None:
                return self._count_failure(s, key)
            s.execute(delete(LoginFailure).where(LoginFailure.name_key == key))
            fresh = s.get(User, user.id)
            if fresh is None:  # removed meanwhile
                return None
            fresh.last_login_at = utcnow()
            if _hasher.check_needs_rehash(fresh.password_hash):
                fresh.password_hash = _hasher.hash(password)
            return _account(fresh)

    def purge_failures(self) -> None:
        """Forget failure counts that are old enough not to count any more."""
        with self.db.writing() as s:
            s.execute(delete(LoginFailure).where(
                LoginFailure.last_failure_at < utcnow() - FAILURES_FORGOTTEN_AFTER))

    @staticmethod
    def _count_failure(s, key: str) -> None:
        row = s.get(LoginFailure, key)
        now = utcnow()
        if row is None:
            s.add(LoginFailure(name_key=key, failures=1, last_failure_at=now))
            return None
        if now - row.last_failure_at > FAILURES_FORGOTTEN_AFTER:
            row.failures = 0
        row.failures, row.last_failure_at = row.failures + 1, now
        return None

    # -- RAG_UI_AUTH ------------------------------------------------------------------
    def seed(self, pairs: list[tuple[str, str]]) -> list[str]:
        """Create the accounts of RAG_UI_AUTH as admins, once: a name seeded before (even
        if removed since) or already taken is left alone. The names created."""
        created = []
        for name, password in pairs:
            marker = f"seeded:{_name_key(name)}"
            with self.db.reading() as s:
                if s.get(Meta, marker) is not None:
                    continue
            if self.get(name) is None:
                self.add(name, password, "admin", check_length=False)
                created.append(name)
            with self.db.writing() as s:
                if s.get(Meta, marker) is None:
                    s.add(Meta(key=marker, value=utcnow().isoformat()))
        return created


def _name_key(name: str | None) -> str:
    return (name or "").strip().casefold()[:128]


def _matches(stored: str | None, password: str) -> bool:
    if stored is None:  # spend the same time as for a real account
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(_hasher.hash("not a password of anyone"))
        stored, password = _DUMMY_HASH[0], password + "\0"
    try:
        return _hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return False
