"""The UI's JSON API (gradio_client / HTTP): JSON in, JSON out; failures raise
gr.Error with the reason (in English: the API is for programs)."""

from __future__ import annotations

import html
import logging

import gradio as gr

from rag.errors import RagError
from ui.feedback import REASONS

logger = logging.getLogger(__name__)

MAX_COMMENT_CHARS = 4000
DOC_FIELDS = ("doc_id", "file", "title", "language", "date", "translation_group", "chunks", "url")


def call(fn, *args):
    try:
        return fn(*args)
    except RagError as exc:
        raise gr.Error(html.escape(str(exc), quote=False), print_exception=False) from None
    except Exception:
        logger.exception("API call %s failed", getattr(fn, "__name__", fn))
        raise gr.Error("internal error; see the server log", print_exception=False) from None


def answer_json(engine, question: str, lang: str = "auto") -> dict:
    answer = engine.answer(question, lang=lang or "auto")
    data = answer.public_dict()
    for item, c in zip(data["citations"], answer.citations, strict=True):
        item["doc_id"] = c.doc_id
        item["also_in"] = [r.model_dump() for r in c.also_in]
    return data


def record_feedback(services, question, answer, sources, mode, rating, comment="", lang=None,
                    answer_id=None, reason=None, user=None) -> dict:
    """The API form of a rating (one record per answer_id when given), or RagError."""
    if rating not in ("up", "down"):
        raise RagError(f"rating must be 'up' or 'down', not {rating!r}")
    if not str(question or "").strip() or not str(answer or "").strip():
        raise RagError("feedback needs the question and the answer it rates")
    if len(str(comment or "")) > MAX_COMMENT_CHARS:
        raise RagError(f"the comment is longer than {MAX_COMMENT_CHARS:,} characters")
    if reason and reason not in REASONS:
        raise RagError(f"reason must be one of {', '.join(REASONS)}")
    return services.feedback_log.record(
        question=str(question)[:MAX_COMMENT_CHARS], answer=str(answer),
        sources=[str(s) for s in (sources or [])], mode=str(mode or ""), rating=rating,
        comment=comment or "", language=lang, answer_id=answer_id or None,
        reason=reason or None, user=user)


def register(services) -> None:
    """Declare the API endpoints inside the Blocks being built."""
    engine = services.engine

    def ask(question: str, lang: str = "auto") -> dict:
        """Answer one question (lang: auto, vi, en or ru); returns the answer, its
        citations, its confidence and the retrieved passages as JSON."""
        return call(answer_json, engine, question, lang)

    def feedback(question: str, answer: str, sources: list[str], mode: str, rating: str,
                 comment: str = "", lang: str = "auto", answer_id: str = "", reason: str = "",
                 request: gr.Request = None) -> dict:
        """Rate an answer (rating: up or down; reason for down: wrong, incomplete,
        wrong_language, should_abstain, other). With answer_id, a second rating of the
        same answer replaces the first."""
        return call(record_feedback, services, question, answer, sources, mode, rating,
                    comment, lang, answer_id, reason, getattr(request, "username", None))

    def documents() -> list[dict]:
        """The indexed documents: doc_id, file, title, language, date,
        translation_group, chunks, url (a web article's address, else empty)."""
        return call(lambda: [d.model_dump(include=set(DOC_FIELDS)) for d in services.documents()])

    def document_text(doc_id: str) -> str:
        """The full text of one indexed document."""
        return call(engine.document_text, doc_id)

    def delete_document(doc_id: str) -> str:
        """Remove a document from the index (undo with restore_document while possible)."""
        call(engine.delete_document, doc_id)
        return f"deleted {doc_id}"

    def restore_document(doc_id: str) -> str:
        """Bring back a document deleted a short while ago."""
        if not services.can_undo_delete:
            raise gr.Error("this server cannot undo deletions", print_exception=False)
        call(engine.restore_document, doc_id)
        return f"restored {doc_id}"

    gr.api(ask, api_name="ask")
    gr.api(feedback, api_name="feedback")
    gr.api(documents, api_name="documents")
    gr.api(document_text, api_name="document_text")
    gr.api(delete_document, api_name="delete_document", concurrency_limit=1,
           concurrency_id="index_write")
    gr.api(restore_document, api_name="restore_document", concurrency_limit=1,
           concurrency_id="index_write")
