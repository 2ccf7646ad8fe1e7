"""The kiosk with a site directory (Playwright + Debian Chromium on `lockerd simulate`): the unit is
autocompleted as the courier types it, and a resident refuses a damaged parcel instead of taking it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import lockerd_cmd
from tests.screens import screenshots_dir

pytestmark = [pytest.mark.browser]
SHOTS = screenshots_dir()


def _ok(server: Any, method: str, path: str, body: Any = None) -> Any:
    status, data = server.api(method, path, body)
    assert status < 400, (path, status, data)
    return data


def _door(server: Any, compartment: str, want: str) -> None:
    end = time.monotonic() + 5
    while time.monotonic() < end:
        if next(d for d in _ok(server, "GET", "/api/v1/sim/doors") if d["compartment"] == compartment)["door"] == want:
            return
        time.sleep(0.05)
    raise AssertionError(f"{compartment} never {want}")


def _snap(page: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for vp in ({"width": 800, "height": 480}, {"width": 1080, "height": 1920}):
            page.set_viewport_size(vp)
            page.wait_for_timeout(150)
            page.screenshot(path=str(SHOTS / f"kiosk-{name}-{vp['width']}x{vp['height']}.png"))
        page.set_viewport_size({"width": 800, "height": 480})


@pytest.mark.timeout(180)
def test_autocomplete_then_a_refused_parcel(browser: Any, sim_server: Any, tmp_path: Path) -> None:
    csv = tmp_path / "units.csv"
    csv.write_bytes("房号,手机尾号\n5-801,8801\n5-802,8802\n5-1801,1801\n".encode("gb18030"))
    r = subprocess.run([*lockerd_cmd(), "unit", "import", str(csv), "--data-dir", str(sim_server.data_dir)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr  # while the simulator runs
    ctx = browser.new_context(viewport={"width": 800, "height": 480}, locale="zh-CN")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(sim_server.url + "/kiosk?kiosk=kdir")
    page.wait_for_selector("body[data-ready]")
    tid = page.get_by_test_id
    tid("go-courier").click()
    for d in "100001":
        tid(f"key-{d}").click()
    tid("submit").click()
    expect(tid("waybill")).to_be_visible()
    page.keyboard.type("SF8811223344")
    page.keyboard.press("Enter")
    tid("open-door").click()
    expect(page.locator("h1")).to_have_text("这个运单没有预登记")
    for ch in "5-8":
        tid(f"key-{ch}").click()
    picks = tid("unit-pick")
    expect(picks.first).to_have_text("5-801")
    assert picks.all_inner_texts()[:2] == ["5-801", "5-802"]
    _snap(page, "recipient-autocomplete")
    picks.first.click()
    for d in "8801":
        tid(f"key-{d}").click()
    tid("open-door").click()
    c = tid("compartment").inner_text()
    _door(sim_server, c, "open")
    _ok(sim_server, "POST", f"/api/v1/sim/doors/{c}/close")
    expect(tid("stored-title")).to_be_visible()
    code = next(n["pickup_code"] for n in _ok(sim_server, "GET", "/api/v1/sim/notifications")
                if n["tracking_number"] == "SF8811223344")
    # the resident opens the door, finds the parcel damaged, and refuses it
    page.goto(sim_server.url + "/kiosk?kiosk=kdir2")
    page.wait_for_selector("body[data-ready]")
    tid("go-pickup").click()
    page.keyboard.type(code)
    tid("submit").click()
    expect(tid(f"refuse-{c}")).to_be_visible()
    tid(f"refuse-damaged-{c}").click()
    expect(tid(f"refuse-{c}")).to_contain_text("已登记")
    _snap(page, "pickup-refused")
    _door(sim_server, c, "open")
    _ok(sim_server, "POST", f"/api/v1/sim/doors/{c}/close")
    time.sleep(0.5)
    kinds = [n["kind"] for n in _ok(sim_server, "GET", "/api/v1/sim/notifications")
             if n["tracking_number"] == "SF8811223344"]
    assert kinds == ["stored"]  # not collected: it stays recorded for the desk
    assert not errors, errors
    ctx.close()
