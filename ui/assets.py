"""The page's CSS (passed to launch(css=...)); the script is in ui.script."""

CSS = """
.app-header {padding: 4px 2px 2px 2px;}
/* the chat's floating label sat on top of the first message: kept for screen readers only */
#chatbot label[data-testid="block-label"] {position: absolute !important; width: 1px; height: 1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;}
.app-logo {color: var(--color-accent); flex: none;}
.app-title {font-size: 1.5em; font-weight: 700; display: flex; align-items: center; gap: .5em;
  flex-wrap: wrap;}
.app-subtitle {color: var(--body-text-color-subdued); margin-top: .2em;}
.mode-badge {font-size: .55em; font-weight: 600; padding: .25em .7em; border-radius: 999px;
  background: var(--color-accent-soft); color: var(--color-accent); border: 1px solid var(--color-accent);
  letter-spacing: .02em; white-space: nowrap;}
.sources-panel .panel-head {display: flex; align-items: center; justify-content: space-between;
  gap: .5em; margin-bottom: .5em;}
.sources-panel h3 {margin: 0;}
.panel-tools {display: flex; gap: .4em;}
.panel-tools button {font-size: .8em; padding: .25em .6em; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);}
.sources-panel .drawer-close {display: none;}
.copy-answer .short {display: none;}
.sources-panel .muted, .muted {color: var(--body-text-color-subdued);}
.src-card, .src-uncited {border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: .6em .8em; margin-bottom: .7em; background: var(--background-fill-secondary);}
.src-quote {border-radius: 6px; margin: .4em 0; display: flex; gap: .4em; align-items: flex-start;}
.src-quote .src-passage {margin: 0; flex: 1; min-width: 0;}
.src-marks {flex: none; padding-top: .25em;}
.src-quote:target, .src-quote.flash {outline: 2px solid var(--color-accent); outline-offset: 2px;}
.src-marks .src-n {font-size: .85em; font-weight: 600;}
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
.src-meta a.src-link, .d-file a.src-link {overflow-wrap: anywhere;}
.src-title a.src-link {color: inherit; text-decoration: underline dotted;}
.notice, .confidence {padding: .5em .8em; border-radius: 8px; margin-bottom: .7em; font-weight: 600;}
.notice-llm_unavailable {background: #fff7ed; color: #9a3412; border: 1px solid #fdba74;}
.notice-scope {background: #f0f9ff; color: #075985; border: 1px solid #7dd3fc; font-weight: 500;}
.notice-abstained {background: #eff6ff; color: #1e40af; border: 1px solid #93c5fd;}
.notice-unsupported_language, .notice-language_retry {background: #fefce8; color: #854d0e;
  border: 1px solid #fde047;}
.confidence {display: flex; flex-direction: column; gap: .15em;}
.conf-reason {font-weight: 400; font-size: .9em;}
.conf-strong {background: #ecfdf5; color: #065f46; border: 1px solid #6ee7b7;}
.conf-partial {background: #fefce8; color: #854d0e; border: 1px solid #fde047;}
.conf-weak {background: #fff7ed; color: #9a3412; border: 1px solid #fdba74;}
.conf-none {background: #f3f4f6; color: #374151; border: 1px solid #d1d5db;}
.status {padding: .35em .2em;}
.status-error {color: #b91c1c;}
.status-icon {font-weight: 700;}
.status-ok .status-icon {color: #047857;}
.status-warn .status-icon {color: #b45309;}
sup.ref a {text-decoration: none; font-weight: 600;}
#sources-col {max-height: 82vh; overflow-y: auto;}
.src-toggle {display: none;}
.doc-count {margin: .2em 0 .4em 0; color: var(--body-text-color-subdued);}
.doc-table-wrap {max-height: 60vh; overflow: auto;}
.doc-table {width: 100%; border-collapse: collapse; font-size: .92em;}
.doc-table th, .doc-table td {text-align: left; padding: .35em .5em;
  border-bottom: 1px solid var(--border-color-primary); vertical-align: top;}
.doc-table th {position: sticky; top: 0; background: var(--background-fill-primary);}
.doc-table td.d-title {font-weight: 600; min-width: 16em;}
.doc-table code {font-size: .85em; word-break: break-all;}
.doc-table td.d-file code {white-space: nowrap; word-break: normal;}
.eval-fail {border-left: 3px solid #fca5a5; padding: .3em .7em; margin: .5em 0;}
.eval-fail .q {font-weight: 600;}
.eval-lines li {margin: .25em 0; font-size: 1.05em;}
.eval-kpis {display: flex; gap: .8em; flex-wrap: wrap; margin: .3em 0 .6em 0;}
.eval-kpi {display: flex; flex-direction: column; padding: .5em 1em; border-radius: 10px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);
  min-width: 10em;}
.kpi-value {font-size: 1.9em; font-weight: 700; color: var(--color-accent);}
.kpi-label {color: var(--body-text-color-subdued);}
.eval-charts {display: flex; flex-wrap: wrap; gap: 1.2em; margin-top: .8em;}
.chart {flex: 1 1 340px; margin: 0; padding: .6em .8em; border-radius: 10px;
  border: 1px solid var(--border-color-primary);}
.chart figcaption {font-weight: 700; margin-bottom: .4em;}
.chart-group {margin-bottom: .6em;}
.chart-group-head {font-weight: 600; margin: .2em 0;}
.chart-note {font-size: .85em; margin: 0 0 .4em 0;}
.chart-row {display: grid; grid-template-columns: minmax(7em, 11em) 1fr auto; gap: .5em;
  align-items: center; margin: .2em 0; font-size: .92em;}
.chart-track {height: .8em; border-radius: 999px; background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); overflow: hidden;}
.chart-bar {display: block; height: 100%; background: var(--color-accent);}
.chart-bar.conf-bar-strong {background: #10b981;}
.chart-bar.conf-bar-partial {background: #eab308;}
.chart-bar.conf-bar-weak {background: #f97316;}
.chart-bar.conf-bar-none {background: #9ca3af;}
.chart-value {white-space: nowrap; font-variant-numeric: tabular-nums; min-width: 3.4em;
  text-align: right;}
#chart-confidence .chart-value {min-width: 10em; text-align: left;}
footer {display: none !important;}
#nr-backdrop {display: none;}
/* The phone's sources drawer (ui.script opens it): these rules are outside the media
   query because Gradio scopes the rules inside one to its container, and the backdrop
   and the page's class are outside it. */
#nr-backdrop.shown {display: block; position: fixed; inset: 0; z-index: 10000;
  background: rgba(15, 23, 42, .45);}
.nr-drawer-open body {overflow: hidden;}
.nr-drawer-open #conv-sidebar .toggle-button,
.nr-drawer-open #chatbot .scroll-down-button-container {visibility: hidden;}
#send-btn {white-space: nowrap;}
/* a dropdown's arrow never covers its text ("Все языки") */
.secondary-wrap input[role="combobox"] {padding-right: 26px !important; text-overflow: ellipsis;
  min-width: 0;}

@media (max-width: 820px) {
  .gradio-container {padding: 2px 6px !important;}
  #header-row {flex-direction: column !important; gap: 2px !important; flex-wrap: nowrap !important;}
  #header-row > div {min-width: 0 !important; width: 100% !important;}
  .app-header {padding: 0;}
  .app-title {font-size: 1.02em; gap: .35em; flex-wrap: nowrap;}
  .app-logo {width: 20px; height: 20px;}
  .mode-badge {font-size: .62em; padding: .15em .5em;}
  .app-subtitle {display: none;}
  #lang-select {padding: 0 !important; border: none !important; background: none !important;
    box-shadow: none !important;}
  #lang-select .wrap {gap: 4px !important; flex-wrap: nowrap !important;}
  #lang-select label {padding: 3px 8px !important; font-size: .8em; margin: 0 !important;
    white-space: nowrap;}
  #lang-select input[type="radio"] {display: none;}  /* the chosen one is highlighted */
  #header-row {padding-left: 30px;}  /* clear of the sidebar's toggle */
  #lang-select > .block-title, #lang-select [data-testid="block-info"],
  #lang-select .block-info {display: none !important;}
  #chatbot {height: calc(100svh - 320px) !important; min-height: 240px;}
  #chatbot .chatbot-header, #chatbot label[data-testid="block-label"] {display: none;}
  #ask-row {gap: 6px !important; flex-wrap: nowrap !important;}
  #send-btn {min-width: 0 !important; width: auto !important; max-width: none; flex: 0 0 auto !important;
    padding: 0 12px !important; font-size: .95em;}
  #tabs button[role="tab"] {padding: 4px 8px;}
  #chat-row {flex-direction: column;}
  #sources-col {position: fixed; top: 0; right: 0; bottom: 0; width: 92vw; max-width: 460px;
    max-height: none; z-index: 10001; background: var(--background-fill-primary);
    box-shadow: -6px 0 24px rgba(0, 0, 0, .25); padding: 10px; transform: translateX(105%);
    transition: transform .2s ease-out; overflow-y: auto; min-width: 0 !important;}
  #sources-col.drawer-open {transform: translateX(0);}
  .sources-panel .drawer-close {display: inline-block; font-size: .95em; font-weight: 600;
    padding: .35em 1em;}
  /* the drawer's heading and close button stay in view while its cards scroll */
  #sources-col .panel-head {position: sticky; top: -10px; z-index: 3; margin: -10px -10px .6em;
    padding: 10px; background: var(--background-fill-primary);
    border-bottom: 1px solid var(--border-color-primary);}
  .copy-answer .long {display: none;}
  .copy-answer .short {display: inline;}
  .src-toggle {display: inline-block; margin-top: .5em; font-size: .85em; padding: .3em .7em;
    border-radius: 999px; border: 1px solid var(--color-accent); color: var(--color-accent);
    background: var(--background-fill-primary); cursor: pointer;}
  .doc-table thead {display: none;}
  .doc-table, .doc-table tbody, .doc-table tr, .doc-table td {display: block; width: 100%;}
  .doc-table tr {border: 1px solid var(--border-color-primary); border-radius: 8px;
    margin-bottom: .5em; padding: .3em .2em;}
  .doc-table td {border: none; padding: .1em .5em;}
  .doc-table td.d-title {min-width: 0;}
  .doc-table td.d-file code {white-space: normal; word-break: break-all;}
  .doc-table td[data-label]::before {content: attr(data-label) ": "; font-weight: 600;
    color: var(--body-text-color-subdued);}
  .doc-table-wrap {max-height: none;}
}
"""

