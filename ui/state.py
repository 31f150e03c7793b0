"""What the UI handlers share: the engine, the data folders, feedback, documents
and evaluation actions. Every method returns displayable values and never raises."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from rag.errors import DocumentError, RagError
from ui import chat, evaltab
from ui.feedback import FeedbackLog
from ui.i18n import t
from ui.uploads import check_upload, is_upload, save_upload

logger = logging.getLogger(__name__)

DOC_COLUMNS = ("col_file", "col_language", "col_date", "col_group", "col_chunks", "col_title")


MAX_COMMENT_CHARS = 4000


class UIContext:
    def __init__(self, engine, settings):
        self.engine = engine
        self.settings = settings
        data_dir = Path(settings.data_dir)
        self.uploads_dir = data_dir / "uploads"
        self.reports_dir = data_dir / "reports"
        self.feedback_log = FeedbackLog(data_dir / "feedback.jsonl")

    # -- chat ---------------------------------------------------------------
    def respond(self, question, lang_choice, turns):
        yield from chat.respond(self.engine, question, lang_choice, turns)

    def ask(self, question: str, lang: str = "auto") -> dict:
        return chat.ask(self.engine, question, lang)

    def feedback(self, turns, turn_no: int, rating: str | None, comment: str, lang: str):
        """(status message, comment box) after a thumbs up/down."""
        answered = [i for i, turn in enumerate(turns or []) if turn.get("ok")]
        if turn_no < 0:
            turn_no = answered[-1] if answered else -1
        if turn_no not in answered:
            return t("feedback_nothing", lang), comment
        if rating is None:  # a like was withdrawn
            return gr.update(), comment
        turn = turns[turn_no]
        try:
            self.feedback_log.record(
                question=turn["question"], answer=turn["answer"],
                sources=list(dict.fromkeys(turn["files"])), mode=turn["mode"] or "",
                rating=rating, comment=comment or "", language=turn.get("language"),
            )
        except OSError as exc:
            logger.error("could not write feedback: %s", exc)
            return f"❌ {exc}", comment
        return f"✅ {t('feedback_saved', lang)}", ""

    def record_feedback(self, question: str, answer: str, sources: list[str], mode: str,
                        rating: str, comment: str = "", lang: str | None = None) -> dict:
        """The API form of a rating: one line in feedback.jsonl, or RagError."""
        if rating not in ("up", "down"):
            raise RagError(f"rating must be 'up' or 'down', not {rating!r}")
        if not str(question or "").strip() or not str(answer or "").strip():
            raise RagError("feedback needs the question and the answer it rates")
        if len(str(comment or "")) > MAX_COMMENT_CHARS:
            raise RagError(f"the comment is longer than {MAX_COMMENT_CHARS:,} characters")
        return self.feedback_log.record(
            question=str(question)[:MAX_COMMENT_CHARS], answer=str(answer),
            sources=[str(s) for s in (sources or [])], mode=str(mode or ""), rating=rating,
            comment=comment or "", language=lang,
        )

    # -- documents ------------------------------------------------------------
    def _documents(self):
        try:
            return self.engine.documents()
        except Exception as exc:
            logger.warning("could not list documents: %s", exc)
            return []

    def doc_headers(self, lang: str) -> list[str]:
        return [t(key, lang) for key in DOC_COLUMNS]

    def doc_rows(self) -> list[list]:
        return [[d.file, d.language, d.date or "", d.translation_group, d.chunks, d.title]
                for d in self._documents()]

    def doc_choices(self) -> list[tuple[str, str]]:
        return [(f"{d.file} · {d.language} · {d.title[:60]}", d.doc_id)
                for d in self._documents()]

    def docs_outputs(self, lang: str):
        return (gr.Dataframe(value=self.doc_rows(), headers=self.doc_headers(lang)),
                gr.Dropdown(choices=self.doc_choices(), value=None))

    def view_document(self, doc_id: str | None):
        if not doc_id:
            return "", ""
        try:
            return self.engine.document_text(doc_id), ""
        except RagError as exc:
            return "", f"❌ {exc}"
        except Exception:
            logger.exception("reading %s failed", doc_id)
            return "", "❌ could not read the document; see the server log"

    def ingest_uploads(self, paths: list, progress: Callable[[int, int, str], None]) -> str:
        """Save uploads under <data_dir>/uploads/ and index them; a status message."""
        from ingest.pipeline import make_doc_id

        max_mb = self.settings.ui.max_upload_mb
        existing = {d.doc_id: d for d in self._documents()}
        saved: list[Path] = []
        lines: list[str] = []
        for item in paths:
            src = Path(getattr(item, "name", None) or str(item))
            try:
                clean = check_upload(src.name, src.stat().st_size, max_mb)
                known = existing.get(make_doc_id(Path(clean)))
                if known and not is_upload(known.path, self.uploads_dir):
                    raise DocumentError(
                        f"{src.name}: a document named {clean} is already indexed "
                        f"({known.path}); rename the file to add it")
                saved.append(save_upload(src, src.name, self.uploads_dir, max_mb))
            except DocumentError as exc:
                lines.append(f"❌ {exc}")
            except OSError as exc:
                lines.append(f"❌ {src.name}: {exc.strerror or exc}")
        if not saved:
            return "\n\n".join(lines) or "Choose one or more files first."
        try:
            report = self.engine.ingest(saved, progress=progress)
        except RagError as exc:
            return "\n\n".join([*lines, f"❌ {exc}"])
        except Exception:
            logger.exception("ingesting uploads failed")
            return "\n\n".join([*lines, "❌ indexing failed; see the server log"])
        skipped = {Path(s.path).name: s.reason for s in report.skipped}
        for path in saved:
            if path.name in skipped:
                lines.append(f"❌ {path.name}: {skipped[path.name]}")
                if make_doc_id(path) not in existing:
                    path.unlink(missing_ok=True)
        ok = [p.name for p in saved if p.name not in skipped]
        if ok:
            lines.insert(0, (
                f"✅ Indexed {', '.join(ok)}: {report.new} new, {report.changed} changed, "
                f"{report.unchanged} unchanged; {report.chunks_embedded} chunks embedded "
                f"({report.seconds:.1f} s)."))
        logger.info("uploaded %s", ", ".join(ok) or "nothing")
        return "\n\n".join(lines)

    def delete(self, doc_id: str) -> str:
        """Remove a document from the index (and its file, if it was uploaded);
        raises RagError. Returns what was done."""
        doc = next((d for d in self._documents() if d.doc_id == doc_id), None)
        self.engine.delete_document(doc_id)
        message = f"Deleted {doc.file if doc else doc_id} from the index."
        if doc and doc.path and is_upload(doc.path, self.uploads_dir):
            try:
                Path(doc.path).unlink(missing_ok=True)
                message += " The uploaded file was removed."
            except OSError as exc:
                logger.warning("could not remove %s: %s", doc.path, exc)
        logger.info("deleted document %s", doc_id)
        return message

    def delete_document(self, doc_id: str | None) -> str:
        """The Delete button: a status message, never an exception."""
        if not doc_id:
            return "Choose a document first."
        try:
            return f"🗑️ {self.delete(doc_id)}"
        except RagError as exc:
            return f"❌ {exc}"
        except Exception:
            logger.exception("deleting %s failed", doc_id)
            return "❌ deleting failed; see the server log"

    def documents_json(self) -> list[dict]:
        fields = ("doc_id", "file", "title", "language", "date", "translation_group", "chunks")
        return [d.model_dump(include=set(fields)) for d in self.engine.documents()]

    # -- evaluation -------------------------------------------------------------
    def eval_available(self) -> bool:
        return evaltab.eval_available()

    def reports(self) -> list[str]:
        return evaltab.list_reports(self.reports_dir)

    def report_view(self, name: str | None):
        try:
            return evaltab.report_view(self.reports_dir, name)
        except Exception:
            logger.exception("reading report %s failed", name)
            return "Could not read the report; see the server log.", [], ""

    def run_eval(self, progress: Callable[[int, int], None]) -> tuple[str | None, str]:
        if not self.eval_available():
            return None, t("eval_unavailable")
        try:
            name = evaltab.run(self.engine, self.reports_dir, progress)
        except RagError as exc:
            return None, f"❌ {exc}"
        except Exception as exc:
            logger.exception("the evaluation failed")
            return None, f"❌ the evaluation failed: {type(exc).__name__}: {exc}"
        return name, f"✅ {self.reports_dir / name}"
