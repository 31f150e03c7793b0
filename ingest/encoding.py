"""Bytes of a text file or a web page -> str: UTF-8 (a few stray bytes
dropped), else the legacy encoding charset-normalizer detects."""

from __future__ import annotations

import codecs
import logging

from rag.errors import DocumentError

logger = logging.getLogger(__name__)

# Legacy encodings a vi/en/ru newsroom's files come in (charset-normalizer picks
# among them; left to range over every code page it takes French for cp1257).
LEGACY_ENCODINGS = ["cp1251", "koi8_r", "cp866", "mac_cyrillic", "cp1252", "latin_1", "cp1258"]
# Share of undecodable bytes a UTF-8 file may have and still count as UTF-8
# with a few stray bytes (dropped) rather than as another encoding.
MAX_REPLACEMENT_RATIO = 0.01
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (a few stray bytes dropped), else the encoding charset-normalizer
    finds; a binary file or text in no known encoding raises DocumentError."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{name}: looks like a binary file, not text", code="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    if bad / max(len(text), 1) <= MAX_REPLACEMENT_RATIO:
        logger.warning("%s: dropped %d invalid UTF-8 byte(s)", name, bad)
        return text.replace("\ufffd", "")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise DocumentError(f"{name}: not text in UTF-8 or any encoding charset-normalizer knows",
                            code="encoding")
    logger.info("%s: not UTF-8; decoded as %s", name, best.encoding)
    return str(best)
