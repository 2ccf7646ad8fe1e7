"""Console fixtures: the real app over the shared in-process daemon (simulated doors, SQLite in tmp_path).

The shared `site` fixture (tests/conftest.py) seeds the demo staff through `ensure_user`:
admin / admin-demo-pass (admin) and staff / staff-demo-pass (staff).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from edge.web.app import create_app

PASSWORDS = {"admin": "admin-demo-pass", "staff": "staff-demo-pass"}
HTML = {"accept": "text/html"}


@dataclass
class Console:
    site: Any
    app: Any

    @property
    def daemon(self) -> Any:
        return self.site.daemon

    def client(self, **kw: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app, client=kw.pop("client", ("127.0.0.1", 5000))),
                                 base_url="http://console.test", **kw)

    async def login(self, client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
        page = await client.get("/login")
        token = re.search(r'name="_csrf" value="([^"]+)"', page.text)
        assert token, page.text
        return await client.post("/login", data={"_csrf": token.group(1), "username": username, "password": password})

    async def as_user(self, username: str = "admin") -> tuple[httpx.AsyncClient, str]:
        """A logged-in client and its CSRF token."""
        client = self.client()
        resp = await self.login(client, username, PASSWORDS[username])
        assert resp.status_code == 303, resp.text
        page = await client.get("/", headers=HTML)
        csrf = re.search(r'data-csrf="([^"]+)"', page.text)
        assert csrf, page.text
        return client, csrf.group(1)


@pytest.fixture
async def console(site: Any) -> Console:
    return Console(site, create_app(site.daemon))
