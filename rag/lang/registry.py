"""The language packs, by code: `pack(code)` is the one place that falls back
to English for a language without a pack; `register` plugs a new one in."""

from __future__ import annotations

import dataclasses
import logging

from rag.lang import en, ru, vi
from rag.lang.pack import LanguagePack

logger = logging.getLogger(__name__)

FALLBACK = "en"
_PACKS: dict[str, LanguagePack] = {p.code: p for p in (vi.PACK, en.PACK, ru.PACK)}
_ordered: tuple[LanguagePack, ...] = tuple(_PACKS.values())


def pack(code: str | None) -> LanguagePack:
    """The pack of `code`; English's for a language without one."""
    return _PACKS.get(code or "") or _PACKS[FALLBACK]


def packs() -> tuple[LanguagePack, ...]:
    """Every registered pack, in registration order (the same tuple until one
    is registered: caches key on it)."""
    return _ordered


def supported() -> tuple[str, ...]:
    """The codes of the languages questions are answered in ("vi", "en", "ru")."""
    return tuple(_PACKS)


def register(new: LanguagePack) -> LanguagePack | None:
    """Add (or replace) a language: its phrases the pack leaves out are the
    English ones, logged. Returns the pack it replaced, if any."""
    english = _PACKS[FALLBACK]
    missing = [k for k in english.phrases if k not in new.phrases]
    if missing and new.code != FALLBACK:
        logger.warning("language pack %r has no phrases for %s: English ones are used",
                       new.code, ", ".join(missing))
        new = dataclasses.replace(new, phrases={**english.phrases, **new.phrases})
    replaced = _PACKS.get(new.code)
    _PACKS[new.code] = new
    _refresh()
    return replaced


def unregister(code: str) -> None:
    """Remove a registered language (English, the fallback, stays)."""
    if code != FALLBACK:
        _PACKS.pop(code, None)
        _refresh()


def _refresh() -> None:
    global _ordered
    _ordered = tuple(_PACKS.values())
