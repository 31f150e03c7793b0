"""What `rag ui` hands the UI that the UI may not import itself: the eval runner
(eval/) for the Quality check page, the web ingest (ingest/web) for "Add by link", and the
app database, prepared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


class _CountingEngine:
    """Forwards to the engine, reporting each answered question."""

    def __init__(self, engine, total: int, callback: Callable[[int, int], None]):
        self._engine, self._total, self._callback, self._done = engine, total, callback, 0

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def answer(self, *args, **kwargs):
        try:
            return self._engine.answer(*args, **kwargs)
        finally:
            self._done += 1
            self._callback(self._done, self._total)


def eval_runner(engine: Any, out_dir: Path, report_lang: str,
                progress: Callable[[int, int], None], questions_path: Path | None = None) -> None:
    """Run the eval questions (`questions_path`: RAG_UI__EVAL_QUESTIONS; else the
    project's own) into out_dir, the report in report_lang."""
    from eval.questions import load_questions
    from eval.run import run_eval

    questions = load_questions([questions_path] if questions_path else None)
    run_eval(_CountingEngine(engine, len(questions), progress), questions, out_dir,
             progress=False, report_lang=report_lang)



def web_ingest(engine: Any, urls: list[str], *, allow_private: bool,
               progress: Callable[[float, int, str], None] | None = None,
               fetch_progress: Callable[[int, int, int, str], None] | None = None):
    """Fetch and index web articles for the UI (ingest.web.sync.WebIngest); the
    UI says whether private addresses are allowed (RAG_WEB__ALLOW_PRIVATE)."""
    from ingest.pipeline import Ingestor
    from ingest.web.sync import WebIngest

    ingestor = Ingestor(engine.store, engine.embed_model, engine.settings)
    return WebIngest(ingestor, allow_private=allow_private, progress=progress,
                     fetch_progress=fetch_progress).run(urls=urls)


def open_app_state(settings):
    """The app database, migrated, with a first start's work done (an earlier release's
    files imported, RAG_UI_AUTH seeded; both logged)."""
    from rag.state import open_state

    state = open_state(settings)
    state.prepare(settings)
    return state
