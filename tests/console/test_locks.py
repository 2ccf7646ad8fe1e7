"""Issue 20: staff see and clear the safety locks from the console (/locks): a kiosk's pickup-code and
courier-code lockouts, the site-wide courier allowance, a console user's login lockout and the rules hold
after a clock step. Each a confirmed POST with a reason, audited, refused without; admin-only kinds are
refused to staff."""

from __future__ import annotations

import re
from contextlib import aclosing
from typing import Any

import pytest

from edge.errors import DomainError
from edge.services.locks import locks_of
from tests.console.conftest import HTML, Console, flash


async def _lock_pickup_kiosk(console: Console, kiosk: str = "k1") -> None:
    pickups = console.daemon.services.pickups
    for _ in range(pickups.policy.pickup_code.kiosk_attempts):
        with pytest.raises(DomainError):
            await pickups.submit("0000000000", kiosk=kiosk)
    with pytest.raises(DomainError) as err:
        await pickups.submit("0000000000", kiosk=kiosk)
    assert err.value.code == "too_many_attempts"


async def _audit(console: Console, action: str) -> list[dict[str, Any]]:
    return await console.daemon.store.read(lambda tx: tx.all(
        "SELECT actor, target, reason, detail FROM audit WHERE action = ? ORDER BY id", (action,)))


async def test_staff_clear_a_kiosk_pickup_lockout_with_a_reason(console: Console) -> None:
    await _lock_pickup_kiosk(console)
    client, csrf = await console.as_user("staff")
    async with aclosing(client):
        page = (await client.get("/locks", headers=HTML)).text  # Chinese by default
        assert "取件码输错次数过多，这台柜机暂停取件" in page and "k1" in page and "安全锁定" in page
        assert "code:pickup:kiosk:k1" not in re.sub(r'(href|data-lock)="[^"]*"', "", page)  # no raw ids in text
        en = (await client.get("/locks?lang=en", headers=HTML)).text
        assert "Too many wrong pickup codes: this kiosk paused pickups" in en
        confirm = (await client.get("/locks/confirm", params={"id": "code:pickup:kiosk:k1"}, headers=HTML)).text
        assert 'name="confirm" value="code:pickup:kiosk:k1"' in confirm and 'name="reason"' in confirm
        # no confirm button value, or no reason: refused in words, still locked
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "reason": "resident mistyped"})
        assert (await flash(client, resp, "en")).startswith("error: Press the confirm button")
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "confirm": "code:pickup:kiosk:k1"})
        assert (await flash(client, resp, "en")).startswith("error: Give a reason")
        assert [lk.kind for lk in await locks_of(console.daemon).active()] == ["pickup_kiosk"]
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "confirm": "code:pickup:kiosk:k1",
                                                       "reason": "resident at the desk mistyped her code"})
        assert await flash(client, resp, "en") == "ok: Lock cleared"  # in the language chosen above
        assert "当前没有锁定" in (await client.get("/locks?lang=zh", headers=HTML)).text
    # the kiosk takes codes again (a wrong one is now "not valid", not "too many")
    with pytest.raises(DomainError) as err:
        await console.daemon.services.pickups.submit("0000000000", kiosk="k1")
    assert err.value.code == "code_invalid"
    rows = await _audit(console, "security.lock_cleared")
    assert [(r["actor"], r["target"], r["reason"]) for r in rows] == [
        ("staff:staff", "k1", "resident at the desk mistyped her code")]
    assert '"kind": "pickup_kiosk"' in rows[0]["detail"]
    # the audit page shows it in words
    client, _ = await console.as_user("admin")
    async with aclosing(client):
        audit = (await client.get("/audit?lang=en", headers=HTML)).text
        assert "lock cleared by staff" in audit


async def test_the_lockers_own_screen_is_named_in_words(console: Console) -> None:
    """The Pi's own kiosk browser is kiosk "local": the page said "local" in the Applies-to column."""
    await _lock_pickup_kiosk(console, kiosk="local")
    await _lock_pickup_kiosk(console, kiosk="lobby")
    client, _ = await console.as_user("staff")
    async with aclosing(client):
        zh = (await client.get("/locks?lang=zh", headers=HTML)).text
        en = (await client.get("/locks?lang=en", headers=HTML)).text
    cells = re.findall(r"<td>([^<]*)</td>", zh)
    assert "柜机本机屏幕" in cells and "柜机屏幕 lobby" in cells and "local" not in cells, cells
    assert "the locker's own screen" in en.replace("&#39;", "'") and "kiosk lobby" in en
    assert ">解除</a>" in zh and ">Clear</a>" in en  # the button's word (it once rendered a dict method)


async def test_a_lock_that_ended_by_itself_is_not_cleared_twice(console: Console) -> None:
    await _lock_pickup_kiosk(console)
    console.site.clock.advance(3600)
    with pytest.raises(DomainError) as err:
        await locks_of(console.daemon).clear("code:pickup:kiosk:k1", actor="staff:t", reason="x", is_admin=True)
    assert err.value.code == "lock_not_active"
    client, _ = await console.as_user("staff")
    async with aclosing(client):
        resp = await client.get("/locks/confirm", params={"id": "code:pickup:kiosk:k1"}, headers=HTML)
        assert resp.status_code == 404 and "已经解除" in resp.text


async def test_the_site_courier_allowance_needs_an_admin(console: Console) -> None:
    couriers = console.daemon.services.couriers
    for k in range(5):  # 4 kiosks x 5 wrong codes: each kiosk locked and the site's 20 used up
        for _ in range(5):
            with pytest.raises(DomainError):
                await couriers.login("99999999", kiosk=f"kiosk{k}")
    kinds = sorted(lk.kind for lk in await locks_of(console.daemon).active())
    assert "courier_site" in kinds and "courier_kiosk" in kinds
    client, csrf = await console.as_user("staff")
    async with aclosing(client):
        page = (await client.get("/locks?lang=en", headers=HTML)).text
        assert "allowance of wrong courier codes is used up" in page and "Admin only" in page
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "confirm": "code:courier-login:site",
                                                       "reason": "courier fat-fingered"})
        assert (await flash(client, resp, "en")).startswith("error: This needs an admin")
        # a kiosk's courier lockout staff may clear
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "confirm": "code:courier-login:kiosk0",
                                                       "reason": "new courier learning the kiosk"})
        assert (await flash(client, resp, "en")).startswith("ok")
    client, csrf = await console.as_user("admin")
    async with aclosing(client):
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "confirm": "code:courier-login:site",
                                                       "reason": "courier fat-fingered, checked on camera"})
        assert (await flash(client, resp, "en")).startswith("ok")
    assert "courier_site" not in [lk.kind for lk in await locks_of(console.daemon).active()]
    with pytest.raises(DomainError) as err:  # kiosk0 takes courier codes again
        await couriers.login("99999999", kiosk="kiosk0")
    assert err.value.code == "courier_code_invalid"


async def test_admin_clears_a_console_users_login_lockout(console: Console) -> None:
    probe = console.client(client=("192.0.2.50", 5000))
    async with probe:
        for _ in range(5):
            await console.login(probe, "staff", "wrong password")
        resp = await console.login(probe, "staff", "staff-demo-pass")
        assert resp.status_code == 429  # locked out even with the right password
    kinds = [lk.kind for lk in await locks_of(console.daemon).active()]
    assert kinds == ["login_user"]
    with pytest.raises(DomainError) as err:  # staff may not (and the service says so, whoever calls)
        await locks_of(console.daemon).clear("login:user:staff", actor="staff:x", reason="me", is_admin=False)
    assert err.value.status == 403
    client, csrf = await console.as_user("admin")
    async with aclosing(client):
        page = (await client.get("/locks", headers=HTML)).text
        assert "控制台登录失败次数过多，这个用户暂时不能登录" in page and "staff" in page
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "confirm": "login:user:staff",
                                                       "reason": "called me, forgot caps lock"})
        assert (await flash(client, resp, "en")).startswith("ok")
    staff = console.client(client=("192.0.2.50", 5000))
    async with staff:
        assert (await console.login(staff, "staff", "staff-demo-pass")).status_code == 303
    rows = await _audit(console, "security.lock_cleared")
    assert rows[-1]["actor"] == "staff:admin" and rows[-1]["target"] == "staff"


async def test_staff_release_the_rules_hold_after_a_clock_step(console: Console) -> None:
    clock = console.site.clock
    guard = console.daemon.rules.guard
    clock.step(2 * 86400)  # NTP steps the wall clock 2 days forward
    assert await guard.check() is not None and not guard.rules_allowed()
    client, csrf = await console.as_user("staff")
    async with aclosing(client):
        page = (await client.get("/locks", headers=HTML)).text
        assert "柜机时钟跳变后，提醒、超期和公告暂停执行" in page
        resp = await client.post("/locks/clear", data={"_csrf": csrf, "confirm": "rules:hold",
                                                       "reason": "checked the reminders list, all fine"})
        assert (await flash(client, resp, "en")).startswith("ok")
    assert guard.rules_allowed()
    rows = await _audit(console, "clock.hold_released")
    assert [(r["actor"], r["reason"]) for r in rows] == [("staff:staff", "checked the reminders list, all fine")]
