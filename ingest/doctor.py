"""`rag doctor`: check an index against its manifest, and repair what can be
repaired without a full rebuild.

Checks: the embedder and layout the index was built with; an unfinished
ingest (journal); per document, that its chunks are those of the manifest's
content hash, as many as the row says, and each has its sentences; chunks
and sentences that belong to no committed document (orphans); translation
groups that name a missing document, and chunks whose group or date differ
from their row; the calibration vectors; that the generation is set.

Repairs: an unfinished ingest is undone; orphans are deleted; a document
whose rows disagree with its manifest row is taken out and, when its file is
still there, ingested again; groups are recomputed. An index built with
another embedder or layout can only be rebuilt (`rag ingest --rebuild`)."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.manifest import Manifest, purge_rows, read_journal, recover, root_of
from rag.infra.store import LAYOUT_VERSION, iter_pages

logger = logging.getLogger(__name__)


@dataclass
class Problem:
    kind: str  # stable key: embedder, layout, journal, orphan_chunks, stale_document, …
    detail: str
    doc_id: str | None = None
    repairable: bool = True


@dataclass
class Checkup:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)
    generation: str = ""

    def add(self, kind: str, detail: str, doc_id: str | None = None,
            repairable: bool = True) -> None:
        self.problems.append(Problem(kind, detail, doc_id, repairable))

    def as_dict(self) -> dict[str, Any]:
        return {"problems": [p.__dict__ for p in self.problems], "counts": self.counts,
                "repaired": self.repaired, "generation": self.generation}


@dataclass
class _Scan:
    """What the chunk and sentence collections hold, per document."""
    chunk_ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    chunk_meta: dict[str, dict] = field(default_factory=dict)
    sentences_of_chunk: Counter = field(default_factory=Counter)
    sentence_docs: dict[str, str] = field(default_factory=dict)  # sentence id -> doc_id
    sentence_chunks: dict[str, str] = field(default_factory=dict)  # sentence id -> chunk id


def _scan(cols) -> _Scan:
    scan = _Scan()
    for page in iter_pages(cols["chunks"], include=["metadatas"]):
        for chunk_id, meta in zip(page["ids"], page["metadatas"], strict=True):
            scan.chunk_ids[meta.get("document_id") or meta.get("doc_id", "")].add(chunk_id)
            scan.chunk_meta[chunk_id] = meta
    for collection in cols["sentences"].existing():
        for page in iter_pages(collection, include=["metadatas"]):
            for sentence_id, meta in zip(page["ids"], page["metadatas"], strict=True):
                scan.sentence_docs[sentence_id] = meta.get("doc_id", "")
                scan.sentence_chunks[sentence_id] = meta.get("chunk_id", "")
                scan.sentences_of_chunk[meta.get("chunk_id", "")] += 1
    return scan


def check(store, reference_count: int | None = None) -> tuple[Checkup, dict | None]:
    """Look, change nothing. Returns the checkup and the collections."""
    checkup = Checkup()
    state = store.state()
    if not state:
        checkup.add("no_index", f"no index in {store.data_dir}: run `rag ingest`", repairable=False)
        return checkup, None
    checkup.generation = str(state.get("generation", ""))
    if state.get("embedder") and state.get("embedder") != store.embedder_id:
        checkup.add("embedder", f"built with {state.get('embedder')!r}, configured "
                    f"{store.embedder_id!r}: rebuild with `rag ingest --rebuild`", repairable=False)
        return checkup, None
    if state.get("layout") != LAYOUT_VERSION:
        checkup.add("layout", "built by an older version: rebuild with `rag ingest --rebuild`",
                    repairable=False)
        return checkup, None
    cols = store.collections()
    if not checkup.generation:
        checkup.add("generation", "the index has no generation (readers cannot tell changes)")
    journal = read_journal(store)
    if journal:
        checkup.add("journal", f"an ingest was interrupted while changing {len(journal)} "
                    "document(s)")
    manifest = Manifest.load(cols["documents"])
    scan = _scan(cols)
    _check_documents(checkup, manifest, scan)
    _check_orphans(checkup, manifest, scan)
    _check_groups(checkup, manifest, scan)
    calibration = cols["calibration"].count()
    if reference_count is not None and calibration != reference_count:
        checkup.add("calibration", f"{calibration} calibration vectors, expected {reference_count}")
    checkup.counts = {"documents": len(manifest.rows), "chunks": len(scan.chunk_meta),
                      "sentences": len(scan.sentence_docs), "calibration": calibration}
    return checkup, cols


def _check_documents(checkup: Checkup, manifest: Manifest, scan: _Scan) -> None:
    for doc_id, row in sorted(manifest.rows.items()):
        prefix = f"{doc_id}#{str(row.get('content_hash', ''))[:12]}#"
        chunks = scan.chunk_ids.get(doc_id, set())
        foreign = sorted(c for c in chunks if not c.startswith(prefix))
        if foreign:
            checkup.add("stale_document", f"{len(foreign)} chunk(s) of another version than "
                        "its manifest row", doc_id)
        elif len(chunks) != int(row.get("chunks", 0)):
            checkup.add("stale_document", f"{len(chunks)} chunk(s), its row says "
                        f"{row.get('chunks', 0)}", doc_id)
        elif any(scan.sentences_of_chunk[c] == 0 for c in chunks):
            checkup.add("stale_document", "a chunk without sentences", doc_id)


def _check_orphans(checkup: Checkup, manifest: Manifest, scan: _Scan) -> None:
    orphan_docs = sorted(d for d in scan.chunk_ids if d not in manifest.rows)
    for doc_id in orphan_docs:
        checkup.add("orphan_chunks", f"{len(scan.chunk_ids[doc_id])} chunk(s) of a document "
                    "not in the manifest", doc_id)
    orphans = [s for s, c in scan.sentence_chunks.items() if c not in scan.chunk_meta]
    if orphans:
        docs = sorted({scan.sentence_docs[s] for s in orphans})
        checkup.add("orphan_sentences", f"{len(orphans)} sentence(s) whose chunk does not "
                    f"exist (documents {', '.join(docs[:5])}{'…' if len(docs) > 5 else ''})")


def _check_groups(checkup: Checkup, manifest: Manifest, scan: _Scan) -> None:
    for doc_id, row in sorted(manifest.rows.items()):
        group = row.get("translation_group") or doc_id
        if group not in manifest.rows:
            checkup.add("groups", f"translation group {group!r} names no document", doc_id)
        elif row.get("grouped") is False:
            checkup.add("groups", "committed but never grouped", doc_id)
        else:
            for chunk_id in scan.chunk_ids.get(doc_id, ()):
                meta = scan.chunk_meta[chunk_id]
                if (meta.get("translation_group"), meta.get("date", "")) != (
                        group, row.get("date", "")):
                    checkup.add("groups", "chunks carry another group or date than the row",
                                doc_id)
                    break


def repair(store, ingestor, checkup: Checkup, cols) -> list[str]:
    """Fix what `check` found; returns what was done. Rebuild-only problems are left."""
    done: list[str] = []
    kinds = {p.kind for p in checkup.problems}
    with store.write_lock():
        manifest = Manifest.load(cols["documents"])
        roots: set[Path | None] = set()
        if "journal" in kinds:
            rows = dict(manifest.rows)
            undone = recover(store, cols, manifest)
            roots |= {root_of(rows[d]) for d in undone if d in rows}
            done.append(f"undid an interrupted ingest ({len(undone)} document(s))")
        orphans = sorted({p.doc_id for p in checkup.problems
                          if p.kind == "orphan_chunks" and p.doc_id})
        if orphans:
            purge_rows(cols, orphans, languages=None)
            done.append(f"deleted the chunks and sentences of {len(orphans)} orphan document(s)")
        if "orphan_sentences" in kinds:
            n = _delete_orphan_sentences(cols)
            done.append(f"deleted {n} orphan sentence(s)")
        stale = sorted({p.doc_id for p in checkup.problems
                        if p.kind == "stale_document" and p.doc_id in manifest.rows})
        roots |= {root_of(manifest.rows[d]) for d in stale}
        if stale:
            purge_rows(cols, stale, languages=None)
            done.append(f"took out {len(stale)} inconsistent document(s)")
        store.bump_generation(cols["chunks"])
    folders = sorted(r for r in roots if r is not None and r.is_dir())
    if folders:  # an ordinary ingest of their folders puts them back
        report = ingestor.run(folders)
        done.append(f"ingested {report.new} document(s) again from {len(folders)} folder(s)")
    if "groups" in kinds:
        ingestor.regroup(frozenset(p.doc_id for p in checkup.problems
                                   if p.kind == "groups" and p.doc_id))
        done.append("recomputed the translation groups")
    return done


def _delete_orphan_sentences(cols) -> int:
    existing = set()
    for page in iter_pages(cols["chunks"], include=[]):
        existing.update(page["ids"])
    count = 0
    for collection in cols["sentences"].existing():
        doomed = []
        for page in iter_pages(collection, include=["metadatas"]):
            doomed += [s for s, m in zip(page["ids"], page["metadatas"], strict=True)
                       if m.get("chunk_id") not in existing]
        for start in range(0, len(doomed), 4000):
            collection.delete(ids=doomed[start:start + 4000])
        count += len(doomed)
    return count
