"""The page script: interface language (html lang, Gradio's own strings), [n] links
to the source cards, the phone's sources drawer and "copy answer with sources".

It is put into every page the server sends, the login page included
(ui.pagehtml), so it starts before Gradio draws anything."""

from __future__ import annotations

import json

from ui.strings.frontend import PATTERNS, TEXTS

_JS = r"""
(function () {
  if (window.newsrag) return;
  var TEXTS = __TEXTS__, PATTERNS = __PATTERNS__, LANGS = ['vi', 'en', 'ru'];
  var KEY = 'newsrag.lang', current = 'en';
  // user content is never translated: article text, chat messages, conversation
  // titles, document titles in pickers
  var CONTENT = '[translate="no"], script, style, textarea, #chatbot .message-content, ' +
    '#chatbot .md, #conv-list label, .token, ul.options, [role="listbox"]';
  PATTERNS = PATTERNS.map(function (p) { return [new RegExp(p[0], 's'), p[1]]; });

  function browserLang() {
    var list = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < list.length; i++) {
      var code = String(list[i] || '').split('-')[0].toLowerCase();
      if (LANGS.indexOf(code) >= 0) return code;
    }
    return 'en';
  }
  function stored() { try { return localStorage.getItem(KEY) || 'auto'; } catch (e) { return 'auto'; } }
  function uiFor(choice) { return LANGS.indexOf(choice) >= 0 ? choice : browserLang(); }

  // -- Gradio's own English strings, swapped for the interface language ----------
  function swap(text) {
    if (current === 'en' || !text) return null;
    var key = text.trim(), hit = TEXTS[key];
    if (hit && hit[current]) return text.replace(key, hit[current]);
    for (var i = 0; i < PATTERNS.length; i++) {
      var m = PATTERNS[i][0];
      if (m.test(key) && PATTERNS[i][1][current]) return key.replace(m, PATTERNS[i][1][current]);
    }
    return null;
  }
  function skipped(el) {
    return !el || (el.closest && el.closest(CONTENT));
  }
  // Each node remembers the English it had and what it was turned into; text the
  // page writes later (anything else) starts over from there.
  function doText(node) {
    if (skipped(node.parentElement)) return;
    var val = node.nodeValue;
    if (node.__nrOut === undefined || val !== node.__nrOut) node.__nrOrig = val;
    var orig = node.__nrOrig, out = current === 'en' ? orig : swap(orig);
    if (out === null) { node.__nrOut = undefined; return; }
    node.__nrOut = out;
    if (val !== out) node.nodeValue = out;
  }
  var ATTRS = ['aria-label', 'title', 'placeholder'];
  function doAttrs(el) {
    if (skipped(el)) return;
    ATTRS.forEach(function (a) {
      if (!el.hasAttribute(a)) return;
      var val = el.getAttribute(a), origKey = 'data-nr-' + a, outKey = 'data-nr-out-' + a;
      if (val !== el.getAttribute(outKey)) el.setAttribute(origKey, val);
      var orig = el.getAttribute(origKey), out = current === 'en' ? orig : swap(orig);
      if (out === null) { el.removeAttribute(outKey); return; }
      el.setAttribute(outKey, out);
      if (val !== out) el.setAttribute(a, out);
    });
  }
  function translate(root) {
    if (!root) return;
    if (root.nodeType === 3) { doText(root); return; }
    if (root.nodeType !== 1) return;
    doAttrs(root);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT), n;
    while ((n = walker.nextNode())) { if (n.nodeType === 3) doText(n); else doAttrs(n); }
  }

  // Gradio's locale store: keeps its own reactive strings and <html lang> in step.
  // Its module is only there once Gradio has loaded, so this is retried from scan().
  var coreModule = null, localeSet = null;
  function core() {
    if (coreModule) return Promise.resolve(coreModule);
    var url = performance.getEntriesByType('resource').map(function (e) { return e.name; })
      .filter(function (n) { return /\/assets\/core-[^\/]*\.js$/.test(n); })[0];
    if (!url) return Promise.resolve(null);
    return import(url).then(function (m) { coreModule = m; return m; },
                            function () { return null; });
  }
  function gradioLocale(lang) {
    core().then(function (m) {
      if (!m || !m.changeLocale || localeSet === lang) return;
      localeSet = lang;
      try {
        if (m.load_translations) m.load_translations({processed_langs: {}, custom_translations:
          {vi: {common: {complete: 'Hoàn tất'}, chatbot: {complete: 'Hoàn tất'}},
           ru: {common: {complete: 'Готово'}, chatbot: {complete: 'Готово'}},
           en: {common: {complete: 'Complete'}}}});
        m.changeLocale(lang);
      } catch (e) { /* only a nicety: the swaps above do the work */ }
      setTimeout(function () { document.documentElement.lang = current; translate(document.body); }, 300);
    });
  }
  function apply(lang) {
    current = LANGS.indexOf(lang) >= 0 ? lang : 'en';
    document.documentElement.lang = current;
    document.cookie = 'newsrag_lang=' + current + '; path=/; max-age=31536000; SameSite=Lax';
    translate(document.body);
    localeSet = null;
    gradioLocale(current);
    return current;
  }
  function init() { var c = stored(); return [c, apply(uiFor(c))]; }
  function choose(choice) {
    try { localStorage.setItem(KEY, choice || 'auto'); } catch (e) {}
    return apply(uiFor(choice));
  }

  // -- [n] in answers -> <sup><a href="#src-n">[n]</a></sup> (done here so that the
  // message text, and what the copy buttons copy, stays plain) --------------------
  var RE = /\[(\d{1,3})\]/g;
  function linkSkip(node, root) {
    if (node.parentNode === root) return true;
    for (var p = node.parentNode; p && p !== root; p = p.parentNode) {
      if (p.nodeName === 'A' || p.nodeName === 'CODE' || p.nodeName === 'PRE') return true;
    }
    return false;
  }
  function linkify(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [], n;
    while ((n = walker.nextNode())) {
      RE.lastIndex = 0;
      if (n.nodeValue && RE.test(n.nodeValue) && !linkSkip(n, root)) nodes.push(n);
    }
    nodes.forEach(function (node) {
      var text = node.nodeValue, frag = document.createDocumentFragment(), last = 0, m;
      RE.lastIndex = 0;
      while ((m = RE.exec(text))) {
        frag.appendChild(document.createTextNode(text.slice(last, m.index)));
        var sup = document.createElement('sup'), a = document.createElement('a');
        sup.className = 'ref'; a.href = '#src-' + m[1]; a.textContent = '[' + m[1] + ']';
        sup.appendChild(a); frag.appendChild(sup); last = RE.lastIndex;
      }
      frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
  }

  // -- the sources drawer (phones) -----------------------------------------------
  function phone() { return window.matchMedia('(max-width: 820px)').matches; }
  function drawer(open) {
    var col = document.getElementById('sources-col');
    if (col) col.classList.toggle('drawer-open', !!open);
  }
  function toggles() {
    var bots = document.querySelectorAll('#chatbot [data-testid="bot"]');
    var panel = document.querySelector('#sources .sources-panel');
    var label = panel ? panel.getAttribute('data-open-label') : null;
    document.querySelectorAll('#chatbot .src-toggle').forEach(function (b) {
      if (!bots.length || b.parentNode !== bots[bots.length - 1]) b.remove();
    });
    if (!bots.length || !label) return;
    var last = bots[bots.length - 1], btn = last.querySelector(':scope > .src-toggle');
    if (!btn) {
      btn = document.createElement('button');
      btn.type = 'button'; btn.className = 'src-toggle';
      last.appendChild(btn);
    }
    if (btn.textContent !== label) btn.textContent = label;
  }

  var pending = false;
  function scan() {
    pending = false;
    if (document.documentElement.lang !== current) document.documentElement.lang = current;
    if (localeSet !== current) gradioLocale(current);
    document.querySelectorAll('#chatbot [data-testid="bot"] .md').forEach(linkify);
    toggles();
    translate(document.body);
  }
  new MutationObserver(function () {
    if (!pending) { pending = true; setTimeout(scan, 40); }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ['aria-label', 'title', 'placeholder', 'lang']});

  // -- clicks: source links, drawer, copy --------------------------------------
  function reveal(id) {
    var el = document.getElementById(id);
    if (!el) return false;
    if (phone()) drawer(true);
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
  function copy(text, button) {
    var done = function () {
      var old = button.textContent; button.textContent = button.getAttribute('data-done') || old;
      setTimeout(function () { button.textContent = old; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else { fallbackCopy(text); done(); }
  }
  function fallbackCopy(text) {
    var ta = document.createElement('textarea');
    ta.value = text; ta.style.position = 'fixed'; ta.style.opacity = '0';
    document.body.appendChild(ta); ta.select();
    try { document.execCommand('copy'); } catch (e) {}
    ta.remove();
  }
  document.addEventListener('click', function (e) {
    var t = e.target && e.target.closest ? e.target : null;
    if (!t) return;
    if (t.closest('.src-toggle')) { e.preventDefault(); drawer(true); return; }
    if (t.closest('.drawer-close')) { e.preventDefault(); drawer(false); return; }
    var cp = t.closest('.copy-answer');
    if (cp) {
      e.preventDefault();
      copy(cp.closest('.sources-panel').getAttribute('data-export') || '', cp);
      return;
    }
    var a = t.closest('a[href^="#src-"], a[href^="#doc-"]');
    if (!a) return;
    e.preventDefault();
    var id = a.getAttribute('href').slice(1), bot = a.closest('#chatbot [data-testid="bot"]');
    if (bot) {
      var bots = Array.prototype.slice.call(document.querySelectorAll('#chatbot [data-testid="bot"]'));
      var turn = String(bots.indexOf(bot));
      if (panelTurn() !== turn) {  // let the click reach the Chatbot (select event) first
        var tries = 0, timer = setInterval(function () {
          if (panelTurn() === turn || ++tries > 40) { clearInterval(timer); reveal(id); }
        }, 100);
        return;
      }
    }
    e.stopPropagation();
    reveal(id);
  }, true);

  window.newsrag = {init: init, choose: choose, apply: apply, lang: function () { return current; },
                    translate: translate, drawer: drawer};
  apply(uiFor(stored()));
})();
"""


def page_script() -> str:
    """The script, with the string tables filled in."""
    texts = json.dumps(TEXTS, ensure_ascii=False)
    patterns = json.dumps([[p, r.copy()] for p, r in PATTERNS], ensure_ascii=False)
    js = _JS.replace("__TEXTS__", texts).replace("__PATTERNS__", patterns)
    # Python's \1 in replacements is $1 in JavaScript
    js = js.replace("\\\\1", "$1").replace("\\\\2", "$2")
    return js.replace("</", "<\\/")
