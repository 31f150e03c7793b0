"""The signed-in user on every page: name, role and a link to sign out."""

from __future__ import annotations

from ui.access import Viewer
from ui.i18n import t
from ui.render import esc

_STYLE = ("<style>.user-bar{display:flex;justify-content:flex-end;align-items:center;gap:.5em;"
          "flex-wrap:wrap;font-size:.9em;padding:0 .3em}.user-role{padding:.05em .5em;"
          "border-radius:999px;background:var(--color-accent-soft);color:var(--color-accent)}"
          ".logout-link{margin-left:.4em;color:var(--color-accent)}"
          # phones: one small line in the gap under the header, taking no height of its own
          "@media (max-width:820px){#header-row{position:relative;overflow:visible!important}"
          "#user-bar-box{position:absolute!important;right:4px;bottom:-23px;"
          "width:auto!important;min-width:0!important;z-index:5;padding:0!important;"
          "border:none!important;background:none!important;box-shadow:none!important}"
          ".user-bar{font-size:.75em}.user-label{display:none}}</style>")


def user_bar_html(who: Viewer, lang: str) -> str:
    """Empty without accounts (nobody signs in); else who and "Log out"."""
    if not who.signed_in:
        return ""
    role = t(f"role_{who.role}", lang) if who.role else "—"
    return (f'{_STYLE}<div class="user-bar" lang="{esc(lang)}">'
            f'<span class="user-label">{esc(t("signed_in_as", lang))}</span> '
            f'<b class="user-name" translate="no">{esc(who.name)}</b> '
            f'<span class="user-role" data-role="{esc(who.role or "")}">{esc(role)}</span>'
            f'<a class="logout-link" href="logout" id="logout-link">{esc(t("logout", lang))}</a>'
            f'</div>')
