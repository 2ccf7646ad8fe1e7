"""Console login: the lockout cannot be raced; strangers cannot lock staff out; logout ends the session
on the server; X-Forwarded-For is believed only from a configured proxy."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from edge.services import staff as users
from edge.web.app import create_app
from edge.web.console.auth import DEVICE_COOKIE, SESSION_COOKIE, ConsoleAuth
from tests.conftest import Site, start_site
from tests.security.conftest import client_for, console_login, live_server


@pytest.fixture
def counted_verify(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the argon2 verifications the login really runs (the real function still runs)."""
    calls: list[int] = []
    real = users.verify_password

    def counting(h: str | None, pw: str) -> bool:
        calls.append(1)
        return real(h, pw)

    monkeypatch.setattr(users, "verify_password", counting)  # edge.services.staff, where the login is checked
    return calls


async def _attempt(auth: ConsoleAuth, password: str, client: str = "10.0.0.9") -> int:
    try:
        await auth.login("staff", password, client)
        return 200
    except Exception as exc:  # DomainError
        return int(getattr(exc, "status", 500))


async def test_200_concurrent_guesses_verify_at_most_the_policy(sec_site: Site, counted_verify: list[int]) -> None:
    auth = ConsoleAuth(sec_site.daemon)
    limit = sec_site.daemon.config.console.login_attempts
    statuses = await asyncio.gather(*[_attempt(auth, f"guess-{i:04d}") for i in range(200)])
    assert len(counted_verify) <= limit, f"{len(counted_verify)} passwords verified, policy {limit}"
    assert statuses.count(429) >= 200 - limit and 500 not in statuses


async def test_right_password_at_the_end_of_a_burst_is_refused(sec_site: Site, counted_verify: list[int]) -> None:
    auth = ConsoleAuth(sec_site.daemon)
    burst = [f"wrong-{i:03d}" for i in range(39)] + ["staff-demo-pass"]
    statuses = await asyncio.gather(*[_attempt(auth, pw) for pw in burst])
    assert statuses[-1] == 429, "the right password got through after 39 failures"
    assert 200 not in statuses and len(counted_verify) <= sec_site.daemon.config.console.login_attempts


async def test_strangers_failing_from_the_shared_address_do_not_lock_out_a_known_device(sec_site: Site) -> None:
    app = create_app(sec_site.daemon)
    staff = client_for(app)
    assert (await console_login(staff, "staff", "staff-demo-pass")).status_code == 303
    device = staff.cookies.get(DEVICE_COOKIE)
    assert device
    # an outsider on the same (shared, loopback) address fails made-up names and the real one
    attacker = client_for(app)
    for i in range(25):
        await console_login(attacker, f"nobody{i}", "guess-guess-guess")
    for _ in range(6):
        await console_login(attacker, "staff", "guess-guess-guess")
    assert (await console_login(attacker, "staff", "staff-demo-pass")).status_code == 429
    # the staff member's own browser still logs in
    known = client_for(app)
    known.cookies.set(DEVICE_COOKIE, device)
    assert (await console_login(known, "staff", "staff-demo-pass")).status_code == 303


async def test_logout_revokes_the_session_on_the_server(sec_site: Site) -> None:
    app = create_app(sec_site.daemon)
    client = client_for(app)
    assert (await console_login(client, "admin", "admin-demo-pass")).status_code == 303
    cookie = client.cookies.get(SESSION_COOKIE)
    page = await client.get("/", headers={"accept": "text/html"})
    csrf = page.text.split('data-csrf="', 1)[1].split('"', 1)[0]
    assert (await client.post("/logout", headers={"x-csrf-token": csrf})).status_code == 303
    thief = client_for(app)
    thief.cookies.set(SESSION_COOKIE, cookie)
    r = await thief.get("/api/v1/console/grid")
    assert r.status_code == 401, "a copied session cookie still worked after logout"


async def _failed_login_client(site: Site, xff: str) -> str:
    import httpx

    async with live_server(site) as srv, httpx.AsyncClient(base_url=srv.url) as c:
        page = await c.get("/login")
        token = page.text.split('name="_csrf" value="', 1)[1].split('"', 1)[0]
        await c.post("/login", data={"_csrf": token, "username": "admin", "password": "wrong-password"},
                     headers={"x-forwarded-for": xff})
    rows = await site.daemon.store.read(
        lambda tx: tx.all("SELECT detail FROM audit WHERE action = 'console.login_failed' ORDER BY rowid DESC"))
    return str(rows[0]["detail"])


async def test_x_forwarded_for_from_loopback_is_not_believed(sec_site: Site) -> None:
    data = await _failed_login_client(sec_site, "203.0.113.66")
    assert "203.0.113.66" not in data and "127.0.0.1" in data


async def test_x_forwarded_for_from_a_configured_proxy_is_believed(tmp_path: Any) -> None:
    site = await start_site(tmp_path / "p", web={"trusted_proxies": ["127.0.0.1/32"]})
    try:
        data = await _failed_login_client(site, "203.0.113.66, 127.0.0.1")
        assert "203.0.113.66" in data
    finally:
        await site.daemon.stop()
