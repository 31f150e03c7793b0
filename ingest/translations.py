"""Find documents that are translations of one another, from content alone.

Two documents in different languages are linked when most sentences of the
shorter one have a close cross-lingual counterpart (multilingual-e5 sentence
vectors) in the other. Articles on the same topic share vocabulary but not
sentence-by-sentence meaning, so this separates translations from neighbours.

A group holds at most one document per language: links are taken strongest
first, and one that would put two documents of a language in a group is
dropped. Shared boilerplate ("Follow us on …") can therefore never chain
same-language articles into one group. A group's id is its smallest doc_id.

Grouping runs after every committed batch, in bulk: candidate documents are
ranked by their centroids in memory, their sentence vectors are read with
one Chroma call per language, and only rows whose group changed are written
(chunks first, then rows, so a run killed in between repairs itself)."""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np

from ingest.chunking import ChunkedDocument
from ingest.manifest import Manifest
from ingest.vectors import BatchVectors
from rag.infra.store import get_all

logger = logging.getLogger(__name__)

# Cosine similarity above which two sentences count as each other's translation.
SENTENCE_MATCH = 0.86
# Other-language documents, nearest by centroid, checked sentence by sentence.
CANDIDATES = 10
# Sentence vectors kept in memory between batches (bytes).
CACHE_BYTES = 256 * 2**20


def _share(short: np.ndarray, long_: np.ndarray) -> float:
    best = (short @ long_.T).max(axis=1)
    # Length ratio guards against a short note matching inside a long article.
    ratio = len(short) / len(long_)
    return float((best >= SENTENCE_MATCH).mean() * min(1.0, ratio / 0.5))


def alignment_score(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the shorter document's sentences with a close match in the
    other (the smaller of both directions when they are as long): symmetric,
    so the links do not depend on which document was ingested first.

    `a`, `b`: (n, d) L2-normalised sentence vectors."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    if len(a) == len(b):
        return min(_share(a, b), _share(b, a))
    return _share(a, b) if len(a) < len(b) else _share(b, a)


def assign_groups(languages: dict[str, str], links: dict[str, dict[str, float]]
                  ) -> dict[str, str]:
    """doc_id -> group id. Links are merged strongest first; a merge that would
    put two documents of one language in a group is skipped."""
    parent = {d: d for d in languages}
    members_languages = {d: {languages[d]} for d in languages}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = {(min(a, b), max(a, b)): score for a, others in links.items()
             for b, score in others.items() if a in parent and b in parent}
    for (a, b), _ in sorted(edges.items(), key=lambda e: (-e[1], e[0])):
        ra, rb = find(a), find(b)
        if ra == rb or members_languages[ra] & members_languages[rb]:
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members_languages[keep] |= members_languages.pop(gone)
    return {d: find(d) for d in languages}


def _links_of(row: dict[str, Any]) -> dict[str, float]:
    raw = row.get("translations") or ""
    if not raw.startswith("{"):
        return {}  # none, or the 'a|b' form of earlier versions (relinked when touched)
    try:
        return {k: float(v) for k, v in json.loads(raw).items()}
    except (ValueError, TypeError, AttributeError):
        return {}


class TranslationLinker:
    def __init__(self, cols: dict[str, Any], manifest: Manifest, threshold: float):
        self.cols = cols
        self.manifest = manifest
        self.threshold = threshold
        self._centroids: dict[str, np.ndarray] | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self.links = {d: _links_of(row) for d, row in manifest.rows.items()}

    # -- what is known -----------------------------------------------------------
    def centroids(self) -> dict[str, np.ndarray]:
        if self._centroids is None:
            rows = get_all(self.cols["documents"], include=["embeddings"])
            self._centroids = {d: np.asarray(v, dtype=np.float32)
                               for d, v in zip(rows["ids"], rows["embeddings"], strict=True)}
        return self._centroids

    def committed(self, batch: list[ChunkedDocument], vectors: BatchVectors) -> None:
        """Remember a committed batch's vectors (no need to read them back)."""
        centroids = self.centroids()
        for i, chunked in enumerate(batch):
            centroids[chunked.doc.doc_id] = vectors.centroid(i)
            self._cache(chunked.doc.doc_id, vectors.sentences[i])

    def forget(self, doc_ids) -> None:
        for doc_id in doc_ids:
            self.links.pop(doc_id, None)
            if self._centroids is not None:
                self._centroids.pop(doc_id, None)
            self._vectors.pop(doc_id, None)
        gone = set(doc_ids)
        for others in self.links.values():
            for doc_id in gone & others.keys():
                del others[doc_id]

    def _cache(self, doc_id: str, vectors: np.ndarray) -> None:
        self._vectors[doc_id] = vectors
        size = sum(v.nbytes for v in self._vectors.values())
        while size > CACHE_BYTES and len(self._vectors) > 1:
            oldest = next(iter(self._vectors))
            size -= self._vectors.pop(oldest).nbytes

    def _sentence_vectors(self, doc_ids: set[str]) -> dict[str, np.ndarray]:
        """Sentence vectors of these documents: cached, else one read per language."""
        missing = sorted(d for d in doc_ids if d not in self._vectors)
        by_language: dict[str, list[str]] = {}
        for doc_id in missing:
            by_language.setdefault(self.manifest.rows[doc_id].get("language") or "other",
                                   []).append(doc_id)
        for language, ids in by_language.items():
            rows = self.cols["sentences"].get(where={"doc_id": {"$in": ids}},
                                              include=["embeddings", "metadatas"],
                                              languages={language})
            found: dict[str, list] = {d: [] for d in ids}
            for vector, meta in zip(rows["embeddings"], rows["metadatas"], strict=True):
                found[meta["doc_id"]].append(vector)
            for doc_id, vectors in found.items():
                self._cache(doc_id, np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1))
        return {d: self._vectors[d] for d in doc_ids if d in self._vectors}

    # -- linking -----------------------------------------------------------------
    def link(self, touched: set[str]) -> None:
        """(Re)compute the links of the touched documents."""
        rows = self.manifest.rows
        touched = {d for d in touched if d in rows}
        if not touched:
            return
        centroids = self.centroids()
        ids = sorted(d for d in rows if d in centroids)
        matrix = np.stack([centroids[d] for d in ids]) if ids else np.zeros((0, 1))
        language = np.array([rows[d].get("language") or "other" for d in ids])
        plans: dict[str, list[str]] = {}
        for doc_id in sorted(touched):
            if doc_id not in centroids:
                continue
            similarity = matrix @ centroids[doc_id]
            similarity[language == (rows[doc_id].get("language") or "other")] = -np.inf
            order = np.argsort(-similarity, kind="stable")[:CANDIDATES]
            plans[doc_id] = [ids[i] for i in order if np.isfinite(similarity[i])]
        needed = set(plans) | {c for cands in plans.values() for c in cands}
        vectors = self._sentence_vectors(needed)
        self.forget_links(set(plans))
        empty = np.zeros((0, 1), dtype=np.float32)
        for doc_id, candidates in plans.items():
            mine = vectors.get(doc_id, empty)
            for other in candidates:
                score = alignment_score(mine, vectors.get(other, empty))
                logger.debug("translation score %s ~ %s = %.2f", doc_id, other, score)
                if score >= self.threshold:
                    self.links.setdefault(doc_id, {})[other] = round(score, 4)
                    self.links.setdefault(other, {})[doc_id] = round(score, 4)

    def forget_links(self, doc_ids: set[str]) -> None:
        for doc_id in doc_ids:
            self.links[doc_id] = {}
        for others in self.links.values():
            for doc_id in doc_ids & others.keys():
                del others[doc_id]

    # -- writing -----------------------------------------------------------------
    def desired(self) -> dict[str, dict[str, Any]]:
        """doc_id -> the grouping fields its row should carry."""
        rows = self.manifest.rows
        groups = assign_groups({d: r.get("language") or "other" for d, r in rows.items()},
                               self.links)
        members: dict[str, list[str]] = {}
        for doc_id in sorted(groups):
            members.setdefault(groups[doc_id], []).append(doc_id)
        out = {}
        for doc_id, row in rows.items():
            group = groups[doc_id]
            own = row.get("own_date", row.get("date")) or ""
            dates = [rows[m].get("own_date", rows[m].get("date")) for m in members[group]]
            date = own or next((d for d in dates if d), "")
            # Every link, also those the one-per-language rule left out of the group:
            # they decide the groups again when a member changes or goes.
            links = dict(sorted(self.links.get(doc_id, {}).items()))
            out[doc_id] = {"translation_group": group, "date": date, "grouped": True,
                           "translations": json.dumps(links, ensure_ascii=False) if links else ""}
        return out

    def apply(self, resync: frozenset[str] = frozenset()) -> int:
        """Write the rows (and chunks) whose grouping changed, and the chunks
        of `resync` documents whatever their rows say. Returns how many rows."""
        rows = self.manifest.rows
        desired = self.desired()
        changed = sorted(d for d, want in desired.items()
                         if any(rows[d].get(k, "" if k != "grouped" else True) != v
                                for k, v in want.items()))
        moved = sorted({d for d in changed
                        if (rows[d].get("translation_group"), rows[d].get("date", ""))
                        != (desired[d]["translation_group"], desired[d]["date"])}
                       | (resync & desired.keys()))
        if moved:
            chunks = get_all(self.cols["chunks"], include=["metadatas"],
                             where={"document_id": {"$in": moved}})
            if chunks["ids"]:
                self.cols["chunks"].update(ids=chunks["ids"], metadatas=[
                    {k: desired[m["document_id"]][k] for k in ("translation_group", "date")}
                    for m in chunks["metadatas"]])
        if changed:
            self.cols["documents"].update(ids=changed, metadatas=[desired[d] for d in changed])
        for doc_id in changed:
            rows[doc_id].update(desired[doc_id])
        return len(changed)
