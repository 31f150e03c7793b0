"""The upgrade from a data folder written by the release before accounts
(tests/state/legacy_release/: its feedback.jsonl, abstentions.jsonl and
conversations/, written by that release's own `rag ui`): every record is in the
database afterwards, unchanged; the files are kept, moved aside; a second start
imports nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rag.state.legacy import import_legacy

LEGACY = Path(__file__).parent / "legacy_release" / "data"


def _with_legacy_files(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    for item in LEGACY.iterdir():
        (shutil.copytree if item.is_dir() else shutil.copyfile)(item, data_dir / item.name)
    return data_dir


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_upgrade__every_record_of_the_earlier_release_is_in_the_database(state,
                                                                         backend_settings):
    data = _with_legacy_files(Path(backend_settings.data_dir))
    said = state.prepare(backend_settings)
    feedback, abstentions = _jsonl(LEGACY / "feedback.jsonl"), _jsonl(LEGACY / "abstentions.jsonl")
    conversations = sorted(LEGACY.glob("conversations/*/*.json"))
    assert len(feedback) == 7 and len(abstentions) == 1 and len(conversations) == 4
    (line,) = said
    assert f"imported {len(conversations)} conversations" in line
    assert f"{len(feedback)} feedback records and {len(abstentions)} unanswered" in line

    stored = {e["id"]: e for e in state.feedback.entries()}
    for record in feedback:
        mine = stored[record["id"]]
        assert {k: mine.get(k) for k in record} == record  # every field, times included
    assert [{k: e.get(k) for k in abstentions[0]} for e in state.abstentions.entries()] == \
        abstentions
    turns_total = 0
    for path in conversations:
        written = json.loads(path.read_text("utf-8"))
        loaded = state.conversations.load(path.parent.name, written["id"])
        assert loaded["title"] == written["title"] and loaded["turns"] == written["turns"]
        assert abs(loaded["created"] - written["created"]) < 0.01
        listed = state.conversations.listing(path.parent.name)
        assert written["id"] in [c["id"] for c in listed]
        turns_total += len(written["turns"])
    assert f"({turns_total} messages)" in line

    (moved,) = (data / "imported").iterdir()
    assert not (data / "feedback.jsonl").exists() and not (data / "conversations").exists()
    assert (moved / "feedback.jsonl").read_bytes() == (LEGACY / "feedback.jsonl").read_bytes()
    assert len(list(moved.glob("conversations/*/*.json"))) == len(conversations)
    assert str(moved) in line
    assert state.prepare(backend_settings) == []  # the next start: nothing to import
    assert state.audit.entries(action="legacy_import")[0]["detail"]["feedback"] == 7


def test_upgrade__a_torn_line_is_reported_kept_and_the_rest_imported(tmp_path):
    from rag.state import open_state
    from tests.conftest import make_settings

    data = _with_legacy_files(tmp_path / "data")
    with open(data / "feedback.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "torn", "rating": "do')  # a crash in the middle of a write
    (data / "conversations" / "user-x").mkdir()
    (data / "conversations" / "user-x" / "broken.json").write_text("{", encoding="utf-8")
    state = open_state(make_settings(data))
    report = import_legacy(data, state.db)
    assert report.feedback == 7 and report.conversations == 4
    assert report.unreadable == ["feedback.jsonl line 8", "user-x/broken.json"]
    assert "unreadable, left as they were" in report.summary()
    assert (report.moved_to / "feedback.jsonl").read_text("utf-8").endswith('"rating": "do')
    assert (report.moved_to / "conversations" / "user-x" / "broken.json").exists()
    # the same files again (a copy restored by hand): nothing is imported twice
    _with_legacy_files(data)
    again = import_legacy(data, state.db)
    assert again.feedback == again.conversations == 0 and again.already_there == 12
