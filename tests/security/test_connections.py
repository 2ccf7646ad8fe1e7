"""Idle and half-sent connections time out; a connection cap below the file limit keeps /healthz up."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
from pathlib import Path

import httpx

from edge.web.serverlimits import FD_RESERVE, effective_cap
from edge.web.webconfig import WebConfig
from tests.conftest import start_site
from tests.security.conftest import live_server

IDLE = 1100


def _raise_own_file_limit(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))


async def _open_idle(port: int, n: int) -> list[asyncio.StreamWriter]:
    writers = []
    for _ in range(n):
        with contextlib.suppress(OSError):
            _, w = await asyncio.open_connection("127.0.0.1", port)
            writers.append(w)
    return writers


async def _healthz(url: str) -> int:
    async with httpx.AsyncClient(base_url=url, timeout=5) as c:
        return (await c.get("/healthz")).status_code


async def test_1100_idle_sockets_do_not_stop_healthz(tmp_path: Path) -> None:
    _raise_own_file_limit(IDLE + 800)
    # a cap of 300 stands in for "the file limit minus the reserve" of a 1,024-file process
    site = await start_site(tmp_path / "s", web={"max_connections": 300, "header_timeout_s": 30})
    try:
        async with live_server(site) as srv:
            # client and server share this process: a file limit that holds the 1,100 client sockets
            # and the cap, but not 1,100 server-side sockets more (what an uncapped server would take)
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            open_now = len(os.listdir("/proc/self/fd"))
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_now + IDLE + 300 + 200, hard))
            try:
                idle = await _open_idle(srv.port, IDLE)
                await asyncio.sleep(0.3)
                assert len(idle) == IDLE
                assert await _healthz(srv.url) == 200
                async with httpx.AsyncClient(base_url=srv.url, timeout=5) as c:
                    assert (await c.get("/kiosk")).status_code in (200, 307)
                assert srv.stats.evicted + srv.stats.refused >= IDLE - 300
                for w in idle:
                    w.close()
            finally:
                resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    finally:
        await site.daemon.stop()


async def test_idle_and_half_sent_connections_time_out(tmp_path: Path) -> None:
    site = await start_site(tmp_path / "s", web={"header_timeout_s": 0.5, "body_timeout_s": 0.5})
    try:
        async with live_server(site) as srv:
            cases = {
                "idle": b"",
                "half headers": b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
                "half body": b"POST /api/v1/kiosk/pickup HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"code\": ",
            }
            conns = {}
            for name, data in cases.items():
                reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
                writer.write(data)
                await writer.drain()
                conns[name] = (reader, writer)
            for name, (reader, writer) in conns.items():
                try:
                    got = await asyncio.wait_for(reader.read(), 5)  # EOF once the server closes
                except ConnectionResetError:
                    got = b""
                assert b"200 OK" not in got, name
                writer.close()
            assert srv.stats.timed_out >= 3
            assert await _healthz(srv.url) == 200
    finally:
        await site.daemon.stop()


def test_the_cap_stays_below_the_file_limit() -> None:
    assert effective_cap(WebConfig(), 1024) == 1024 - FD_RESERVE
    assert effective_cap(WebConfig(max_connections=100), 1024) == 100
    unit = (Path(__file__).resolve().parents[2] / "systemd" / "lockerd.service").read_text()
    limit = int(unit.split("LimitNOFILE=", 1)[1].split()[0])
    assert effective_cap(WebConfig(), limit) == WebConfig().max_connections < limit
