"""A document -> chunks (llama-index SentenceSplitter, cl100k-token bound,
vi/ru/en sentence rules) -> the sentences of each chunk, the units that are
embedded. Chunk and sentence ids are deterministic (`doc#hash12#i`,
`doc#hash12#i~j`), so a re-run overwrites and never duplicates."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from ingest.prepare import PreparedDocument
from rag.lang.text import split_sentences, splitter_sentences, token_counter

# Metadata that describes a chunk but must not be embedded or shown to the LLM
# as text (the prompt formats sources itself).
HIDDEN_KEYS = [
    "doc_id", "file", "path", "title", "language", "date", "category",
    "translation_group", "content_hash", "chunk_index", "kind", "url", "author", "site",
]
# Row-only metadata: where a document was found and how it was fetched, kept
# current on its manifest row (a chunk does not need it).
ROW_ONLY_KEYS = frozenset({"path", "fetch_url", "etag", "last_modified"})


@dataclass
class Sentence:
    id: str
    text: str
    chunk: int  # index of its chunk in ChunkedDocument.nodes
    position: int  # order in the document
    tokens: int  # cl100k tokens: its weight in its chunk's vector

    def metadata(self, doc_id: str, chunk_id: str, language: str) -> dict[str, Any]:
        # What retrieval reads: keep these keys.
        return {"doc_id": doc_id, "chunk_id": chunk_id, "language": language,
                "position": self.position, "words": len(self.text.split())}


@dataclass
class ChunkedDocument:
    doc: PreparedDocument
    nodes: list[Any]  # llama-index TextNodes, in order
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return sum(s.tokens for s in self.sentences)


@functools.cache
def _token_bound_splitter():
    from llama_index.core.node_parser import SentenceSplitter

    class TokenBoundSplitter(SentenceSplitter):
        """SentenceSplitter whose chunks never exceed chunk_size tokens.

        The stock splitter sums the token counts of its pieces, then strips the
        chunk; a piece that starts mid-sentence (' Northeast', 1 token) can count
        more once stripped ('Northeast', 2 tokens). Such a chunk is cut again."""

        def _postprocess_chunks(self, chunks: list[str]) -> list[str]:
            return [piece for chunk in super()._postprocess_chunks(chunks)
                    for piece in self._fit(chunk)]

        def _fit(self, chunk: str) -> list[str]:
            if self._token_size(chunk) <= self.chunk_size:
                return [chunk]
            splits = [s.text for s in self._split(chunk, self.chunk_size)]
            for cut in range(len(splits) - 1, 0, -1):
                head = "".join(splits[:cut]).strip()
                if head and self._token_size(head) <= self.chunk_size:
                    return [head, *self._fit("".join(splits[cut:]).strip())]
            return [chunk]

    return TokenBoundSplitter


@functools.lru_cache(maxsize=4)
def make_splitter(chunk_size: int, chunk_overlap: int):
    return _token_bound_splitter()(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        tokenizer=token_counter(),
        chunking_tokenizer_fn=splitter_sentences,
        id_func=lambda i, doc: f"{doc.doc_id}#{doc.metadata['content_hash'][:12]}#{i}",
        include_prev_next_rel=False,
    )


def chunk_document(doc: PreparedDocument, splitter) -> ChunkedDocument:
    """The document's chunks (TextNodes, no vectors yet) and their sentences."""
    from llama_index.core import Document

    document = Document(
        id_=doc.doc_id,
        text=doc.text,
        # A chunk needs no file path (the manifest row has it, and keeps it
        # current when a corpus folder moves).
        metadata={**{k: v for k, v in doc.metadata.items() if k not in ROW_ONLY_KEYS},
                  "translation_group": doc.doc_id, "kind": "chunk"},
        excluded_embed_metadata_keys=HIDDEN_KEYS,
        excluded_llm_metadata_keys=HIDDEN_KEYS,
    )
    nodes = splitter.get_nodes_from_documents([document])
    count = token_counter()
    chunked = ChunkedDocument(doc, nodes)
    position = 0
    for i, node in enumerate(nodes):
        for j, text in enumerate(split_sentences(node.get_content(), doc.metadata.get("language"))):
            chunked.sentences.append(
                Sentence(f"{node.node_id}~{j}", text, i, position, max(1, len(count(text)))))
            position += 1
    return chunked
