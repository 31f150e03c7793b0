"""An ASGI middleware that puts the page script (ui.script) into every HTML page the
server sends, the login page included (Gradio sends that one without the app's
`head`), and sets `<html lang>` from the language the browser chose last time."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

from ui.i18n import UI_LANGUAGES

_HTML_LANG = re.compile(rb'<html\s+lang="[^"]*"')


class PageScript:
    def __init__(self, app, script: str = "", css: str = ""):
        self.app = app
        self.snippet = (f"<style>{css}</style>" if css else "") + f"<script>{script}</script>"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or \
                scope.get("path", "/").rstrip("/") not in ("", "/gradio_api/runs"):
            await self.app(scope, receive, send)
            return
        lang = _cookie_lang(scope)
        start: dict = {}
        body = bytearray()

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body" or not _is_html(start):
                if start and not start.get("_sent"):
                    start["_sent"] = True
                    await send({k: v for k, v in start.items() if k != "_sent"})
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            page = self.inject(bytes(body), lang)
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({"type": "http.response.start", "status": start["status"],
                        "headers": headers})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, capture)

    def inject(self, page: bytes, lang: str) -> bytes:
        page = _HTML_LANG.sub(f'<html lang="{lang}"'.encode(), page, count=1)
        return page.replace(b"</head>", self.snippet.encode("utf-8") + b"</head>", 1)


def _is_html(start: dict) -> bool:
    for key, value in start.get("headers", []):
        if key.lower() == b"content-type":
            return value.startswith(b"text/html")
    return False


def _cookie_lang(scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: ignore it
                return "en"
            morsel = jar.get("newsrag_lang")
            if morsel and morsel.value in UI_LANGUAGES:
                return morsel.value
    return "en"
