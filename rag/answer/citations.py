"""The one passage → citation mapping, and the `[n]` marker rules."""

from __future__ import annotations

import re

from llama_index.core.schema import NodeWithScore

from rag.infra.index import CorpusSnapshot
from rag.schema import Citation, RetrievedPassage, TranslationRef

# The citation marker: "[3]". One home for it (the UI and eval import it). At
# most three digits: "[2024]" in a text is a year, not a citation.
MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKER_LIST = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})+)\]")


def also_in(snapshot: CorpusSnapshot, doc_id: str) -> list[TranslationRef]:
    """The other language versions of a document's translation group."""
    doc = snapshot.docs.get(doc_id)
    if doc is None:
        return []
    return [
        TranslationRef(doc_id=o, file=snapshot.docs[o].file, language=snapshot.docs[o].language)
        for o in snapshot.groups.get(doc.translation_group, [])
        if o != doc_id and o in snapshot.docs
    ]


def _document_fields(snapshot: CorpusSnapshot, node) -> dict:
    meta = node.metadata
    doc_id = meta.get("doc_id", "")
    doc = snapshot.docs.get(doc_id)
    return {
        "doc_id": doc_id,
        "chunk_id": node.node_id,
        "file": meta.get("file", ""),
        "title": doc.title if doc else meta.get("title", ""),
        "language": doc.language if doc else meta.get("language", ""),
        "date": (doc.date if doc else meta.get("date")) or None,
        "translation_group": doc.translation_group if doc else None,
        "also_in": also_in(snapshot, doc_id),
        "url": (doc.url if doc else meta.get("url")) or "",
    }


def make_citation(n: int, snapshot: CorpusSnapshot, node, evidence: str) -> Citation:
    return Citation(n=n, text=evidence, passage=node.get_content(),
                    **_document_fields(snapshot, node))


def passages(snapshot: CorpusSnapshot, nodes: list[NodeWithScore]) -> list[RetrievedPassage]:
    return [RetrievedPassage(score=float(item.score or 0.0), text=item.node.get_content(),
                             **_document_fields(snapshot, item.node))
            for item in nodes]


def normalize_markers(text: str) -> str:
    """"[1, 2]" -> "[1][2]"."""
    return _MARKER_LIST.sub(lambda m: "".join(f"[{n.strip()}]" for n in m.group(1).split(",")),
                            text)


def invalid_markers(text: str, valid: set[int]) -> list[int]:
    return [int(m.group(1)) for m in MARKER.finditer(normalize_markers(text))
            if int(m.group(1)) not in valid]


def strip_invalid_markers(text: str, valid: set[int]) -> str:
    """Remove [n] markers that point to no given source."""
    cleaned = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "",
                         normalize_markers(text))
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()


def strip_markers(text: str) -> str:
    return MARKER.sub("", text)


def cited_numbers(text: str) -> list[int]:
    seen: list[int] = []
    for m in MARKER.finditer(normalize_markers(text)):
        n = int(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen
