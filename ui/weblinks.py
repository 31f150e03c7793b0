""""Add by link" on the Documents page: an editor pastes the web addresses of
articles; each is fetched, extracted and indexed (by the web ingest the
composition layer hands in), and the status says, in the interface language,
what was added and why any link was not.

`add_by_link` is the one entry point: a permission check (roles) belongs there.
Addresses on loopback, private or link-local networks are refused here unless
RAG_WEB__ALLOW_PRIVATE is set: the server must not become a way into internal
services."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import gradio as gr

from rag.errors import RagError
from ui import access, render
from ui.answering import error_message
from ui.i18n import LABELS, t

logger = logging.getLogger(__name__)

MAX_LINKS = 20  # per submission: a feed or a sitemap is `rag ingest --feed` / `rag sync`
_SEPARATORS = re.compile(r"[\s,]+")

Progress = Callable[[int, int, str], None]  # (done, total, description)


def links_in(text: str | None) -> list[str]:
    """The addresses pasted, one per line (or separated by spaces or commas), in order."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text or ""):
        if part:
            seen.setdefault(part, None)
    return list(seen)


def failure_message(item, lang: str) -> str:
    """Why one link was not added, in the interface language."""
    if item.code in LABELS and item.code.startswith("web_"):
        try:
            return t(item.code, lang, **{"url": item.path, **item.params})
        except (KeyError, IndexError):
            pass
    return t("web_failed", lang, url=item.path, reason=item.reason)


def add_by_link(services, text: str | None, lang: str, progress: Progress,
                actor: str | None = None) -> tuple[str, str]:
    """Fetch and index the articles at the pasted addresses: (a status block, the
    links to leave in the box: those that failed, so they can be corrected). The
    caller has checked that `actor` may edit documents; the run goes to the audit log."""
    if services.web_ingest is None:
        return render.status_html("error", t("link_unavailable", lang)), text or ""
    links = links_in(text)
    if not links:
        return render.status_html("info", t("link_none", lang)), ""
    lines = []
    if len(links) > MAX_LINKS:
        lines.append(render.status_html("warn", t("link_too_many", lang, n=MAX_LINKS)))
        links = links[:MAX_LINKS]

    def fetched(done: int, total: int, failed: int, url: str) -> None:
        progress(done, total, t("link_progress", lang, done=done, total=total, failed=failed))

    def embedded(done: float, total: int, label: str) -> None:
        progress(int(done), total, f"{t('ingest_progress', lang)}: {label}")

    try:
        run = services.web_ingest(services.engine, links,
                                  allow_private=services.settings.web.allow_private,
                                  progress=embedded, fetch_progress=fetched)
    except Exception as exc:
        if not isinstance(exc, RagError):
            logger.exception("adding %s failed", links)
        return "".join([*lines, render.status_html("error", error_message(exc, lang))]), text or ""
    report = run.report
    lines += [render.status_html("error", failure_message(item, lang)) for item in report.skipped]
    if report.new or report.changed or report.unchanged:
        lines.insert(0, render.status_html("ok", t(
            "link_ok", lang, new=report.new, changed=report.changed, unchanged=report.unchanged,
            seconds=f"{report.seconds:.1f}")))
    logger.info("added by link: %d new, %d changed, %d unchanged, %d failed", report.new,
                report.changed, report.unchanged, len(report.skipped))
    services.audit.record(actor, "add_by_link", " ".join(links)[:500], new=report.new,
                          changed=report.changed, failed=len(report.skipped))
    return "".join(lines), "\n".join(item.path for item in report.skipped)


def build(d, L) -> None:
    """The form, under the upload box."""
    d.links = L.make(gr.Textbox, props={"label": "link_box", "placeholder": "link_placeholder"},
                     lines=2, max_lines=6, elem_id="link-box")
    d.add_links = L.make(gr.Button, props={"value": "link_add"}, elem_id="link-btn")
    d.link_status = gr.HTML("", elem_id="link-status")


def wire(shell, d, refresh, filters, listed) -> None:
    services = shell.services

    def add(text, query, language, since, until, picked, lang, request: gr.Request,
            progress=gr.Progress()):  # noqa: B008
        who = access.require(services, request, "edit_documents", lang)

        def report(done: int, total: int, desc: str) -> None:
            progress((done, max(total, 1)), desc=desc)

        status, left = add_by_link(services, text, lang, report, who.name)
        return {d.link_status: status, d.links: left,
                **refresh(query, language, since, until, picked, lang)}

    d.add_links.click(add, inputs=[d.links, *filters], outputs=[d.link_status, d.links, *listed],
                      api_name="add_links", concurrency_limit=1, concurrency_id="index_write")
