"""The staff console in Debian's Chromium against a real `lockerd simulate --demo` subprocess.

Each test logs in, works through the pages like a staff member would, and fails on any console error,
uncaught page error or failed request.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.tab import BrowserTab

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 1280, "height": 800}


class Staff(BrowserTab):
    """A browser tab logged in as a staff member, collecting errors."""

    def login(self, username: str = "admin", password: str = "admin-demo-pass") -> None:
        p = self.goto("/")
        expect(p).to_have_url(self.server.url + "/login?next=%2F")
        self.fill_login(username, password)

    def flash(self) -> str:
        loc = self.page.locator(".flash")
        expect(loc).to_be_visible()
        return loc.inner_text()

    def finish(self) -> None:
        self.close()


@pytest.fixture
def staff(browser: Browser, sim_server_module: Any) -> Any:
    made: list[Staff] = []

    def make(viewport: dict[str, int] = DESKTOP) -> Staff:
        s = Staff(browser, sim_server_module, viewport)
        made.append(s)
        return s

    yield make
    for s in made:
        s.finish()


def sim(server: Any, method: str, path: str, body: Any = None) -> Any:
    status, data = server.api(method, path, body)
    assert status < 300, (status, data)
    return data


def doors(server: Any) -> dict[str, dict[str, Any]]:
    return {d["compartment"]: d for d in sim(server, "GET", "/api/v1/sim/doors")}


def test_login_then_the_grid_follows_the_doors_live(staff: Any, sim_server_module: Any) -> None:
    s = staff()
    page = s.goto("/")
    assert "/login" in page.url
    s.allow(401)  # the wrong password below
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("用户名或密码错误")
    s.login()
    expect(page.locator("#counts [data-count=free]")).not_to_have_text("0")
    free = next(c for c, d in doors(sim_server_module).items() if d["door"] == "closed" and c.startswith("B"))
    sim(sim_server_module, "POST", f"/api/v1/sim/doors/{free}/force-open")
    # pushed by the server (SSE of changes), no reload
    expect(page.locator(f'#grid .cell[data-id="{free}"]')).to_have_class("cell s-open", timeout=20_000)
    expect(page.locator("#alarms")).to_contain_text("柜门被强行打开", timeout=20_000)
    sim(sim_server_module, "POST", f"/api/v1/sim/doors/{free}/close")
    expect(page.locator(f'#grid .cell[data-id="{free}"]')).not_to_have_class("cell s-open", timeout=20_000)
    # the wallboard shows the same grid, big
    s.goto("/wallboard")
    expect(page.locator("body.wall #grid .cell").first).to_be_visible()


def test_open_a_compartment_with_a_reason(staff: Any, sim_server_module: Any) -> None:
    s = staff()
    s.login("staff", "staff-demo-pass")
    page = s.goto("/compartments")
    target = next(c for c, d in doors(sim_server_module).items() if d["door"] == "closed" and c.startswith("A-1"))
    before = doors(sim_server_module)[target]["opens"]
    page.locator(f'[data-testid="open-{target}"]').click()  # its own page, its own button
    expect(page.locator("#confirm-open")).to_contain_text(target)
    page.fill("#confirm-open input[name=reason]", "住户钥匙落在柜内 / resident left keys")
    page.click("#confirm-open-btn")
    assert target in s.flash()
    deadline = time.monotonic() + 5
    while doors(sim_server_module)[target]["opens"] == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert doors(sim_server_module)[target]["opens"] == before + 1
    sim(sim_server_module, "POST", f"/api/v1/sim/doors/{target}/close")
    # a reason is required: the browser refuses to submit the empty field
    s.goto(f"/compartments/{target}/open")
    page.click("#confirm-open-btn")
    assert doors(sim_server_module)[target]["opens"] == before + 1


def test_desk_intake_by_scanner_then_handover_by_code(staff: Any, sim_server_module: Any) -> None:
    s = staff(TABLET)
    s.login("staff", "staff-demo-pass")
    page = s.goto("/desk")
    tracking = "YT8800112233445"
    field = page.locator("#intake input[name=tracking_number]")
    expect(field).to_be_focused()
    page.keyboard.type(tracking)  # a keyboard-wedge scanner types, then sends Enter
    page.keyboard.press("Enter")
    expect(page.locator("#intake input[name=unit]")).to_be_focused()
    page.keyboard.type("2-502")
    page.fill("#intake input[name=phone_tail]", "5678")
    page.fill("#intake input[name=shelf_slot]", "R1-03")
    page.click("#intake button")
    assert "R1-03" in s.flash()
    expect(page.locator("main")).to_contain_text(tracking)
    notes = [n for n in sim(sim_server_module, "GET", "/api/v1/sim/notifications") if n["tracking_number"] == tracking]
    code = notes[-1]["pickup_code"]
    page.fill("#handover-code input[name=code]", code)
    page.click("#handover-code button")
    assert "R1-03" in s.flash()
    s.goto(f"/parcels?q={tracking}")
    expect(page.locator("table.data")).to_contain_text("已取")


def test_add_a_follow_up_to_a_parcel(staff: Any, sim_server_module: Any) -> None:
    s = staff()
    s.login()
    page = s.goto("/parcels?lang=en")
    page.locator("table.data tbody a").first.click()
    form = page.locator("#follow-up")
    if form.count() == 0:
        pytest.skip("the tracking component is not running in this build")
    form.locator("select[name=channel]").select_option("phone")
    form.locator("input[name=contact]").fill("SF hotline 95338")
    form.locator("textarea[name=said]").fill("Carrier says the parcel is at the local hub")
    form.locator("input[name=ticket]").fill("T-4711")
    form.locator("button").click()
    assert "Follow-up with the carrier recorded" in s.flash()
    expect(page.locator("ol.timeline")).to_contain_text("phone")
    expect(page.locator("ol.timeline")).to_contain_text("T-4711")


def test_unclaimed_parcels_reach_the_printable_notice(staff: Any, sim_server_module: Any) -> None:
    # last in this module: moves the simulated clock a month on (sessions expire, so log in after)
    sim(sim_server_module, "POST", "/api/v1/sim/clock", {"advance_seconds": 40 * 86400})
    s = staff()
    s.login()
    page = s.goto("/tasks")
    deadline = time.monotonic() + 10
    while page.locator("table.data tbody tr").count() == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(page.locator("table.data tbody tr").first).to_be_visible()
    with page.expect_popup() as popup:
        page.click("#print-notice")
    notice = popup.value
    notice.on("console", lambda m: s.errors.append(m.text) if m.type == "error" else None)
    notice.wait_for_load_state()
    deadline = time.monotonic() + 10
    while notice.locator("table.data tbody tr").count() == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
        notice.reload()
    expect(notice.locator("h1")).to_contain_text("招领公告")
    rows = notice.locator("table.data tbody tr")
    expect(rows.first).to_be_visible()
    assert "*" in rows.first.inner_text()  # tracking numbers and units are masked on the public notice
    expect(notice.locator("#print")).to_be_visible()


def test_a_chinese_sentence_with_latin_and_digits_is_drawn_in_one_font(staff: Any) -> None:
    """The trial of 2026-12-03 (docs/trial-2026-12-03.md): in "请在配置中添加 [[notify.channels]]（webhook、短信、GSM
    模块或邮件）" and "更新于: 2026-12-03 14:04" the Latin letters and digits were a size larger than the Chinese:
    the console's font stack began with system-ui (DejaVu Sans here), the Chinese fell back to another font. The
    fonts Chromium used for the text are read from DevTools (CSS.getPlatformFontsForNode)."""
    s = staff()
    s.login()
    page = s.goto("/parcels?lang=zh")
    page.locator("table a[href^='/parcels/']").first.click()
    line = page.locator("ol.timeline li").first  # "<b>已入柜</b> 员工 staff 货架位: R1-03": one text node
    expect(line).to_contain_text(re.compile(r"[A-Z][0-9]?-\d\d"))  # a door or a shelf (R1-03)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "ol.timeline li"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert len({f["familyName"] for f in fonts}) == 1, (line.inner_text(), fonts)
