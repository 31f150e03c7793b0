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


CHOICES = ("auto", *UI_LANGUAGES)
CHOICE_COOKIE = "newsrag_lang"  # the selector's value (auto/vi/en/ru), kept by the browser


def ui_language(choice: str | None) -> str:
    """The interface language for a selector or browser value: vi/ru/en, else en."""
    code = str(choice or "").split("-")[0].lower()
    return code if code in UI_LANGUAGES else "en"


def browser_language(accept_language: str | None) -> str:
    """The first of vi/en/ru in an Accept-Language header, by preference; else en."""
    ranked = []
    for position, part in enumerate(str(accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        code = tag.strip().split("-")[0].lower()
        if code in UI_LANGUAGES and weight > 0:
            ranked.append((-weight, position, code))
    return min(ranked)[2] if ranked else "en"


def saved_choice(value: str | None) -> str:
    """The selector value kept in the cookie: auto, vi, en or ru (anything else: auto)."""
    value = str(value or "").strip().lower()
    return value if value in CHOICES else "auto"


def resolve_language(choice: str | None, accept_language: str | None) -> str:
    """The one rule for the interface language: the saved choice, else (Auto) the
    browser's languages. The server applies it to the first render and to every
    redraw; the page script never decides on its own."""
    choice = saved_choice(choice)
    return choice if choice in UI_LANGUAGES else browser_language(accept_language)


def t(key: str, lang: str | None = "en", **kwargs: object) -> str:
    entry = LABELS[key]
    text = entry.get(ui_language(lang), entry["en"])
    if isinstance(text, dict):  # plural forms: t(key, lang, n=...) picks one
        text = text[plural_form(kwargs.get("n", 0), ui_language(lang), text)]
    return text.format(**kwargs) if kwargs else text


def plural_form(n: object, lang: str, forms: dict[str, str]) -> str:
    """The CLDR plural category of `n` in `lang` (one, few, many, other) that `forms`
    has, by babel's rules ("1 item", "2 items"; "2 записи", "5 записей")."""
    from babel import Locale

    try:
        category = Locale.parse(lang).plural_form(abs(int(str(n).replace(",", ""))))
    except (ValueError, TypeError):
        category = "other"
    return category if category in forms else "other"


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

    def props(self, lang: str) -> dict[Any, dict[str, Any]]:
        """component -> {property: value in `lang`}: what the first render shows."""
        return {component: {name: _resolve(p, lang) for name, p in props.items()}
                for component, props in self._bound}

    def updates(self, lang: str) -> dict[Any, Any]:
        import gradio as gr

        return {component: gr.update(**{name: _resolve(p, lang) for name, p in props.items()})
                for component, props in self._bound}


def _resolve(prop: Prop, lang: str) -> Any:
    return prop(lang) if callable(prop) else t(prop, lang)
