"""The first app-state schema: accounts and sessions, conversations and their messages,
feedback, abstentions, the audit log.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=nullable, index=index)


def upgrade() -> None:
    _accounts()
    _history()
    _records()


def _accounts() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        _when("created_at"), _when("password_changed_at"), _when("last_login_at", True),
        sa.CheckConstraint("role IN ('reader', 'editor', 'admin')", name="ck_users_role"),
    )
    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        _when("created_at"), _when("last_seen_at"),
    )
    op.create_table(
        "login_failures",
        sa.Column("name_key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        _when("last_failure_at"),
    )


def _history() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(96), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        _when("created_at"), _when("updated_at", index=True),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(64),
                  sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("turn_id", sa.String(64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("turn", sa.JSON(), nullable=False),
        sa.UniqueConstraint("conversation_id", "position", name="uq_messages_position"),
    )


def _records() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.String(64), primary_key=True),
        _when("created_at", index=True), _when("updated_at", True),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("user_name", sa.String(64), nullable=True),
        sa.Column("abstained", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.String(16), nullable=True),
    )
    op.create_table(
        "abstentions",
        sa.Column("id", sa.String(64), primary_key=True),
        _when("created_at", index=True), _when("updated_at", True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("mode", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=True),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        _when("at", index=True),
        sa.Column("actor", sa.String(64), nullable=True, index=True),
        sa.Column("action", sa.String(40), nullable=False, index=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in ("app_meta", "audit_events", "abstentions", "feedback", "messages",
                  "conversations", "login_failures", "login_sessions", "users"):
        op.drop_table(table)
