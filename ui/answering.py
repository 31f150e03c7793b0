"""Answering in the chat: stream the engine's events into turns (one per question)
that the chat page shows. Engine errors become messages in the interface language;
an answer that was streamed completely is kept even when something fails after it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rag.errors import (
    IndexLockedError,
    IndexNotBuiltError,
    InvalidQuestionError,
    ProviderError,
    RagError,
    StoreUnavailableError,
)
from rag.schema import Answer, DeltaEvent, DoneEvent, NoticeEvent, Scope, SourcesEvent
from ui import render
from ui.i18n import t

logger = logging.getLogger(__name__)


def error_message(exc: BaseException, lang: str) -> str:
    """A readable message for an engine error, in the interface language."""
    if isinstance(exc, InvalidQuestionError):
        if exc.code == "question_too_long":
            return t("err_too_long", lang, n=f"{exc.params['length']:,}",
                     limit=f"{exc.params['limit']:,}")
        return t("err_no_words" if exc.code == "question_no_words" else "err_empty", lang)
    if isinstance(exc, IndexNotBuiltError):
        return t("err_index_empty", lang)
    if isinstance(exc, StoreUnavailableError):
        return t("err_store", lang)
    if isinstance(exc, IndexLockedError):
        return t("err_index_locked", lang)
    if isinstance(exc, ProviderError):
        return t("err_llm", lang)
    if isinstance(exc, RagError) and exc.code == "no_document":
        return t("err_no_document", lang)
    return t("error_generic", lang)


def new_turn(question: str, lang: str) -> dict:
    shown = question if len(question) <= 600 else question[:600] + "…"
    return {"id": uuid.uuid4().hex[:16], "question": question,
            "question_display": render.answer_markdown(shown), "answer": "",
            "answer_md": "…", "sources_html": render.placeholder_html(lang, "searching"),
            "ok": False, "files": [], "mode": None, "language": None, "abstained": False,
            "confidence": None, "answer_json": None, "error": None}


def messages(turns: list[dict], ui_lang: str | None = None) -> list[dict]:
    """The chat's messages. With `ui_lang`, each finished answer is drawn again in it
    (its text stays in the answer's language; the limit line and the confidence badge
    are the interface's), so a conversation reopened or a language switched shows no
    badge in another language."""
    out = []
    for turn in turns:
        out.append({"role": "user", "content": turn["question_display"]})
        out.append({"role": "assistant", "content": answer_message(turn, ui_lang)})
    return out


def answer_message(turn: dict, ui_lang: str | None) -> str:
    data = turn.get("answer_json")
    if not ui_lang or not data or turn.get("error"):
        return turn["answer_md"]
    answer = Answer.model_validate(data)
    return _with_badge(render.answer_markdown(answer.text), answer, ui_lang, turn.get("scope"))


def history(turns: list[dict]) -> list[dict]:
    """The conversation for the engine: plain text, failed turns left out."""
    out: list[dict] = []
    for turn in turns:
        if turn.get("ok"):
            out.append({"role": "user", "content": turn["question"]})
            out.append({"role": "assistant", "content": turn["answer"]})
    return out


def doc_text_getter(engine) -> Callable[[str], str | None]:
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


def panel_language(turn: dict, ui_lang: str) -> str:
    """The sources panel, like everything the interface writes, speaks the interface
    language; only the answer and the quoted articles keep theirs."""
    return ui_lang


def render_sources(engine, turn: dict, ui_lang: str, index: int) -> str:
    """The sources panel of a finished turn (also for turns loaded from disk)."""
    data = turn.get("answer_json")
    if not data:
        return render.placeholder_html(ui_lang, turn=index)
    answer = Answer.model_validate(data)
    lang = panel_language(turn, ui_lang)
    return render.sources_html(answer, lang, doc_text_getter(engine), index,
                               render.scope_words(turn.get("scope"), lang))


def finish_turn(engine, turn: dict, answer: Answer, ui_lang: str, index: int) -> None:
    turn.update(
        answer=answer.text, ok=True, files=[c.file for c in answer.citations],
        mode=answer.model or answer.mode, language=answer.language, abstained=answer.abstained,
        confidence=answer.confidence.model_dump() if answer.confidence else None,
        answer_json=answer.model_dump(mode="json"),
        answer_md=_with_badge(render.answer_markdown(answer.text), answer, ui_lang,
                              turn.get("scope")),
    )
    turn["sources_html"] = render_sources(engine, turn, ui_lang, index)


# How the engine read the question (tone marks restored, joined to the previous
# question): shown above the answer in the bubble, not only in the sources panel,
# since it changes what the answer is an answer to.
READING_NOTICES = ("no_tone_marks", "understood_as")


def _with_badge(md: str, answer: Answer, ui_lang: str, scope: dict | None = None) -> str:
    """How the question was read (`READING_NOTICES`, in the answer's language), the
    answer, the limit it was searched within (if any) and the confidence badge, both
    in the interface language."""
    lang = ui_lang
    reading = [render.reading_markdown(n.message) for n in answer.notices if n.code in READING_NOTICES]
    lines = [*reading, md, render.scope_markdown(render.scope_words(scope, lang), lang),
             render.confidence_markdown(answer.confidence, lang)]
    return "\n\n".join(line for line in lines if line)


@dataclass
class Asked:
    """One question as the chat page hands it over."""

    question: str
    lang_choice: str
    ui_lang: str
    scope: Scope | None = None
    turns: list[dict] = field(default_factory=list)


def _start(engine, asked: Asked, turns: list[dict]):
    kwargs = {"lang": asked.lang_choice or "auto", "history": history(turns)}
    if asked.scope is not None and not asked.scope.is_empty():
        kwargs["scope"] = asked.scope
    try:
        events = engine.stream(asked.question, **kwargs)
    except TypeError as exc:  # an engine without `scope`
        if "scope" not in str(exc):
            raise
        raise RagError("scope unsupported") from exc
    return events, next(events)  # validation and retrieval errors surface here


def respond(engine, asked: Asked) -> Iterator[list[dict]]:
    """Yields the turns after every change; the last turn is this question's."""
    turns = list(asked.turns or [])
    lang = asked.ui_lang
    try:
        events, first = _start(engine, asked, turns)
    except Exception as exc:
        if isinstance(exc, InvalidQuestionError) and not asked.question.strip():
            yield turns  # nothing to show in the conversation
            return
        yield [*turns, _failed_turn(asked.question, exc, lang, len(turns))]
        return
    index = len(turns)
    turn = new_turn(asked.question, lang)
    if asked.scope is not None and not asked.scope.is_empty():
        turn["scope"] = asked.scope.model_dump(mode="json", exclude_none=True)
    turn["sources_html"] = render.placeholder_html(lang, "searching", index)
    turns.append(turn)
    yield from _stream(engine, turn, _chain(first, events), lang, index, turns)


def _failed_turn(question: str, exc: BaseException, lang: str, index: int) -> dict:
    if isinstance(exc, RagError) and str(exc) == "scope unsupported":
        text = t("err_scope_unsupported", lang)
    else:
        text = error_message(exc, lang)
    if isinstance(exc, RagError):
        logger.warning("question failed: %s", exc)
    else:
        logger.error("answering %r failed", question[:200], exc_info=exc)
    turn = new_turn(question, lang)
    turn.update(answer_md=render.notice_markdown(text), error=text,
                sources_html=render.placeholder_html(lang, turn=index))
    return turn


def _stream(engine, turn, events, lang, index, turns) -> Iterator[list[dict]]:
    text = ""
    answer: Answer | None = None
    try:
        for event in events:
            if isinstance(event, SourcesEvent):
                turn["sources_html"] = render.retrieved_html(event.retrieved, lang, index)
            elif isinstance(event, DeltaEvent):
                text = event.text if event.replace else text + event.text
                turn["answer_md"] = render.answer_markdown(text) or "…"
            elif isinstance(event, DoneEvent):
                answer = event.answer
                finish_turn(engine, turn, answer, lang, index)
                logger.info("answered (%s, %s, %.0f ms, cites %s)", answer.language,
                            answer.mode, answer.latency_ms,
                            ", ".join(dict.fromkeys(turn["files"])) or "nothing")
            if not isinstance(event, NoticeEvent):
                yield turns
    except Exception as exc:
        _fail_mid_stream(turn, text, exc, lang, answer is not None)
        yield turns
        return
    if answer is None:  # pragma: no cover - the engine always ends with DoneEvent
        _fail_mid_stream(turn, text, RagError("no answer"), lang, False)
        yield turns


def _fail_mid_stream(turn: dict, text: str, exc: BaseException, lang: str, done: bool) -> None:
    """Defect #10: a complete streamed answer is kept; the error is shown under it."""
    if isinstance(exc, RagError):
        logger.warning("answering %r failed after %d characters: %s", turn["question"][:200],
                       len(text), exc)
    else:
        logger.error("answering %r failed mid-stream", turn["question"][:200], exc_info=exc)
    if not text.strip() and not done:
        message = error_message(exc, lang)
        turn.update(answer_md=render.notice_markdown(message), error=message)
        return
    key = "err_store_after_answer" if isinstance(exc, StoreUnavailableError) else "err_after_answer"
    message = t(key, lang)
    if not done:
        turn.update(answer=text, ok=True)
        turn["answer_md"] = render.answer_markdown(text)
    turn["answer_md"] += "\n\n" + render.notice_markdown(message)
    turn["error"] = message


def _chain(first, rest):
    yield first
    yield from rest
