"""Console fixtures: the real app over the shared in-process daemon (simulated doors, SQLite in tmp_path).

The shared `site` fixture (tests/conftest.py) seeds the demo staff through `ensure_user`:
admin / admin-demo-pass (admin) and staff / staff-demo-pass (staff).

Shared by every console test (import them from here, not from another test module): ``HTML`` (the accept
header of a browser's page load), ``flash`` (the message the last action left), ``until`` (let the door
service settle until a condition holds: confirm timeouts, jams, late opens).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from edge.web.app import create_app

PASSWORDS = {"admin": "admin-demo-pass", "staff": "staff-demo-pass"}
HTML = {"accept": "text/html"}
FLASH = re.compile(r'<div class="flash f-(\w+)" role="status">(.*?)</div>')


async def flash(client: httpx.AsyncClient, after: httpx.Response | None = None, lang: str | None = None) -> str:
    """"kind: text" of the flash message the last action left ("" when none): read from /compartments, or,
    given the action's response (a 303), from the page it sends the browser to (in ``lang`` if given)."""
    path = "/compartments"
    if after is not None:
        assert after.status_code == 303, after.text
        path = after.headers["location"].split("#")[0]
    page = (await client.get(path + (f"?lang={lang}" if lang else ""), headers=HTML)).text
    m = FLASH.search(page)
    return f"{m.group(1)}: {m.group(2)}" if m else ""


async def until(site: Any, check: Callable[[], Awaitable[Any]], what: str, tries: int = 100,
                pause: float = 0.05) -> Any:
    """Settle the door service (and sleep ``pause``) until ``check()`` is truthy; its value, or fail
    saying ``what`` did not happen. 100 x 0.05 s covers the tests' 0.3 s confirm timeout, the door core's
    re-tries and the late-open grace on a loaded machine."""
    for _ in range(tries):
        await site.settle()
        got = await check()
        if got:
            return got
        await asyncio.sleep(pause)
    raise AssertionError(what)


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

    async def locker_parcel_to_remove(self, action: str, tracking: str) -> tuple[str, str, dict[str, str]]:
        """A stored locker parcel ready for ``action``: "move" (to the parcel room) or "disposed" (its disposal
        made due). Returns its id, its door and the form's own fields (the shelf, or how it is disposed of)."""
        dep = await self.site.deposit(tracking)
        pid, c = str(dep["parcel_id"]), str(dep["compartment"])
        if action == "disposed":
            await self.daemon.store.write(lambda tx: tx.execute(
                "UPDATE parcels SET stage = 'disposal_due' WHERE id = ?", (pid,)))
        return pid, c, ({"shelf_slot": "R3"} if action == "move" else {"how": "return_to_sender"})


@pytest.fixture
async def console(site: Any) -> Console:
    return Console(site, create_app(site.daemon))
