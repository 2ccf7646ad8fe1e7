"""Run a Daemon with its web server on one event loop; stop everything in reverse on a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import uvicorn

from edge.sdnotify import SystemdNotifier, watchdog_loop
from edge.web.app import create_app
from edge.web.serverlimits import server_config

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)


def parse_hostport(text: str, default_port: int = 8080) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        return text or "127.0.0.1", default_port
    try:
        p = int(port)
    except ValueError:
        raise ValueError(f"bad --http {text!r}: expected HOST:PORT") from None
    if not 0 <= p <= 65535:
        raise ValueError(f"bad port {p}")
    return host.strip("[]"), p


async def serve(
    daemon: Daemon,
    host: str,
    port: int,
    *,
    after_start: Callable[[], Awaitable[None]] | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    await daemon.start()
    sd = _systemd()
    watchdog: asyncio.Task[None] | None = None
    try:
        if after_start is not None:
            await after_start()
        app = create_app(daemon)
        config = server_config(app, host, port, daemon.config.web)
        server = uvicorn.Server(config)
        # uvicorn restores the previous handlers after its shutdown and re-raises the signal it
        # caught; with the default handlers the process would die before daemon.stop() runs
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: None)
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn has no started event)
            await asyncio.sleep(0.02)
        if task.done():
            await task  # raises if the port could not be bound
            return
        from edge.memory import freeze_startup

        freeze_startup()  # no full GC pass over start-up objects while kiosks wait (docs/performance.md)
        url = f"http://{host if ':' not in host else '[' + host + ']'}:{port}"
        if on_ready is not None:
            on_ready(url)
        if sd is not None:
            sd.ready(f"serving {url}")
            watchdog = _start_watchdog(sd)
        await task
    finally:
        if sd is not None:
            sd.stopping()
        if watchdog is not None:
            watchdog.cancel()
        await daemon.stop()


def _systemd() -> SystemdNotifier | None:
    try:
        n = SystemdNotifier()
    except Exception:
        log.debug("systemd notifier unavailable", exc_info=True)
        return None
    return n


def _start_watchdog(sd: SystemdNotifier) -> asyncio.Task[None] | None:
    if not sd.watchdog_interval():
        return None
    return asyncio.create_task(watchdog_loop(sd))
