"""The outermost ASGI layer: what every request must pass before any route sees it.

In order: a path with a NUL, a control character or bytes that are not UTF-8 is a 404 (never a 500);
the Host header must name this server (an IP literal, ``localhost``, a single-label LAN name, a name
under a suffix no public DNS serves, ``.local``, ``.lan``, ``.home.arpa``..., or a configured
``web.allowed_hosts`` entry), so a DNS-rebinding page cannot reach the kiosk API;
``X-Forwarded-For`` / ``-Proto`` are believed only from ``web.trusted_proxies``; the request body is
limited per route (413, before reading when Content-Length says so, else as soon as the count passes).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from edge.web.webconfig import WebConfig

log = logging.getLogger(__name__)

#: small JSON bodies: the kiosk, the simulator's control API, the login form
SMALL_BODY_PREFIXES = ("/api/v1/kiosk/", "/api/v1/sim/", "/login", "/logout")
UPLOAD_WORDS = ("import", "upload")


def _json_response(status: int, code: str, message: str) -> tuple[Message, Message]:
    raw = json.dumps({"error": code, "message": message}).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode()),
                         (b"connection", b"close")]}
    return start, {"type": "http.response.body", "body": raw}


_BAD_PATH = re.compile("[\x00-\x1f\x7f\ufffd]")


def bad_path(path: str) -> bool:
    """NUL, control characters or the replacement character (undecodable bytes) in a path."""
    return _BAD_PATH.search(path) is not None


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


#: names no public DNS zone can serve (special-use or undelegated), so no rebinding page can use them
LOCAL_SUFFIXES = (".localhost", ".local", ".test", ".home.arpa", ".internal", ".lan")


class HostPolicy:
    def __init__(self, allowed: list[str]) -> None:
        self.exact = {h.lower().rstrip(".") for h in allowed if not h.startswith("*.")}
        self.suffixes = tuple(h[1:].lower() for h in allowed if h.startswith("*."))
        self._seen: dict[str, bool] = {}

    def allows(self, host_header: str) -> bool:
        known = self._seen.get(host_header)
        if known is None:
            known = self._decide(host_header)
            if len(self._seen) < 256:  # bounded: an attacker's many names are decided each time
                self._seen[host_header] = known
        return known

    def _decide(self, host_header: str) -> bool:
        host = host_header.strip().lower()
        if not host:
            return True  # HTTP/1.0 without Host: nothing a browser page can rebind
        if host.startswith("["):
            name = host[1:].split("]", 1)[0]
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        name = name.rstrip(".")
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            pass
        if not name or not all(c.isalnum() or c in "-." for c in name):
            return False
        if name == "localhost" or "." not in name or name.endswith(LOCAL_SUFFIXES):
            return True
        return name in self.exact or (bool(self.suffixes) and name.endswith(self.suffixes))


class ProxyPolicy:
    def __init__(self, proxies: list[str]) -> None:
        self.nets = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def trusted(self, host: str | None) -> bool:
        if not host or not self.nets:
            return False
        try:
            addr = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return False
        return any(addr in net for net in self.nets)

    def client_from(self, peer: str, forwarded_for: str) -> str:
        """The rightmost address in X-Forwarded-For that is not one of our proxies."""
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        for hop in reversed(hops):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                return peer  # garbage in the header: believe nothing
            if not self.trusted(hop):
                return hop
        return hops[0] if hops else peer


def body_limit(cfg: WebConfig, path: str) -> int:
    if path.startswith(SMALL_BODY_PREFIXES):
        return cfg.kiosk_body_bytes
    if any(w in path for w in UPLOAD_WORDS):
        return cfg.max_upload_bytes
    return cfg.max_body_bytes


class Shield:
    """ASGI middleware; install outermost (added last)."""

    def __init__(self, app: ASGIApp, config: WebConfig | None = None) -> None:
        self.app = app
        self.config = config or WebConfig()
        self.hosts = HostPolicy(self.config.allowed_hosts)
        self.proxies = ProxyPolicy(self.config.trusted_proxies)
        self.refused = {"path": 0, "host": 0, "body": 0}

    async def _refuse(self, send: Send, status: int, code: str, message: str, kind: str) -> None:
        self.refused[kind] += 1
        start, body = _json_response(status, code, message)
        await send(start)
        await send(body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if bad_path(path) or b"%00" in scope.get("raw_path", b"") or b"\x00" in scope.get("raw_path", b""):
            await self._refuse(send, 404, "not_found", "no such page", "path")
            return
        headers = {k: v for k, v in scope.get("headers", []) if k in (b"host", b"content-length",
                                                                     b"x-forwarded-for", b"x-forwarded-proto")}
        host = headers.get(b"host", b"").decode("latin-1")
        if not self.hosts.allows(host):
            log.info("refused a request for host %r (not this server's name)", host[:80])
            await self._refuse(send, 421, "host_not_allowed", "this server does not answer to that host name", "host")
            return
        client = scope.get("client")
        if client and self.proxies.trusted(client[0]):
            scope = dict(scope)
            scope["lockerd_proxy"] = client[0]
            fwd = headers.get(b"x-forwarded-for", b"").decode("latin-1")
            if fwd:
                scope["client"] = (self.proxies.client_from(client[0], fwd), 0)
            proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
        limit = body_limit(self.config, path)
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                await self._refuse(send, 400, "invalid_request", "bad Content-Length", "body")
                return
            if declared > limit:
                await self._refuse(send, 413, "body_too_large", f"request body over {limit} bytes", "body")
                return
        await self._limited(scope, receive, send, limit)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    if not started:
                        await self._refuse(send, 413, "body_too_large", f"request body over {limit} bytes", "body")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # we answered 413 already; the app's late answer is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if over:
                return  # the app saw a disconnect mid-body; the client already has its 413
            raise


def install(app: Any, config: WebConfig | None) -> None:
    app.add_middleware(Shield, config=config)


def client_host(scope_or_request: Any) -> str | None:
    client = getattr(scope_or_request, "client", None)
    if client is None and isinstance(scope_or_request, dict):
        client = scope_or_request.get("client")
    if client is None:
        return None
    return getattr(client, "host", None) or (client[0] if isinstance(client, tuple | list) else None)
