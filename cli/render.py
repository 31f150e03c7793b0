"""Terminal rendering for the CLI: streamed answers, their sources, and the
document list.

Text that comes from documents, the model or the user (titles, file names,
quotes, answers, notices) is printed as rich `Text`, never parsed as console
markup or emoji codes: "[/bold]" in a title or ":x:" in an article prints as
written. Control characters are removed so a document cannot drive the terminal."""

from __future__ import annotations

import re
import sys

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from rag.schema import Answer, DeltaEvent, DocumentInfo, DoneEvent, NoticeEvent
from ui.i18n import t

# C0/C1 control characters other than tab and newline (ESC starts terminal sequences).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str | None) -> str:
    """Document or model text, safe to print: no control characters."""
    return _CONTROL.sub("", text or "")


def emphasised(text: str | None) -> Text:
    """Answer text as a Text: the engine's `**answer span**` in bold, the
    asterisks dropped (Markdown is the UI's; a terminal gets styles)."""
    out = Text()
    for i, part in enumerate(plain(text).split("**")):
        out.append(part, style="bold" if i % 2 else "")
    return out


def console(stderr: bool = False) -> Console:
    """A console that prints text as given: no emoji codes, no highlighting."""
    return Console(stderr=stderr, emoji=False, highlight=False)


def stream_answer(engine, question: str, **kwargs) -> Answer:
    """Print the answer as it streams; return the final Answer.

    On a terminal the text is redrawn in place, so an answer that the engine
    replaces (a failed attempt, a rejected model answer) disappears. Into a
    pipe or file only the final answer is written."""
    out = console()
    notes = console(stderr=True)
    shown = Text()
    answer = None
    live = Live(shown, console=out, auto_refresh=False, vertical_overflow="visible")
    if out.is_terminal:
        live.start()
    try:
        for event in engine.stream(question, **kwargs):
            if isinstance(event, DeltaEvent):
                shown = emphasised(event.text) if event.replace else shown + emphasised(event.text)
                if out.is_terminal:
                    live.update(shown, refresh=True)
            elif isinstance(event, NoticeEvent) and event.notice.code != "abstained":
                note = Text.assemble(("note: ", "yellow"), plain(event.notice.message))
                # on one terminal, above the live answer; else on stderr
                (live.console if live.is_started and notes.is_terminal else notes).print(note)
            elif isinstance(event, DoneEvent):
                answer = event.answer
    finally:
        if out.is_terminal:
            live.stop()
    if not out.is_terminal:
        sys.stdout.write(shown.plain + "\n")
        sys.stdout.flush()
    return answer


def print_answer(answer: Answer) -> None:
    """The sources and the answer's footnote, labelled in the answer's language
    (the chat's own strings)."""
    out = console()
    lang = answer.language
    if answer.citations:
        out.print()
        out.print(Text(t("sources", lang), style="bold"))
    for c in answer.citations:
        date = f", {c.date}" if c.date else ""
        also = f" · {t('also_in', lang)}: {', '.join(r.language for r in c.also_in)}" \
            if c.also_in else ""
        out.print(Text.assemble((f"[{c.n}]", "bold"), " ", plain(c.title),
                                f" ({plain(c.language)}{plain(date)}) · ", plain(c.url or c.file),
                                plain(also)))
        out.print(Text(f"    “{plain(c.text)}”", style="dim"))
    usage = answer.usage
    tokens = f" · tokens {usage.prompt_tokens}+{usage.completion_tokens}" if answer.mode == "llm" else ""
    confidence = answer.confidence
    evidence = f" · {t('conf_' + confidence.level, lang)}: {plain(confidence.reason)}" \
        if confidence else ""
    out.print(Text(f"{answer.mode} · {answer.latency_ms:.0f} ms{tokens}{evidence}", style="dim"))


def print_documents(docs: list[DocumentInfo]) -> None:
    """The `rag sources` table."""
    table = Table("file", "lang", "date", "group", "chunks", "title")
    for d in docs:
        table.add_row(*(Text(plain(value)) for value in (
            d.file, d.language, d.date or "", d.translation_group, str(d.chunks), d.title[:60])))
    console().print(table)
