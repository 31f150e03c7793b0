"""Interface strings in Vietnamese, English and Russian, and the binding of
components to them by name.

The language selector sets the answer language; the interface follows it, and in
Auto mode follows the browser's language (vi/ru/en, else English). Pages create
their components through a `Labels` binder, which records which property of which
component shows which key; `Labels.updates(lang)` then relabels every one of them
(a dict of component -> update, so nothing depends on tuple positions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui.strings import accounts, chat, common, pages, web

UI_LANGUAGES = ("en", "vi", "ru")

LABELS: dict[str, dict[str, str]] = {**common.LABELS, **chat.LABELS, **pages.LABELS, **web.LABELS,
                                     **accounts.LABELS}

EXAMPLES = [
    "Việt Nam đã ký bao nhiêu hiệp định thương mại tự do?",
    "Who is the Standing Deputy Secretary of the Nghe An Provincial Party Committee?",
    "Сколько делегаций провинция Нгеан приняла в 2024 году?",
]

# Endonyms never need translating; "Auto" does.
_ENDONYMS = {"vi": "Tiếng Việt", "en": "English", "ru": "Русский"}


def language_choices(lang: str = "en") -> list[tuple[str, str]]:
    """(label, value) pairs of the language selector, in the interface language."""
    return [(t("lang_auto", lang), "auto")] + [(_ENDONYMS[c], c) for c in ("vi", "en", "ru")]


def ui_language(choice: str | None) -> str:
    """The interface language for a selector or browser value: vi/ru/en, else en."""
    code = str(choice or "").split("-")[0].lower()
    return code if code in UI_LANGUAGES else "en"


def t(key: str, lang: str | None = "en", **kwargs: object) -> str:
    entry = LABELS[key]
    text = entry.get(ui_language(lang), entry["en"])
    return text.format(**kwargs) if kwargs else text


def language_name(code: str | None, lang: str) -> str:
    key = f"language_name_{code}"
    return t(key, lang) if key in LABELS else (code or "?").upper()


Prop = str | Callable[[str], Any]


class Labels:
    """Creates components with English labels and remembers, per component, which
    property shows which string (a LABELS key, or a function of the language)."""

    def __init__(self) -> None:
        self._bound: list[tuple[Any, dict[str, Prop]]] = []

    def make(self, factory: Callable[..., Any], /, *, props: dict[str, Prop], **kwargs: Any):
        component = factory(**{name: _resolve(p, "en") for name, p in props.items()}, **kwargs)
        self._bound.append((component, props))
        return component

    def bind(self, component: Any, **props: Prop) -> Any:
        """Bind an existing component (e.g. a layout block opened with `with`)."""
        self._bound.append((component, props))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self._bound]

    def updates(self, lang: str) -> dict[Any, Any]:
        import gradio as gr

        return {component: gr.update(**{name: _resolve(p, lang) for name, p in props.items()})
                for component, props in self._bound}


def _resolve(prop: Prop, lang: str) -> Any:
    return prop(lang) if callable(prop) else t(prop, lang)
