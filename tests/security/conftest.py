"""Security regression fixtures: the real app in process, and a real uvicorn server on a free loopback
port built exactly as `lockerd run` builds it (edge.web.serverlimits.server_config)."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from edge.web.app import create_app
from edge.web.serverlimits import server_config
from tests.conftest import Site, free_port, start_site

LOOPBACK = ("127.0.0.1", 5000)
OUTSIDER = ("192.0.2.7", 5000)  # TEST-NET-1: a device on the LAN, not the kiosk


def client_for(app: Any, peer: tuple[str, int] = LOOPBACK, **kw: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=peer), base_url="http://locker.test", **kw)


async def console_login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    page = await client.get("/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text)
    assert token, page.text
    return await client.post("/login", data={"_csrf": token.group(1), "username": username, "password": password})


@pytest.fixture
async def sec_site(tmp_path: Path) -> AsyncIterator[Site]:
    s = await start_site(tmp_path / "site")
    try:
        yield s
    finally:
        await s.daemon.stop()


class LiveServer:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.port = free_port()
        self.app = create_app(site.daemon)
        self.config = server_config(self.app, "127.0.0.1", self.port, site.daemon.config.web)
        self.server = uvicorn.Server(self.config)
        self.task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stats(self) -> Any:
        return self.config.lockerd_protocol.stats

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                await self.task
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, 10)


@contextlib.asynccontextmanager
async def live_server(site: Site) -> AsyncIterator[LiveServer]:
    srv = LiveServer(site)
    await srv.start()
    try:
        yield srv
    finally:
        await srv.stop()


async def raw_request(port: int, data: bytes, read_timeout: float = 5.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), read_timeout)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
