"""The database connection: SQLite in the data folder by default, any SQLAlchemy URL
(PostgreSQL for several replicas) through RAG_DATABASE_URL; the schema brought to the
newest Alembic migration on open, by one process at a time."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rag.errors import ConfigError, StateUnavailableError

logger = logging.getLogger(__name__)

SQLITE_NAME = "app-state.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 72_810_028  # pg_advisory_lock key: one migrating replica at a time
T = TypeVar("T")


def database_url(settings) -> URL:
    """The configured URL, or SQLite at <data_dir>/app-state.db."""
    raw = settings.database_url.get_secret_value().strip() if settings.database_url else ""
    if not raw:
        return URL.create("sqlite", database=str(Path(settings.data_dir).resolve() / SQLITE_NAME))
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError("RAG_DATABASE_URL is not a database URL: write it like "
                          "postgresql+psycopg://user:password@host:5432/dbname") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"RAG_DATABASE_URL: {url.get_backend_name()} is not supported; use "
                          "postgresql+psycopg://… or leave it unset for SQLite")
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
    return url


def shown(url: URL) -> str:
    """The URL for logs and messages: never the password."""
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               json_serializer=_json)
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10,
                         pool_recycle=1800, connect_args={"connect_timeout": 10},
                         json_serializer=_json)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL (readers never wait for the writer), foreign keys, and transactions that
    take the write lock at BEGIN when they will write: two deferred transactions that
    both upgrade to writing would fail with "database is locked"."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000",
                       "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        writes = conn.get_execution_options().get("writes", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


class Database:
    """The engine and two kinds of transaction: `reading()` and `writing()`."""

    def __init__(self, url: URL):
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._guard(), self._sessions() as session:
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction, committed at the end (rolled back on an exception)."""
        with self._guard(), self._sessions() as session:
            session.connection(execution_options={"writes": True})
            yield session
            session.commit()

    def write(self, work: Callable[[Session], T], attempts: int = 2) -> T:
        """`work(session)` in one write transaction, tried again when another writer (a
        replica) inserted the same key first."""
        for attempt in range(attempts):
            try:
                with self.writing() as session:
                    return work(session)
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            logger.error("app database %s failed: %s", shown(self.url), exc.orig)
            raise StateUnavailableError(
                f"the app database ({shown(self.url)}) cannot be used: {exc.orig}. Check that "
                "it is running and RAG_DATABASE_URL is right.") from None

    def migrate(self) -> list[str]:
        """Bring the schema to the newest migration; the revisions applied (maybe none)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with self._guard(), self.engine.connect() as conn, self._migration_lock(conn):
            before = MigrationContext.configure(conn).get_current_revision()
            if before == head:
                return []
            conn.commit()  # the lock query opened a transaction; alembic runs its own
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
            logger.info("app database %s: schema upgraded from %s to %s", shown(self.url),
                        before or "empty", head)
            return [head]

    @contextlib.contextmanager
    def _migration_lock(self, conn) -> Iterator[None]:
        if self.backend == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
                conn.commit()
            return
        from filelock import FileLock

        with FileLock(str(self.url.database) + ".migrate.lock", timeout=120):
            yield

    def dispose(self) -> None:
        self.engine.dispose()
