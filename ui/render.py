"""HTML for answers and their sources. Document text is untrusted: every piece of
it goes through `esc()` before it reaches the page."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.schema import Answer, Citation, Confidence, RetrievedPassage, Scope, TranslationRef
from ui.i18n import t
from ui.safe_html import esc, highlight

DocText = Callable[[str], str | None]


def anchor_id(prefix: str, key: object) -> str:
    """A safe element id: 'src-3', 'doc-002_3e13fac306d48c8a_txt'."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '_', str(key))}"


# -- chat messages -------------------------------------------------------------
def answer_markdown(text: str) -> str:
    """Answer or question text for the Chatbot (Markdown). Angle brackets are escaped
    so article text can carry no HTML, and images are neutralized (no remote loads);
    `[n]` stays plain text so the copy buttons copy clean text. The page script
    (ui.assets.HEAD) turns `[n]` into superscript links to source card #src-n."""
    text = (text or "").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("![", "!\\[")


def notice_markdown(text: str) -> str:
    return f"⚠ {answer_markdown(text)}"


def reading_markdown(text: str) -> str:
    """How the engine read the question, as a quiet line above the answer."""
    return f"ℹ *{answer_markdown(text).strip()}*"


# -- the sources panel -----------------------------------------------------------------
def _lang_badge(code: str) -> str:
    return f'<span class="lang-badge" translate="no">{esc((code or "?").upper())}</span>'


def web_link(url: str | None, text: str, lang: str, css: str = "src-link") -> str:
    """`text` as a link that opens the original page in a new tab, when `url` is
    an http(s) address (anything else, `javascript:` included, stays plain text)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return esc(text)
    return (f'<a class="{css}" href="{esc(url)}" target="_blank" rel="noopener noreferrer '
            f'nofollow" title="{esc(t("open_original", lang))}" translate="no">{esc(text)}</a>')


def _meta(language: str, date: str | None, file: str, url: str, lang: str) -> str:
    parts = [_lang_badge(language)]
    if date:
        parts.append(f'<span class="src-date" translate="no">{esc(date)}</span>')
    if url:
        parts.append(web_link(url, url, lang))
    else:
        parts.append(f'<code class="src-file" translate="no">{esc(file)}</code>')
    return f'<div class="src-meta">{" ".join(parts)}</div>'


def _also_in(refs: list[TranslationRef], lang: str) -> str:
    if not refs:
        return ""
    links = " / ".join(
        f'<a href="#{anchor_id("doc", r.doc_id)}" title="{esc(r.file)}" translate="no">{esc(r.language)}</a>'
        for r in refs
    )
    return f'<div class="src-also">{esc(t("also_in", lang))}: {links}</div>'


def _article(doc_id: str, text: str | None, evidence: str, lang: str, summary: str,
             literal: bool = False) -> str:
    """The whole article, folded; `literal`: the summary is a code and a file name."""
    if text is None:
        return ""
    body, _ = highlight(text, evidence)
    no = ' translate="no"' if literal else ""
    return (
        f'<details class="src-article"><summary{no}>{esc(summary)}</summary>'
        f'<div class="article-text" translate="no" id="{anchor_id("doc", doc_id)}">{body}</div></details>'
    )


def notice_banner(kind: str, text: str) -> str:
    return f'<div class="notice notice-{esc(kind)}" role="status">{esc(text)}</div>'


def _quote(group: list[Citation], marked: bool = True) -> str:
    """One cited passage, with every [n] that cites it (an answer may cite one passage
    twice) and its evidence highlighted."""
    first = group[0]
    evidence = " ".join(dict.fromkeys(c.text for c in group))
    passage, found = highlight(first.passage.strip(), evidence)
    if not found:  # show the evidence on its own above the passage
        passage = f"<mark>{esc(evidence)}</mark><br><br>{passage}"
    marks = "".join(f'<span class="src-n">[{c.n}]</span>' for c in group) if marked else ""
    anchors = "".join(f'<span class="src-anchor" id="{anchor_id("src", c.n)}"></span>'
                      for c in group[1:])
    return (f'<div class="src-quote" id="{anchor_id("src", first.n)}">{anchors}'
            f'{f"<div class=src-marks>{marks}</div>" if marks else ""}'
            f'<blockquote class="src-passage" translate="no">{passage}</blockquote></div>')


def _card(group: list[Citation], lang: str, doc_text: DocText, shown_docs: set[str]) -> str:
    """One card per cited article: its title and date once, then each passage cited
    from it ([1] and [2] from one article are one card, not two alike)."""
    c = group[0]
    passages: dict[str, list[Citation]] = {}
    for cite in group:
        passages.setdefault(cite.chunk_id, []).append(cite)
    evidence = " ".join(cite.text for cite in group)
    if c.doc_id not in shown_docs:
        shown_docs.add(c.doc_id)
        article = _article(c.doc_id, doc_text(c.doc_id), evidence, lang, t("full_article", lang))
    else:
        article = (f'<div class="src-article-link"><a href="#{anchor_id("doc", c.doc_id)}">'
                   f'{esc(t("full_article", lang))}</a></div>')
    numbers = " ".join(f"[{cite.n}]" for cite in group)
    return (
        f'<div class="src-card" data-file="{esc(c.file)}">'
        f'<div class="src-head"><span class="src-n">{numbers}</span> '
        f'<span class="src-title" translate="no">{web_link(c.url, c.title or c.file, lang)}</span>'
        f"</div>{_meta(c.language, c.date, c.file, c.url, lang)}"
        f'{"".join(_quote(p, len(group) > 1) for p in passages.values())}'
        f"{article}{_also_in(c.also_in, lang)}</div>"
    )


def _cards(citations: list[Citation], lang: str, doc_text: DocText, shown_docs: set[str]) -> str:
    by_doc: dict[str, list[Citation]] = {}
    for cite in citations:
        by_doc.setdefault(cite.doc_id, []).append(cite)
    return "".join(_card(group, lang, doc_text, shown_docs) for group in by_doc.values())


def _passage_item(p: RetrievedPassage, lang: str) -> str:
    return (
        f'<div class="src-uncited" data-file="{esc(p.file)}">'
        f'<div class="src-head"><span class="src-title" translate="no">'
        f'{web_link(p.url, p.title or p.file, lang)}</span> '
        f'<span class="src-score">{esc(t("relevance", lang))} {p.score:.2f}</span></div>'
        f"{_meta(p.language, p.date, p.file, p.url, lang)}"
        f'<blockquote class="src-passage" translate="no">{esc(p.text.strip())}</blockquote></div>'
    )


def _translations(answer: Answer, lang: str, doc_text: DocText, shown_docs: set[str]) -> str:
    refs: dict[str, TranslationRef] = {}
    for c in answer.citations:
        for r in c.also_in:
            if r.doc_id not in shown_docs:
                refs.setdefault(r.doc_id, r)
    items = []
    for r in refs.values():
        shown_docs.add(r.doc_id)
        items.append(_article(r.doc_id, doc_text(r.doc_id), "", lang,
                              f"{r.language.upper()} · {r.file}", literal=True))
    if not items:
        return ""
    return (f'<div class="src-translations"><h4>{esc(t("translations", lang))}</h4>'
            f'{"".join(items)}</div>')


NOTICE_KEYS = {"llm_unavailable": "notice_llm_unavailable", "abstained": "notice_abstained",
               "unsupported_language": "notice_unsupported_language",
               "language_retry": "notice_language_retry"}
CONFIDENCE_DOT = {"strong": "●●●", "partial": "●●○", "weak": "●○○", "none": "○○○"}


def _panel_open(lang: str, turn: int | None, count: int = 0, export: str = "") -> str:
    """The panel's frame: heading, copy and close buttons (the close button is for
    the phone drawer), and the answer's export text for the copy button."""
    data = f' data-turn="{int(turn)}"' if turn is not None else ""
    tools = ""
    if export:
        data += f' data-export="{esc(export)}"'
        tools += (f'<button type="button" class="copy-answer" data-done="{esc(t("copied", lang))}" '
                  f'title="{esc(t("copy_answer", lang))}">'
                  f'<span class="long">{esc(t("copy_answer", lang))}</span>'
                  f'<span class="short">{esc(t("copy_answer_short", lang))}</span></button>')
    tools += (f'<button type="button" class="drawer-close" aria-label="{esc(t("sources_close", lang))}">'
              f'{esc(t("sources_close", lang))}</button>')
    return (f'<div class="sources-panel" lang="{esc(lang)}"{data} '
            f'data-open-label="{esc(t("sources_open", lang, n=count))}">'
            f'<div class="panel-head"><h3>{esc(t("sources", lang))}</h3>'
            f'<div class="panel-tools">{tools}</div></div>')


_PANEL_LANG = re.compile(r'<div class="sources-panel" lang="([a-z]+)"')


def panel_lang(html_text: str) -> str | None:
    """The language a sources panel was drawn in (None: not a panel)."""
    m = _PANEL_LANG.match(html_text or "")
    return m.group(1) if m else None


def confidence_label(confidence: Confidence | None, lang: str) -> str:
    if confidence is None:
        return ""
    return t(f"conf_{confidence.level}", lang)


def confidence_reason(confidence: Confidence, lang: str) -> str:
    """The engine's one-line reason in `lang` (the engine wrote it in the answer's)."""
    from rag.lang.prompts import phrase

    reasons = phrase("confidence_reason", lang)
    return reasons.get(confidence.reason_code, confidence.reason) if confidence.reason else ""


def confidence_html(confidence: Confidence | None, lang: str) -> str:
    """The badge above the sources: level, and the engine's one-line reason."""
    if confidence is None:
        return ""
    why = confidence_reason(confidence, lang)
    reason = f'<span class="conf-reason">{esc(why)}</span>' if why else ""
    return (f'<div class="confidence conf-{esc(confidence.level)}" title="{esc(t("conf_title", lang))}" '
            f'data-reason-code="{esc(confidence.reason_code)}">'
            f'<span class="conf-level">{CONFIDENCE_DOT.get(confidence.level, "")} '
            f'{esc(confidence_label(confidence, lang))}</span>{reason}</div>')


def confidence_markdown(confidence: Confidence | None, lang: str) -> str:
    """The badge as the last line of the chat message (Markdown, escaped)."""
    if confidence is None:
        return ""
    line = f"{CONFIDENCE_DOT.get(confidence.level, '')} **{confidence_label(confidence, lang)}**"
    if confidence.reason:
        line += f" · {answer_markdown(confidence_reason(confidence, lang))}"
    return line


def notices_html(answer: Answer, lang: str) -> str:
    """Banners for the answer's notices, in the panel language; a notice the UI has
    no text for keeps the engine's message (already in the answer language)."""
    parts, seen = [], set()
    codes = [n.code for n in answer.notices]
    if answer.abstained and "abstained" not in codes:
        codes.append("abstained")
    messages = {n.code: n.message for n in answer.notices}
    for code in codes:
        if code in seen or code == "ingested_seeds":
            continue
        seen.add(code)
        text = t(NOTICE_KEYS[code], lang) if code in NOTICE_KEYS else messages.get(code, "")
        parts.append(notice_banner(code, text))
    return "".join(parts)


def scope_words(scope: Scope | dict | None, lang: str) -> str:
    """"2 documents, from 1 October 2025": a question's limit in words ("" without one)."""
    from ui.dates import date_words

    if isinstance(scope, dict):
        scope = Scope.model_validate(scope)
    if scope is None or scope.is_empty():
        return ""
    parts = []
    if scope.doc_ids:
        parts.append(t("scope_n_docs", lang, n=len(scope.doc_ids)))
    if scope.since:
        parts.append(t("scope_from", lang, d=date_words(scope.since, lang)))
    if scope.until:
        parts.append(t("scope_to", lang, d=date_words(scope.until, lang)))
    return ", ".join(parts).rstrip(".")


def scope_markdown(limit: str, lang: str) -> str:
    """The line under an answer that was limited: what it was limited to."""
    return f"_{answer_markdown(t('scope_applied', lang, what=limit))}_" if limit else ""


def export_text(answer: Answer, lang: str, limit: str = "") -> str:
    """The answer with its numbered sources (title, date, file or web address), as
    Markdown; `limit`: what the question was limited to (scope_words)."""
    lines = [f"## {t('export_question', lang)}", "", answer.question, ""]
    if limit:
        lines += [t("scope_applied", lang, what=limit), ""]
    lines += [f"## {t('export_answer_h', lang)}", "", answer.text]
    if answer.confidence is not None:
        lines += ["", f"{confidence_label(answer.confidence, lang)}: "
                      f"{confidence_reason(answer.confidence, lang)}".rstrip(": ")]
    if answer.citations:
        lines += ["", f"## {t('export_sources_h', lang)}", ""]
        for c in answer.citations:
            date = c.date or t("no_date", lang)
            lines.append(f"[{c.n}] {c.title or c.file} — {date} — {c.url or c.file}")
    return "\n".join(lines) + "\n"


def sources_html(answer: Answer, lang: str, doc_text: DocText, turn: int | None = None,
                 limit: str = "") -> str:
    """The panel for a finished answer: confidence, notices, one card per citation,
    translations and the retrieved passages the answer did not cite. `turn` (the
    answer's index in the conversation) lets the page script match [n] links."""
    parts = [_panel_open(lang, turn, len(answer.citations), export_text(answer, lang, limit)),
             confidence_html(answer.confidence, lang), notices_html(answer, lang)]
    if limit:
        parts.append(notice_banner("scope", t("scope_applied", lang, what=limit)))
    shown_docs: set[str] = set()
    if answer.citations:
        parts.append(_cards(answer.citations, lang, doc_text, shown_docs))
    elif not answer.abstained:
        parts.append(f'<p class="muted">{esc(t("no_sources", lang))}</p>')
    parts.append(_translations(answer, lang, doc_text, shown_docs))
    cited = {c.chunk_id for c in answer.citations}
    uncited = [p for p in answer.retrieved if p.chunk_id not in cited]
    if uncited:
        parts.append(
            f'<details class="src-more"><summary>{esc(t("uncited", lang))} ({len(uncited)})'
            f'</summary>{"".join(_passage_item(p, lang) for p in uncited)}</details>'
        )
    parts.append("</div>")
    return "".join(parts)


def retrieved_html(passages: list[RetrievedPassage], lang: str, turn: int | None = None) -> str:
    """The panel while the answer is being written: what retrieval found."""
    items = "".join(_passage_item(p, lang) for p in passages)
    return (f'{_panel_open(lang, turn, len(passages))}'
            f'<p class="muted">{esc(t("retrieved", lang))}</p>{items}</div>')


def placeholder_html(lang: str, key: str = "sources_empty", turn: int | None = None) -> str:
    return f'{_panel_open(lang, turn)}<p class="muted">{esc(t(key, lang))}</p></div>'


def status_html(kind: str, text: str) -> str:
    """A status line: kind is ok, error, info or warn (an icon and a CSS class)."""
    icon = {"ok": "✓", "error": "✗", "info": "ℹ", "warn": "⚠"}.get(kind, "")
    return (f'<div class="status status-{esc(kind)}" role="status">'
            f'<span class="status-icon" aria-hidden="true">{icon}</span> {esc(text)}</div>')


LOGO = (
    '<svg class="app-logo" viewBox="0 0 24 24" width="30" height="30" aria-hidden="true">'
    '<rect x="3" y="4" width="18" height="16" rx="2" fill="none" stroke="currentColor" '
    'stroke-width="1.8"/><path d="M6.5 8h6M6.5 11.5h11M6.5 15h11" stroke="currentColor" '
    'stroke-width="1.8" stroke-linecap="round"/><rect x="14" y="7" width="3.5" height="2.5" '
    'rx=".5" fill="currentColor"/></svg>'
)


def header_html(lang: str, mode: str, model: str | None = None, ready: bool = True) -> str:
    """Title, mode badge (localised: "offline · quotes" or "AI model <name>") and subtitle."""
    if mode == "llm":
        badge, help_key = t("mode_llm", lang, model=model or ""), "mode_llm_help"
    else:
        badge, help_key = t("mode_offline", lang), "mode_offline_help"
    return (
        f'<div class="app-header" lang="{esc(lang)}"{" data-ready" if ready else ""}>'
        '<div class="app-title">'
        f'{LOGO} <span class="app-name">{esc(t("title", lang))}</span>'
        f'<span class="mode-badge" title="{esc(t(help_key, lang))}" '
        f'aria-label="{esc(t("mode", lang))}: {esc(badge)}">{esc(badge)}</span></div>'
        f'<div class="app-subtitle">{esc(t("subtitle", lang))}</div></div>'
    )

