"""Leftovers of issue 18 found by docs/trial-2026-12-03b.md and -03c.md (helper fix21), in Debian's Chromium;
each test failed before its fix and fails on any browser-side error.

The module's own simulator (its clock moves weeks on, to reach disposal)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.sim_calls import door as _door
from tests.browser.sim_calls import ok as _ok
from tests.browser.sim_calls import until as _until
from tests.browser.tab import BrowserTab
from tests.conftest import SimServer

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def server(sim_server_module: SimServer) -> SimServer:
    """This module's own demo simulator (tests/conftest.py), its clock moved by the disposal test."""
    return sim_server_module


def _store(server: SimServer, tracking: str, unit: str = "3-1201", tail: str = "0420") -> str:
    """A courier stores one S parcel for ``unit`` and closes the door; its compartment."""
    token = _ok(server, "POST", "/api/v1/kiosk/courier/session", {"courier_code": "100002"})["token"]
    auth = {"Authorization": "Bearer " + token}
    dep = _ok(server, "POST", "/api/v1/kiosk/deposits",
              {"tracking_number": tracking, "unit": unit, "phone_tail": tail, "size": "S"}, headers=auth)
    c = str(dep["compartment"])
    _until(f"{c} open", lambda: _door(server, c) == "open")
    _ok(server, "POST", f"/api/v1/sim/doors/{c}/close")
    _until("stored", lambda: _ok(server, "GET", f"/api/v1/kiosk/deposits/{dep['deposit_id']}",
                                 headers=auth)["state"] == "stored")
    return c


def _login(tab: BrowserTab) -> None:
    tab.goto("/login?lang=zh")
    tab.fill_login("admin", "admin-demo-pass")


def _reload_until(tab: BrowserTab, path: str, selector: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    tab.goto(path)
    while tab.page.locator(selector).count() == 0:
        assert time.monotonic() < deadline, f"{selector} never appeared on {path}"
        time.sleep(0.5)
        tab.goto(path)


def test_a_disposed_parcel_shows_what_happened_and_offers_nothing_more(browser: Browser, server: SimServer) -> None:
    """Trial 20 disposed of a parcel ("退回寄件人") from its page: just after the confirm the page still read
    "在存 · 待处置" and offered "标记已处置" again (the record already `returned`), and beside the disposal it
    offered "标记已退回" (a courier's return, which skips the disposal's record and the resident's message).
    A parcel due for disposal now offers the disposal only; while its door opens the page says so and offers
    nothing; once disposed it says how, by whom and when, with no compartment and no action."""
    c = _store(server, "ZT2040000000011")
    _ok(server, "POST", "/api/v1/sim/clock", {"advance_seconds": 40 * 86400})  # notice posted
    tab = BrowserTab(browser, server, DESKTOP)
    try:
        _login(tab)
        _reload_until(tab, "/parcels/ZT2040000000011?lang=zh", "text=公告中")
        _ok(server, "POST", "/api/v1/sim/clock", {"advance_seconds": 10 * 86400})  # notice over: disposal due
        _login(tab)  # the session expired with the clock
        page = tab.page
        _reload_until(tab, "/parcels/ZT2040000000011?lang=zh", "form[action$='/disposed']")
        actions = page.locator("div.actions")
        expect(actions).not_to_contain_text("标记已退回")  # the disposal only: 退回寄件人 is one of its options
        expect(page.locator("form[action$='/returned']")).to_have_count(0)
        form = page.locator("form[action$='/disposed']")
        form.locator("select[name=how]").select_option("return_to_sender")
        form.locator("input[name=reason]").fill("公告期满无人认领")
        form.locator("button").click()
        page.locator("#confirm-open-btn").click()
        # right after the confirm: never the disposal offered again, whether the door has answered or not
        expect(page.locator("form[action$='/disposed']")).to_have_count(0)
        expect(page.locator("table.facts")).not_to_contain_text("待处置")
        _until(f"{c} open", lambda: _door(server, c) == "open")
        _ok(server, "POST", f"/api/v1/sim/doors/{c}/close")
        _reload_until(tab, "/parcels/ZT2040000000011?lang=zh", "text=这件包裹已经离开，无需再操作。")
        facts = page.locator("table.facts")
        expect(facts).to_contain_text("已退回")
        expect(facts).to_contain_text("退回寄件人")  # how
        expect(facts).to_contain_text("员工 admin")  # by whom
        expect(facts).to_contain_text("处置时间")  # when
        expect(facts).not_to_contain_text(c)  # no compartment
        expect(page.locator("div.actions form")).to_have_count(0)
        tab.goto("/parcels/ZT2040000000011?lang=en")
        expect(page.locator("table.facts")).to_contain_text("return to sender")
        expect(page.locator("table.facts")).to_contain_text("Disposed by")
    finally:
        tab.close()
