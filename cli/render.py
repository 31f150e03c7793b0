"""Terminal rendering of streamed answers for `rag ask`."""

from __future__ import annotations

import sys

from rich.console import Console

from rag.schema import Answer, DeltaEvent, DoneEvent, NoticeEvent


def stream_answer(engine, question: str, **kwargs) -> Answer:
    """Print the answer as it streams; return the final Answer."""
    out = sys.stdout
    streamed = ""
    answer = None
    for event in engine.stream(question, **kwargs):
        if isinstance(event, DeltaEvent):
            if event.replace:
                if streamed:
                    out.write("\n")
                streamed = event.text
                out.write(event.text)
            else:
                streamed += event.text
                out.write(event.text)
            out.flush()
        elif isinstance(event, NoticeEvent) and event.notice.code != "abstained":
            Console(stderr=True).print(f"[yellow]note:[/] {event.notice.message}")
        elif isinstance(event, DoneEvent):
            answer = event.answer
    out.write("\n")
    return answer


def print_answer(answer: Answer) -> None:
    console = Console()
    if answer.citations:
        console.print("\n[bold]Sources[/]")
    for c in answer.citations:
        date = f", {c.date}" if c.date else ""
        also = f" · also in: {', '.join(r.language for r in c.also_in)}" if c.also_in else ""
        console.print(f"[bold][{c.n}][/] {c.title} ({c.language}{date}) · {c.file}{also}")
        console.print(f"    “{c.text}”", style="dim")
    usage = answer.usage
    tokens = f" · tokens {usage.prompt_tokens}+{usage.completion_tokens}" if answer.mode == "llm" else ""
    console.print(f"[dim]{answer.mode} · {answer.latency_ms:.0f} ms{tokens}[/]")
