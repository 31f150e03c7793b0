"""Typed results and streamed events. The CLI, UI and eval only consume these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field


class ReasonCode(StrEnum):
    """Why an answer is as strong as it is, or why there is none: one code
    shared by retrieval, the answer checks of both strategies, the confidence
    badge and the eval report (each has a phrase in rag.lang.prompts)."""

    # an answer
    SPAN_IN_QUOTE = "span_in_quote"  # the quote holds the kind of fact asked for
    CLOSE_MATCH = "close_match"
    PARTIAL_MATCH = "partial_match"
    WEAK_MATCH = "weak_match"
    # no answer
    NOT_FOUND = "not_found"  # no passage is relevant enough
    NOT_MENTIONED = "not_mentioned"  # no article mentions a name or day the question asks about
    NO_SPAN = "no_span"  # no sentence holds the kind of fact asked for
    NO_COUNTRY = "no_country"  # "which countries …": no sentence names another country
    ONLY_DEPUTY = "only_deputy"
    OTHER_BODY = "other_body"
    NO_OFFICE = "no_office"
    AFTER_ARTICLES = "after_articles"
    ONLY_UPCOMING = "only_upcoming"
    NOT_SAID = "not_said"
    OTHER_PERIOD = "other_period"


@dataclass
class Refusal:
    """Why there is no answer: its reason code, what its explanation names
    (names, days, years, an office …) and the evidence it is about (quoted
    with the refusal so that it can be checked)."""

    code: ReasonCode
    details: dict[str, Any] = field(default_factory=dict)
    judged: Any = None


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
    url: str = Field("", description="The article's web address (canonical URL); empty for files.")


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
    url: str = Field("", description="The article's web address (canonical URL); empty for files.")


class Confidence(BaseModel):
    """How strongly the quoted evidence supports the answer, from the engine's
    calibrated evidence score."""

    level: Literal["strong", "partial", "weak", "none"]
    reason_code: ReasonCode = Field(description="Stable key of the reason, for localisation.")
    reason: str = Field("", description="One line, in the answer language.")
    score: float = 0.0


class Scope(BaseModel):
    """Restricts a question to some documents and/or a publication-date range."""

    doc_ids: list[str] | None = None
    since: date | None = None
    until: date | None = None

    def is_empty(self) -> bool:
        return not self.doc_ids and self.since is None and self.until is None

    def admits(self, doc: DocumentInfo) -> bool:
        """Whether a document may be answered from: listed (when documents are
        chosen) and published within the range (an undated article cannot be
        shown to fall in one)."""
        if self.doc_ids and doc.doc_id not in self.doc_ids:
            return False
        if self.since is None and self.until is None:
            return True
        try:
            published = date.fromisoformat(doc.date[:10]) if doc.date else None
        except ValueError:
            published = None
        return published is not None and not (
            (self.since and published < self.since) or (self.until and published > self.until))


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


NoticeCode = Literal[
    "llm_unavailable",
    "abstained",
    "unsupported_language",
    "no_tone_marks",
    "language_retry",
    "ingested_seeds",
    # LLM path: why the model's answer was replaced (docs/operations.md, "Failure behaviour")
    "llm_timeout",
    "llm_rejected",
    "llm_incomplete",
    "llm_wrong_language",
    "llm_uncited",
    "citation_retry",
    "understood_as",  # a follow-up joined to the previous question: how it was read
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
    confidence: Confidence | None = None
    latency_ms: float = 0.0

    def public_dict(self) -> dict:
        """The answer as `rag ask --json` and the UI's /ask API return it."""
        return {
            "question": self.question,
            "language": self.language,
            "answer": self.text,
            "mode": self.mode,
            "abstained": self.abstained,
            "citations": [
                {"n": c.n, "file": c.file, "title": c.title, "language": c.language,
                 "date": c.date, "text": c.text, "url": c.url}
                for c in self.citations
            ],
            "retrieved": [
                {"file": r.file, "language": r.language, "score": round(r.score, 4), "text": r.text}
                for r in self.retrieved
            ],
            "usage": self.usage.model_dump(),
            "latency_ms": round(self.latency_ms, 1),
            "notices": [n.model_dump() for n in self.notices],
            "confidence": self.confidence.model_dump() if self.confidence else None,
        }


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


# The file types ingest reads (ingest.loaders); the UI's upload check uses the same list.
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


class SkippedFile(BaseModel):
    path: str = Field(description="The file, or the web address.")
    reason: str
    code: str = Field("", description="Why, as the error's code (RagError.code: binary, empty, encoding, "
                      "no_text, ... for files; web_* for pages), for messages in the reader's language.")
    params: dict[str, str] = Field(default_factory=dict, description="The figures its message quotes.")

    @classmethod
    def from_error(cls, path: str, exc: Exception) -> SkippedFile:
        """The file or page `path` passed over because of `exc` (a RagError keeps its code and figures)."""
        params = {k: str(v) for k, v in getattr(exc, "params", {}).items()}
        return cls(path=path, reason=str(exc), code=getattr(exc, "code", ""), params=params)


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
    url: str = Field("", description="The article's web address (canonical URL); empty for files.")
    author: str = ""
    deleted_at: float | None = Field(None, description="Soft-deleted at (epoch s); None = live.")
