"""App state in one SQL database (SQLAlchemy 2 + Alembic): staff accounts and their
sessions, saved conversations, feedback, unanswered questions, the audit log.

SQLite in the data folder by default; RAG_DATABASE_URL=postgresql+psycopg://… lets
several `rag ui` replicas share it. `open_state(settings)` connects and migrates;
`AppState.prepare(settings)` then does the one-time work of a first start (importing
the files of an earlier release, seeding RAG_UI_AUTH) and says what it did.

Imports only rag.settings and rag.errors from the core; used by ui/ and cli/."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from rag.state.accounts import Account, AccountError, Accounts, role_allows
from rag.state.audit import AuditLog
from rag.state.db import Database, database_url, shown
from rag.state.feedback import REASONS, AbstentionLog, FeedbackLog
from rag.state.history import Conversations, new_id, owner_key, title_for
from rag.state.models import ROLES
from rag.state.sessions import Sessions, Signed

logger = logging.getLogger(__name__)

__all__ = ["ROLES", "REASONS", "Account", "AccountError", "AppState", "Signed", "new_id",
           "open_state", "owner_key", "role_allows", "title_for"]


@dataclass
class AppState:
    db: Database
    idle_minutes: float = 120.0
    accounts: Accounts = field(init=False)
    sessions: Sessions = field(init=False)
    conversations: Conversations = field(init=False)
    feedback: FeedbackLog = field(init=False)
    abstentions: AbstentionLog = field(init=False)
    audit: AuditLog = field(init=False)

    def __post_init__(self) -> None:
        self.accounts = Accounts(self.db)
        self.sessions = Sessions(self.db, self.idle_minutes)
        self.conversations = Conversations(self.db)
        self.feedback = FeedbackLog(self.db)
        self.abstentions = AbstentionLog(self.db)
        self.audit = AuditLog(self.db)

    @property
    def where(self) -> str:
        """The database, for messages (no password)."""
        return shown(self.db.url)

    def prepare(self, settings) -> list[str]:
        """First-start work: import an earlier release's files from the data folder, seed
        RAG_UI_AUTH's accounts (once). Lines saying what was done (also logged)."""
        from rag.state.legacy import import_legacy

        said = []
        self.sessions.purge_idle()  # rows of sessions nobody came back to
        self.accounts.purge_failures()
        report = import_legacy(settings.data_dir, self.db)
        if report is not None:
            said.append(report.summary())
            self.audit.record(None, "legacy_import", str(settings.data_dir),
                              conversations=report.conversations, feedback=report.feedback,
                              abstentions=report.abstentions)
        pairs = settings.ui_credentials()
        created = self.accounts.seed(pairs) if pairs else []
        if created:
            said.append(f"RAG_UI_AUTH: created the accounts {', '.join(created)} as admin "
                        "(passwords hashed in the app database); manage accounts with "
                        "`rag users` and remove RAG_UI_AUTH from the environment")
            self.audit.record(None, "accounts_seeded", ", ".join(created))
            for line in said[-1:]:
                logger.info("%s", line)
        elif pairs:
            logger.info("RAG_UI_AUTH is set, but its accounts were created before: it is "
                        "not used any more (accounts live in %s)", self.where)
        return said

    # -- account changes, recorded in the audit log (the CLI and the Users page) ------
    def add_user(self, name: str, password: str, role: str, actor: str | None) -> Account:
        account = self.accounts.add(name, password, role)
        self.audit.record(actor, "user_added", account.name, role=account.role)
        return account

    def set_role(self, name: str, role: str, actor: str | None) -> Account:
        account = self.accounts.set_role(name, role)
        self.sessions.forget()
        self.audit.record(actor, "role_changed", account.name, role=account.role)
        return account

    def set_password(self, name: str, password: str, actor: str | None) -> None:
        """A new password; the account's open sessions end."""
        self.accounts.set_password(name, password)
        self.sessions.forget()
        self.audit.record(actor, "password_changed", name.strip())

    def remove_user(self, name: str, actor: str | None) -> tuple[Account, int]:
        """Remove an account, its sessions and its saved conversations (its feedback and
        audit entries keep its name); (the account, conversations removed)."""
        account = self.accounts.remove(name)
        self.sessions.forget()
        removed = self.conversations.remove_owner(owner_key(account.name, None))
        self.audit.record(actor, "user_removed", account.name, conversations=removed)
        return account, removed

    def close(self) -> None:
        self.db.dispose()


def open_state(settings) -> AppState:
    """Connect to the configured database and bring its schema up to date."""
    db = Database(database_url(settings))
    db.migrate()
    return AppState(db, settings.ui.session_idle_minutes)
