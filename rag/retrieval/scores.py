"""A retrieved passage has two scores: the one it is ranked by (calibrated
similarity plus lexical evidence, rag/retrieval/fusion.py) and its calibrated
similarity alone. The relevance cutoff and the answer's confidence bands were
measured on the second; lexical evidence reorders passages, it does not make
the evidence stronger."""

from __future__ import annotations

from llama_index.core.schema import NodeWithScore


class FusedNode(NodeWithScore):
    """A passage ranked by `score`, with its calibrated similarity kept."""

    calibrated: float = 0.0


def calibrated_score(item: NodeWithScore) -> float:
    """The passage's calibrated similarity, lexical evidence left out."""
    return item.calibrated if isinstance(item, FusedNode) else item.score or 0.0
