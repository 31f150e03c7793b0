"""latency: warm per-question latency on the seed corpus.

Extractive mode (offline default) and the LLM path against FakeOpenAI (scripted
short replies in the question's language, zero delay, served from a thread of
this process), on one index. Engine loaded, one warm-up pass per path, then
`--reps` passes over all eval questions, the two paths interleaved pass by pass.
Per stage: language detection, query embedding, retrieval, passage building,
answering (extractive selection, or prompt + streamed LLM reply + citations).

Run: python -m bench latency [--reps 3]"""

from __future__ import annotations

import argparse
import functools
import time
from typing import Any

from bench import common, inputs
from bench.common import Timer, say

TARGETS = {"extractive_p50_ms": 100.0, "extractive_p95_ms": 250.0}
REPLIES = {
    "English": "According to the sources, the answer is given in the first passage [1].",
    "Vietnamese": "Theo các nguồn tin, câu trả lời nằm trong đoạn văn thứ nhất [1].",
    "Russian": "Согласно источникам, ответ содержится в первом отрывке [1].",
}
STAGES = ("detect_language", "embed_query", "retrieve", "passages", "answer")


def _reply(body: dict) -> str:
    """A short cited reply in the language the system prompt asks for."""
    system = " ".join(str(m.get("content", "")) for m in body.get("messages", [])
                      if m.get("role") == "system")
    for name, text in REPLIES.items():
        if f"in {name}" in system:
            return text
    return REPLIES["English"]


class StageProbe:
    """Times the engine's stages by wrapping its methods on the instance."""

    def __init__(self, engine):
        self.timer = Timer()
        import rag.engine

        common.wrap_method(engine, "_embed_query", self.timer, "embed_query")
        # the answering path calls _retrieve (it also returns why nothing was found)
        common.wrap_method(engine, "_retrieve", self.timer, "retrieve")
        # the passage mapping is a module function the engine imported by name
        original = getattr(rag.engine.passages, "__wrapped__", rag.engine.passages)
        rag.engine.passages = _timed(original, self.timer, "passages")
        self._wrap_generator(engine._strategy, "stream")

    def _wrap_generator(self, strategy, name: str) -> None:
        original = getattr(strategy, name)
        timer = self.timer

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            events = list(original(*args, **kwargs))
            timer.add("answer", time.perf_counter() - start)
            yield from events

        setattr(strategy, name, wrapper)


def _timed(func, timer: Timer, label: str):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            timer.add(label, time.perf_counter() - start)

    return wrapper


def _install_detect_probe(active: dict) -> None:
    import rag.engine

    original = rag.engine.detect_language

    def detect(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            if active.get("timer") is not None:
                active["timer"].add("detect_language", time.perf_counter() - start)

    rag.engine.detect_language = detect


def _pass(engine, probe: StageProbe, questions, active: dict, out: dict | None) -> None:
    active["timer"] = probe.timer
    for q in questions:
        probe.timer.reset()
        start = time.perf_counter()
        answer = engine.answer(q.question)
        total = (time.perf_counter() - start) * 1000
        if out is None:
            continue
        out.setdefault("total_ms", []).append(total)
        staged = 0.0
        for stage in STAGES:
            ms = probe.timer.totals.get(stage, 0.0) * 1000
            staged += ms
            out.setdefault(f"{stage}_ms", []).append(ms)
        out.setdefault("other_ms", []).append(total - staged)
        out.setdefault("abstained", []).append(answer.abstained)
        out.setdefault("mode", []).append(answer.mode)
    active["timer"] = None


def _summary(samples: dict[str, list]) -> dict[str, Any]:
    out = {}
    for key, values in samples.items():
        if key.endswith("_ms"):
            out[key[:-3]] = {"p50": common.percentile(values, 50),
                             "p95": common.percentile(values, 95),
                             "mean": sum(values) / len(values), "n": len(values)}
    return out


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    from pydantic import SecretStr

    from tests.support.fake_openai import FakeOpenAI

    reps = options.reps
    result = common.Result("latency", argv)
    questions = inputs.load_questions()
    data_dir = inputs.copy_index(inputs.seed_index(), "latency-")
    extractive = common.make_engine(common.make_settings(data_dir))
    active: dict[str, Any] = {}
    _install_detect_probe(active)
    samples: dict[str, dict[str, list]] = {"extractive": {}, "llm": {}}
    with FakeOpenAI() as server:
        server.default_reply = _reply
        settings = common.make_settings(
            data_dir, llm__mode="openai-compatible", openai_base_url=server.base_url,
            openai_api_key=SecretStr("bench-not-a-key"))
        llm = common.make_engine(settings)
        assert llm.mode == "llm" and extractive.mode == "extractive"
        probes = {"extractive": StageProbe(extractive), "llm": StageProbe(llm)}
        engines = {"extractive": extractive, "llm": llm}
        say(f"latency: warm-up pass ({len(questions)} questions per path)...")
        for name in engines:
            _pass(engines[name], probes[name], questions, active, None)
        warm_requests = len(server.requests)
        for rep in range(reps):
            say(f"latency: pass {rep + 1}/{reps}...")
            for name in engines:  # interleaved: machine drift hits both paths alike
                _pass(engines[name], probes[name], questions, active, samples[name])
        llm_requests = len(server.requests) - warm_requests
    common.remove(data_dir.parent)

    summaries = {name: _summary(s) for name, s in samples.items()}
    ext, llm_s = summaries["extractive"]["total"], summaries["llm"]["total"]
    per_question_overhead = [
        b - a for a, b in zip(samples["extractive"]["total_ms"], samples["llm"]["total_ms"],
                              strict=True)]
    result["config"] = {
        "questions": len(questions), "reps": reps, "warm_up_passes": 1,
        "index": "seed corpus (5 articles)", "percentile_method": "nearest-rank",
        "fake_llm": "tests/support/fake_openai.py, zero delay, streamed short reply with [1]",
    }
    result["targets"] = TARGETS
    result["samples"] = samples
    result["medians"] = {name: {stage: v["p50"] for stage, v in s.items()}
                         for name, s in summaries.items()}
    result["percentiles"] = summaries
    result["ratios"] = {
        "llm_vs_extractive_p50": common.ratio(llm_s["p50"], ext["p50"]),
        "llm_vs_extractive_p95": common.ratio(llm_s["p95"], ext["p95"]),
        "extractive_p50_vs_target": common.ratio(ext["p50"], TARGETS["extractive_p50_ms"]),
        "extractive_p95_vs_target": common.ratio(ext["p95"], TARGETS["extractive_p95_ms"]),
    }
    result["llm_path_overhead_ms"] = {
        "median_per_question": common.median(per_question_overhead),
        "requests_per_answer": llm_requests / (reps * len(questions)),
    }
    result["targets_met"] = {
        "extractive_p50_ms": ext["p50"] <= TARGETS["extractive_p50_ms"],
        "extractive_p95_ms": ext["p95"] <= TARGETS["extractive_p95_ms"],
    }
    result.note("total = wall time of Engine.answer(question) (language auto-detected); "
                "stages are wall times of the engine's own methods, 'other' is the rest")
    result.note("the FakeOpenAI server runs in a thread of the measured process (it shares "
                "the GIL), so the LLM path includes the fake's own serving time")
    result.write()
    rows = []
    for stage in ("total", *STAGES, "other"):
        e, m = summaries["extractive"][stage], summaries["llm"][stage]
        rows.append([stage, e["p50"], e["p95"], m["p50"], m["p95"]])
    say(common.table(["stage (ms)", "extractive p50", "extractive p95", "LLM p50", "LLM p95"],
                     rows))
    say(f"targets: extractive p50 <= 100 ms: {result['targets_met']['extractive_p50_ms']}, "
        f"p95 <= 250 ms: {result['targets_met']['extractive_p95_ms']}; LLM/extractive p50 "
        f"ratio {result['ratios']['llm_vs_extractive_p50']:.2f}")
    return result.data
