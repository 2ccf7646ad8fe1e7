"""Run a Daemon with its web server on one event loop; stop everything in reverse on a signal."""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import uvicorn

from edge.instance import StartRefused
from edge.sdnotify import SystemdNotifier, watchdog_loop
from edge.web.app import create_app, end_live_streams
from edge.web.serverlimits import server_config

if TYPE_CHECKING:
    from edge.daemon import Daemon

log = logging.getLogger(__name__)

#: the interpreter's GIL switch interval in the daemon (Python's default is 5 ms). The event loop shares the
#: GIL with the store's writer and reader threads: a pickup whose commit returns while a worker thread runs
#: Python (a console read, another write's SQL) waited up to 5 ms for each hand-over (decision 0025)
GIL_SWITCH_S = 0.001


def share_gil_quickly() -> None:
    """A thread waiting for the GIL gets it within GIL_SWITCH_S (edge/runner.py does this at start)."""
    sys.setswitchinterval(GIL_SWITCH_S)


def tune_memory(daemon: Daemon) -> dict[str, object]:
    """The site's ``[memory]`` settings, before the daemon's threads exist (edge/memory.py, decision 0031):
    glibc's malloc parameters, and how often the store's maintenance loop trims the heap."""
    from edge.memory import apply, trim_interval

    cfg = daemon.config.memory
    applied = apply(cfg)
    daemon.store.TRIM_EVERY_S = trim_interval(cfg)
    log.info("memory: %s, malloc_trim every %s s", applied or "glibc defaults", cfg.trim_every_s or "never")
    return applied


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


def bind_web(host: str, port: int) -> socket.socket:
    """The web server's listening socket, bound here so a port that cannot be had refuses the start in
    plain words (uvicorn itself logs a traceback and exits with status 3)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except (OSError, OverflowError) as exc:
        sock.close()
        where = f"{host}:{port}"
        err = getattr(exc, "errno", None)
        if err == errno.EADDRINUSE:
            why = (f"Another program already listens on {where}: stop it, or give lockerd another port "
                   f"(console.port in the config, or --http HOST:PORT).\n"
                   f"{where} 已被其他程序占用：请停止该程序，或为 lockerd 换一个端口（配置中的 console.port，或 --http）。")
        elif err in (errno.EACCES, errno.EPERM):
            why = (f"lockerd may not listen on {where} (ports below 1024 need privileges): use a port of 1024 "
                   f"or more, and a reverse proxy for 80/443.\n"
                   f"lockerd 无权监听 {where}（1024 以下的端口需要特权）：请使用 1024 以上的端口。")
        elif err == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
            why = (f"{host} is not an address of this machine: set console.bind to 127.0.0.1, 0.0.0.0 or one "
                   f"of its own addresses.\n"
                   f"{host} 不是本机地址：请把 console.bind 设为 127.0.0.1、0.0.0.0 或本机的地址。")
        else:
            why = f"lockerd cannot listen on {where}: {exc}.\nlockerd 无法监听 {where}。"
        raise StartRefused(why) from None
    sock.set_inheritable(True)
    return sock


async def serve(
    daemon: Daemon,
    host: str,
    port: int,
    *,
    after_start: Callable[[], Awaitable[None]] | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    share_gil_quickly()
    tune_memory(daemon)
    await daemon.start()
    sd = _systemd()
    watchdog: asyncio.Task[None] | None = None
    sock: socket.socket | None = None
    try:
        sock = bind_web(host, port)  # after the data-dir claim: "another lockerd" is the better answer
        if after_start is not None:
            await after_start()
        app = create_app(daemon)
        config = server_config(app, host, port, daemon.config.web)
        server = WebServer(config, lambda: end_live_streams(app))
        # uvicorn restores the previous handlers after its shutdown and re-raises the signal it
        # caught; with the default handlers the process would die before daemon.stop() runs
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: None)
        task = asyncio.create_task(server.serve(sockets=[sock]))
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
        if sock is not None:
            sock.close()
        await daemon.stop()


class WebServer(uvicorn.Server):
    """uvicorn's server, which ends the live streams before its shutdown waits for open responses: the kiosk keeps
    its stream open all day, and uvicorn would wait its graceful timeout for it, then cancel it with a traceback
    (review of 2026-12-08: every Ctrl-C and `systemctl stop` took 3 s and logged "Exception in ASGI application")."""

    def __init__(self, config: uvicorn.Config, before_shutdown: Callable[[], None]) -> None:
        super().__init__(config)
        self.before_shutdown = before_shutdown

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for listener in self.servers:
            listener.close()  # no new connection; uvicorn closes them again, which changes nothing
        self.before_shutdown()  # no await between this and uvicorn's shutdown of each connection
        await super().shutdown(sockets)


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
