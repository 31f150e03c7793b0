"""The Documents page's work: filtering and showing the list, uploads, and delete
with undo (a soft delete in the engine; `restore_document` brings a document back).
Every action returns a status line saying what happened, in the interface language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rag.errors import RagError
from rag.lang.search import matches
from ui import render
from ui.answering import error_message
from ui.dates import parse_date
from ui.i18n import language_name, t
from ui.render import esc
from ui.uploads import UploadRefused, check_upload, is_upload, save_upload

logger = logging.getLogger(__name__)


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def filter_docs(docs: list, query: str = "", language: str = "all", since: str = "",
                until: str = "", lang: str = "en") -> list:
    """Documents whose title or file holds every word of `query` (case and accents
    aside), in `language`, published in the range (dates as staff type them:
    ui.dates; a date that cannot be read raises DateRefused)."""
    start, end = parse_date(since, lang), parse_date(until, lang, end=True)
    out = []
    for d in docs:
        if not matches(query, d.title, d.file):
            continue
        if language not in (None, "", "all") and d.language != language:
            continue
        published = _iso(d.date)
        if (start or end) and published is None:
            continue
        if (start and published < start) or (end and published > end):
            continue
        out.append(d)
    return sorted(out, key=lambda d: (d.date or "", d.title), reverse=True)


def table_html(docs: list, total: int, lang: str) -> str:
    """The list as a table (cards on a phone): title, language, date, file, passages."""
    count = f'<p class="doc-count">{esc(t("doc_count", lang, shown=len(docs), total=total))}</p>'
    if not docs:
        return f'{count}<p class="muted">{esc(t("doc_none", lang))}</p>'
    cols = ("col_title", "col_language", "col_date", "col_file", "col_chunks")
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in cols)
    rows = []
    for d in docs:
        cells = [
            f'<td class="d-title" translate="no">{esc(d.title or d.file)}</td>',
            f'<td class="d-lang" data-label="{esc(t("col_language", lang))}">'
            f'{esc(language_name(d.language, lang))}</td>',
            f'<td class="d-date" data-label="{esc(t("col_date", lang))}" translate="no">'
            f'{esc(d.date or "—")}</td>',
            f'<td class="d-file" data-label="{esc(t("col_file", lang))}" translate="no">'
            f'{_where(d, lang)}</td>',
            f'<td class="d-chunks" data-label="{esc(t("col_chunks", lang))}">{int(d.chunks)}</td>',
        ]
        rows.append(f'<tr data-doc="{esc(d.doc_id)}">{"".join(cells)}</tr>')
    return (f'{count}<div class="doc-table-wrap"><table class="doc-table"><thead><tr>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _where(doc, lang: str) -> str:
    """A file's name, or a web article's address as a link to the original page."""
    url = getattr(doc, "url", "")
    return render.web_link(url, url, lang) if url else f"<code>{esc(doc.file)}</code>"


def choices(docs: list) -> list[tuple[str, str]]:
    return [(f"{d.title[:70] or d.file} · {d.language.upper()} · {d.date or '—'} · {d.file}",
             d.doc_id) for d in docs]


def language_filter_choices(lang: str) -> list[tuple[str, str]]:
    return [(t("any_language", lang), "all")] + [(language_name(c, lang), c)
                                                 for c in ("vi", "en", "ru")]


def names(services, doc_ids: list[str]) -> str:
    by_id = {d.doc_id: d for d in services.documents(include_deleted=True)}
    return ", ".join(by_id[i].file if i in by_id else i for i in doc_ids)


# -- uploads ---------------------------------------------------------------------------
def _refusal(exc: Exception, name: str, lang: str) -> str:
    if isinstance(exc, UploadRefused):
        return t(exc.key, lang, **exc.params)
    if isinstance(exc, OSError):
        return t("up_io", lang, name=name)
    return error_message(exc, lang)


def _save_all(services, paths: list, lang: str) -> tuple[list[Path], list[str]]:
    max_mb = services.settings.ui.max_upload_mb
    existing = services.documents(include_deleted=True)
    saved, errors = [], []
    for item in paths:
        src = Path(getattr(item, "name", None) or str(item))
        try:
            check_name(services, src, existing, max_mb)
            saved.append(save_upload(src, src.name, services.uploads_dir, max_mb,
                                     services.upload_suffixes))
        except (RagError, OSError) as exc:
            errors.append(_refusal(exc, src.name, lang))
    return saved, errors


SKIP_REASONS = ("binary", "empty", "encoding", "no_text", "bad_pdf", "bad_docx", "bad_type",
                "too_big", "unreadable")
# a saved web page is read as `rag ingest URL` reads a page (ingest.web.extract)
_SKIP_ALIASES = {"web_no_text": "no_text"}


def skip_reason(skipped, lang: str) -> str:
    """Why the index passed a file over (SkippedFile.code), in the interface language
    (the ingest's own message is English, for the log)."""
    code = _SKIP_ALIASES.get(skipped.code, skipped.code)
    return t(f"skip_{code}", lang) if code in SKIP_REASONS else t("skip_document", lang)


def check_name(services, src: Path, existing: list, max_mb: float) -> str:
    """Refuse a file whose name is already taken by a document that is not an upload."""
    clean = check_upload(src.name, src.stat().st_size, max_mb, services.upload_suffixes)
    for d in existing:
        if (Path(d.path).name if d.path else d.file) == clean and \
                not is_upload(d.path, services.uploads_dir):
            raise UploadRefused("up_exists", f"{src.name}: {clean} is already indexed",
                                name=src.name, file=d.file)
    return clean


def ingest_uploads(services, paths: list, lang: str,
                   progress: Callable[[int, int, str], None], actor: str | None = None) -> str:
    """Save uploads under <data_dir>/uploads/ and index them; a status block. The audit
    log records each file indexed: uploaded (new) or re-indexed (replacing its copy)."""
    known = {d.file for d in services.documents(include_deleted=True)}
    saved, errors = _save_all(services, paths or [], lang)
    lines = [render.status_html("error", e) for e in errors]
    if not saved:
        return "".join(lines) or render.status_html("info", t("ingest_none", lang))
    try:
        report = services.engine.ingest(saved, progress=progress)
    except Exception as exc:
        if not isinstance(exc, RagError):
            logger.exception("ingesting uploads failed")
        return "".join([*lines, render.status_html("error", error_message(exc, lang))])
    skipped = {Path(s.path).name: skip_reason(s, lang) for s in report.skipped}
    for path in saved:
        if path.name in skipped:
            lines.append(render.status_html("error", t("up_skipped", lang, name=path.name,
                                                       reason=skipped[path.name])))
    ok = [p.name for p in saved if p.name not in skipped]
    if ok:
        lines.insert(0, render.status_html("ok", t(
            "ingest_ok", lang, files=", ".join(ok), new=report.new, changed=report.changed,
            unchanged=report.unchanged, seconds=f"{report.seconds:.1f}")))
    logger.info("uploaded %s", ", ".join(ok) or "nothing")
    for name in ok:
        services.audit.record(actor, "reingest" if name in known else "upload", name)
    return "".join(lines)


# -- delete and undo ---------------------------------------------------------------------
def delete_docs(services, doc_ids: list[str], lang: str,
                actor: str | None = None) -> tuple[str, list[str]]:
    """Soft-delete documents; (status block, ids that were deleted)."""
    shown = {d.doc_id: d for d in services.documents(include_deleted=True)}
    done, lines = [], []
    for doc_id in doc_ids:
        name = shown[doc_id].file if doc_id in shown else doc_id
        try:
            services.engine.delete_document(doc_id)
            done.append(doc_id)
            services.audit.record(actor, "delete", name, doc_id=doc_id)
        except Exception as exc:
            if not isinstance(exc, RagError):
                logger.exception("deleting %s failed", doc_id)
            lines.append(render.status_html("error", t("delete_failed", lang, file=name,
                                                       reason=error_message(exc, lang))))
    if done:
        if not services.can_undo_delete:  # a hard delete: the uploaded copy goes too
            _remove_uploaded(services, [shown[i] for i in done if i in shown])
        hint = f" {t('deleted_undo_hint', lang)}" if services.can_undo_delete else ""
        files = ", ".join(shown[i].file if i in shown else i for i in done)
        lines.insert(0, render.status_html("ok", t("deleted", lang, files=files) + hint))
        logger.info("deleted %s", files)
    return "".join(lines), done


def _remove_uploaded(services, docs: list) -> None:
    for d in docs:
        if d.path and is_upload(d.path, services.uploads_dir):
            try:
                Path(d.path).unlink(missing_ok=True)
            except OSError as exc:
                logger.warning("could not remove %s: %s", d.path, exc)


def restore_docs(services, doc_ids: list[str], lang: str, actor: str | None = None) -> str:
    if not doc_ids:
        return render.status_html("info", t("undo_nothing", lang))
    if not services.can_undo_delete:
        return render.status_html("error", t("undo_unavailable", lang))
    files = names(services, doc_ids)
    try:
        for doc_id in doc_ids:
            services.engine.restore_document(doc_id)
            services.audit.record(actor, "restore", names(services, [doc_id]), doc_id=doc_id)
    except Exception as exc:
        if not isinstance(exc, RagError):
            logger.exception("restoring %s failed", doc_ids)
        return render.status_html("error", t("undo_unavailable", lang))
    logger.info("restored %s", files)
    return render.status_html("ok", t("restored", lang, files=files))
