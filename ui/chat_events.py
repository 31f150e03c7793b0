"""The Chat page's event handlers. Each returns (or yields) a dict keyed by the
components it changes."""

from __future__ import annotations

import logging

import gradio as gr

from rag.errors import StateUnavailableError
from ui import answering, render, sidebar
from ui.chat import export_update, parse_scope, scope_html, shown_sources, turn_index
from ui.i18n import t

logger = logging.getLogger(__name__)


def wire(shell, c) -> None:
    s = shell
    engine = s.services.engine

    def respond(q, lang_choice, ui_lang, turns, conv, session, docs, since, until,
                request: gr.Request):
        scope, error = parse_scope(docs, since, until, ui_lang)
        if error:
            yield {c.scope_line: render.status_html("error", error)}
            return
        asked = answering.Asked(q or "", lang_choice or "auto", ui_lang, scope, list(turns or []))
        last, shown = asked.turns, {}
        for last in answering.respond(engine, asked):
            shown = {c.chatbot: answering.messages(last, ui_lang), c.question: "", s.turns: last,
                     c.sources: last[-1]["sources_html"] if last else gr.update(),
                     s.shown_turn: len(last) - 1}
            yield shown
        if len(last) == len(asked.turns):  # nothing was asked (empty question)
            return
        user = getattr(request, "username", None)
        if last[-1].get("abstained"):
            _log_abstention(s, last[-1], user)
        saved = sidebar.save(s, last, conv, session, user, ui_lang)
        yield {**shown, **saved, c.export: export_update(last[-1], ui_lang)}

    ask_inputs = [c.question, s.lang, s.ui_lang, s.turns, s.conv, s.session, c.scope_docs,
                  c.since, c.until]
    ask_outputs = [c.chatbot, c.question, s.turns, c.sources, s.shown_turn, c.scope_line,
                   s.conv, s.session, s.conv_list, c.export]
    c.question.submit(respond, inputs=ask_inputs, outputs=ask_outputs, api_name="chat",
                      show_progress="minimal")
    c.send.click(respond, inputs=ask_inputs, outputs=ask_outputs, api_visibility="private",
                 show_progress="minimal")

    def example(evt: gr.SelectData):
        value = evt.value.get("text") if isinstance(evt.value, dict) else evt.value
        return {c.question: value or ""}

    c.chatbot.example_select(example, outputs=[c.question], api_visibility="private",
                             queue=False).then(
        respond, inputs=ask_inputs, outputs=ask_outputs, api_visibility="private",
        show_progress="minimal")

    def show_turn(turns, current, ui_lang, evt: gr.SelectData):
        turn_no = turn_index(evt.index)
        if turn_no == current or not (0 <= turn_no < len(turns or [])):
            return {s.shown_turn: current}
        return {c.sources: shown_sources(s, turns, turn_no, ui_lang), s.shown_turn: turn_no,
                c.export: export_update(turns[turn_no], ui_lang)}

    c.chatbot.select(show_turn, inputs=[s.turns, s.shown_turn, s.ui_lang],
                     outputs=[c.sources, s.shown_turn, c.export], api_visibility="private",
                     show_progress="hidden")
    _wire_feedback(s, c)
    _wire_scope(s, c)


def _log_abstention(s, turn: dict, user: str | None) -> None:
    try:
        s.services.abstention_log.record(turn, user)
    except (OSError, StateUnavailableError) as exc:
        logger.error("could not log the abstention: %s", exc)


def _rating(liked) -> str | None:
    if liked in (True, "Like"):
        return "up"
    if liked in (False, "Dislike"):
        return "down"
    return None


def _record(s, turn: dict, rating: str, user: str | None, reason=None, comment="") -> dict:
    return s.services.feedback_log.record(
        question=turn["question"], answer=turn["answer"],
        sources=list(dict.fromkeys(turn.get("files") or [])), mode=turn.get("mode") or "",
        rating=rating, comment=comment, language=turn.get("language"), answer_id=turn["id"],
        reason=reason, user=user, abstained=bool(turn.get("abstained")),
        confidence=(turn.get("confidence") or {}).get("level"))


def _wire_feedback(s, c) -> None:
    """👍 is saved at once. 👎 opens the form: nothing is saved until Send (with a
    reason or without one); Cancel takes the 👎 back. Clicking a given rating again
    withdraws it."""
    hidden = gr.update(visible=False)

    def on_like(turns, ui_lang, evt: gr.LikeData, request: gr.Request):
        turn_no = turn_index(evt.index)
        turns = turns or []
        if not (0 <= turn_no < len(turns)) or not turns[turn_no].get("ok"):
            return {c.fb_status: render.status_html("info", t("feedback_nothing", ui_lang))}
        turn, rating = turns[turn_no], _rating(evt.liked)
        if rating == "down":  # ask why first; saved by Send
            return {c.fb_panel: gr.update(visible=True), c.fb_target: turn_no,
                    c.fb_reason: None, c.fb_comment: "", c.fb_status: "",
                    c.chatbot: shown(turns, (turn_no, "Dislike"))}
        try:
            if rating is None:
                s.services.feedback_log.remove(turn["id"])
                return {c.fb_status: render.status_html("ok", t("feedback_withdrawn", ui_lang)),
                        c.fb_panel: hidden, c.chatbot: shown(turns)}
            entry = _record(s, turn, rating, getattr(request, "username", None))
        except (OSError, StateUnavailableError) as exc:
            logger.error("could not write feedback: %s", exc)
            return {c.fb_status: render.status_html("error", t("feedback_failed", ui_lang))}
        key = "feedback_updated" if entry.get("updated") else "feedback_saved"
        return {c.fb_panel: hidden, c.fb_status: render.status_html("ok", t(key, ui_lang)),
                c.chatbot: shown(turns)}

    def shown(turns, pending=None):
        """The chat's 👍/👎 as the log holds them (`pending`: a 👎 not sent yet). The
        chat redraws a rating only when this value changes, so it always follows
        what the page shows."""
        values = sidebar.feedback_shown(s.services, turns)
        if pending is not None:
            values[pending[0]] = pending[1]
        return gr.update(feedback_value=values)

    fb_outputs = [c.fb_panel, c.fb_target, c.fb_reason, c.fb_comment, c.fb_status, c.chatbot]
    c.chatbot.like(on_like, inputs=[s.turns, s.ui_lang], outputs=fb_outputs,
                   api_visibility="private", show_progress="hidden")

    def send_reason(turns, target, reason, comment, ui_lang, request: gr.Request):
        turns = turns or []
        if not (0 <= target < len(turns)):
            return {c.fb_panel: hidden}
        try:
            entry = _record(s, turns[target], "down", getattr(request, "username", None),
                            reason or None, (comment or "")[:4000])
        except (OSError, StateUnavailableError) as exc:
            logger.error("could not write feedback: %s", exc)
            return {c.fb_status: render.status_html("error", t("feedback_failed", ui_lang))}
        key = "feedback_updated" if entry.get("updated") else "feedback_saved"
        return {c.fb_panel: hidden, c.fb_comment: "", c.fb_target: -1,
                c.fb_status: render.status_html("ok", t(key, ui_lang)), c.chatbot: shown(turns)}

    c.fb_send.click(send_reason, inputs=[s.turns, c.fb_target, c.fb_reason, c.fb_comment,
                                         s.ui_lang],
                    outputs=fb_outputs, api_visibility="private", show_progress="hidden")

    def cancel(turns, ui_lang):
        """The 👎 goes back to what the log holds for every answer (nothing was saved)."""
        return {c.fb_panel: hidden, c.fb_target: -1, c.chatbot: shown(turns or []),
                c.fb_status: render.status_html("info", t("feedback_cancelled", ui_lang))}

    c.fb_cancel.click(cancel, inputs=[s.turns, s.ui_lang],
                      outputs=[c.fb_panel, c.fb_target, c.chatbot, c.fb_status],
                      api_visibility="private", show_progress="hidden")


def _wire_scope(s, c) -> None:
    inputs = [c.scope_docs, c.since, c.until, s.ui_lang]
    for box in (c.scope_docs, c.since, c.until):
        box.change(scope_html, inputs=inputs, outputs=[c.scope_line], api_visibility="private",
                   show_progress="hidden", queue=False)
    c.scope_clear.click(lambda: {c.scope_docs: [], c.since: "", c.until: "", c.scope_line: ""},
                        outputs=[c.scope_docs, c.since, c.until, c.scope_line],
                        api_visibility="private", queue=False)
