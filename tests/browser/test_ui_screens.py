"""The console on a 390 px phone and a 1280x800 tablet: each page renders with no browser error; pictures
are written where LOCKERD_SCREENSHOTS says (tests/screens.py):

    LOCKERD_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_ui_screens.py tests/browser/test_people.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.screens import screenshots_or

pytestmark = pytest.mark.browser

PAGES = [("dashboard", "/"), ("parcels", "/parcels"), ("parcel", None), ("compartments", "/compartments"),
         ("tasks", "/tasks"), ("desk", "/desk"), ("settings", "/settings"), ("audit", "/audit")]
SIZES = {"phone": (390, 844), "tablet": (1280, 800)}


def test_console_on_a_phone_and_a_tablet(browser: Browser, sim_server_module: Any, tmp_path: Path) -> None:
    out = screenshots_or(tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    server = sim_server_module
    server.api("POST", "/api/v1/sim/clock", {"advance_seconds": 4 * 86400})  # overdue parcels: tasks to show
    errors: list[str] = []
    for kind, (w, h) in SIZES.items():
        ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "admin-demo-pass")
        page.click("button[type=submit]")
        page.wait_for_selector("#grid .cell")
        for name, path in PAGES:
            if path is None:
                page.goto(server.url + "/parcels")
                page.locator("table.data tbody a").first.click()
            else:
                page.goto(server.url + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(200)
            page.screenshot(path=str(out / f"console-{kind}-{name}-{w}x{h}.png"))
        if kind == "phone":
            page.goto(server.url + "/")
            page.click("#menu-toggle")
            page.wait_for_timeout(150)
            page.screenshot(path=str(out / f"console-phone-menu-{w}x{h}.png"))
        ctx.close()
    assert not errors, errors
