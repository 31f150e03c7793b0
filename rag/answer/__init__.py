"""Answer strategies: `extractive` (offline default) and `llm`. Both yield the
same typed events and fill in the same `Answer`."""

from __future__ import annotations

from rag.answer.base import AnswerContext, AnswerStrategy, abstain
from rag.settings import Settings


def build_strategy(llm, settings: Settings) -> AnswerStrategy:
    if llm is None:
        from rag.answer.extractive import ExtractiveStrategy

        return ExtractiveStrategy(settings)
    from rag.answer.llm import LLMStrategy

    return LLMStrategy(llm, settings)


__all__ = ["AnswerContext", "AnswerStrategy", "abstain", "build_strategy"]
