"""Console fixtures: a real daemon (simulated doors, real SQLite in tmp_path) behind the real app."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from edge.clock import SimClock
from edge.config import parse_config
from edge.daemon import Daemon
from edge.web.app import create_app
from edge.web.console import users

CONFIG = {
    "site": {"id": "test-site", "name": "Test lockers"},
    "banks": [{"id": "A", "driver": "sim", "compartments": [
        {"id": f"A-{i:02d}", "size": "SML"[i % 3]} for i in range(1, 7)]}],
    "console": {"login_attempts": 3, "login_lockout_s": 60},
}

PASSWORDS = {"boss": ("admin", "boss-password-1"), "clerk": ("staff", "clerk-password-1")}


@dataclass
class Site:
    daemon: Daemon
    app: Any
    clock: SimClock

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://console.test")


@pytest.fixture
async def site(tmp_path: Any) -> AsyncIterator[Site]:
    config = parse_config(CONFIG)
    clock = SimClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    daemon = Daemon(config, clock=clock, data_dir=tmp_path / "data", simulated=True)
    await daemon.start()
    for name, (role, pw) in PASSWORDS.items():
        await daemon.store.write(lambda tx, n=name, r=role, p=pw: users.ensure_user(tx, n, p, r))
    app = create_app(daemon)
    try:
        yield Site(daemon, app, clock)
    finally:
        await daemon.stop()


@pytest.fixture
def as_user(site: Site) -> Any:
    """`client, csrf = await as_user("boss")`: a logged-in client and its CSRF token."""

    async def go(username: str = "boss") -> tuple[httpx.AsyncClient, str]:
        return await logged_in(site, username)

    return go


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    page = await client.get("/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return await client.post("/login", data={"_csrf": token, "username": username, "password": password})


async def logged_in(site: Site, username: str = "boss") -> tuple[httpx.AsyncClient, str]:
    client = site.client()
    resp = await login(client, username, PASSWORDS[username][1])
    assert resp.status_code == 303, resp.text
    page = await client.get("/", headers={"accept": "text/html"})
    csrf = re.search(r'data-csrf="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return client, csrf
