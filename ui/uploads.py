"""Saving uploaded articles under <data_dir>/uploads/ with safe names."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rag.errors import DocumentError

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".pdf", ".docx")


def safe_name(name: str) -> str:
    """Basename only, [\\w.-] characters, no leading dots; never empty."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = re.sub(r"[^\w.\-]+", "_", base).lstrip(".")
    base = re.sub(r"_+", "_", base).strip("_") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > 120:
        base = stem[: 119 - len(suffix)] + "." + suffix
    return base[:120]


def check_upload(name: str, size: int, max_mb: float) -> str:
    """The sanitized name, or DocumentError saying why the file is refused."""
    clean = safe_name(name)
    suffix = Path(clean).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise DocumentError(
            f"{Path(str(name)).name}: unsupported file type {suffix or '(none)'}; "
            f"upload {', '.join(ALLOWED_SUFFIXES)}"
        )
    if size > max_mb * 1024 * 1024:
        raise DocumentError(
            f"{Path(str(name)).name}: {size / 1024 / 1024:.1f} MB is over the {max_mb:g} MB limit"
        )
    if size == 0:
        raise DocumentError(f"{Path(str(name)).name}: the file is empty")
    return clean


def save_upload(src: Path, name: str, uploads_dir: Path, max_mb: float) -> Path:
    """Copy an uploaded temp file into uploads_dir under a sanitized name."""
    src = Path(src)
    clean = check_upload(name, src.stat().st_size, max_mb)
    uploads_dir = Path(uploads_dir)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    root = uploads_dir.resolve()
    target = (uploads_dir / clean).resolve()
    if not target.is_relative_to(root) or target == root:
        raise DocumentError(f"{name}: invalid file name")
    shutil.copyfile(src, target)
    return target


def is_upload(path: str | Path, uploads_dir: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(Path(uploads_dir).resolve())
    except (OSError, ValueError):
        return False
