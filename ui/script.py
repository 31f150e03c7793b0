"""The page script: interface language (html lang, Gradio's own strings), [n] links
to the source cards, the phone's sources drawer and "copy answer with sources".

It is put into every page the server sends, the login page included
(ui.pagehtml), so it starts before Gradio draws anything."""

from __future__ import annotations

import json

from ui.i18n import UI_LANGUAGES, t
from ui.strings.frontend import PATTERNS, TEXTS

_JS = r"""
(function () {
  if (window.newsrag) return;
  var TEXTS = __TEXTS__, PATTERNS = __PATTERNS__, TITLES = __TITLES__, LANGS = ['vi', 'en', 'ru'];
  var LANG_COOKIE = 'newsrag_lang', SIDEBAR_COOKIE = 'newsrag_sidebar', YEAR = 31536000;
  var root = document.documentElement;
  // The server decided the language (saved choice, else the browser's) and wrote it
  // into <html lang>; the script only follows it.
  var current = LANGS.indexOf(root.lang) >= 0 ? root.lang : 'en';
  // user content is never translated: article text, chat messages, conversation
  // titles, document titles in pickers
  var CONTENT = '[translate="no"], script, style, textarea, #chatbot .message-content, ' +
    '#chatbot .md, #conv-list label, .token, ul.options, [role="listbox"]';
  PATTERNS = PATTERNS.map(function (p) { return [new RegExp(p[0], 's'), p[1]]; });

  function cookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function setCookie(name, value) {
    document.cookie = name + '=' + encodeURIComponent(value) + '; path=/; max-age=' + YEAR +
      '; SameSite=Lax';
  }
  // A choice kept by an older version (localStorage) moves into the cookie once.
  (function migrate() {
    var old = null;
    try { old = localStorage.getItem('newsrag.lang'); localStorage.removeItem('newsrag.lang'); } catch (e) {}
    if (old && cookie(LANG_COOKIE) === null && LANGS.indexOf(old) >= 0) {
      setCookie(LANG_COOKIE, old);
      location.reload();
    }
  })();

  // -- Gradio's own English strings, swapped for the interface language ----------
  function swap(text) {
    if (!text) return null;
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
    var orig = node.__nrOrig, out = swap(orig);
    if (out === null && current === 'en') out = orig;
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
      var orig = el.getAttribute(origKey), out = swap(orig);
      if (out === null && current === 'en') out = orig;
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
    root.lang = current;
    if (TITLES[current]) document.title = TITLES[current];
    translate(document.body);
    localeSet = null;
    gradioLocale(current);
    return current;
  }
  function save(choice) { setCookie(LANG_COOKIE, choice || 'auto'); }
  function sidebar(open) { setCookie(SIDEBAR_COOKIE, open ? '1' : '0'); }

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

  // -- the sources drawer (phones): a close button that stays in view, Escape, the
  // back gesture and a tap outside close it -------------------------------------
  function phone() { return window.matchMedia('(max-width: 820px)').matches; }
  function column() { return document.getElementById('sources-col'); }
  function backdrop() {
    var el = document.getElementById('nr-backdrop');
    if (!el) {
      el = document.createElement('div');
      el.id = 'nr-backdrop';
      el.addEventListener('click', function () { drawer(false); });
      document.body.appendChild(el);
    }
    return el;
  }
  function isOpen() { var col = column(); return !!(col && col.classList.contains('drawer-open')); }
  function drawer(open, fromHistory) {
    var col = column();
    if (!col || isOpen() === !!open) return;
    col.classList.toggle('drawer-open', !!open);
    backdrop().classList.toggle('shown', !!open);
    root.classList.toggle('nr-drawer-open', !!open);
    if (open) {
      history.pushState({nrDrawer: true}, '');
      var close = col.querySelector('.drawer-close');
      if (close) setTimeout(function () { close.focus({preventScroll: true}); }, 50);
    } else if (!fromHistory && history.state && history.state.nrDrawer) {
      history.back();
    }
  }
  window.addEventListener('popstate', function () { if (isOpen()) drawer(false, true); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && isOpen()) { e.preventDefault(); drawer(false); }
  });
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

  // -- a new answer: its first line (the answer itself) in view, not its end --------
  function scroller(el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var st = getComputedStyle(p);
      if (/(auto|scroll)/.test(st.overflowY) && p.scrollHeight > p.clientHeight + 1) return p;
    }
    return null;
  }
  function scrollWithin(box, el, margin) {
    var top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - (margin || 0));
  }
  // scrolled once when a question appears and once when its answer arrives (the
  // "…" replaced by text); never while the reader scrolls or the text streams on
  var followed = '';
  function followAnswer() {
    var bots = document.querySelectorAll('#chatbot [data-testid="bot"]');
    var last = bots.length ? bots[bots.length - 1] : null;
    var key = bots.length + ':' + (last && last.innerText.trim().length > 3 ? 'answer' : 'wait');
    if (key === followed) return;
    followed = key;
    if (!last) return;
    var bot = last, users = document.querySelectorAll('#chatbot [data-testid="user"]');
    var user = users.length ? users[users.length - 1] : null, box = scroller(bot);
    if (!box) box = document.createElement('div');  // all of it fits: nothing to scroll
    // the question and the answer's first lines together when they fit, else the answer
    var target = bot;
    if (user && bot.getBoundingClientRect().top - user.getBoundingClientRect().top < box.clientHeight * 0.35) {
      target = user;
    }
    scrollWithin(box, target, 8);
    // the chat itself may be scrolled off the page (after using the scope form below it)
    var r = bot.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight - 60) {
      window.scrollBy(0, target.getBoundingClientRect().top - 12);
    }
  }

  // the 👎 form opens below the question box: bring it into view (phones)
  var formShown = false;
  function followForm() {
    var form = document.getElementById('fb-panel');
    var shown = !!(form && form.offsetParent !== null && form.getBoundingClientRect().height > 0);
    if (shown && !formShown) form.scrollIntoView({block: 'nearest'});
    formShown = shown;
  }

  var pending = false;
  function scan() {
    pending = false;
    if (root.lang !== current) root.lang = current;
    if (localeSet !== current) gradioLocale(current);
    document.querySelectorAll('#chatbot [data-testid="bot"] .md').forEach(linkify);
    toggles();
    followAnswer();
    followForm();
    translate(document.body);
  }
  new MutationObserver(function () {
    if (!pending) { pending = true; setTimeout(scan, 40); }
  }).observe(root, {childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ['aria-label', 'title', 'placeholder', 'lang']});

  // -- clicks: source links, drawer, copy --------------------------------------
  function reveal(id) {
    var el = document.getElementById(id);
    if (!el) return false;
    for (var p = el; p; p = p.parentElement) { if (p.tagName === 'DETAILS') p.open = true; }
    var col = column();
    if (phone()) drawer(true);
    if (col) {
      var head = col.querySelector('.panel-head');
      scrollWithin(col, el, (phone() && head ? head.offsetHeight : 0) + 8);
      if (!phone()) {
        var r = col.getBoundingClientRect();
        if (r.top < 0 || r.top > window.innerHeight - 80) col.scrollIntoView({block: 'nearest'});
      }
    }
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
      var old = button.innerHTML;
      button.textContent = button.getAttribute('data-done') || button.textContent;
      setTimeout(function () { button.innerHTML = old; }, 1500);
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

  window.newsrag = {save: save, apply: apply, sidebar: sidebar, lang: function () { return current; },
                    translate: translate, drawer: drawer};
  if (TITLES[current]) document.title = TITLES[current];
})();
"""


def page_script(max_upload_mb: float = 10) -> str:
    """The script, with the string tables (and the upload limit) filled in."""
    texts = json.dumps(TEXTS, ensure_ascii=False)
    titles = json.dumps({lang: t("title", lang) for lang in UI_LANGUAGES}, ensure_ascii=False)
    mb = f"{max_upload_mb:g}"
    patterns = json.dumps([[p, {lang: text.replace("{mb}", mb) for lang, text in r.items()}]
                           for p, r in PATTERNS], ensure_ascii=False)
    js = _JS.replace("__TEXTS__", texts).replace("__TITLES__", titles).replace("__PATTERNS__", patterns)
    # Python's \1 in replacements is $1 in JavaScript
    js = js.replace("\\\\1", "$1").replace("\\\\2", "$2")
    return js.replace("</", "<\\/")
