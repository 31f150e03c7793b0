"""Benchmark suite: `python -m bench [NAME ...]` (see bench/README.md).

Each benchmark writes bench/results/<name>.json (machine, command, raw samples,
medians, ratios against a baseline measured in the same run) and prints a table."""
