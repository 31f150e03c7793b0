"""Alembic environment: run by `Database.migrate()` with an open connection, or by a
developer's `alembic -c rag/state/migrations/alembic.ini revision --autogenerate`
(RAG_DATABASE_URL, else sqlite:///data/app-state.db)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from rag.state.models import Base


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the developer's command line
    url = os.environ.get("RAG_DATABASE_URL") or "sqlite:///data/app-state.db"
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
