"""Find the files of a corpus and read them into text.

A document's identity is its path relative to its corpus root (POSIX, NFC), so
two `notes.txt` in different folders are two documents. Folders are walked
without following links to folders; a link to a file is followed only when its
target lies inside the same corpus root. Every file that is passed over gets a
reason (hidden, odd name, unsupported type, link out of the corpus).

Unreadable files raise DocumentError naming the file and the reason; the
pipeline skips them and goes on. Text that is not UTF-8 is decoded with the
encoding charset-normalizer detects (cp1251, latin-1, UTF-16, …: ingest.encoding)."""

from __future__ import annotations

import logging
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.encoding import decode_text
from rag.errors import DocumentError
from rag.schema import DOCUMENT_SUFFIXES

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = DOCUMENT_SUFFIXES  # its one home is rag.schema (the UI checks uploads by it)


@dataclass(frozen=True)
class CorpusFile:
    path: Path  # as found under its root (may be a link)
    root: Path  # the corpus folder it belongs to (resolved)
    doc_id: str  # path relative to root, POSIX, NFC

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class RawDocument:
    path: Path
    text: str
    title_hint: str | None = None  # from the HTML headline, PDF/DOCX properties
    date_hint: str | None = None  # a web page's publication date (its markup)
    author: str = ""


def make_doc_id(path: Path, root: Path | None = None) -> str:
    """'sub/x.txt' for root/sub/x.txt; the bare name when no root is given."""
    relative = path.relative_to(root) if root is not None else Path(path.name)
    return unicodedata.normalize("NFC", relative.as_posix())


def location(path: Path) -> Path:
    """Absolute path with its folders resolved but not its last part (a link
    stays the link, so its target can still be checked)."""
    return path.absolute().parent.resolve() / path.name


def corpus_root(path: Path, corpus_dir: Path | None) -> Path:
    """The root a path's document ids are relative to: the configured corpus
    folder when the path lies inside it, else the folder itself (or a file's
    folder). So `rag ingest seeds` and `rag ingest seeds/sub/x.txt` agree."""
    where = path.resolve() if path.is_dir() else location(path)
    if corpus_dir is not None:
        base = Path(corpus_dir).resolve()
        if where.is_relative_to(base):
            return base
    return where if path.is_dir() else where.parent


def _name_problem(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its file name is not valid UTF-8; rename it"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return "its file name contains control characters; rename it"
    if name.startswith("."):
        return "hidden file (its name starts with '.'); rename it to index it"
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        suffix = Path(name).suffix
        return (f"unsupported file type {suffix or '(none)'}; "
                f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return None


def _check_file(path: Path, root: Path) -> str | None:
    """Why `path` is passed over, or None to read it."""
    problem = _name_problem(path.name)
    if problem:
        return problem
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root):
            return f"a link to {target}, outside the corpus folder {root}: not followed"
    return None


def _walk(root_arg: Path, root: Path):
    """Yield (path, problem-or-None) for every file under `root_arg`, sorted."""
    for folder, dirs, names in os.walk(root_arg, followlinks=False):
        here = Path(folder)
        kept = []
        for d in sorted(dirs):
            sub = here / d
            if d.startswith("."):
                yield sub, "hidden folder (its name starts with '.'): not scanned"
            elif sub.is_symlink():
                yield sub, "a link to a folder: not followed (ingest the folder itself)"
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(names):
            path = here / name
            yield path, _check_file(path, root)


def iter_files(paths: list[Path], corpus_dir: Path | None = None
               ) -> tuple[list[CorpusFile], list[tuple[Path, str]]]:
    """Expand folders. Returns (files to read, [(path, reason)] passed over)."""
    files: list[CorpusFile] = []
    skipped: list[tuple[Path, str]] = []
    for arg in paths:
        arg = Path(arg)
        if not arg.exists() and not arg.is_symlink():
            skipped.append((arg, "no such file or folder"))
            continue
        root = corpus_root(arg, corpus_dir)
        if arg.is_dir():
            base = arg.resolve()
            found = sorted(((p, problem, base / p.relative_to(arg))
                            for p, problem in _walk(arg, root)), key=lambda f: f[2])
        else:
            found = [(arg, _check_file(arg, root), location(arg))]
        for path, problem, where in found:
            if problem:
                skipped.append((path, problem))
            else:
                files.append(CorpusFile(path, root, make_doc_id(where, root)))
    return files, skipped


def load_file(path: Path, max_bytes: int) -> RawDocument:
    try:
        return _load_file(path, max_bytes)
    except OSError as exc:  # dangling link, permission denied, I/O error
        raise DocumentError(f"{path.name}: cannot be read ({exc.strerror or exc})",
                            code="unreadable") from exc


def _load_file(path: Path, max_bytes: int) -> RawDocument:
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(f"{path.name}: the file is empty", code="empty")
    if size > max_bytes:
        raise DocumentError(
            f"{path.name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit",
            code="too_big")
    suffix = path.suffix.lower()
    match suffix:
        case ".txt" | ".md":
            doc = RawDocument(path, decode_text(path.read_bytes(), path.name))
        case ".html" | ".htm":
            doc = _load_html(path)
        case ".pdf":
            doc = _load_pdf(path)
        case ".docx":
            doc = _load_docx(path)
        case _:
            raise DocumentError(f"{path.name}: unsupported file type {suffix}", code="bad_type")
    if not doc.text.strip():
        raise DocumentError(f"{path.name}: no text could be extracted", code="no_text")
    return doc


def _load_html(path: Path) -> RawDocument:
    """A saved web page: its article, as `rag ingest URL` keeps it (ingest.web.extract)."""
    from ingest.web.extract import decode_html, extract_article

    data = path.read_bytes()
    article = extract_article(decode_html(data, path.name), path.name)
    return RawDocument(path, article.full_text(), title_hint=article.title or None,
                       date_hint=article.date, author=article.author)


def _load_pdf(path: Path) -> RawDocument:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except Exception as exc:
        raise DocumentError(f"{path.name}: not a readable PDF ({exc})", code="bad_pdf") from exc
    return RawDocument(path, "\n".join(pages), title_hint=str(title) if title else None)


def _load_docx(path: Path) -> RawDocument:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise DocumentError(f"{path.name}: not a readable DOCX file ({exc})", code="bad_docx") from exc
    text = "\n".join(p.text for p in document.paragraphs)
    title = document.core_properties.title or None
    return RawDocument(path, text, title_hint=title)
