"""Screenshots of the console's main pages (and a check that each renders without a browser error).

Regenerate docs/screenshots/console-*.png with:
    LOCKERD_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_console_screens.py
Without the variable the pictures go to a temporary directory and the repository is left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.screens import screenshots_or

pytestmark = pytest.mark.browser

PAGES = [
    ("dashboard", "/", (1366, 768)),
    ("wallboard", "/wallboard", (1920, 1080)),
    ("compartments", "/compartments", (1366, 768)),
    ("parcels", "/parcels", (1366, 768)),
    ("parcel", None, (1366, 768)),
    ("desk", "/desk", (1280, 800)),
    ("expected", "/expected", (1366, 768)),
    ("anomalies", "/anomalies", (1366, 768)),
    ("tasks", "/tasks", (1366, 768)),
    ("carriers", "/reports/carriers?days=90", (1366, 768)),
    ("audit", "/audit", (1366, 768)),
    ("settings", "/settings", (1366, 768)),
    ("dashboard-en", "/?lang=en", (1366, 768)),
]


def test_screenshots(browser: Browser, sim_server_module: Any, tmp_path: Path) -> None:
    out = screenshots_or(tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    server = sim_server_module
    doors = server.api("GET", "/api/v1/sim/doors")[1]
    spare = [d["compartment"] for d in doors if d["door"] == "closed"]
    server.api("POST", f"/api/v1/sim/doors/{spare[-1]}/force-open")  # an alarm and an open door on the grid
    server.api("POST", "/api/v1/sim/clock", {"advance_seconds": 4 * 86400})  # overdue parcels and their tasks
    errors: list[str] = []
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/login")
    page.screenshot(path=str(out / "console-login.png"))
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin-demo-pass")
    page.click("button[type=submit]")
    page.wait_for_selector("#grid .cell")
    for name, path, (w, h) in PAGES:
        page.set_viewport_size({"width": w, "height": h})
        if path is None:
            page.goto(server.url + "/parcels")
            page.locator("table.data tbody a").first.click()
        else:
            page.goto(server.url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(250)
        page.screenshot(path=str(out / f"console-{name}.png"))
    # a month on, unclaimed parcels are on the public notice (the session has expired: log in again)
    server.api("POST", "/api/v1/sim/clock", {"advance_seconds": 30 * 86400})
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(server.url + "/login?lang=zh")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin-demo-pass")
    page.click("button[type=submit]")
    page.wait_for_selector("#grid .cell")
    for _ in range(20):
        page.goto(server.url + "/tasks/notice")
        if page.locator("table.data tbody tr").count():
            break
        page.wait_for_timeout(500)
    page.screenshot(path=str(out / "console-notice.png"))
    server.api("POST", f"/api/v1/sim/doors/{spare[-1]}/close")
    ctx.close()
    assert not errors, errors
    assert len(list(out.glob("console-*.png"))) >= len(PAGES) + 2
