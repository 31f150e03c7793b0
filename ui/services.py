"""What the pages share: the engine, the settings, the data folders, the app database
(accounts, conversations, feedback, audit log: rag.state), and what the composition
layer hands in (the eval runner, the allowed upload suffixes, the web ingest behind
"Add by link").

The UI imports only core `rag.*`: anything from eval/ or ingest/ arrives here as a
value or a callable."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.state import AppState, open_state
from ui.uploads import ALLOWED_SUFFIXES

logger = logging.getLogger(__name__)

# eval_runner(engine, out_dir, report_lang, progress(done, total)) writes a report
# (report.json as in EVAL_FORMAT.md, plus report.html / report.md) into out_dir.
EvalRunner = Callable[[Any, Path, str, Callable[[int, int], None]], None]
# web_ingest(engine, urls, allow_private=, progress=, fetch_progress=) fetches and indexes
# web articles (ingest.web) and returns its run: .report (an IngestReport whose skipped
# entries carry the error code and figures), .articles, .failed_articles.
WebIngestFn = Callable[..., Any]


@dataclass
class Services:
    engine: Any
    settings: Any
    eval_runner: EvalRunner | None = None
    upload_suffixes: Sequence[str] = ALLOWED_SUFFIXES
    web_ingest: WebIngestFn | None = None
    state: AppState | None = None  # the app database; opened from the settings if not given
    data_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.settings.data_dir)
        self.uploads_dir = self.data_dir / "uploads"
        self.reports_dir = self.data_dir / "reports"
        if self.state is None:
            self.state = open_state(self.settings)
        self.feedback_log = self.state.feedback
        self.abstention_log = self.state.abstentions
        self.conversations = self.state.conversations
        self.audit = self.state.audit
        # Decided once, at start: with no account nobody signs in (127.0.0.1 only).
        self.login_required = self.state.accounts.count() > 0
        self.upload_suffixes = tuple(s.lower() for s in self.upload_suffixes)

    @property
    def mode(self) -> str:
        return getattr(self.engine, "mode", "extractive")

    @property
    def model(self) -> str | None:
        llm = getattr(getattr(self.settings, "llm", None), "model", None)
        return llm if self.mode == "llm" else None

    def documents(self, include_deleted: bool = False) -> list:
        """The engine's documents (soft-deleted ones left out), or [] when the store fails."""
        try:
            docs = self.engine.documents()
        except Exception as exc:
            logger.warning("could not list documents: %s", exc)
            return []
        return [d for d in docs if include_deleted or not getattr(d, "deleted_at", None)]

    @property
    def can_undo_delete(self) -> bool:
        return callable(getattr(self.engine, "restore_document", None))
