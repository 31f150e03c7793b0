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
    if new.code != FALLBACK:
        new = _with_english_phrases(new, _PACKS[FALLBACK])
    replaced = _PACKS.get(new.code)
    _PACKS[new.code] = new
    _refresh()
    return replaced


def _with_english_phrases(new: LanguagePack, english: LanguagePack) -> LanguagePack:
    """The pack, its missing phrases (and missing rows of its phrase tables) English."""
    phrases, missing = dict(new.phrases), []
    for key, text in english.phrases.items():
        theirs = phrases.get(key)
        if theirs is None:
            phrases[key], missing = text, [*missing, key]
        elif isinstance(text, dict) and isinstance(theirs, dict) and text.keys() - theirs.keys():
            phrases[key], missing = {**text, **theirs}, [*missing, f"{key} ({', '.join(text.keys() - theirs.keys())})"]
    if not missing:
        return new
    logger.warning("language pack %r has no phrases for %s: English ones are used", new.code, "; ".join(missing))
    return dataclasses.replace(new, phrases=phrases)


def unregister(code: str) -> None:
    """Remove a registered language (English, the fallback, stays)."""
    if code != FALLBACK:
        _PACKS.pop(code, None)
        _refresh()


def _refresh() -> None:
    global _ordered
    _ordered = tuple(_PACKS.values())
