"""Retrieval: retrievers (calibrated sentence pools, dense, BM25), filters
(llama-index postprocessors) and the pipeline that assembles them per question."""
