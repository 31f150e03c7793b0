"""Evaluation of the RAG engine: question files, metrics, reports, comparisons.

Nothing heavy happens at import time; see `eval.run.run_eval` and `eval.cli.eval_command`.
The report format is the contract in EVAL_FORMAT.md (summarised in eval/README.md).
"""
