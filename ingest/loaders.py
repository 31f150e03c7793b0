"""Read files into text. Unreadable files raise DocumentError naming the file and
the reason; the pipeline skips them and goes on."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rag.errors import DocumentError

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
# Share of undecodable bytes above which a text file counts as "beyond repair".
MAX_REPLACEMENT_RATIO = 0.01


@dataclass
class RawDocument:
    path: Path
    text: str
    title_hint: str | None = None  # from HTML <title>, PDF/DOCX properties


def iter_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders. Returns (files to read, [(path, reason)] skipped)."""
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_dir() or any(p.startswith(".") for p in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(child)
                else:
                    skipped.append((child, f"unsupported file type {child.suffix or '(none)'}"))
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                skipped.append((path, f"unsupported file type {path.suffix or '(none)'}"))
        else:
            skipped.append((path, "no such file or folder"))
    return files, skipped


def load_file(path: Path, max_bytes: int) -> RawDocument:
    try:
        return _load_file(path, max_bytes)
    except OSError as exc:  # dangling link, permission denied, I/O error
        raise DocumentError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc


def _load_file(path: Path, max_bytes: int) -> RawDocument:
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(f"{path.name}: the file is empty")
    if size > max_bytes:
        raise DocumentError(
            f"{path.name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit"
        )
    suffix = path.suffix.lower()
    match suffix:
        case ".txt" | ".md":
            doc = RawDocument(path, _decode_text(path.read_bytes(), path.name))
        case ".html" | ".htm":
            doc = _load_html(path)
        case ".pdf":
            doc = _load_pdf(path)
        case ".docx":
            doc = _load_docx(path)
        case _:
            raise DocumentError(f"{path.name}: unsupported file type {suffix}")
    if not doc.text.strip():
        raise DocumentError(f"{path.name}: no text could be extracted")
    return doc


def _decode_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{name}: looks like a binary file, not text")
    for encoding in ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    if bad / max(len(text), 1) > MAX_REPLACEMENT_RATIO:
        raise DocumentError(f"{name}: not valid UTF-8 ({bad} undecodable bytes)")
    logger.warning("%s: replaced %d invalid UTF-8 byte(s)", name, bad)
    return text.replace("\ufffd", "")


def _load_html(path: Path) -> RawDocument:
    from bs4 import BeautifulSoup

    html = _decode_text(path.read_bytes(), path.name)
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    if soup.title:
        soup.title.decompose()
    h1 = soup.find("h1")
    body = soup.get_text("\n", strip=True)
    if title and not (h1 and h1.get_text(strip=True)):
        body = f"{title}\n{body}"
    return RawDocument(path, body, title_hint=title)


def _load_pdf(path: Path) -> RawDocument:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except Exception as exc:
        raise DocumentError(f"{path.name}: not a readable PDF ({exc})") from exc
    return RawDocument(path, "\n".join(pages), title_hint=str(title) if title else None)


def _load_docx(path: Path) -> RawDocument:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise DocumentError(f"{path.name}: not a readable DOCX file ({exc})") from exc
    text = "\n".join(p.text for p in document.paragraphs)
    title = document.core_properties.title or None
    return RawDocument(path, text, title_hint=title)
