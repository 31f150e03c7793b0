"""HTML for answers and their sources. Document text is untrusted: every piece of
it goes through `esc()` before it reaches the page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from rag.schema import Answer, Citation, RetrievedPassage, TranslationRef
from ui.i18n import t

_MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+")

DocText = Callable[[str], str | None]


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def anchor_id(prefix: str, key: object) -> str:
    """A safe element id: 'src-3', 'doc-002_3e13fac306d48c8a_txt'."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '_', str(key))}"


# -- chat messages -------------------------------------------------------------
def answer_markdown(text: str) -> str:
    """Answer or question text for the Chatbot (Markdown). Angle brackets are escaped
    so article text can carry no HTML, and images are neutralized (no remote loads);
    `[n]` stays plain text so the copy buttons copy clean text. The page script
    (HEAD) turns `[n]` into superscript links to source card #src-n."""
    text = (text or "").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("![", "!\\[")


def notice_markdown(text: str) -> str:
    return f"⚠️ {answer_markdown(text)}"


# -- highlighting ------------------------------------------------------------------
def _spans(haystack: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for needle in needles:
        needle = needle.strip()
        if len(needle) < 8:
            continue
        start = haystack.find(needle)
        if start >= 0:
            spans.append((start, start + len(needle)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def highlight(text: str, evidence: str) -> tuple[str, bool]:
    """Escaped `text` with the evidence wrapped in <mark>; (html, found)."""
    text = text or ""
    spans = _spans(text, [evidence])
    if not spans:  # the evidence may span sentences that are not contiguous
        spans = _spans(text, _SENTENCE_SPLIT.split(evidence or ""))
    out, pos = [], 0
    for s, e in spans:
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out), bool(spans)


# -- the sources panel -----------------------------------------------------------------
def _lang_badge(code: str) -> str:
    return f'<span class="lang-badge">{esc((code or "?").upper())}</span>'


def _meta(title: str, language: str, date: str | None, file: str) -> str:
    parts = [_lang_badge(language)]
    if date:
        parts.append(f'<span class="src-date">{esc(date)}</span>')
    parts.append(f'<code class="src-file">{esc(file)}</code>')
    return f'<div class="src-meta">{" ".join(parts)}</div>'


def _also_in(refs: list[TranslationRef], lang: str) -> str:
    if not refs:
        return ""
    links = " / ".join(
        f'<a href="#{anchor_id("doc", r.doc_id)}" title="{esc(r.file)}">{esc(r.language)}</a>'
        for r in refs
    )
    return f'<div class="src-also">{esc(t("also_in", lang))}: {links}</div>'


def _article(doc_id: str, text: str | None, evidence: str, lang: str, summary: str) -> str:
    if text is None:
        return ""
    body, _ = highlight(text, evidence)
    return (
        f'<details class="src-article"><summary>{esc(summary)}</summary>'
        f'<div class="article-text" id="{anchor_id("doc", doc_id)}">{body}</div></details>'
    )


def notice_banner(kind: str, text: str) -> str:
    return f'<div class="notice notice-{esc(kind)}" role="status">{esc(text)}</div>'


def _card(c: Citation, lang: str, doc_text: DocText, shown_docs: set[str]) -> str:
    passage, found = highlight(c.passage.strip(), c.text)
    if not found:  # show the evidence on its own above the passage
        passage = f"<mark>{esc(c.text)}</mark><br><br>{passage}"
    article = ""
    if c.doc_id not in shown_docs:
        shown_docs.add(c.doc_id)
        article = _article(c.doc_id, doc_text(c.doc_id), c.text, lang, t("full_article", lang))
    else:
        article = (f'<div class="src-article-link"><a href="#{anchor_id("doc", c.doc_id)}">'
                   f'{esc(t("full_article", lang))}</a></div>')
    return (
        f'<div class="src-card" id="{anchor_id("src", c.n)}" data-file="{esc(c.file)}">'
        f'<div class="src-head"><span class="src-n">[{c.n}]</span> '
        f'<span class="src-title">{esc(c.title or c.file)}</span></div>'
        f"{_meta(c.title, c.language, c.date, c.file)}"
        f'<blockquote class="src-passage">{passage}</blockquote>'
        f"{article}{_also_in(c.also_in, lang)}</div>"
    )


def _passage_item(p: RetrievedPassage, lang: str) -> str:
    return (
        f'<div class="src-uncited" data-file="{esc(p.file)}">'
        f'<div class="src-head"><span class="src-title">{esc(p.title or p.file)}</span> '
        f'<span class="src-score">{esc(t("score", lang))} {p.score:.2f}</span></div>'
        f"{_meta(p.title, p.language, p.date, p.file)}"
        f'<blockquote class="src-passage">{esc(p.text.strip())}</blockquote></div>'
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
                              f"{r.language.upper()} · {r.file}"))
    if not items:
        return ""
    return (f'<div class="src-translations"><h4>{esc(t("translations", lang))}</h4>'
            f'{"".join(items)}</div>')


def _panel_open(lang: str, turn: int | None) -> str:
    data = f' data-turn="{int(turn)}"' if turn is not None else ""
    return f'<div class="sources-panel"{data}><h3>{esc(t("sources", lang))}</h3>'


def sources_html(answer: Answer, lang: str, doc_text: DocText, turn: int | None = None) -> str:
    """The panel for a finished answer: notices, one card per citation, translations
    and the retrieved passages the answer did not cite. `turn` (the answer's index in
    the conversation) lets the page script match [n] links to the panel."""
    parts = [_panel_open(lang, turn)]
    codes = {n.code for n in answer.notices}
    if "llm_unavailable" in codes:
        parts.append(notice_banner("llm_unavailable", t("notice_llm_unavailable", lang)))
    if answer.abstained or "abstained" in codes:
        parts.append(notice_banner("abstained", t("notice_abstained", lang)))
    for n in answer.notices:
        if n.code in ("unsupported_language",):
            parts.append(notice_banner(n.code, n.message))
    shown_docs: set[str] = set()
    if answer.citations:
        parts.extend(_card(c, lang, doc_text, shown_docs) for c in answer.citations)
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
    return (f'{_panel_open(lang, turn)}'
            f'<p class="muted">{esc(t("retrieved", lang))}</p>{items}</div>')


def placeholder_html(lang: str, key: str = "sources_empty", turn: int | None = None) -> str:
    return f'{_panel_open(lang, turn)}<p class="muted">{esc(t(key, lang))}</p></div>'


LOGO = (
    '<svg class="app-logo" viewBox="0 0 24 24" width="30" height="30" aria-hidden="true">'
    '<rect x="3" y="4" width="18" height="16" rx="2" fill="none" stroke="currentColor" '
    'stroke-width="1.8"/><path d="M6.5 8h6M6.5 11.5h11M6.5 15h11" stroke="currentColor" '
    'stroke-width="1.8" stroke-linecap="round"/><rect x="14" y="7" width="3.5" height="2.5" '
    'rx=".5" fill="currentColor"/></svg>'
)


def header_html(lang: str, mode_label: str) -> str:
    return (
        '<div class="app-header"><div class="app-title">'
        f'{LOGO} {esc(t("title", lang))}'
        f'<span class="mode-badge" title="{esc(t("mode", lang))}">{esc(mode_label)}</span></div>'
        f'<div class="app-subtitle">{esc(t("subtitle", lang))}</div></div>'
    )


CSS = """
.app-header {padding: 6px 2px 2px 2px;}
.app-logo {color: var(--color-accent); flex: none;}
.app-title {font-size: 1.6em; font-weight: 700; display: flex; align-items: center; gap: .5em;}
.app-subtitle {color: var(--body-text-color-subdued); margin-top: .2em;}
.mode-badge {font-size: .5em; font-weight: 600; padding: .25em .7em; border-radius: 999px;
  background: var(--color-accent-soft); color: var(--color-accent); border: 1px solid var(--color-accent);
  text-transform: uppercase; letter-spacing: .04em;}
.sources-panel h3 {margin: 0 0 .5em 0;}
.sources-panel .muted {color: var(--body-text-color-subdued);}
.src-card, .src-uncited {border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: .6em .8em; margin-bottom: .7em; background: var(--background-fill-secondary);}
.src-card:target, .src-card.flash {outline: 2px solid var(--color-accent);}
.src-head {font-weight: 600;}
.src-n {color: var(--color-accent); margin-right: .2em;}
.src-meta {font-size: .85em; color: var(--body-text-color-subdued); margin: .2em 0 .4em 0;
  display: flex; gap: .6em; flex-wrap: wrap; align-items: center;}
.lang-badge {font-weight: 700; font-size: .8em; padding: .05em .45em; border-radius: 4px;
  background: var(--color-accent-soft); color: var(--color-accent);}
.src-passage {margin: .3em 0; padding: .3em .7em; border-left: 3px solid var(--border-color-accent);
  font-size: .92em; white-space: pre-wrap;}
.src-passage mark, .article-text mark {background: #fde68a; color: #111; padding: 0 .1em;}
.src-article summary, .src-more summary {cursor: pointer; color: var(--color-accent); font-size: .9em;}
.article-text {white-space: pre-wrap; font-size: .9em; max-height: 22em; overflow-y: auto;
  padding: .4em .6em; border: 1px dashed var(--border-color-primary); border-radius: 6px;
  margin-top: .3em;}
.src-also, .src-article-link {font-size: .85em; margin-top: .3em;}
.src-score {font-weight: 400; font-size: .8em; color: var(--body-text-color-subdued);}
.notice {padding: .55em .8em; border-radius: 8px; margin-bottom: .7em; font-weight: 600;}
.notice-llm_unavailable {background: #fff7ed; color: #9a3412; border: 1px solid #fdba74;}
.notice-abstained {background: #eff6ff; color: #1e40af; border: 1px solid #93c5fd;}
.notice-unsupported_language {background: #fefce8; color: #854d0e; border: 1px solid #fde047;}
sup.ref a {text-decoration: none; font-weight: 600;}
#sources-col {max-height: 80vh; overflow-y: auto;}
"""

HEAD = """
<script>
(function () {
  // [n] in answers -> <sup><a href="#src-n">[n]</a></sup>, done in the page so that the
  // message text (and what the copy buttons copy) stays plain.
  var RE = /\\[(\\d{1,3})\\]/g;
  function skip(node, root) {
    if (node.parentNode === root) return true;  // leave the renderer's own nodes alone
    for (var p = node.parentNode; p && p !== root; p = p.parentNode) {
      if (p.nodeName === 'A' || p.nodeName === 'CODE' || p.nodeName === 'PRE') return true;
    }
    return false;
  }
  function linkify(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [], n;
    while ((n = walker.nextNode())) {
      RE.lastIndex = 0;
      if (n.nodeValue && RE.test(n.nodeValue) && !skip(n, root)) nodes.push(n);
    }
    nodes.forEach(function (node) {
      var text = node.nodeValue, frag = document.createDocumentFragment(), last = 0, m;
      RE.lastIndex = 0;
      while ((m = RE.exec(text))) {
        frag.appendChild(document.createTextNode(text.slice(last, m.index)));
        var sup = document.createElement('sup'), a = document.createElement('a');
        sup.className = 'ref';
        a.href = '#src-' + m[1];
        a.title = 'source ' + m[1];
        a.textContent = '[' + m[1] + ']';
        sup.appendChild(a);
        frag.appendChild(sup);
        last = RE.lastIndex;
      }
      frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
  }
  var pending = false;
  function scan() {
    pending = false;
    document.querySelectorAll('#chatbot [data-testid="bot"] .md').forEach(linkify);
  }
  new MutationObserver(function () {
    if (!pending) { pending = true; setTimeout(scan, 30); }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});

  // Links to source cards and articles: open the <details> around the target, scroll.
  // A [n] in an older answer first lets the Chatbot's select event bring that
  // answer's sources into the panel (its data-turn), then scrolls.
  function reveal(id) {
    var el = document.getElementById(id);
    if (!el) return false;
    for (var p = el; p; p = p.parentElement) { if (p.tagName === 'DETAILS') p.open = true; }
    el.scrollIntoView({behavior: 'smooth', block: 'start'});
    el.classList.add('flash');
    setTimeout(function () { el.classList.remove('flash'); }, 1600);
    return true;
  }
  function panelTurn() {
    var panel = document.querySelector('#sources .sources-panel');
    return panel ? panel.getAttribute('data-turn') : null;
  }
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[href^="#src-"], a[href^="#doc-"]') : null;
    if (!a) return;
    e.preventDefault();
    var id = a.getAttribute('href').slice(1);
    var bot = a.closest('#chatbot [data-testid="bot"]');
    if (bot) {
      var bots = Array.prototype.slice.call(document.querySelectorAll('#chatbot [data-testid="bot"]'));
      var turn = String(bots.indexOf(bot));
      if (panelTurn() !== turn) {  // let the click reach the Chatbot (select event)
        var tries = 0, timer = setInterval(function () {
          if (panelTurn() === turn || ++tries > 40) { clearInterval(timer); reveal(id); }
        }, 100);
        return;
      }
    }
    e.stopPropagation();
    reveal(id);
  }, true);
})();
</script>
"""
