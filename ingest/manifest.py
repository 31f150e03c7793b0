"""What is committed, and what a run must do about it.

The documents collection is the only record of what is in the index (there
is no second docstore to fall out of step with it): a row exists once a
document's chunks and sentences are written, and its `content_hash` decides
whether the file needs embedding again.

Writes that can leave a document half-done (a batch being committed, a
removal, a purge) are announced first in the ingest journal, kept in the
index's own state (`IndexStore.update_state`). A run that finds a journal
left by a killed run undoes it exactly: every journaled document whose row
does not carry the journaled hash loses its chunks, sentences and row, and is
then planned like any absent document."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.prepare import PreparedDocument
from rag.infra.store import get_all

logger = logging.getLogger(__name__)

JOURNAL_KEY = "ingest_pending"
# How a web page was last fetched (ingest.web): they change without its text
# changing, and are kept up to date on its row so the next fetch is conditional.
FETCH_KEYS = ("fetch_url", "etag", "last_modified")


@dataclass
class Plan:
    to_embed: list[PreparedDocument] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    moved: dict[str, str] = field(default_factory=dict)  # unchanged, at a new path
    refreshed: dict[str, dict[str, str]] = field(default_factory=dict)  # unchanged, new FETCH_KEYS


class Manifest:
    """The documents collection's rows as this run sees them: read once,
    then kept in step with what the run commits (it holds the write lock)."""

    def __init__(self, rows: dict[str, dict[str, Any]]):
        self.rows = rows

    @classmethod
    def load(cls, documents) -> Manifest:
        metas = get_all(documents, include=["metadatas"])["metadatas"]
        return cls({meta["doc_id"]: meta for meta in metas})

    def languages(self, doc_ids) -> set[str]:
        return {self.rows[d].get("language") or "other" for d in doc_ids if d in self.rows}

    def soft_deleted(self, older_than: float | None = None) -> list[str]:
        """Rows marked deleted (before `older_than`, epoch s, if given)."""
        return sorted(d for d, m in self.rows.items() if m.get("deleted_at")
                      and (older_than is None or float(m["deleted_at"]) <= older_than))

    def plan(self, prepared: dict[str, PreparedDocument], roots: list[Path],
             skipped_ids: set[str]) -> Plan:
        plan = Plan()
        for doc_id, doc in prepared.items():
            row = self.rows.get(doc_id)
            if row is not None and row.get("content_hash") == doc.content_hash:
                plan.unchanged.append(doc_id)
                if row.get("path") != doc.metadata["path"]:
                    plan.moved[doc_id] = doc.metadata["path"]
                fetched = {k: doc.metadata[k] for k in FETCH_KEYS
                           if k in doc.metadata and row.get(k, "") != doc.metadata[k]}
                if fetched:
                    plan.refreshed[doc_id] = fetched
                continue
            if row is not None:
                plan.changed += 1
            else:
                plan.new += 1
            plan.to_embed.append(doc)
        scanned = [Path(r).resolve() for r in roots if Path(r).is_dir()]
        # A corpus folder that moved: its unchanged files were found at their new
        # path; its files that are not there any more are gone too.
        moved_roots = {root_of(self.rows[d]) for d in plan.moved} - {None}
        for doc_id, row in self.rows.items():
            if doc_id in prepared or doc_id in skipped_ids:
                continue  # an unreadable file keeps its last good version
            path = Path(row.get("path", ""))
            gone = any(path.is_relative_to(root) for root in scanned) and not path.exists()
            if gone or root_of(row) in moved_roots:
                plan.removed.append(doc_id)
        return plan


def root_of(row: dict[str, Any]) -> Path | None:
    """The corpus folder a row's document id is relative to."""
    path, doc_id = Path(row.get("path", "")), row.get("doc_id", "")
    depth = len(Path(doc_id).parts)
    if not path.name or depth == 0 or len(path.parents) < depth:
        return None
    return path.parents[depth - 1]


# -- the journal ---------------------------------------------------------------
def read_journal(store) -> dict[str, str]:
    raw = store.state().get(JOURNAL_KEY) or ""
    try:
        return dict(json.loads(raw)) if raw else {}
    except (ValueError, TypeError):
        logger.warning("unreadable ingest journal %r: treating it as empty", raw[:200])
        return {}


def write_journal(store, chunks, pending: dict[str, str]) -> None:
    """Announce the documents about to change: doc_id -> the content hash their
    row will carry when the change is complete ("" for a removal)."""
    store.update_state(chunks, **{JOURNAL_KEY: json.dumps(pending, ensure_ascii=False)})


def recover(store, cols, manifest: Manifest) -> list[str]:
    """Undo what a killed run left half-done. Returns the doc_ids purged."""
    pending = read_journal(store)
    if not pending:
        return []
    broken = sorted(d for d, digest in pending.items()
                    if not digest or manifest.rows.get(d, {}).get("content_hash") != digest)
    logger.warning("an earlier ingest was interrupted: undoing its last step (%d document(s))",
                   len(broken))
    purge_rows(cols, broken, languages=None)
    for doc_id in broken:
        manifest.rows.pop(doc_id, None)
    store.update_state(cols["chunks"], **{JOURNAL_KEY: ""}, ingest_unpublished=True)
    return broken


def purge_rows(cols, doc_ids: list[str], languages: set[str] | None) -> None:
    """Delete every chunk, sentence and manifest row of these documents: rows
    first, the manifest (the commit record) last."""
    if not doc_ids:
        return
    cols["chunks"].delete(where={"document_id": {"$in": list(doc_ids)}})
    cols["sentences"].delete(where={"doc_id": {"$in": list(doc_ids)}}, languages=languages)
    cols["documents"].delete(ids=list(doc_ids))


def mark_deleted(documents, doc_id: str, when: float | None) -> None:
    """Soft delete (`when` = epoch seconds) or restore (`when` = None)."""
    documents.update(ids=[doc_id], metadatas=[{"deleted_at": when if when else None}])


def now() -> float:
    return round(time.time(), 3)
