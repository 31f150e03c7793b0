"""Find documents that are translations of one another, from content alone.

Two documents in different languages are linked when most sentences of the
shorter one have a close cross-lingual counterpart (multilingual-e5 sentence
vectors) in the other. Articles on the same topic share vocabulary but not
sentence-by-sentence meaning, so this separates translations from neighbours.
Groups are the connected components of the links; a group's id is its
smallest doc_id, so it is stable while its members are."""

from __future__ import annotations

import logging

import numpy as np

logger = logging.getLogger(__name__)

# Cosine similarity above which two sentences count as each other's translation.
SENTENCE_MATCH = 0.86
CANDIDATES = 10


def alignment_score(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the shorter document's sentences with a close match in the other.

    `a`, `b`: (n, d) L2-normalised sentence vectors."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    sims = short @ long_.T
    best = sims.max(axis=1)
    # Length ratio guards against a short note matching inside a long article.
    ratio = len(short) / len(long_)
    return float((best >= SENTENCE_MATCH).mean() * min(1.0, ratio / 0.5))


def connected_groups(doc_ids: list[str], links: dict[str, set[str]]) -> dict[str, str]:
    """doc_id -> group id (the smallest doc_id in its component)."""
    parent = {d: d for d in doc_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc, others in links.items():
        for other in others:
            if doc in parent and other in parent:
                ra, rb = find(doc), find(other)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {d: find(d) for d in doc_ids}
