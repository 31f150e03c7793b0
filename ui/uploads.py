"""Saving uploaded articles under <data_dir>/uploads/ with safe names.

A refused file raises `UploadRefused`, which carries a LABELS key and its values so
the page can say why in the interface language (its str() is English, for logs)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from rag.errors import DocumentError
from rag.schema import DOCUMENT_SUFFIXES

# The file types the loaders read: one home, in the core.
ALLOWED_SUFFIXES = DOCUMENT_SUFFIXES


class UploadRefused(DocumentError):
    def __init__(self, key: str, english: str, **params: object):
        super().__init__(english)
        self.key, self.params = key, params


def safe_name(name: str) -> str:
    """Basename only, [\\w.-] characters, no leading dots; never empty."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = re.sub(r"[^\w.\-]+", "_", base).lstrip(".")
    base = re.sub(r"_+", "_", base).strip("_") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > 120:
        base = stem[: 119 - len(suffix)] + "." + suffix
    return base[:120]


def check_upload(name: str, size: int, max_mb: float,
                 suffixes: Sequence[str] = ALLOWED_SUFFIXES) -> str:
    """The sanitized name, or UploadRefused saying why the file is refused."""
    clean = safe_name(name)
    shown = Path(str(name)).name
    suffix = Path(clean).suffix.lower()
    if suffix not in suffixes:
        raise UploadRefused("up_bad_type", f"{shown}: unsupported file type {suffix or '(none)'}; "
                            f"upload {', '.join(suffixes)}", name=shown,
                            suffixes=", ".join(suffixes))
    if size > max_mb * 1024 * 1024:
        mb = f"{size / 1024 / 1024:.1f}"
        raise UploadRefused("up_too_big", f"{shown}: {mb} MB is over the {max_mb:g} MB limit",
                            name=shown, size=mb, mb=f"{max_mb:g}")
    if size == 0:
        raise UploadRefused("up_empty", f"{shown}: the file is empty", name=shown)
    return clean


def save_upload(src: Path, name: str, uploads_dir: Path, max_mb: float,
                suffixes: Sequence[str] = ALLOWED_SUFFIXES) -> Path:
    """Copy an uploaded temp file into uploads_dir under a sanitized name."""
    src = Path(src)
    clean = check_upload(name, src.stat().st_size, max_mb, suffixes)
    uploads_dir = Path(uploads_dir)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    root = uploads_dir.resolve()
    target = (uploads_dir / clean).resolve()
    if not target.is_relative_to(root) or target == root:
        raise UploadRefused("up_bad_name", f"{name}: invalid file name", name=name)
    shutil.copyfile(src, target)
    return target


def is_upload(path: str | Path, uploads_dir: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(Path(uploads_dir).resolve())
    except (OSError, ValueError):
        return False
