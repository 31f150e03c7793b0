"""An ASGI middleware that sends every page in the interface language: it puts the
page script (ui.script) into every HTML page, sets `<html lang>`, and rewrites the
Gradio config the page carries (and /config) through `ui.pagetext.PageText`, so the
first render is already in the language of the saved choice or of the browser. (The
sign-in page is ui.login's own, served before this middleware.)"""

from __future__ import annotations

import json
import logging
import re

from ui.pagetext import PageText, config_json, request_language

logger = logging.getLogger(__name__)

_HTML_LANG = re.compile(rb'<html\s+lang="[^"]*"')
_CONFIG_START = "window.gradio_config = "
_PAGES = ("", "/gradio_api/runs")


class PageScript:
    def __init__(self, app, script: str = "", page_text: PageText | None = None):
        self.app = app
        self.snippet = f"<script>{script}</script>"
        self.page_text = page_text

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "/").rstrip("/") if scope["type"] == "http" else None
        if scope.get("method") != "GET" or (path not in _PAGES and path != "/config"):
            await self.app(scope, receive, send)
            return
        choice, lang, sidebar = request_language(scope.get("headers", []))
        start: dict = {}
        body = bytearray()

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            wanted = "text/html" if path in _PAGES else "application/json"
            if message["type"] != "http.response.body" or not _is_type(start, wanted) \
                    or start.get("status") != 200:
                if start and not start.get("_sent"):
                    start["_sent"] = True
                    await send({k: v for k, v in start.items() if k != "_sent"})
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            if path in _PAGES:
                page = self.inject(bytes(body), lang, choice, sidebar)
            else:
                page = self.config(bytes(body), lang, choice, sidebar)
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({"type": "http.response.start", "status": start["status"],
                        "headers": headers})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, capture)

    def inject(self, page: bytes, lang: str, choice: str = "auto",
               sidebar: bool | None = None) -> bytes:
        html_tag = f'<html lang="{lang}" data-nr-choice="{choice}"'.encode()
        page = _HTML_LANG.sub(html_tag, page, count=1)
        page = page.replace(b"</head>", self.snippet.encode("utf-8") + b"</head>", 1)
        if self.page_text is None:
            return page
        return self._embedded_config(page, lang, choice, sidebar)

    def _embedded_config(self, page: bytes, lang: str, choice: str,
                         sidebar: bool | None) -> bytes:
        text = page.decode("utf-8")
        at = text.find(_CONFIG_START)
        if at < 0:
            return page
        begin = at + len(_CONFIG_START)
        try:
            config, end = json.JSONDecoder().raw_decode(text, begin)
        except ValueError:
            logger.warning("the page's Gradio config could not be read; sent as it is")
            return page
        config = self.page_text.patch(config, choice, lang, sidebar)
        return (text[:begin] + config_json(config) + text[end:]).encode("utf-8")

    def config(self, body: bytes, lang: str, choice: str = "auto",
               sidebar: bool | None = None) -> bytes:
        if self.page_text is None:
            return body
        try:
            config = json.loads(body)
        except ValueError:
            return body
        if not isinstance(config, dict):
            return body
        return json.dumps(self.page_text.patch(config, choice, lang, sidebar),
                          ensure_ascii=False).encode("utf-8")


def _is_type(start: dict, wanted: str) -> bool:
    for key, value in start.get("headers", []):
        if key.lower() == b"content-type":
            return value.startswith(wanted.encode())
    return False
