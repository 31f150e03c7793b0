"""The first render in the interface language: the Gradio config the server sends
(embedded in the page, and at /config) is rewritten per request, so every label,
placeholder, choice list and the tab title are in the language the browser asked
for before any script runs (the sign-in page, ui.login_page, follows the same rule).

The language comes from one rule (`ui.i18n.resolve_language`): the choice the
browser keeps in the `newsrag_lang` cookie, else its Accept-Language header. The
page's own redraws (a language picked in the selector) use the same rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

from ui.i18n import CHOICE_COOKIE, resolve_language, saved_choice, t

SIDEBAR_COOKIE = "newsrag_sidebar"  # "1" when the conversations sidebar was left open

# (component, property, value for (language, choice))
Extra = tuple[Any, str, Callable[[str, str], Any]]


class PageText:
    """What the first render shows in each language: the bound labels (ui.i18n.Labels)
    plus values that depend on the language or the choice (the selector's value, the
    hidden language field, the header, the empty sources panel)."""

    def __init__(self, labels):
        self._labels = labels
        self._extra: list[Extra] = []
        self._sidebar_id: int | None = None
        self._cache: dict[str, dict[int, dict[str, Any]]] = {}

    def add(self, component: Any, prop: str, value: Callable[[str, str], Any]) -> None:
        self._extra.append((component, prop, value))

    def sidebar(self, component: Any) -> None:
        self._sidebar_id = component._id

    def _props(self, lang: str) -> dict[int, dict[str, Any]]:
        if lang not in self._cache:
            self._cache[lang] = {c._id: dict(p) for c, p in self._labels.props(lang).items()}
        return self._cache[lang]

    def patch(self, config: dict, choice: str, lang: str, sidebar_open: bool | None = None) -> dict:
        """`config` (a fresh copy) in `lang`."""
        config["title"] = t("title", lang)
        props = self._props(lang)
        extra: dict[int, dict[str, Any]] = {}
        for component, prop, value in self._extra:
            extra.setdefault(component._id, {})[prop] = value(lang, choice)
        if sidebar_open is not None and self._sidebar_id is not None:
            extra.setdefault(self._sidebar_id, {})["open"] = sidebar_open
        for item in config.get("components") or []:
            cid = item.get("id")
            if cid in props or cid in extra:
                item.setdefault("props", {}).update({**props.get(cid, {}), **extra.get(cid, {})})
        return config


def request_language(headers: list[tuple[bytes, bytes]]) -> tuple[str, str, bool | None]:
    """(choice, interface language, sidebar open or None) from a request's headers."""
    cookies, accept = {}, ""
    for key, value in headers:
        if key == b"cookie":
            cookies.update(_cookies(value.decode("latin-1")))
        elif key == b"accept-language":
            accept = value.decode("latin-1")
    choice = saved_choice(cookies.get(CHOICE_COOKIE))
    sidebar = cookies.get(SIDEBAR_COOKIE)
    return choice, resolve_language(choice, accept), (None if sidebar is None else sidebar == "1")


def _cookies(header: str) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed cookie header: ignore it
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def config_json(config: dict) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
