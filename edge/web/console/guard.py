"""Enforcement: the app-wide login guard (ASGI middleware) and the console routes' dependencies.

`ConsoleGuard` protects every route of the app except the public ones (`auth.is_public`), including
routes other parts add later; the console router also checks on its own (`require_user`), so its pages
stay protected even where the middleware is not installed.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import Request
from starlette.datastructures import Headers
from starlette.requests import Request as StarletteRequest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from edge.errors import DomainError
from edge.services.staff import StaffUser
from edge.web.console.auth import (
    BEARER_PATHS,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    UNSAFE_METHODS,
    ConsoleAuth,
    get_auth,
    is_public,
)

log = logging.getLogger(__name__)

MAX_FORM_BODY = 5 * 1024 * 1024


def safe_next(path: str | None) -> str:
    """Only local paths are allowed as a post-login target (no open redirect)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or path.startswith("/login"):
        return "/"
    return path


def wants_html(headers: Headers) -> bool:
    return "text/html" in headers.get("accept", "")


class ConsoleGuard:
    """ASGI middleware: a valid staff session for every non-public path, and a CSRF token on writes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope.get("path") in BEARER_PATHS and headers.get("authorization", "").startswith("Bearer "):
            await self.app(scope, receive, send)  # the route checks its own token
            return
        request = StarletteRequest(scope)
        auth = get_auth(scope["app"])
        session = auth.read_session(request.cookies.get(SESSION_COOKIE))
        user = await auth.user_for(session)
        if user is None or session is None:
            await _deny_login(scope, receive, send, headers)
            return
        if scope["method"] in UNSAFE_METHODS:
            token = headers.get(CSRF_HEADER)
            if not token:
                token, receive = await _token_from_body(scope, receive, headers)
            if not auth.check_csrf(session.sid, token):
                await _json(send, 403, {"error": "csrf_failed", "message": "missing or wrong CSRF token"})
                return
        scope.setdefault("state", {})
        scope["state"]["console_user"] = user
        scope["state"]["console_sid"] = session.sid
        await self.app(scope, receive, send)


async def _deny_login(scope: Scope, receive: Receive, send: Send, headers: Headers) -> None:
    if scope["method"] == "GET" and wants_html(headers):
        target = scope.get("path", "/")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        location = "/login?next=" + quote(safe_next(target), safe="")
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode()), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
        return
    await _json(send, 401, {"error": "login_required", "message": "log in to the staff console first"})


async def _json(send: Send, status: int, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]})
    await send({"type": "http.response.body", "body": raw})


async def _token_from_body(scope: Scope, receive: Receive, headers: Headers) -> tuple[str | None, Receive]:
    """Read `_csrf` from a form body, then hand the app a receive() that replays the body."""
    ctype = headers.get("content-type", "")
    if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None, receive
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BODY:
            return None, receive
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    token: str | None = None
    if ctype.startswith("application/x-www-form-urlencoded"):
        token = next(iter(parse_qs(body.decode("latin-1")).get(CSRF_FIELD) or []), None)
    else:
        sent = False

        async def once() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.request", "body": b"", "more_body": False}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await StarletteRequest(scope, once).form()
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
            await form.close()
        except Exception:  # a malformed body: no token, the request is refused
            token = None
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return token, replay


# --- dependencies for the console router ---------------------------------------------------------------
async def require_user(request: Request) -> StaffUser:
    """The logged-in staff user; checks the CSRF token on writes. Redirects browsers to /login."""
    state_user = getattr(request.state, "console_user", None)
    if state_user is not None:
        request.state.console_auth = get_auth(request.app)
        return state_user
    auth = get_auth(request.app)
    session = auth.read_session(request.cookies.get(SESSION_COOKIE))
    user = await auth.user_for(session)
    if user is None or session is None:
        raise DomainError("login_required", "log in to the staff console first", status=401)
    if request.method in UNSAFE_METHODS:
        token = request.headers.get(CSRF_HEADER)
        if not token and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            value = (await request.form()).get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
        if not auth.check_csrf(session.sid, token):
            raise DomainError("csrf_failed", "missing or wrong CSRF token", status=403)
    request.state.console_user = user
    request.state.console_sid = session.sid
    request.state.console_auth = auth
    return user


async def require_admin(request: Request) -> StaffUser:
    user = await require_user(request)
    if not user.is_admin:
        raise DomainError("forbidden", "this needs an admin account", status=403)
    return user


def csrf_for(request: Request) -> str:
    auth: ConsoleAuth = get_auth(request.app)
    return auth.csrf_token(getattr(request.state, "console_sid", ""))


def actor(user: StaffUser) -> str:
    return "staff:" + user.username
