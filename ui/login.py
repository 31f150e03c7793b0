"""Signing in and out, in front of the Gradio app (an ASGI middleware).

Gradio keeps its login tokens in the memory of one process, so a second replica
behind a load balancer would not know them. Here the session lives in the database
(rag.state.sessions): the browser gets a random token in an HttpOnly cookie, and
Gradio asks `auth_dependency` who a request belongs to, on every replica alike.

Routes: GET login (the localised sign-in page), POST login (the form, or
gradio_client's `Client(auth=...)`: the same fields), GET logout (back to the sign-in
page), GET login/status (for the page to notice an ended session). An unsigned
visit to the app's page goes to the sign-in page; every other Gradio route answers
401 without a session (Gradio's own check, through `auth_dependency`)."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from rag.state.accounts import login_delay
from ui.access import SESSION_COOKIE
from ui.i18n import CHOICE_COOKIE, UI_LANGUAGES, resolve_language
from ui.login_page import login_page_html

logger = logging.getLogger(__name__)

# Redirects are relative: the app may be served under a path prefix by a proxy.
TO_APP, TO_LOGIN = "./", "login"
SESSION_SCRIPT = r"""
(function () {
  if (window.__newsragSession) return;
  window.__newsragSession = true;
  function check() {
    fetch('login/status', {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (!d.signed_in) window.location.href = 'login?expired=1'; })
      .catch(function () {});
  }
  setInterval(check, 60000);
  document.addEventListener('visibilitychange', function () { if (!document.hidden) check(); });
})();
"""


def auth_dependency(state):
    """For Gradio's launch(auth_dependency=...): the user name of a request, or None."""

    async def user(request: Request) -> str | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        signed = state.sessions.cached(token) or \
            await run_in_threadpool(state.sessions.resolve, token)
        return signed.name if signed else None

    return user


class AuthGate:
    """The middleware: serves the sign-in routes, sends an unsigned visitor of the
    app's page to the sign-in page, passes everything else to Gradio."""

    def __init__(self, app, state=None):
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "/").rstrip("/") or "/"
        method = scope.get("method")
        request = Request(scope, receive)
        if path == "/login" and method == "POST":
            response = await self._login(request)
        elif path == "/login" and method in ("GET", "HEAD"):
            response = _page(request)
        elif path == "/login/status":
            signed = await self._signed(request)
            response = JSONResponse({"signed_in": signed is not None,
                                     "user": signed.name if signed else None},
                                    headers={"cache-control": "no-store"})
        elif path == "/logout":
            response = await self._logout(request)
        elif path == "/" and method in ("GET", "HEAD") and await self._signed(request) is None:
            response = RedirectResponse(TO_LOGIN, status_code=302)
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)

    async def _signed(self, request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return self.state.sessions.cached(token) or \
            await run_in_threadpool(self.state.sessions.resolve, token)

    async def _login(self, request: Request) -> Response:
        form = await request.form()
        name = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        from_page = form.get("from_page") == "1"
        accounts = self.state.accounts
        failures = await run_in_threadpool(accounts.failures, name)
        if login_delay(failures):  # slowed down, for everyone who tries this name
            await asyncio.sleep(login_delay(failures))
        account = await run_in_threadpool(accounts.verify, name, password) if name else None
        where = request.client.host if request.client else "?"
        if account is None:
            known = await run_in_threadpool(accounts.get, name)
            shown = known.name if known else "(an unknown name)"  # a mistyped password is not logged
            logger.warning("sign-in refused for %s from %s (%d wrong in a row)", shown, where,
                           failures + 1)
            await run_in_threadpool(self.state.audit.record, known.name if known else None,
                                    "login_failed", shown, client=where)
            if from_page:
                return _page(request, error="login_failed", status=401,
                             slowed=login_delay(failures + 1))
            return JSONResponse({"detail": "Incorrect credentials."}, status_code=400)
        token = await run_in_threadpool(self.state.sessions.start, account.name)
        logger.info("%s signed in (%s) from %s", account.name, account.role, where)
        await run_in_threadpool(self.state.audit.record, account.name, "login", account.name,
                                client=where)
        response: Response = RedirectResponse(TO_APP, status_code=303) if from_page \
            else JSONResponse({"success": True})
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                            secure=_https(request))
        return response

    async def _logout(self, request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        signed = await self._signed(request)
        if token:
            await run_in_threadpool(self.state.sessions.end, token)
        if signed is not None:
            logger.info("%s signed out", signed.name)
            await run_in_threadpool(self.state.audit.record, signed.name, "logout", signed.name)
        response = RedirectResponse(TO_LOGIN + "?bye=1", status_code=302)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


def _https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def page_language(request: Request) -> str:
    """?lang=, else the app's one rule (ui.i18n.resolve_language): the choice kept in
    the cookie, else (Auto) the browser's languages."""
    asked = parse_qs(request.url.query).get("lang", [""])[0]
    if asked in UI_LANGUAGES:
        return asked
    return resolve_language(request.cookies.get(CHOICE_COOKIE),
                            request.headers.get("accept-language", ""))


def _page(request: Request, error: str | None = None, status: int = 200,
          slowed: float = 0.0) -> HTMLResponse:
    query = parse_qs(request.url.query)
    lang = page_language(request)
    notice = "login_expired" if "expired" in query else "login_signed_out" if "bye" in query \
        else None
    response = HTMLResponse(login_page_html(lang, error=error, notice=notice, slowed=slowed),
                            status_code=status, headers={"cache-control": "no-store"})
    if query.get("lang", [""])[0] in UI_LANGUAGES:
        response.set_cookie(CHOICE_COOKIE, lang, max_age=31536000, samesite="lax", path="/")
    return response
