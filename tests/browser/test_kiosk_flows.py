"""The kiosk page against a real `lockerd simulate` subprocess, in Debian's Chromium.

Every test fails on a console error, an uncaught page error, a failed request or an unexpected
HTTP error status (each test names the API refusals it provokes on purpose).
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

SMALL = {"width": 800, "height": 480}
PORTRAIT = {"width": 1080, "height": 1920}
COURIER = "100001"
FAILED_RESOURCE = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


class Kiosk:
    """A kiosk page plus a record of everything that went wrong in the browser."""

    def __init__(self, browser: Browser, server: Any, viewport: dict[str, int], kiosk_id: str) -> None:
        self.server = server
        self.kiosk_id = kiosk_id
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=True)
        self.context.set_default_timeout(10_000)
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.allowed: set[int] = set()
        self.seen: set[int] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", lambda req: self.problems.append(f"request failed: {req.url} {req.failure}"))
        self.page.on("response", self._response)

    def _console(self, msg: Any) -> None:
        if msg.type not in ("error", "warning"):
            return
        m = FAILED_RESOURCE.search(msg.text)
        if m and int(m.group(1)) in self.allowed and int(m.group(1)) in self.seen:
            return  # Chromium logs every 4xx fetch; these are refusals the test asked for
        self.problems.append(f"console {msg.type}: {msg.text}")

    def _response(self, resp: Any) -> None:
        if resp.status < 400:
            return
        self.seen.add(resp.status)
        if resp.status not in self.allowed or "/api/v1/kiosk/" not in resp.url:
            self.problems.append(f"HTTP {resp.status} for {resp.url}")

    def allow(self, *statuses: int) -> None:
        self.allowed.update(statuses)

    def open(self, query: str = "") -> Page:
        self.page.goto(f"{self.server.url}/kiosk?kiosk={self.kiosk_id}{query}")
        self.page.wait_for_selector("body[data-ready]")
        self.page.wait_for_selector("body[data-stream='up']")
        return self.page

    def tid(self, testid: str) -> Any:
        return self.page.get_by_test_id(testid)

    def finish(self) -> None:
        problems = list(self.problems)
        self.context.close()
        assert not problems, "\n".join(problems)


@pytest.fixture
def kiosk(browser: Browser, sim_server: Any, request: pytest.FixtureRequest) -> Any:
    made: list[Kiosk] = []

    def make(viewport: dict[str, int] = SMALL) -> Kiosk:
        k = Kiosk(browser, sim_server, viewport, f"kiosk-{request.node.name[:20]}-{len(made)}")
        made.append(k)
        return k

    yield make
    for k in made:
        k.finish()


# --- driving the simulator through its API ---------------------------------------------------------
def ok(server: Any, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    status, data = server.api(method, path, body, **kw)
    assert status < 400, (method, path, status, data)
    return data


def courier_token(server: Any, code: str = "100002") -> str:
    return str(ok(server, "POST", "/api/v1/kiosk/courier/session", {"courier_code": code})["token"])


def wait_door(server: Any, compartment: str, want: str, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doors = ok(server, "GET", "/api/v1/sim/doors")
        if next(d for d in doors if d["compartment"] == compartment)["door"] == want:
            return
        time.sleep(0.05)
    raise AssertionError(f"door {compartment} never {want}")


def close_door(server: Any, compartment: str) -> None:
    wait_door(server, compartment, "open")
    ok(server, "POST", f"/api/v1/sim/doors/{compartment}/close")


def deposit_by_api(server: Any, tracking: str, unit: str, tail: str, size: str = "S", token: str | None = None) -> str:
    """A parcel stored the way another courier would: returns its compartment."""
    token = token or courier_token(server)
    auth = {"Authorization": "Bearer " + token}
    dep = ok(server, "POST", "/api/v1/kiosk/deposits",
             {"tracking_number": tracking, "unit": unit, "phone_tail": tail, "size": size}, headers=auth)
    close_door(server, dep["compartment"])
    deadline = time.monotonic() + 5
    while ok(server, "GET", f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=auth)["state"] != "stored":
        assert time.monotonic() < deadline, "deposit never stored"
        time.sleep(0.05)
    return str(dep["compartment"])


def pickup_code(server: Any, tracking: str) -> str:
    for n in ok(server, "GET", "/api/v1/sim/notifications"):
        if n["tracking_number"] == tracking and n["pickup_code"]:
            return str(n["pickup_code"])
    raise AssertionError(f"no pickup code sent for {tracking}")


def sim_scan(server: Any, text: str) -> None:
    ok(server, "POST", "/api/v1/sim/scan", {"text": text})


# --- residents -------------------------------------------------------------------------------------
def test_resident_collects_with_the_keypad_in_chinese(kiosk: Any, sim_server: Any) -> None:
    c = deposit_by_api(sim_server, "SF5550001112223", "1-101", "1234")
    code = pickup_code(sim_server, "SF5550001112223")
    k = kiosk(SMALL)
    page = k.open()
    expect(page.locator("h1")).to_have_text("欢迎使用智能快递柜")
    k.tid("go-pickup").click()
    expect(page.locator("h1")).to_have_text("请输入取件码")
    expect(k.tid("submit")).to_be_disabled()
    for digit in code:
        k.tid(f"key-{digit}").click()
    expect(k.tid("code")).to_have_attribute("data-value", code)
    k.tid("submit").click()

    card = k.tid(f"door-{c}")
    expect(k.tid("open-title")).to_have_text(f"{c} 号柜门已打开")
    expect(card).to_have_attribute("data-door", "open")
    expect(card).to_contain_text("取件后请推紧柜门")
    wait_door(sim_server, c, "open")
    ok(sim_server, "POST", f"/api/v1/sim/doors/{c}/close")
    expect(card).to_have_attribute("data-door", "closed")
    expect(card).to_contain_text("已关好并锁上，格口已释放")
    expect(k.tid("open-title")).to_have_text("柜门已关好，取件完成")


def test_resident_types_the_code_with_no_tap_and_several_parcels_open_together(kiosk: Any, sim_server: Any) -> None:
    """A keyboard-wedge scanner types the code and Enter on the start screen; English, portrait."""
    token = courier_token(sim_server)
    c1 = deposit_by_api(sim_server, "ZT1000000000001", "2-502", "5678", token=token)
    c2 = deposit_by_api(sim_server, "ZT1000000000002", "2-502", "5678", token=token)
    code = pickup_code(sim_server, "ZT1000000000001")
    assert pickup_code(sim_server, "ZT1000000000002") == code  # one code for the unit's parcels

    k = kiosk(PORTRAIT)
    page = k.open()
    k.tid("lang-switch").click()
    expect(page.locator("h1")).to_have_text("Parcel lockers")
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")
    title = k.tid("open-title")
    expect(title).to_have_text(re.compile(r"^2 compartments are open: "))
    expect(title).to_contain_text(c1)
    expect(title).to_contain_text(c2)
    ok(sim_server, "POST", f"/api/v1/sim/doors/{c1}/close")
    expect(k.tid(f"door-{c1}")).to_have_attribute("data-door", "closed")
    expect(k.tid(f"door-{c2}")).to_have_attribute("data-door", "open")
    expect(title).to_contain_text("are open")  # one door still open: not finished yet
    ok(sim_server, "POST", f"/api/v1/sim/doors/{c2}/close")
    expect(title).to_have_text("Doors closed: you are done")
    expect(k.tid(f"door-{c2}")).to_contain_text("Closed and locked: compartment released")


def test_a_serial_scanner_code_on_the_start_screen_opens_the_door(kiosk: Any, sim_server: Any) -> None:
    c = deposit_by_api(sim_server, "JD7000000000001", "5-801", "8888")
    code = pickup_code(sim_server, "JD7000000000001")
    k = kiosk(SMALL)
    k.open()
    sim_scan(sim_server, code)
    expect(k.tid("open-title")).to_have_text(f"{c} 号柜门已打开")


def test_wrong_codes_count_down_then_the_kiosk_locks(kiosk: Any, sim_server: Any) -> None:
    k = kiosk(SMALL)
    k.allow(404, 429)
    page = k.open("&lang=en")
    expect(page.locator("h1")).to_have_text("Parcel lockers")
    k.tid("go-pickup").click()
    msg = k.tid("message")
    lefts: list[int] = []
    for attempt in range(12):
        page.keyboard.type(f"0000000{attempt:03d}")
        page.keyboard.press("Enter")
        expect(msg).to_have_class(re.compile("msg-error"))
        expect(msg).not_to_have_text("Please wait…")
        text = msg.inner_text()
        m = re.search(r"try (\d+) more time", text)
        if m is None:
            break
        lefts.append(int(m.group(1)))
    assert lefts and lefts == sorted(lefts, reverse=True), lefts
    expect(msg).to_contain_text("Too many wrong codes")
    expect(msg).to_contain_text(re.compile(r"wait \d+ (min|s)"))
    expect(k.tid("key-1")).to_be_disabled()
    k.tid("lang-switch").click()  # the lockout is explained in Chinese too, live
    expect(msg).to_contain_text("输错次数太多")


def test_a_code_of_the_wrong_length_is_explained_without_asking_the_locker(kiosk: Any, sim_server: Any) -> None:
    k = kiosk(SMALL)
    page = k.open()
    k.tid("go-pickup").click()
    page.keyboard.type("123")
    k.tid("submit").click()
    expect(k.tid("message")).to_have_text("取件码是 10 位，请检查后再输入")


# --- couriers --------------------------------------------------------------------------------------
def login(k: Kiosk, code: str = COURIER) -> None:
    k.tid("go-courier").click()
    for digit in code:
        k.tid(f"key-{digit}").click()
    k.tid("submit").click()
    expect(k.tid("waybill")).to_be_visible()


def test_courier_deposits_a_scanned_waybill_then_the_next_without_signing_in(kiosk: Any, sim_server: Any) -> None:
    k = kiosk(SMALL)
    k.allow(422)  # the waybill is not pre-registered: the page asks for the recipient
    page = k.open()
    login(k)
    expect(k.tid("courier-name")).to_contain_text("SF Express")

    sim_scan(sim_server, "SF8800000000001")  # the serial scanner: arrives over the stream
    expect(k.tid("tracking")).to_have_text("运单号 SF8800000000001")
    expect(k.tid("size-S")).to_have_attribute("aria-pressed", "true")  # the smallest free size
    expect(k.tid("size-S")).to_contain_text("空闲 8")
    k.tid("open-door").click()
    expect(page.locator("h1")).to_have_text("这个运单没有预登记")
    for ch in "2-502":
        k.tid(f"key-{ch}").click()
    k.tid("field-tail").click()
    for ch in "5678":
        k.tid(f"key-{ch}").click()
    k.tid("open-door").click()

    title = k.tid("deposit-title")
    expect(title).to_have_text(re.compile(r"^[A-Z]-\d+ 号柜门已打开$"))
    c = k.tid("compartment").inner_text()
    expect(k.tid("door-state")).to_have_text("柜门：开着")
    close_door(sim_server, c)
    expect(k.tid("stored-title")).to_have_text(f"已存入 {c} 号格口")
    expect(page.locator("main")).to_contain_text("柜门已关好并锁上")
    code = pickup_code(sim_server, "SF8800000000001")
    assert code not in page.content()  # the courier never sees the resident's code

    # next parcel: a keyboard-wedge scanner types the waybill straight into the done screen
    page.keyboard.type("zt8800000000002")
    page.keyboard.press("Enter")
    expect(k.tid("tracking")).to_have_text("运单号 ZT8800000000002")
    k.tid("open-door").click()
    expect(k.tid("unit")).to_be_visible()
    page.keyboard.type("1-101")
    page.keyboard.press("Enter")  # moves to the phone digits
    page.keyboard.type("1234")
    page.keyboard.press("Enter")
    expect(title).to_be_visible()
    c2 = k.tid("compartment").inner_text()
    assert c2 != c

    close_door(sim_server, c2)
    expect(k.tid("stored-title")).to_have_text(f"已存入 {c2} 号格口")
    k.tid("next-parcel").click()
    page.keyboard.type("YT8800000000003")
    page.keyboard.press("Enter")
    k.tid("open-door").click()
    expect(k.tid("unit")).to_be_visible()
    page.keyboard.type("5-801")
    page.keyboard.press("Enter")
    page.keyboard.type("8888")
    k.tid("open-door").click()
    expect(title).to_be_visible()
    c3 = k.tid("compartment").inner_text()
    wait_door(sim_server, c3, "open")
    # cancel: the door opens again (or stays open), the courier takes the parcel back and closes it
    k.tid("cancel").click()
    expect(title).to_have_text(f"{c3} 号柜门已重新打开")
    expect(page.locator("main")).to_contain_text("请取回包裹并关好柜门")
    time.sleep(0.2)
    ok(sim_server, "POST", f"/api/v1/sim/doors/{c3}/close")
    expect(k.tid("message")).to_have_text("已取消运单 YT8800000000003 的投递，包裹已取回")
    expect(k.tid("waybill")).to_be_visible()  # still signed in
    k.tid("sign-out").click()
    expect(k.tid("go-courier")).to_be_visible()
