"""The engine: one object shared by the CLI, the UI and eval.

`stream()` yields typed events (sources, text deltas, notices, done); `answer()`
collects them into an `Answer`. The engine never imports gradio."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.config import Settings
from rag.errors import IndexNotBuiltError, InvalidQuestionError, RagError
from rag.language import SUPPORTED, detect_language, normalize_language_choice
from rag.prompts import CONDENSE_QUESTION, phrase
from rag.schema import (
    Answer,
    DeltaEvent,
    DocumentInfo,
    DoneEvent,
    Event,
    IngestReport,
    Notice,
    NoticeEvent,
    RetrievedPassage,
    SourcesEvent,
    Usage,
)

logger = logging.getLogger(__name__)

RETRIEVERS = ("hybrid", "dense", "bm25")
# Calibrated on eval/questions (see README "Relevance cutoff"): the best passage's
# language-calibrated dense z-score below which the engine abstains.
DEFAULT_MIN_SCORE = 0.09


class Engine:
    def __init__(self, settings: Settings, embed_model, llm, store):
        from rag.retrieval import SnapshotHolder

        self.settings = settings
        self.embed_model = embed_model
        self.llm = llm
        self.store = store
        self._snapshots = SnapshotHolder()
        self._embed_lock = threading.Lock()  # the C embedder is not re-entrant

    @classmethod
    def from_settings(cls, settings: Settings, warm_up: bool = True) -> Engine:
        from rag.components import build_embedder, build_llm
        from rag.embeddings import embedder_identity
        from rag.store import IndexStore

        # lingua loads its models on first use (~3 s): overlap that with the rest
        # of start-up instead of charging it to the first question.
        # Commands that may never detect a language (sources, ingest) pass False.
        if warm_up:
            threading.Thread(target=warm_up_language_detector, daemon=True).start()
        embed_model = build_embedder(settings)
        store = IndexStore(settings, embedder_identity(embed_model))
        return cls(settings, embed_model, build_llm(settings), store)

    # -- description -----------------------------------------------------------
    @property
    def mode(self) -> str:
        return "llm" if self.llm is not None else "extractive"

    @property
    def mode_label(self) -> str:
        return f"LLM {self.settings.llm.model}" if self.llm is not None else "offline extractive"

    def describe(self) -> dict:
        docs = self.documents()
        import hashlib

        fingerprint = hashlib.sha256(
            "".join(sorted(d.content_hash for d in docs)).encode()
        ).hexdigest()[:16]
        return {
            "mode": self.mode,
            "llm_model": self.settings.llm.model if self.llm is not None else None,
            "embedding": self.store.embedder_id,
            "retriever": self.settings.retrieval.retriever,
            "top_k": self.settings.retrieval.top_k,
            "chunk_size": self.settings.ingest.chunk_size,
            "corpus_fingerprint": fingerprint,
            "documents": len(docs),
            "store": self.settings.store_mode,
            "price_prompt_per_1m": self.settings.llm.price_prompt_per_1m,
            "price_completion_per_1m": self.settings.llm.price_completion_per_1m,
        }

    # -- index management ----------------------------------------------------
    def ingest(
        self,
        paths: list[Path] | None = None,
        rebuild: bool = False,
        show_progress: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> IngestReport:
        from ingest.pipeline import Ingestor

        paths = [Path(p) for p in (paths or [self.settings.corpus_dir])]
        report = Ingestor(self.store, self.embed_model, self.settings).run(
            paths, rebuild=rebuild, progress=progress, show_progress=show_progress
        )
        return report

    def ensure_index(self, show_progress: bool = False) -> bool:
        """Ingest the corpus folder when the index is empty. True if it did."""
        if not self.store.is_empty():
            return False
        corpus = Path(self.settings.corpus_dir)
        logger.info("the index is empty: ingesting %s", corpus)
        report = self.ingest([corpus], show_progress=show_progress)
        if not report.documents:
            logger.warning(
                "no readable articles in %s (%s): questions will find nothing until you add "
                "some (Documents tab, or `rag ingest PATH`), or set RAG_CORPUS_DIR",
                corpus, corpus.resolve())
            return False
        return True

    def documents(self) -> list[DocumentInfo]:
        return self.store.documents()

    def delete_document(self, doc_id: str) -> None:
        cols = self.store.collections()
        if cols is None or not cols["documents"].get(ids=[doc_id])["ids"]:
            raise RagError(f"no document with id {doc_id!r} in the index")
        from ingest.pipeline import Ingestor

        Ingestor(self.store, self.embed_model, self.settings).delete(doc_id)

    def document_text(self, doc_id: str) -> str:
        cols = self.store.collections()
        if cols is None:
            raise IndexNotBuiltError("the index is empty: run `rag ingest` first")
        rows = cols["chunks"].get(where={"document_id": doc_id}, include=["documents"])
        if not rows["ids"]:
            raise RagError(f"no document with id {doc_id!r} in the index")
        ordered = sorted(zip(rows["ids"], rows["documents"], strict=True),
                         key=lambda r: int(r[0].rsplit("#", 1)[-1]))
        return _merge_overlapping([text for _, text in ordered])

    # -- question handling ---------------------------------------------------
    def _check_question(self, question: str) -> str:
        if question is None or not str(question).strip():
            raise InvalidQuestionError(
                "the question is empty: type a question in Vietnamese, English or Russian"
            )
        question = str(question).strip()
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise InvalidQuestionError(
                f"the question is {len(question):,} characters long; the limit is {limit:,} "
                "(RAG_MAX_QUESTION_CHARS). Shorten it to the question itself."
            )
        return question

    def _embed_query(self, text: str) -> np.ndarray:
        with self._embed_lock:
            return np.asarray(self.embed_model.get_query_embedding(text), dtype=np.float32)

    def _snapshot(self):
        return self._snapshots.get(self.store)

    def _sentences(self):
        sentences = self._snapshot().evidence_sentences
        if sentences is None:
            raise IndexNotBuiltError("the index is empty: run `rag ingest` first")
        return sentences

    def retrieve(
        self,
        question: str,
        language: str,
        retriever: str | None = None,
        top_k: int | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[NodeWithScore]:
        """Ranked passages for the question; [] means nothing relevant (abstain)."""
        from rag.store import store_call

        name = retriever or self.settings.retrieval.retriever
        if name not in RETRIEVERS:
            raise RagError(f"unknown retriever {name!r}: choose one of {', '.join(RETRIEVERS)}")
        with store_call("retrieving passages"):
            return self._retrieve(question, language, name, top_k, query_vector)

    def _retrieve(self, question, language, name, top_k, query_vector) -> list[NodeWithScore]:
        from rag.retrieval import (
            FusedRetriever,
            KeyTermGuard,
            LanguageBM25Retriever,
            PerDocumentLimit,
            RelevanceCutoff,
            SentencePoolRetriever,
            TranslationCollapse,
        )

        top_k = top_k or self.settings.retrieval.top_k
        snapshot = self._snapshot()
        if not snapshot.chunk_count:
            raise IndexNotBuiltError("the index is empty: run `rag ingest` first")
        cols = snapshot.cols
        if query_vector is None:
            query_vector = self._embed_query(question)
        bundle = QueryBundle(query_str=question, embedding=query_vector.tolist())
        pool_k = max(self.settings.retrieval.pool_k, top_k)
        match name:
            case "dense":
                from llama_index.core import VectorStoreIndex

                index = VectorStoreIndex.from_vector_store(
                    self.store.vector_store(cols["chunks"]), embed_model=self.embed_model
                )
                return index.as_retriever(similarity_top_k=top_k).retrieve(bundle)
            case "bm25":
                return LanguageBM25Retriever(snapshot, language, top_k).retrieve(bundle)
        dense = SentencePoolRetriever(cols["sentences"], snapshot, pool_k)
        bm25 = (
            LanguageBM25Retriever(snapshot, language, pool_k)
            if self.settings.retrieval.bm25_weight > 0 and snapshot.bm25 is not None
            else None
        )
        fused = FusedRetriever(dense, bm25, top_k=pool_k * 2)
        nodes = fused.retrieve(bundle)
        min_score = self.settings.retrieval.min_score or DEFAULT_MIN_SCORE
        for post in (
            KeyTermGuard(snapshot),
            TranslationCollapse(snapshot, language),
            PerDocumentLimit(
                max_per_doc=self.settings.retrieval.max_per_doc,
                max_first=max(self.settings.retrieval.max_per_doc, top_k - 2),
            ),
            RelevanceCutoff(min_score, fused.dense_scores),
        ):
            nodes = post.postprocess_nodes(nodes, bundle)
        for item in nodes:  # report the calibrated dense score, not the RRF rank score
            item.score = fused.dense_scores.get(item.node.node_id, item.score)
        return nodes[:top_k]

    def _passages(self, nodes: list[NodeWithScore]) -> list[RetrievedPassage]:
        from rag.answer import also_in

        snapshot = self._snapshot()
        passages = []
        for item in nodes:
            meta = item.node.metadata
            doc = snapshot.docs.get(meta.get("doc_id", ""))
            passages.append(
                RetrievedPassage(
                    chunk_id=item.node.node_id,
                    doc_id=meta.get("doc_id", ""),
                    file=meta.get("file", ""),
                    title=doc.title if doc else meta.get("title", ""),
                    language=doc.language if doc else meta.get("language", ""),
                    date=(doc.date if doc else meta.get("date")) or None,
                    score=float(item.score or 0.0),
                    text=item.node.get_content(),
                    translation_group=doc.translation_group if doc else None,
                    also_in=also_in(snapshot, meta.get("doc_id", "")),
                )
            )
        return passages

    def _condense(self, question: str, history: list[dict] | None, deadline: float) -> str:
        """A standalone question for retrieval, using the conversation."""
        turns = [t for t in (history or []) if t.get("role") in ("user", "assistant") and t.get("content")]
        if not turns:
            return question
        if self.llm is not None:
            from rag.answer import LLMAnswerer, LLMUnavailable

            transcript = "\n".join(f"{t['role']}: {str(t['content'])[:1000]}" for t in turns[-6:])
            try:
                condensed = LLMAnswerer(self.llm, self.settings).complete(
                    CONDENSE_QUESTION.format(history=transcript, question=question),
                    min(deadline, time.monotonic() + self.settings.llm.request_timeout),
                )
                if condensed and len(condensed) < 2 * self.settings.max_question_chars:
                    return condensed
            except LLMUnavailable:
                logger.warning("could not condense the follow-up; using it as is")
        # Offline: a short follow-up ("and in 2025?") borrows the previous question.
        previous = [t["content"] for t in turns if t["role"] == "user"]
        if previous and len(question.split()) < 8:
            return f"{str(previous[-1])[:500]} {question}"
        return question

    def stream(
        self,
        question: str,
        lang: str | None = None,
        history: list[dict] | None = None,
        *,
        retriever: str | None = None,
        top_k: int | None = None,
    ) -> Iterator[Event]:
        """Answer a question, yielding events as they happen.

        Raises InvalidQuestionError (empty, too long, unknown language choice) and
        IndexNotBuiltError before yielding anything; never fails mid-answer."""
        started = time.perf_counter()
        deadline = time.monotonic() + self.settings.llm.timeout
        question = self._check_question(question)
        chosen = normalize_language_choice(lang)
        detected = detect_language(question)
        notices: list[Notice] = []
        language = chosen or detected
        if language not in SUPPORTED:
            language = "en"
            notices.append(Notice(code="unsupported_language",
                                  message=phrase("unsupported_language", "en", code=detected)))
        standalone = self._condense(question, history, deadline)
        query_vector = self._embed_query(standalone)
        nodes = self.retrieve(standalone, language, retriever, top_k, query_vector=query_vector)
        passages = self._passages(nodes)
        yield SourcesEvent(retrieved=passages)
        for notice in notices:
            yield NoticeEvent(notice=notice)

        answer = Answer(
            question=question, language=language, question_language=detected, text="",
            mode=self.mode, model=self.settings.llm.model if self.llm is not None else None,
            retrieved=passages, notices=notices,
            standalone_question=standalone if standalone != question else None,
        )
        if not nodes:
            yield from self._abstain(answer, question)
        elif self.llm is not None:
            yield from self._answer_llm(answer, standalone, language, nodes, query_vector, deadline)
        else:
            yield from self._answer_extractive(answer, standalone, language, nodes, query_vector)
        answer.latency_ms = (time.perf_counter() - started) * 1000
        yield DoneEvent(answer=answer)

    def answer(self, question: str, lang: str | None = None, history: list[dict] | None = None,
               *, retriever: str | None = None, top_k: int | None = None) -> Answer:
        for event in self.stream(question, lang, history, retriever=retriever, top_k=top_k):
            if isinstance(event, DoneEvent):
                return event.answer
        raise RagError("the engine stopped without an answer")  # pragma: no cover

    # -- answer modes ----------------------------------------------------------
    def _abstain(self, answer: Answer, question: str) -> Iterator[Event]:
        text = phrase("abstain", answer.language)
        answer.text = text
        answer.framing = text
        answer.abstained = True
        notice = Notice(code="abstained", message=text)
        answer.notices.append(notice)
        yield NoticeEvent(notice=notice)
        yield DeltaEvent(text=text)

    def _answer_extractive(self, answer, question, language, nodes, query_vector) -> Iterator[Event]:
        from rag.answer import ExtractiveAnswerer

        snapshot = self._snapshot()
        answerer = ExtractiveAnswerer(self._sentences())
        from rag.store import store_call

        with store_call("reading evidence sentences"):
            evidence = answerer.select(question, query_vector, language, nodes, snapshot)
        if not evidence:
            yield from self._abstain(answer, question)
            return
        text, framing, citations = answerer.render(evidence, language, snapshot)
        answer.text, answer.framing, answer.citations = text, framing, citations
        yield DeltaEvent(text=text)

    def _answer_llm(self, answer, question, language, nodes, query_vector, deadline):
        from rag.answer import LLMAnswerer, LLMUnavailable, cited_numbers, make_citation
        from rag.answer import strip_invalid_markers as strip_markers

        answerer = LLMAnswerer(self.llm, self.settings)
        prompt = answerer.prepare(question, language, nodes)
        parts: list[str] = []
        try:
            for delta in answerer.stream(prompt, deadline):
                if delta == "":  # a broken attempt: its partial text is void
                    parts.clear()
                    yield DeltaEvent(text="", replace=True)
                    continue
                parts.append(delta)
                yield DeltaEvent(text=delta)
        except LLMUnavailable as exc:
            logger.warning("falling back to the extractive answer: %s", exc)
            notice = Notice(code="llm_unavailable", message=phrase("llm_unavailable", language))
            answer.notices.append(notice)
            yield NoticeEvent(notice=notice)
            answer.mode = "extractive"
            fallback = list(self._answer_extractive(answer, question, language, nodes, query_vector))
            yield DeltaEvent(text=answer.text, replace=True)
            yield from (e for e in fallback if not isinstance(e, DeltaEvent))
            return
        raw = "".join(parts).strip()
        if answerer.is_no_answer(raw):
            answer.usage = answerer.usage(prompt, raw, self.settings.llm.model)
            yield DeltaEvent(text="", replace=True)
            yield from self._abstain(answer, question)
            return
        valid = set(range(1, len(prompt.sources) + 1))
        text = strip_markers(raw, valid)
        fixed = answerer.fix_language(text, language, deadline)
        if fixed:
            answer.notices.append(Notice(code="language_retry",
                                         message=f"answer rewritten in {language}"))
            text = strip_markers(fixed, valid)
        if text != raw:
            yield DeltaEvent(text=text, replace=True)
        snapshot = self._snapshot()
        from rag.answer import ExtractiveAnswerer

        citations = []
        for n in cited_numbers(text):
            node = prompt.sources[n - 1]
            evidence = ExtractiveAnswerer(self._sentences()).select(
                question, query_vector, language, [node], snapshot)
            sentence = evidence[0].sentence.text if evidence else node.node.get_content()[:300]
            citations.append(make_citation(n, snapshot, node.node, sentence))
        answer.text = text
        answer.framing = _strip_citations(text)
        answer.citations = citations
        answer.usage = answerer.usage(prompt, raw + (fixed or ""), self.settings.llm.model)


def warm_up_language_detector() -> None:
    detect_language("Warm up the language models for the first question.")


def _strip_citations(text: str) -> str:
    import re

    return re.sub(r"\[\d+\]", "", text)


def _merge_overlapping(chunks: list[str]) -> str:
    """Join consecutive chunks, dropping the text they share (the chunk overlap)."""
    if not chunks:
        return ""
    merged = chunks[0]
    for chunk in chunks[1:]:
        overlap = 0
        for size in range(min(len(merged), len(chunk), 2000), 20, -1):
            if merged.endswith(chunk[:size]):
                overlap = size
                break
        merged += ("" if overlap else "\n") + chunk[overlap:]
    return merged


__all__ = ["Engine", "Usage"]
