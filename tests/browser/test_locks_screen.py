"""Issue 20 in Chromium: a kiosk locked by wrong pickup codes is cleared from the console's Safety locks
page (安全锁定) with a reason, through its confirm button (Enter in the reason field does nothing), and
the kiosk takes codes again. Its own `lockerd simulate` (the shared one must not stay locked)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_clear_a_kiosk_lockout_from_the_console(browser: Browser, sim_server: Any) -> None:
    statuses = [sim_server.api("POST", "/api/v1/kiosk/pickup", {"code": "0000000000"})[0] for _ in range(6)]
    assert statuses[-1] == 429, statuses
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.set_default_timeout(8000)
    try:
        page.goto(sim_server.url + "/login?next=/locks")
        page.fill("input[name=username]", "staff")
        page.fill("input[name=password]", "staff-demo-pass")
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_have_text("安全锁定")
        row = page.locator("table.locks tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("取件码输错次数过多，这台柜机暂停取件")
        row.locator("a.button").click()
        page.fill("input[name=reason]", "住户在前台，输错了取件码")
        page.press("input[name=reason]", "Enter")  # never submits: only the confirm button does
        expect(page.locator("#confirm-clear")).to_be_visible()
        page.click("#confirm-clear-btn")
        expect(page.locator(".flash")).to_contain_text("已解除锁定")
        expect(page.locator("main")).to_contain_text("当前没有锁定")
    finally:
        context.close()
    assert not errors, errors
    status, body = sim_server.api("POST", "/api/v1/kiosk/pickup", {"code": "0000000000"})
    assert status == 404, (status, body)  # a wrong code again, not "too many"


def test_a_kiosk_waiting_out_a_lockout_takes_codes_again_once_staff_clear_it(browser: Browser, sim_server: Any) -> None:
    """The resident at the locked kiosk is not left reading a countdown after the desk has cleared it."""
    from tests.browser.test_kiosk_flows import SMALL, Kiosk

    k = Kiosk(browser, sim_server, SMALL, "k-cleared")
    k.allow(404, 429)
    try:
        page = k.open("&lang=zh")
        k.tid("go-pickup").click()
        msg = k.tid("message")
        for attempt in range(12):
            page.keyboard.type(f"0000000{attempt:03d}")
            page.keyboard.press("Enter")
            expect(msg).not_to_have_text("请稍候…")
            if "输错次数太多" in msg.inner_text():
                break
        expect(msg).to_contain_text("输错次数太多")
        expect(k.tid("key-1")).to_be_disabled()
        staff = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        try:
            desk = staff.new_page()
            desk.set_default_timeout(8000)
            desk.goto(sim_server.url + "/login?next=/locks")
            desk.fill("input[name=username]", "staff")
            desk.fill("input[name=password]", "staff-demo-pass")
            desk.click("button[type=submit]")
            row = desk.locator("table.locks tbody tr", has_text="取件码输错次数过多")
            row.first.locator("a.button").click()
            desk.fill("input[name=reason]", "住户在柜机前，已核对身份")
            desk.click("#confirm-clear-btn")
            expect(desk.locator(".flash")).to_contain_text("已解除锁定")
        finally:
            staff.close()
        # the kiosk notices within its 5 s check, long before the lockout would have run out
        expect(msg).to_contain_text("现在可以重新输入取件码了", timeout=9000)
        expect(k.tid("key-1")).to_be_enabled()
    finally:
        k.finish()
