"""Saved conversations: one JSON file per conversation under
<data_dir>/conversations/<owner>/, where the owner is the logged-in user or, without
a login, a random id kept in the browser. Turns are stored without their rendered
sources panel (re-rendered from the stored answer when shown)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
import uuid
from pathlib import Path

from ui.search import matches

_LOCK = threading.Lock()
_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
MAX_TITLE = 80


def owner_key(username: str | None, browser_id: str | None) -> str | None:
    """A folder name for the owner: never the raw user name, never a path."""
    if username:
        return "user-" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:20]
    if browser_id and _ID.match(browser_id):
        return "browser-" + browser_id
    return None


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def title_for(question: str) -> str:
    text = " ".join(str(question or "").split())
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


class ConversationStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _folder(self, owner: str) -> Path:
        return self.root / owner

    def _path(self, owner: str, conv_id: str) -> Path | None:
        if not owner or not conv_id or not _ID.match(conv_id):
            return None
        return self._folder(owner) / f"{conv_id}.json"

    def load(self, owner: str | None, conv_id: str | None) -> dict | None:
        path = self._path(owner or "", conv_id or "")
        if path is None or not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    def save(self, owner: str | None, conv: dict, turns: list[dict]) -> dict:
        """Write the conversation (atomically); returns its summary."""
        path = self._path(owner or "", conv.get("id") or "")
        if path is None:
            return conv
        now = time.time()
        data = {
            "id": conv["id"],
            "title": conv.get("title") or title_for(turns[0]["question"] if turns else ""),
            "created": conv.get("created") or now,
            "updated": now,
            "turns": [{k: v for k, v in turn.items() if k != "sources_html"} for turn in turns],
        }
        with _LOCK:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        return {k: data[k] for k in ("id", "title", "created", "updated")}

    def rename(self, owner: str | None, conv_id: str | None, title: str) -> bool:
        conv = self.load(owner, conv_id)
        title = title_for(title)
        if conv is None or not title:
            return False
        conv["title"] = title
        self.save(owner, conv, conv.get("turns", []))
        return True

    def listing(self, owner: str | None, query: str = "") -> list[dict]:
        """Summaries, newest first; `query` matches the title or any question."""
        if not owner:
            return []
        folder = self._folder(owner)
        if not folder.is_dir():
            return []
        out = []
        for path in folder.glob("*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                continue
            haystack = " ".join([data.get("title", "")] +
                                [t.get("question", "") for t in data.get("turns", [])])
            if not matches(query, haystack):  # case and accents aside
                continue
            out.append({k: data.get(k) for k in ("id", "title", "created", "updated")})
        return sorted(out, key=lambda c: c.get("updated") or 0, reverse=True)
