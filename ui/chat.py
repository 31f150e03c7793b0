"""Answering in the chat: stream engine events into the Chatbot and sources panel."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator

import gradio as gr

from rag.errors import InvalidQuestionError, RagError
from rag.schema import Answer, DeltaEvent, DoneEvent, NoticeEvent, SourcesEvent
from ui import render
from ui.i18n import t

logger = logging.getLogger(__name__)


def messages(turns: list[dict]) -> list[dict]:
    out = []
    for turn in turns:
        out.append({"role": "user", "content": turn["question_display"]})
        out.append({"role": "assistant", "content": turn["answer_md"]})
    return out


def history(turns: list[dict]) -> list[dict]:
    """The conversation for the engine: plain text, failed turns left out."""
    out: list[dict] = []
    for turn in turns:
        if turn.get("ok"):
            out.append({"role": "user", "content": turn["question"]})
            out.append({"role": "assistant", "content": turn["answer"]})
    return out


def _turn(question: str, answer_md: str, sources_html: str, **extra) -> dict:
    display = render.answer_markdown(question if len(question) <= 600 else question[:600] + "…")
    return {"question": question, "question_display": display, "answer": "",
            "answer_md": answer_md, "sources_html": sources_html, "ok": False,
            "files": [], "mode": None, "language": None, **extra}


def respond(engine, question: str, lang_choice: str, turns_in: list[dict]) -> Iterator[tuple]:
    """Yields (chat messages, sources html, question box, turns, shown turn)."""
    turns = list(turns_in or [])
    lang = lang_choice or "auto"
    question = question or ""
    try:
        events = engine.stream(question, lang=lang, history=history(turns))
        first = next(events)  # validation and retrieval errors surface here
    except InvalidQuestionError as exc:
        gr.Warning(html.escape(str(exc)))
        if not question.strip():  # nothing to show in the conversation
            yield messages(turns), gr.update(), question, turns, len(turns) - 1
            return
        turns.append(_turn(question, render.notice_markdown(str(exc)),
                           render.placeholder_html(lang, turn=len(turns))))
        yield messages(turns), turns[-1]["sources_html"], "", turns, len(turns) - 1
        return
    except RagError as exc:
        logger.warning("question failed: %s", exc)
        gr.Warning(html.escape(str(exc)))
        turns.append(_turn(question, render.notice_markdown(str(exc)),
                           render.placeholder_html(lang, turn=len(turns))))
        yield messages(turns), turns[-1]["sources_html"], "", turns, len(turns) - 1
        return
    except Exception:
        logger.exception("answering %r failed", question[:200])
        turns.append(_turn(question, render.notice_markdown(t("error_generic", lang)),
                           render.placeholder_html(lang, turn=len(turns))))
        yield messages(turns), turns[-1]["sources_html"], "", turns, len(turns) - 1
        return

    index = len(turns)
    turn = _turn(question, "…", render.placeholder_html(lang, "searching", index))
    turns.append(turn)
    text = ""
    answer: Answer | None = None
    try:
        for event in _chain(first, events):
            if isinstance(event, SourcesEvent):
                turn["sources_html"] = render.retrieved_html(event.retrieved, lang, index)
            elif isinstance(event, DeltaEvent):
                text = event.text if event.replace else text + event.text
                turn["answer_md"] = render.answer_markdown(text) or "…"
            elif isinstance(event, NoticeEvent):
                if event.notice.code == "llm_unavailable":
                    gr.Info(t("notice_llm_unavailable", lang))
                continue
            elif isinstance(event, DoneEvent):
                answer = event.answer
                continue
            yield messages(turns), turn["sources_html"], "", turns, index
    except Exception:
        logger.exception("answering %r failed mid-stream", question[:200])
        turn["answer_md"] = render.notice_markdown(t("error_generic", lang))
        yield messages(turns), turn["sources_html"], "", turns, index
        return
    if answer is None:  # pragma: no cover - the engine always ends with DoneEvent
        turn["answer_md"] = render.notice_markdown(t("error_generic", lang))
        yield messages(turns), turn["sources_html"], "", turns, index
        return
    turn.update(
        answer=answer.text, answer_md=render.answer_markdown(answer.text), ok=True,
        files=[c.file for c in answer.citations], mode=answer.model or answer.mode,
        language=answer.language,
        sources_html=render.sources_html(answer, lang, _doc_text(engine), index),
    )
    logger.info("answered (%s, %s, %.0f ms, cites %s)", answer.language, answer.mode,
                answer.latency_ms, ", ".join(dict.fromkeys(turn["files"])) or "nothing")
    yield messages(turns), turn["sources_html"], "", turns, index


def _chain(first, rest):
    yield first
    yield from rest


def _doc_text(engine):
    cache: dict[str, str | None] = {}

    def get(doc_id: str) -> str | None:
        if doc_id not in cache:
            try:
                cache[doc_id] = engine.document_text(doc_id)
            except Exception as exc:  # a document deleted meanwhile: no full text
                logger.warning("no full text for %s: %s", doc_id, exc)
                cache[doc_id] = None
        return cache[doc_id]

    return get


def ask(engine, question: str, lang: str = "auto") -> dict:
    """The `ask` API endpoint: the answer as JSON, or gr.Error with the reason."""
    from rag.cli import answer_json

    try:
        answer = engine.answer(question, lang=lang or "auto")
    except RagError as exc:
        raise gr.Error(html.escape(str(exc), quote=False), print_exception=False) from None
    except Exception:
        logger.exception("API question %r failed", str(question)[:200])
        raise gr.Error("internal error while answering; see the server log",
                       print_exception=False) from None
    data = answer_json(answer)
    for item, c in zip(data["citations"], answer.citations, strict=True):
        item["doc_id"] = c.doc_id
        item["also_in"] = [r.model_dump() for r in c.also_in]
    return data
