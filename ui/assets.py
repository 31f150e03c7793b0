"""The page's CSS and script (passed to launch(css=..., head=...))."""

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
