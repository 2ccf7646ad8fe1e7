"""Access control: login, lockout, CSRF, session expiry and revocation, roles, the secret key file."""

from __future__ import annotations

import asyncio
import re
import stat

from edge.services import staff as users
from edge.web.console.auth import SECRET_FILE, SESSION_COOKIE
from tests.console.conftest import HTML


async def test_login_sets_a_hardened_cookie_and_the_pages_open(console) -> None:
    client = console.client()
    r = await client.get("/", headers=HTML)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    r = await console.login(client, "admin", "admin-demo-pass")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert "admin-demo-pass" not in cookie
    r = await client.get("/", headers=HTML)
    assert r.status_code == 200 and 'id="grid"' in r.text


async def test_passwords_are_argon2id_hashes(console) -> None:
    h = await console.daemon.store.read(lambda tx: users.get_hash(tx, "admin"))
    assert h.startswith("$argon2id$") and "admin-demo-pass" not in h
    assert users.verify_password(h, "admin-demo-pass") and not users.verify_password(h, "wrong")


async def test_wrong_password_then_lockout_even_for_the_right_one(console) -> None:
    cfg = console.daemon.config.console
    client = console.client()
    for _ in range(cfg.login_attempts - 1):
        r = await console.login(client, "staff", "not-the-password")
        assert r.status_code == 401
    r = await console.login(client, "staff", "not-the-password")
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    r = await console.login(client, "staff", "staff-demo-pass")
    assert r.status_code == 429, "the right password must not get through a lockout"
    # another user from another address is not locked out by this
    other = console.client(client=("127.0.0.2", 5000))
    assert (await console.login(other, "admin", "admin-demo-pass")).status_code == 303
    console.site.clock.advance(cfg.login_lockout_s + 1)
    r = await console.login(client, "staff", "staff-demo-pass")
    assert r.status_code == 303
    rows = await console.daemon.store.read(lambda tx: tx.all("SELECT action FROM audit WHERE target = 'staff'"))
    assert [r["action"] for r in rows].count("console.login_failed") == cfg.login_attempts


async def test_one_address_guessing_many_names_is_locked_out(console) -> None:
    cfg = console.daemon.config.console
    client = console.client(client=("10.9.9.9", 1))
    statuses = [(await console.login(client, f"user{i}", "guess-guess")).status_code
                for i in range(cfg.login_attempts * 4)]
    assert statuses[-1] == 429 and 401 in statuses
    assert (await console.login(client, "admin", "admin-demo-pass")).status_code == 429


async def test_login_form_needs_its_csrf_token(console) -> None:
    client = console.client()
    r = await client.post("/login", data={"username": "admin", "password": "admin-demo-pass"})
    assert r.status_code == 403 and r.json()["error"] == "csrf_failed"
    await client.get("/login")
    r = await client.post("/login", data={"_csrf": "forged", "username": "admin", "password": "admin-demo-pass"})
    assert r.status_code == 403


async def test_every_write_needs_the_session_csrf_token(console) -> None:
    client, csrf = await console.as_user("admin")
    for data, headers in (({"reason": "test"}, {}), ({"reason": "test", "_csrf": "0" * 64}, {}),
                          ({"reason": "test"}, {"x-csrf-token": "nope"})):
        r = await client.post("/compartments/A-01/open", data=data, headers=headers)
        assert r.status_code == 403, r.text
        assert r.json()["error"] == "csrf_failed"
    assert await console.daemon.store.read(lambda tx: tx.scalar("SELECT count(*) FROM door_commands")) == 0
    # a token from another session does not work either
    other, other_csrf = await console.as_user("staff")
    r = await client.post("/compartments/A-01/open", data={"reason": "test", "_csrf": other_csrf})
    assert r.status_code == 403
    r = await client.post("/compartments/A-01/open", data={"reason": "test", "_csrf": csrf})
    assert r.status_code == 303
    r = await client.post("/compartments/A-02/open", data={"reason": "json caller"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 303
    # multipart forms carry the token too
    r = await client.post("/expected/import", data={"_csrf": csrf}, files={"file": ("e.csv", b"tracking_number,unit\n")})
    assert r.status_code == 303
    r = await client.post("/expected/import", files={"file": ("e.csv", b"tracking_number,unit\n")})
    assert r.status_code == 403


async def test_session_expires_by_the_clock(console) -> None:
    client, _ = await console.as_user("staff")
    assert (await client.get("/parcels", headers=HTML)).status_code == 200
    console.site.clock.advance(console.daemon.config.console.session_hours * 3600 + 1)
    r = await client.get("/parcels", headers=HTML)
    assert r.status_code == 303 and "/login" in r.headers["location"]
    assert (await client.get("/api/v1/console/grid")).status_code == 401
    await asyncio.sleep(0.3)  # let the daemon's timers digest the jump (see the report: SimClock.sleep and cancel)


async def test_password_change_and_disable_end_sessions(console) -> None:
    client, _ = await console.as_user("staff")
    store = console.daemon.store
    await store.write(lambda tx: users.set_password(tx, "staff", "a-new-password", actor="test"))
    assert (await client.get("/api/v1/console/grid")).status_code == 401
    fresh = console.client()
    assert (await console.login(fresh, "staff", "staff-demo-pass")).status_code == 401
    assert (await console.login(fresh, "staff", "a-new-password")).status_code == 303
    await store.write(lambda tx: users.set_active(tx, "staff", False, actor="test"))
    assert (await fresh.get("/api/v1/console/grid")).status_code == 401
    assert (await console.login(console.client(), "staff", "a-new-password")).status_code == 401


async def test_tampered_cookie_is_refused(console) -> None:
    client, _ = await console.as_user("staff")
    value = client.cookies.get(SESSION_COOKIE)
    payload = value.split(".")[0]
    client.cookies.set(SESSION_COOKIE, payload.replace(payload[2], "A" if payload[2] != "A" else "B") + ".x")
    assert (await client.get("/api/v1/console/grid")).status_code == 401


async def test_staff_cannot_reach_admin_pages(console) -> None:
    client, csrf = await console.as_user("staff")
    for path in ("/users", "/audit", "/settings"):
        r = await client.get(path, headers=HTML)
        assert r.status_code == 403, path
    r = await client.post("/users", data={"_csrf": csrf, "username": "mallory", "password": "12345678", "role": "admin"})
    assert r.status_code == 403
    assert await console.daemon.store.read(lambda tx: users.get_user(tx, "mallory")) is None


async def test_secret_key_file_is_private(console) -> None:
    client, _ = await console.as_user("staff")
    path = console.daemon.data_dir / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    audit = await console.daemon.store.read(lambda tx: tx.all("SELECT * FROM audit"))
    assert key not in repr(audit)


async def test_logout_needs_csrf_and_clears_the_cookie(console) -> None:
    client, csrf = await console.as_user("staff")
    assert (await client.post("/logout")).status_code == 403
    r = await client.post("/logout", data={"_csrf": csrf})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert (await client.get("/api/v1/console/grid")).status_code == 401


async def test_next_parameter_cannot_redirect_off_site(console) -> None:
    client = console.client()
    page = await client.get("/login?next=//evil.example/x")
    assert "evil" not in page.text
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    r = await client.post("/login", data={"_csrf": token, "username": "admin", "password": "admin-demo-pass",
                                          "next": "https://evil.example/"})
    assert r.headers["location"] == "/"


async def test_ensure_user_is_idempotent_and_repairs(console) -> None:
    store = console.daemon.store
    assert await store.write(lambda tx: users.ensure_user(tx, "admin", "admin-demo-pass", "admin")) == "unchanged"
    await store.write(lambda tx: users.set_active(tx, "staff", False, actor="test"))
    assert await store.write(lambda tx: users.ensure_user(tx, "staff", "staff-demo-pass", "staff")) == "updated"
    assert (await console.login(console.client(), "staff", "staff-demo-pass")).status_code == 303
