"""Search as staff type it: case and accents do not matter ("nghe an" finds
"Nghệ An", "kiem tra" finds "Kiểm tra FDI", "ёлка" and "елка" are one), and the
words of the query may come in any order."""

from __future__ import annotations

from rag.lang.text import fold_diacritics


def search_key(text: object) -> str:
    """Lower case, Vietnamese and Latin marks folded, ё as е, spaces collapsed."""
    return " ".join(fold_diacritics(str(text or "")).replace("ё", "е").split())


def matches(query: str | None, *fields: object) -> bool:
    """Whether every word of `query` occurs in one of `fields` (an empty query matches)."""
    words = search_key(query).split()
    if not words:
        return True
    haystack = " \n ".join(search_key(f) for f in fields)
    return all(word in haystack for word in words)
