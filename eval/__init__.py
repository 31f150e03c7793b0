"""Evaluation of the RAG engine: question files, metrics, reports, comparisons.

Nothing heavy happens at import time; see `eval.run.run_eval` (the `rag eval` command
is `cli.eval_cmd`).
The report format is the contract in EVAL_FORMAT.md (summarised in eval/README.md).
"""
