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
