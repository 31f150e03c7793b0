"""One file -> clean text + metadata (title, language, publication date) and
the content hash that decides whether it needs embedding."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.clean import clean_article
from ingest.loaders import CorpusFile, load_file, location
from rag.errors import DocumentError

TITLE_CHARS = 300


@dataclass
class PreparedDocument:
    source: CorpusFile
    text: str
    metadata: dict[str, Any]
    content_hash: str
    tokens: int = 0  # cl100k tokens, counted once it is to be embedded (progress)

    @property
    def doc_id(self) -> str:
        return self.source.doc_id

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def language(self) -> str:
        return self.metadata["language"]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(source: CorpusFile, max_bytes: int) -> PreparedDocument:
    """Read and clean one file. Language and date are left for `enrich`, which
    only documents that will be embedded pay for."""
    raw = load_file(source.path, max_bytes)
    cleaned = clean_article(raw.text, raw.title_hint)
    if not cleaned.text.strip():
        raise DocumentError(f"{source.name}: nothing left after cleaning", code="no_text")
    digest = content_hash(cleaned.text)
    metadata = {
        "doc_id": source.doc_id,
        "file": source.doc_id,
        "path": str(location(source.path)),
        "title": cleaned.title[:TITLE_CHARS],
        "language": "",
        "date": cleaned.date or raw.date_hint or "",  # dateline or markup; else found by `enrich`
        "category": cleaned.category or "",
        "content_hash": digest,
    }
    if raw.author:
        metadata["author"] = raw.author
    return PreparedDocument(source, cleaned.text, metadata, digest)


def corpus_language(text: str) -> str:
    from rag.lang.registry import supported
    from rag.query.language import detect_language

    code = detect_language(text, default="other")
    return code if code in supported() else "other"


def enrich(doc: PreparedDocument) -> None:
    """Detect the language and the publication date (once per embedded version)."""
    from ingest.dates import publication_date

    if not doc.metadata["language"]:
        doc.metadata["language"] = corpus_language(doc.text)
    if not doc.metadata["date"]:
        doc.metadata["date"] = publication_date(doc.text, doc.metadata["language"]) or ""
