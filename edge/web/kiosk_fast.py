"""The kiosk pickup (POST /api/v1/kiosk/pickup) answered without FastAPI's routing and dependency layers.

Issue 18, decision 0039: a resident's code is the one request whose latency is a goal (DESIGN.md section 7), and
FastAPI spent about as long finding the route among the app's routes, solving three dependencies and validating
the body as the whole bare endpoint did (benchmarks/bench_pickup_web.py). This ASGI layer sits inside the Shield
(host, path and body-size checks), the console guard and the latency recorder, so those still apply to it, and
answers a well-formed pickup itself, by the same code and in the same order as the route in kiosk_api.py:

* the daemon must be ready (503 ``not_ready``), then the request must come from a kiosk (403 ``kiosk_unknown``,
  decided by the connection in kiosk_identity.py, never by a header the client chooses);
* the body is the JSON object ``{"code": "..."}`` (1-128 characters, what ``KioskPickupIn`` allows); the code
  then goes through the operation's own model (``PickupIn``) and ``PICKUP.run``, as the route does;
* the answer is validated by the route's ``PickupOut`` and encoded by pydantic, as FastAPI does; a service
  refusal (``DomainError``) is answered by the app's own error shape.

Anything else (another content type, a body that is not JSON or not such an object, a bad code) is handed to
the FastAPI route with its body replayed, so a bad body gets exactly the route's clear 422 (or the Shield's 413).
An unexpected exception propagates to the app's outermost handler (500 ``internal_error``, logged), as from the
route. ``ENABLED = False`` before ``create_app`` leaves every pickup to the route (``bench_pickup.py --ab
route-pickup``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from edge.errors import DomainError
from edge.web import inflight
from edge.web.kiosk_identity import identify_scope

PATH = "/api/v1/kiosk/pickup"
#: read by ``install`` (at ``create_app``): False leaves the pickup to the FastAPI route
ENABLED = True
#: what ``KioskPickupIn.code`` allows
CODE_MAX = 128
_JSON_TYPES = frozenset({b"application/json"})


def _json_content_type(headers: list[tuple[bytes, bytes]]) -> bool:
    for k, v in headers:
        if k == b"content-type":
            return v.split(b";", 1)[0].strip().lower() in _JSON_TYPES
    return False


class KioskPickupFast:
    """Pure ASGI layer: the kiosk pickup answered here, every other request passed on untouched."""

    def __init__(self, app: ASGIApp, error: Callable[..., Response]) -> None:
        self.app = app
        self.error = error
        self._route: Any = None
        self.handled = 0  # answered here (the tests and the benchmark read these)
        self.passed = 0  # handed to the route

    def _route_of(self) -> Any:
        """The route's own object (the latency recorder labels a request by ``scope["route"].path``)."""
        if self._route is None:
            from edge.web import kiosk_api

            for r in kiosk_api.router.routes:
                if getattr(r, "path", None) == PATH and "POST" in (getattr(r, "methods", None) or ()):
                    self._route = r
                    break
        return self._route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        first = await receive()
        body = first.get("body", b"") if first["type"] == "http.request" else b""
        if first["type"] != "http.request":
            await self.app(scope, _replay([first], receive), send)
            return
        messages = [first]
        more = first.get("more_body", False)
        while more:
            msg = await receive()
            messages.append(msg)
            if msg["type"] != "http.request":
                await self.app(scope, _replay(messages, receive), send)  # a disconnect mid-body: the route's way
                return
            body += msg.get("body", b"")
            more = msg.get("more_body", False)
        code = self._code(scope, body)
        if code is None:
            self.passed += 1
            await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive),
                           send)
            return
        self.handled += 1
        route = self._route_of()
        if route is not None:
            scope["route"] = route  # the latency recorder's label, as for the route
        try:
            raw = await self._pickup(scope, code)
        except DomainError as exc:
            await self.error(exc.status, exc.code, exc.message, **exc.extra)(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(raw)).encode()), (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": raw})

    @staticmethod
    def _code(scope: Scope, body: bytes) -> str | None:
        """The code of a well-formed body, or None (the route answers it, with its own error)."""
        if not body or not _json_content_type(scope["headers"]):
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return None
        if type(data) is not dict:
            return None
        code = data.get("code")
        if type(code) is not str or not 1 <= len(code) <= CODE_MAX:
            return None
        return code

    async def _pickup(self, scope: Scope, code: str) -> bytes:
        from edge.web import kiosk_api  # the route's module: its models and the pickup itself

        app = scope["app"]
        daemon = app.state.daemon
        if daemon.services is None or not daemon.ready:
            raise DomainError("not_ready", "the locker is starting; try again in a moment", status=503)
        kiosk = identify_scope(scope, app)
        if kiosk is None:
            raise DomainError("kiosk_unknown", "this device is not one of the site's kiosks", status=403)
        busy = inflight.of(app.state)
        busy.enter()
        try:
            out = await kiosk_api.run_pickup(daemon, code, daemon.services, kiosk)
        finally:
            busy.leave()
        return kiosk_api.PickupOut.model_validate(out).model_dump_json().encode()


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def install(app: Any, error: Callable[..., Response]) -> None:
    """Called by the app factory before the latency recorder is added (so this layer sits inside it)."""
    if ENABLED:
        app.add_middleware(KioskPickupFast, error=error)
