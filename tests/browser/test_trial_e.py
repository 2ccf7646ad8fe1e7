"""Defects found in docs/trial-2026-12-03b.md (a site from an empty database, as its people meet it), in
Debian's Chromium; each test failed before its fix and fails on any browser-side error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.tab import BrowserTab

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1280, "height": 800}

#: every visible text link a finger has to hit: a table's links (Edit, a waybill number, Act), the header's
#: and the login page's language switch
TARGETS_JS = r"""() => {
  const bad = [];
  for (const el of document.querySelectorAll("table.data td a, header.top .who a, .login-box .langs a")) {
    if (!el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.height < 43.5 || r.width < 43.5)
      bad.push(`"${el.textContent.trim().slice(0, 16)}" is ${Math.round(r.width)}x${Math.round(r.height)} px`);
  }
  return [...new Set(bad)];
}"""


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone-390", "tablet-1280"])
def test_text_links_are_touch_targets_of_44_px(browser: Browser, sim_server_module: Any, viewport: dict[str, int]) -> None:
    """The trial found the login page's 中文 · EN links 26x15 and 16x15 px, the Units page's "编辑" 28x16 px beside
    a 44 px "删除" button, the waybill numbers of the parcel and compartment lists 16-20 px high, "EN" 36 px
    wide and the tasks' "Act" 38 px wide: the phone and tablet check looked at buttons and the menu only."""
    tab = BrowserTab(browser, sim_server_module, viewport)
    try:
        problems = []
        tab.goto("/login?lang=zh")
        problems += [f"/login: {b}" for b in tab.page.evaluate(TARGETS_JS)]
        on = tab.page.locator(".login-box .langs a.on").all_inner_texts()  # which language this is
        tab.fill_login("admin", "admin-demo-pass")
        for path in ("/units?lang=zh", "/parcels?lang=zh", "/compartments?lang=zh", "/tasks?lang=en", "/audit?lang=zh"):
            tab.goto(path)
            problems += [f"{path}: {b}" for b in tab.page.evaluate(TARGETS_JS)]
        tab.goto("/units?lang=zh")
        assert tab.page.locator("table.data td a").count() > 0  # the demo's units, each with its Edit link
        assert not problems, "\n".join(problems)
        assert on == ["中文"], on
    finally:
        tab.close()


def test_the_login_language_switch_keeps_the_page_asked_for(browser: Browser, sim_server_module: Any) -> None:
    """A staff member sent to the login page from /tasks who switches to English lands on /tasks after logging in."""
    tab = BrowserTab(browser, sim_server_module, PHONE)
    try:
        tab.goto("/tasks")
        expect(tab.page.locator(".login-box")).to_be_visible()
        tab.page.click(".login-box .langs a:text('EN')")
        expect(tab.page.locator("button[type=submit]")).to_have_text("Log in")
        p = tab.page
        p.fill("input[name=username]", "admin")
        p.fill("input[name=password]", "admin-demo-pass")
        p.click("button[type=submit]")
        p.wait_for_url("**/tasks*")
    finally:
        tab.close()
