"""uvicorn with limits: header and body deadlines, a connection cap below the file limit.

uvicorn (0.3x-0.5x, h11) closes an idle kept-alive connection but waits forever for the first request
of a connection, for headers sent a byte at a time and for a body that stops half-way. 1,100 idle
sockets against the default 1,024 file limit stopped /healthz and the kiosk. Here:

* each connection must deliver its request headers within ``header_timeout_s`` of connecting (or of
  the previous response) and its body within ``body_timeout_s`` of the headers; otherwise it is closed;
* at most ``max_connections`` are open (lowered to the file limit minus a reserve for the database,
  serial ports and MQTT); a new connection over the cap evicts the oldest one still waiting for its
  headers, and is refused only when every open connection is busy with a request;
* the soft RLIMIT_NOFILE is raised to the hard limit at start (systemd sets ``LimitNOFILE``);
* forwarding headers are not read by uvicorn (``proxy_headers=False``): edge/web/shield.py believes
  them only from configured proxies.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from edge.web.webconfig import WebConfig

log = logging.getLogger(__name__)

FD_RESERVE = 128  # files kept for SQLite, serial ports, MQTT, logs, the notifier


def raise_file_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit; return the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            log.warning("could not raise the open-file limit above %s", soft)
    return int(soft if soft != resource.RLIM_INFINITY else 1 << 20)


def effective_cap(cfg: WebConfig, soft_limit: int) -> int:
    return max(8, min(cfg.max_connections, soft_limit - FD_RESERVE))


class ConnectionStats:
    def __init__(self) -> None:
        self.evicted = 0
        self.refused = 0
        self.timed_out = 0


class GuardedH11Protocol(H11Protocol):
    """H11Protocol with deadlines and the cap. Class attributes are set by `protocol_class`."""

    header_timeout = 10.0
    body_timeout = 30.0
    cap = 900
    stats = ConnectionStats()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._phase = "headers"
        self._refused = False
        if len(self.connections) >= self.cap and not self._evict_idle():
            self._refused = True
            self.stats.refused += 1
            self.transport = transport
            transport.abort()
            return
        super().connection_made(transport)
        self._arm(self.header_timeout)

    def _evict_idle(self) -> bool:
        oldest = None
        for conn in self.connections:
            if isinstance(conn, GuardedH11Protocol) and conn._phase == "headers":
                if oldest is None or conn._since < oldest._since:
                    oldest = conn
        if oldest is None:
            return False
        self.stats.evicted += 1
        oldest._close()
        return True

    def _arm(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._since = self.loop.time()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _close(self) -> None:
        self._disarm()
        self.connections.discard(self)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()

    def _expired(self) -> None:
        self._deadline = None
        if self._phase in ("headers", "body"):
            self.stats.timed_out += 1
            self._close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            return
        if self._phase == "headers":
            if cycle.more_body and self.conn.their_state is h11.SEND_BODY:
                self._phase = "body"
                self._arm(self.body_timeout)
            else:
                self._phase = "app"
                self._disarm()
        elif self._phase == "body" and (not cycle.more_body or self.conn.their_state is not h11.SEND_BODY):
            self._phase = "app"
            self._disarm()

    def on_response_complete(self) -> None:
        self._phase = "headers"
        if not self.transport.is_closing():
            self._arm(self.header_timeout)
        super().on_response_complete()


def protocol_class(cfg: WebConfig, cap: int) -> type[GuardedH11Protocol]:
    return type("LockerdH11Protocol", (GuardedH11Protocol,), {
        "header_timeout": float(cfg.header_timeout_s), "body_timeout": float(cfg.body_timeout_s), "cap": cap,
        "stats": ConnectionStats(),
    })


def server_config(app: Any, host: str, port: int, cfg: WebConfig | None) -> uvicorn.Config:
    cfg = cfg or WebConfig()
    cap = effective_cap(cfg, raise_file_limit())
    proto = protocol_class(cfg, cap)
    log.info("web server: at most %s connections, headers within %ss, bodies within %ss", cap,
             cfg.header_timeout_s, cfg.body_timeout_s)
    config = uvicorn.Config(
        app, host=host, port=port, lifespan="off", log_config=None, access_log=False,
        timeout_graceful_shutdown=3, http=proto, proxy_headers=False, server_header=False,
        timeout_keep_alive=int(max(1, cfg.keepalive_timeout_s)), h11_max_incomplete_event_size=16 * 1024,
        backlog=min(2048, cap),
    )
    config.lockerd_protocol = proto  # type: ignore[attr-defined]
    return config
