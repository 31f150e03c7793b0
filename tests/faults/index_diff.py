"""A whole-index comparison: every document row, chunk and sentence (ids,
text hashes, metadata, vectors), translation groups and the ingest journal.
Two indexes built from the same files must show 0 differences."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from rag.infra.store import get_all

VECTOR_TOLERANCE = 1e-4


def _rows(collection, drop=()) -> dict[str, tuple[str, dict, np.ndarray]]:
    rows = get_all(collection, include=["documents", "metadatas", "embeddings"])
    out = {}
    for row_id, text, meta, vector in zip(rows["ids"], rows["documents"], rows["metadatas"],
                                          rows["embeddings"], strict=True):
        meta = {k: v for k, v in (meta or {}).items() if k not in drop}
        if "_node_content" in meta:  # compare its content, not its key order
            meta["_node_content"] = json.loads(meta["_node_content"])
        digest = hashlib.sha256((text or "").encode()).hexdigest()[:16]
        out[row_id] = (digest, meta, np.asarray(vector, dtype=np.float32))
    return out


def snapshot(store) -> dict[str, Any]:
    cols = store.collections()
    assert cols is not None, "no index"
    sentences: dict[str, tuple] = {}
    for collection in cols["sentences"].existing():
        for row_id, row in _rows(collection).items():
            sentences[f"{collection.name}/{row_id}"] = row
    state = store.state()
    return {
        "documents": _rows(cols["documents"]),
        "chunks": _rows(cols["chunks"]),
        "sentences": sentences,
        "calibration": _rows(cols["calibration"]),
        "journal": state.get("ingest_pending", ""),
        "groups": {d: m["translation_group"]
                   for d, (_, m, _) in _rows(cols["documents"]).items()},
    }


def differences(a: dict[str, Any], b: dict[str, Any], limit: int = 20) -> list[str]:
    """Human-readable differences between two snapshots (empty = identical)."""
    found: list[str] = []
    if a["journal"] != b["journal"]:
        found.append(f"journal: {a['journal']!r} != {b['journal']!r}")
    if a["groups"] != b["groups"]:
        found.append(f"groups: {a['groups']} != {b['groups']}")
    for kind in ("documents", "chunks", "sentences", "calibration"):
        left, right = a[kind], b[kind]
        if left.keys() != right.keys():
            only_a = sorted(left.keys() - right.keys())[:5]
            only_b = sorted(right.keys() - left.keys())[:5]
            found.append(f"{kind}: {len(left)} vs {len(right)} rows; only in the first "
                         f"{only_a}, only in the second {only_b}")
            continue
        for row_id in sorted(left):
            (ta, ma, va), (tb, mb, vb) = left[row_id], right[row_id]
            if ta != tb:
                found.append(f"{kind} {row_id}: text differs")
            if ma != mb:
                keys = sorted(k for k in ma.keys() | mb.keys() if ma.get(k) != mb.get(k))
                found.append(f"{kind} {row_id}: metadata differs in {keys}: "
                             f"{[ma.get(k) for k in keys]} != {[mb.get(k) for k in keys]}")
            if va.shape != vb.shape or float(np.max(np.abs(va - vb))) > VECTOR_TOLERANCE:
                found.append(f"{kind} {row_id}: vector differs")
            if len(found) >= limit:
                return found
    return found


def summary(snap: dict[str, Any]) -> dict[str, int]:
    return {k: len(snap[k]) for k in ("documents", "chunks", "sentences", "calibration")}
