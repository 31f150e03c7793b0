"""The LLM answer: a chat model answers from numbered sources with [n]
citations. The offline answer's answerability check runs first (a figure asked
for that no evidence holds, a figure for another year): what it refuses never
reaches the model. The prompt is built within the token budget; `LLMClient`
(llm_client.py) streams with retries inside the time budget; `LLMStrategy`
shows a model answer only when it is complete, in the answer language and
cites a given source in every claim sentence (review.py), after at most one
rewrite request. Otherwise the user gets the extractive answer and a notice
that says why."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from llama_index.core.schema import NodeWithScore

from rag.answer.base import AnswerContext, abstain
from rag.answer.citations import cited_numbers, make_citation, strip_invalid_markers, strip_markers
from rag.answer.evidence import EvidenceSelector
from rag.answer.extractive import Assessment, ExtractiveStrategy
from rag.answer.review import Review, is_no_answer, review
from rag.infra.llm_client import LLMClient, LLMUnavailable
from rag.infra.store import store_call
from rag.lang.prompts import (
    ANSWER_SYSTEM,
    ANSWER_USER,
    CITATION_RETRY,
    LANGUAGE_RETRY,
    SOURCE_BLOCK,
    language_name,
    phrase,
)
from rag.lang.text import count_tokens, get_encoding
from rag.schema import DeltaEvent, Event, Notice, NoticeEvent, Usage
from rag.settings import Settings

logger = logging.getLogger(__name__)

# Of the answer's time budget, this share (at most FALLBACK_RESERVE_S) is kept for
# the extractive fallback, so that a fallen-back answer also ends within RAG_LLM__TIMEOUT.
FALLBACK_RESERVE_SHARE = 0.1
FALLBACK_RESERVE_S = 1.0

# "<source", "</SOURCE", "< / source", "＜source" ...: anything a model could read as
# one of the tags that delimit the sources. Zero-width characters count as spaces.
_TAG_LIKE = re.compile(r"[<＜﹤](?=[\s\u200b-\u200f\u2060\ufeff]*/?[\s\u200b-\u200f\u2060\ufeff]*"
                       r"sources?\b)", re.IGNORECASE)

__all__ = ["LLMClient", "LLMStrategy", "LLMUnavailable", "PreparedPrompt", "is_no_answer",
           "prepare_prompt", "quote"]


@dataclass
class PreparedPrompt:
    messages: list
    sources: list[NodeWithScore]
    prompt_tokens: int


def prepare_prompt(settings: Settings, question: str, language: str,
                   nodes: list[NodeWithScore]) -> PreparedPrompt:
    """Number the sources and drop the lowest-ranked until the prompt fits."""
    from llama_index.core.llms import ChatMessage

    cfg = settings.llm
    name = language_name(language)
    system = ANSWER_SYSTEM.format(language_name=name)
    budget = cfg.context_window - cfg.max_answer_tokens - 64
    kept = list(nodes)
    while True:
        user = ANSWER_USER.format(sources=_source_blocks(kept), question=quote(question),
                                  language_name=name)
        tokens = count_tokens(system, cfg.model) + count_tokens(user, cfg.model) + 8
        if tokens <= budget or len(kept) <= 1:
            break
        kept.pop()
    if tokens > budget:  # one source alone is too long: cut its text
        encoding = get_encoding(cfg.model)
        room = max(budget - count_tokens(system, cfg.model) - 200, 100)
        user = encoding.decode(encoding.encode(user, disallowed_special=())[:room])
        tokens = budget
    messages = [ChatMessage(role="system", content=system),
                ChatMessage(role="user", content=user)]
    return PreparedPrompt(messages, kept, tokens)


class LLMStrategy:
    def __init__(self, llm, settings: Settings):
        self.client = LLMClient(llm, settings)
        self.settings = settings
        self.fallback = ExtractiveStrategy(settings)

    def stream(self, ctx: AnswerContext) -> Iterator[Event]:
        # the offline answer's answerability check first: a figure asked for and
        # none in the evidence, or a figure for another year, never reaches the model
        assessment = self.fallback.assess(ctx)
        if not assessment.answers:
            yield from self.fallback.refuse(ctx, assessment)
            return
        prompt = prepare_prompt(self.settings, ctx.question, ctx.language, ctx.nodes)
        reserve = min(FALLBACK_RESERVE_S, FALLBACK_RESERVE_SHARE * self.settings.llm.timeout)
        deadline = ctx.deadline - reserve
        parts: list[str] = []
        try:
            for delta in self.client.stream(prompt.messages, deadline):
                if delta == "":  # a broken attempt: its partial text is void
                    parts.clear()
                    yield DeltaEvent(text="", replace=True)
                    continue
                parts.append(delta)
                yield DeltaEvent(text=delta)
        except LLMUnavailable as exc:
            logger.warning("falling back to the extractive answer: %s", exc)
            yield from self._fall_back(ctx, self._failure_notice(exc, ctx.language), assessment)
            return
        raw = "".join(parts).strip()
        ctx.answer.usage = self._usage(prompt, raw)
        yield from self._review(ctx, prompt, raw, deadline, assessment)

    def _review(self, ctx: AnswerContext, prompt: PreparedPrompt, raw: str,
                deadline: float, assessment: Assessment) -> Iterator[Event]:
        """Show the answer if it passes review; else ask once for a rewrite; else fall back."""
        verdict = review(raw, ctx.language, len(prompt.sources))
        if verdict.no_answer:
            yield DeltaEvent(text="", replace=True)
            yield from self._abstain(ctx)
            return
        if verdict.ok:
            yield from self._accept(ctx, prompt, raw, streamed=raw)
            return
        logger.warning("the model's answer fails review (%s): %s", verdict.failure,
                       "; ".join(verdict.uncited)[:300] or "wrong language")
        yield DeltaEvent(text="", replace=True)  # withdraw what was streamed
        if not self.settings.llm.revise:
            yield from self._fall_back(ctx, self._review_notice(verdict, ctx.language), assessment)
            return
        messages = _revision(prompt, raw, verdict, ctx.language)
        try:
            revised = self.client.complete_messages(messages, deadline)
        except LLMUnavailable as exc:
            logger.warning("the rewrite request failed: %s", exc)
            yield from self._fall_back(ctx, self._review_notice(verdict, ctx.language), assessment)
            return
        model = self.settings.llm.model
        ctx.answer.usage.prompt_tokens += sum(count_tokens(m.content or "", model)
                                              for m in messages)
        ctx.answer.usage.completion_tokens += count_tokens(revised, model)
        second = review(revised, ctx.language, len(prompt.sources))
        if second.no_answer:
            yield from self._abstain(ctx)
        elif second.ok:
            code = "language_retry" if not verdict.language_ok else "citation_retry"
            notice = Notice(code=code, message=phrase(code, ctx.language))
            ctx.answer.notices.append(notice)
            yield NoticeEvent(notice=notice)
            yield from self._accept(ctx, prompt, revised, streamed="")
        else:
            logger.warning("the rewritten answer fails review too (%s)", second.failure)
            yield from self._fall_back(ctx, self._review_notice(second, ctx.language), assessment)

    def _accept(self, ctx: AnswerContext, prompt: PreparedPrompt, raw: str,
                streamed: str) -> Iterator[Event]:
        """Show a reviewed answer: markers to unknown sources go (every claim
        sentence keeps a valid one), the others become citations."""
        text = strip_invalid_markers(raw, set(range(1, len(prompt.sources) + 1)))
        if text != streamed:
            yield DeltaEvent(text=text, replace=True)
        selector = self._selector(ctx)
        citations = []
        with store_call("reading evidence sentences"):
            for n in cited_numbers(text):
                node = prompt.sources[n - 1]
                evidence = selector.select(ctx.evidence_request(), [node])
                sentence = evidence[0].sentence.text if evidence else node.node.get_content()[:300]
                citations.append(make_citation(n, ctx.snapshot, node.node, sentence))
        ctx.answer.text = text
        ctx.answer.framing = strip_markers(text)
        ctx.answer.citations = citations

    def _abstain(self, ctx: AnswerContext) -> Iterator[Event]:
        """The model found no answer: the localised "not found", with what the
        closest evidence does say."""
        with store_call("reading evidence sentences"):
            closest = self._selector(ctx).select(ctx.evidence_request(), ctx.nodes)[:1]
        yield from abstain(ctx.answer, None, closest, ctx.snapshot)

    def _selector(self, ctx: AnswerContext) -> EvidenceSelector:
        return EvidenceSelector(ctx.snapshot.evidence_sentences, ctx.snapshot,
                                self.settings.answer, ctx.scope)

    def _fall_back(self, ctx: AnswerContext, notice: Notice,
                   assessment: Assessment) -> Iterator[Event]:
        """The offline answer from the assessment already made, after `notice`."""
        ctx.answer.notices.append(notice)
        yield NoticeEvent(notice=notice)
        ctx.answer.mode = "extractive"
        events = list(self.fallback.stream(ctx, assessment))
        yield DeltaEvent(text=ctx.answer.text, replace=True)
        yield from (e for e in events if not isinstance(e, DeltaEvent))

    def _failure_notice(self, exc: LLMUnavailable, language: str) -> Notice:
        match exc.kind:
            case "timeout":
                return Notice(code="llm_timeout", message=phrase(
                    "llm_timeout", language, seconds=f"{self.settings.llm.timeout:g}"))
            case "rejected":
                return Notice(code="llm_rejected", message=phrase(
                    "llm_rejected", language, status=str(exc.status or "4xx")))
            case "incomplete":
                return Notice(code="llm_incomplete", message=phrase("llm_incomplete", language))
        return Notice(code="llm_unavailable", message=phrase("llm_unavailable", language))

    @staticmethod
    def _review_notice(verdict: Review, language: str) -> Notice:
        return Notice(code=verdict.failure, message=phrase(verdict.failure, language))

    def _usage(self, prompt: PreparedPrompt, answer: str) -> Usage:
        return Usage(prompt_tokens=prompt.prompt_tokens,
                     completion_tokens=count_tokens(answer, self.settings.llm.model))


def _revision(prompt: PreparedPrompt, raw: str, verdict: Review, language: str) -> list:
    """The one rewrite request: a translation when only the language is wrong,
    else the whole conversation again with the citation rules spelt out."""
    from llama_index.core.llms import ChatMessage

    name = language_name(language)
    if not verdict.uncited:
        return [ChatMessage(role="user",
                            content=LANGUAGE_RETRY.format(language_name=name, answer=raw))]
    return [*prompt.messages, ChatMessage(role="assistant", content=raw),
            ChatMessage(role="user", content=CITATION_RETRY.format(
                language_name=name, count=len(prompt.sources)))]


def _source_blocks(nodes: list[NodeWithScore]) -> str:
    return "\n".join(
        SOURCE_BLOCK.format(
            n=i + 1,
            title=_attr(n.node.metadata.get("title", "")),
            language=_attr(n.node.metadata.get("language", "")),
            date=_attr(n.node.metadata.get("date", "") or ""),
            text=quote(n.node.get_content()),
        )
        for i, n in enumerate(nodes)
    )


def quote(text: str) -> str:
    """Source or question text with every tag-like "<source"/"</SOURCE" defused
    ("‹/SOURCE"), so it can neither close its own block nor open another."""
    return _TAG_LIKE.sub("‹", text)


def _attr(text: str) -> str:
    return str(text).replace('"', "'").replace("<", "‹").replace(">", "›")
