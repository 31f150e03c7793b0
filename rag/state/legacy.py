"""The one-time import of what earlier releases kept as files in the data folder:
feedback.jsonl, abstentions.jsonl and conversations/<owner>/<id>.json.

Every readable record goes into the database (a record whose id is already there is
left as it is, so running it twice imports nothing twice); then the files are moved,
unchanged, to <data>/imported/<time>/, so nothing is lost and the next start does not
import them again. The report says what was done."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock

from rag.state.db import Database
from rag.state.history import write_turns
from rag.state.models import Abstention, Conversation, Feedback, utcnow

logger = logging.getLogger(__name__)

FEEDBACK, ABSTENTIONS, CONVERSATIONS = "feedback.jsonl", "abstentions.jsonl", "conversations"


@dataclass
class ImportReport:
    feedback: int = 0
    abstentions: int = 0
    conversations: int = 0
    messages: int = 0
    already_there: int = 0
    unreadable: list[str] = field(default_factory=list)
    moved_to: Path | None = None

    def summary(self) -> str:
        text = (f"imported {self.conversations} conversations ({self.messages} messages), "
                f"{self.feedback} feedback records and {self.abstentions} unanswered questions "
                "from the files of an earlier release")
        if self.already_there:
            text += f"; {self.already_there} were already in the database"
        if self.unreadable:
            text += f"; unreadable, left as they were: {', '.join(self.unreadable[:5])}"
        if self.moved_to:
            text += f"; the files were moved to {self.moved_to}"
        return text


def legacy_files(data_dir: Path) -> list[Path]:
    data_dir = Path(data_dir)
    found = [data_dir / n for n in (FEEDBACK, ABSTENTIONS) if (data_dir / n).is_file()]
    folder = data_dir / CONVERSATIONS
    if folder.is_dir() and any(folder.glob("*/*.json")):
        found.append(folder)
    return found


def import_legacy(data_dir: Path, db: Database) -> ImportReport | None:
    """Import the files (once); None when there is nothing to import."""
    data_dir = Path(data_dir)
    if not legacy_files(data_dir):
        return None
    with FileLock(str(data_dir / ".import.lock"), timeout=120):
        files = legacy_files(data_dir)
        if not files:  # another process did it meanwhile
            return None
        report = ImportReport()
        with db.writing() as s:
            _import_jsonl(s, data_dir / FEEDBACK, Feedback, _feedback_row, report)
            _import_jsonl(s, data_dir / ABSTENTIONS, Abstention, _abstention_row, report)
            _import_conversations(s, data_dir / CONVERSATIONS, report)
        report.moved_to = _move(data_dir, files)
    logger.info("%s", report.summary())
    return report


def _lines(path: Path, report: ImportReport) -> list[dict]:
    if not path.is_file():
        return []
    records = []
    for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except ValueError:  # a torn line from a crash
            report.unreadable.append(f"{path.name} line {number}")
            continue
        record.setdefault("id", hashlib.sha256(line.encode()).hexdigest()[:16])
        records.append(record)
    return records


def _import_jsonl(s, path: Path, model, make_row, report: ImportReport) -> None:
    by_id = {str(r["id"])[:64]: r for r in _lines(path, report)}  # the last one of an id wins
    for entry_id, record in by_id.items():
        if s.get(model, entry_id) is not None:
            report.already_there += 1
            continue
        s.add(make_row(entry_id, record))
        if model is Feedback:
            report.feedback += 1
        else:
            report.abstentions += 1
    s.flush()


def _time(value) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _feedback_row(entry_id: str, r: dict) -> Feedback:
    return Feedback(
        id=entry_id, created_at=_time(r.get("time")) or utcnow(), updated_at=_time(r.get("updated")),
        rating=str(r.get("rating") or ""), reason=r.get("reason"), comment=r.get("comment") or "",
        question=r.get("question") or "", answer=r.get("answer") or "",
        sources=list(r.get("sources") or []), mode=r.get("mode") or "", language=r.get("language"),
        user_name=r.get("user"), abstained=bool(r.get("abstained")),
        confidence=r.get("confidence"))


def _abstention_row(entry_id: str, r: dict) -> Abstention:
    return Abstention(
        id=entry_id, created_at=_time(r.get("time")) or utcnow(), updated_at=_time(r.get("updated")),
        question=r.get("question") or "", answer=r.get("answer") or "",
        language=r.get("language"), mode=r.get("mode") or "", user_name=r.get("user"))


def _import_conversations(s, folder: Path, report: ImportReport) -> None:
    for path in sorted(folder.glob("*/*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
            conv_id, turns = str(data["id"]), list(data.get("turns") or [])
        except (OSError, ValueError, KeyError, TypeError):
            report.unreadable.append(f"{path.parent.name}/{path.name}")
            continue
        if s.get(Conversation, conv_id) is not None:
            report.already_there += 1
            continue
        created = _epoch_time(data.get("created"))
        s.add(Conversation(id=conv_id, owner=path.parent.name, title=str(data.get("title") or "")[:200],
                           created_at=created, updated_at=_epoch_time(data.get("updated")) or created))
        s.flush()
        write_turns(s, conv_id, turns)
        report.conversations += 1
        report.messages += len(turns)


def _epoch_time(value) -> datetime:
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def _move(data_dir: Path, files: list[Path]) -> Path:
    target = data_dir / "imported" / datetime.now().strftime("%Y%m%d-%H%M%S")
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.move(str(path), str(target / path.name))
    return target
