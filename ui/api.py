"""The UI's JSON API (gradio_client / HTTP): JSON in, JSON out; failures raise
gr.Error with the reason (in English: the API is for programs)."""

from __future__ import annotations

import html
import logging

import gradio as gr

from rag.errors import RagError
from rag.state import REASONS
from ui import access

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
    """Declare the API endpoints inside the Blocks being built. Each checks the caller's
    role (ui.access) before it does anything."""
    engine = services.engine

    def ask(question: str, lang: str = "auto", request: gr.Request = None) -> dict:
        """Answer one question (lang: auto, vi, en or ru); returns the answer, its
        citations, its confidence and the retrieved passages as JSON."""
        access.require(services, request, "ask")
        return call(answer_json, engine, question, lang)

    def feedback(question: str, answer: str, sources: list[str], mode: str, rating: str,
                 comment: str = "", lang: str = "auto", answer_id: str = "", reason: str = "",
                 request: gr.Request = None) -> dict:
        """Rate an answer (rating: up or down; reason for down: wrong, incomplete,
        wrong_language, should_abstain, other). With answer_id, a second rating of the
        same answer replaces the first."""
        who = access.require(services, request, "ask")
        return call(record_feedback, services, question, answer, sources, mode, rating,
                    comment, lang, answer_id, reason, who.name)

    def documents(request: gr.Request = None) -> list[dict]:
        """The indexed documents: doc_id, file, title, language, date,
        translation_group, chunks, url (a web article's address, else empty)."""
        access.require(services, request, "read_documents")
        return call(lambda: [d.model_dump(include=set(DOC_FIELDS)) for d in services.documents()])

    def document_text(doc_id: str, request: gr.Request = None) -> str:
        """The full text of one indexed document."""
        access.require(services, request, "read_documents")
        return call(engine.document_text, doc_id)

    def delete_document(doc_id: str, request: gr.Request = None) -> str:
        """Remove a document from the index (undo with restore_document while possible).
        Editors and administrators."""
        who = access.require(services, request, "edit_documents")
        name = _file_of(services, doc_id)
        call(engine.delete_document, doc_id)
        services.audit.record(who.name, "delete", name, doc_id=doc_id, via="api")
        return f"deleted {doc_id}"

    def restore_document(doc_id: str, request: gr.Request = None) -> str:
        """Bring back a document deleted a short while ago. Editors and administrators."""
        who = access.require(services, request, "edit_documents")
        if not services.can_undo_delete:
            raise gr.Error("this server cannot undo deletions", print_exception=False)
        call(engine.restore_document, doc_id)
        services.audit.record(who.name, "restore", _file_of(services, doc_id), doc_id=doc_id,
                              via="api")
        return f"restored {doc_id}"

    def whoami(request: gr.Request = None) -> dict:
        """The caller's account: user (null without accounts), role, and what it may do."""
        who = access.viewer(services, request)
        return {"user": who.name, "role": who.role,
                "may": sorted(a for a in access.NEEDS if who.may(a))}

    def audit_log(action: str = "", user: str = "", limit: int = 500,
                  request: gr.Request = None) -> list[dict]:
        """The audit log, newest first (administrators): time, actor, action, target,
        detail; filtered by action and user."""
        access.require(services, request, "audit")
        return call(lambda: services.audit.entries(action=action or None, actor=user or None,
                                                   limit=max(1, min(int(limit), 10_000))))

    gr.api(ask, api_name="ask")
    gr.api(feedback, api_name="feedback")
    gr.api(documents, api_name="documents")
    gr.api(document_text, api_name="document_text")
    gr.api(delete_document, api_name="delete_document", concurrency_limit=1,
           concurrency_id="index_write")
    gr.api(restore_document, api_name="restore_document", concurrency_limit=1,
           concurrency_id="index_write")
    gr.api(whoami, api_name="whoami")
    gr.api(audit_log, api_name="audit_log")


def _file_of(services, doc_id: str) -> str:
    for d in services.documents(include_deleted=True):
        if d.doc_id == doc_id:
            return d.file
    return doc_id
