"""Staff sign in on a full disk (trial 2026-12-07f, left; fix41 item 3).

The login wrote its attempt count and audit first, so with the SD card full nobody could sign in to see the
banner and free the space: "柜机的存储空间（SD 卡）已满，现在无法登录". The session is a signed cookie and needs no
write; now the attempt count is kept in memory while the disk is full (the same bound), and the audit entries
are written by the first login once there is room. On a real 64 MiB tmpfs filled to the last byte. Before the fix
the first login answered 503."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from edge.web.app import create_app
from edge.web.console.auth import get_auth
from tests.reliability.faults import fill_disk, small_disk, start_site_at, stop_site, wait_until

pytestmark = pytest.mark.timeout(120)


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    page = await client.get("/login?lang=zh")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text)
    assert token, page.text
    return await client.post("/login", data={"_csrf": token.group(1), "username": username, "password": password})


def _client(app: Any, host: str = "127.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(host, 5000)), base_url="http://console.test")


async def test_staff_sign_in_on_a_full_disk_and_the_lockout_still_holds(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 64) as disk:
        site, emus = await start_site_at(disk / "site")
        try:
            app = create_app(site.daemon)
            store = site.daemon.store
            get_auth(app)  # the console's secret exists since its first page (before the disk filled)
            filler = fill_disk(disk)
            with pytest.raises(Exception):  # noqa: B017 - the disk refuses a write (storage_full)
                await store.write(lambda tx: tx.meta_set("probe", "x" * 200_000))
            async with _client(app) as client:
                resp = await _login(client, "staff", "staff-demo-pass")
                assert resp.status_code == 303, resp.text[-1500:]
                page = await client.get("/", headers={"accept": "text/html"})
                assert page.status_code == 200 and "存储空间" in page.text, page.text[-2000:]
            # the guessing bound holds without the table: `login_attempts` wrong passwords lock the name
            attempts = get_auth(app).config.login_attempts
            async with _client(app, "10.0.0.9") as other:
                codes = [(await _login(other, "admin", f"wrong-{i}")).status_code for i in range(attempts + 1)]
                assert codes[:attempts - 1] == [401] * (attempts - 1) and codes[-1] == 429, codes
                assert (await _login(other, "admin", "admin-demo-pass")).status_code == 429  # locked, even right
            # room again: the next login writes what the full disk kept back
            filler.unlink()
            await wait_until(lambda: store.space()["writable"], limit=20)
            async with _client(app) as client:
                assert (await _login(client, "staff", "staff-demo-pass")).status_code == 303
            rows = await store.read(lambda tx: tx.all(
                "SELECT actor, action, reason FROM audit WHERE reason = 'while the disk was full' ORDER BY id"))
            assert ("staff:staff", "console.login") in [(r["actor"], r["action"]) for r in rows], rows
            assert sum(r["action"] == "console.login_failed" for r in rows) == attempts, rows
        finally:
            await stop_site(site, emus)
