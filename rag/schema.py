"""Typed results and streamed events. The CLI, UI and eval only consume these."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class TranslationRef(BaseModel):
    """Another language version of the same article."""

    doc_id: str
    file: str
    language: str


class RetrievedPassage(BaseModel):
    chunk_id: str
    doc_id: str
    file: str
    title: str
    language: str
    date: str | None = None
    score: float
    text: str
    translation_group: str | None = None
    also_in: list[TranslationRef] = Field(default_factory=list)


class Citation(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    file: str
    title: str
    language: str
    date: str | None = None
    text: str = Field(description="The evidence sentence(s) the answer rests on.")
    passage: str = Field(description="The whole passage the evidence comes from.")
    translation_group: str | None = None
    also_in: list[TranslationRef] = Field(default_factory=list)


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


NoticeCode = Literal[
    "llm_unavailable",
    "abstained",
    "unsupported_language",
    "language_retry",
    "ingested_seeds",
]


class Notice(BaseModel):
    code: NoticeCode
    message: str


class Answer(BaseModel):
    question: str
    language: str = Field(description="Language the answer is written (or framed) in.")
    question_language: str | None = Field(None, description="Detected language of the question.")
    text: str
    framing: str = Field("", description="Text the system wrote itself, quotes excluded.")
    mode: Literal["extractive", "llm"]
    model: str | None = None
    abstained: bool = False
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[RetrievedPassage] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    notices: list[Notice] = Field(default_factory=list)
    standalone_question: str | None = None
    latency_ms: float = 0.0


class SourcesEvent(BaseModel):
    kind: Literal["sources"] = "sources"
    retrieved: list[RetrievedPassage]


class DeltaEvent(BaseModel):
    kind: Literal["delta"] = "delta"
    text: str
    replace: bool = Field(False, description="The text replaces everything streamed so far.")


class NoticeEvent(BaseModel):
    kind: Literal["notice"] = "notice"
    notice: Notice


class DoneEvent(BaseModel):
    kind: Literal["done"] = "done"
    answer: Answer


Event = SourcesEvent | DeltaEvent | NoticeEvent | DoneEvent


class SkippedFile(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    documents: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[SkippedFile] = Field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0


class DocumentInfo(BaseModel):
    doc_id: str
    file: str
    title: str
    language: str
    date: str | None = None
    translation_group: str
    chunks: int
    content_hash: str = ""
    path: str = ""
