"""The sign-in page: a small self-contained HTML page in the visitor's language (ui.login
chooses it by the app's one rule), with the app's name, one line on how to sign in, and
links to the other two languages."""

from __future__ import annotations

from ui.i18n import UI_LANGUAGES, t
from ui.render import LOGO, esc

_ENDONYMS = {"vi": "Tiếng Việt", "en": "English", "ru": "Русский"}

_CSS = """
:root {color-scheme: light dark; --accent: #4f46e5;}
body {margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: #eef2ff; color: #1f2937;}
main {background: #fff; padding: 28px 28px 20px; border-radius: 14px; width: min(380px, 92vw);
  box-shadow: 0 10px 30px rgba(30, 41, 59, .15);}
.brand {display: flex; align-items: center; gap: .5em; font-size: 1.25em; font-weight: 700;
  color: var(--accent);}
.brand span {color: #1f2937;}
h1 {font-size: 1.1em; margin: 1.1em 0 .3em;}
.hint {color: #475569; font-size: .92em; margin: 0 0 .8em;}
label {display: block; font-size: .9em; margin: .7em 0 .25em; font-weight: 600;}
input[type=text], input[type=password] {width: 100%; box-sizing: border-box; padding: .6em .7em;
  border: 1px solid #cbd5e1; border-radius: 8px; font-size: 1em;}
button {margin-top: 1.2em; width: 100%; padding: .7em; border: 0; border-radius: 8px;
  background: var(--accent); color: #fff; font-size: 1em; font-weight: 600; cursor: pointer;}
.msg {padding: .55em .7em; border-radius: 8px; margin-bottom: .4em; font-size: .92em;}
.error {background: #fef2f2; color: #b91c1c; border: 1px solid #fecaca;}
.info {background: #eff6ff; color: #1e40af; border: 1px solid #bfdbfe;}
.help {color: #64748b; font-size: .85em; margin-top: 1em;}
nav {margin-top: 1em; display: flex; gap: .9em; font-size: .85em;}
nav a {color: var(--accent); text-decoration: none;}
nav a[aria-current] {font-weight: 700; color: #1f2937;}
@media (prefers-color-scheme: dark) {
  body {background: #0f172a; color: #e2e8f0;} main {background: #1e293b;}
  .brand span, nav a[aria-current] {color: #e2e8f0;} .hint {color: #94a3b8;}
  input[type=text], input[type=password] {background: #0f172a; color: #e2e8f0;
    border-color: #475569;}
}
"""


def login_page_html(lang: str, *, error: str | None = None, notice: str | None = None,
                    slowed: float = 0.0) -> str:
    messages = []
    if error:
        messages.append(f'<div class="msg error" role="alert" id="login-error">'
                        f'{esc(t(error, lang))}</div>')
    if slowed:
        messages.append(f'<div class="msg info" id="login-slowed">'
                        f'{esc(t("login_slowed", lang, seconds=f"{slowed:g}"))}</div>')
    if notice and not error:
        messages.append(f'<div class="msg info" role="status" id="login-notice">'
                        f'{esc(t(notice, lang))}</div>')
    links = "".join(
        f'<a href="login?lang={code}" hreflang="{code}" lang="{code}" translate="no"'
        f'{" aria-current=true" if code == lang else ""}>{_ENDONYMS[code]}</a>'
        for code in ("vi", "en", "ru") if code in UI_LANGUAGES)
    return f"""<!doctype html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t("login_heading", lang))} · {esc(t("title", lang))}</title>
<style>{_CSS}</style></head>
<body><main>
<div class="brand">{LOGO}<span>{esc(t("title", lang))}</span></div>
<h1>{esc(t("login_heading", lang))}</h1>
<p class="hint" id="login-hint">{esc(t("login_hint", lang))}</p>
{"".join(messages)}
<form method="post" action="login" id="login-form">
<input type="hidden" name="from_page" value="1">
<label for="username">{esc(t("login_user", lang))}</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus>
<label for="password">{esc(t("login_password", lang))}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit" id="login-button">{esc(t("login_button", lang))}</button>
</form>
<p class="help">{esc(t("login_help", lang))}</p>
<nav aria-label="{esc(t("language", lang))}">{links}</nav>
</main></body></html>"""
