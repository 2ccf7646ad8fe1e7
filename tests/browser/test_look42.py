"""What helper look42 found looking at every kiosk screen (docs/trials/look-2026-12-08.md), in Debian's Chromium.

- After a cancelled deposit, the waybill screen's notice (take the parcel, or to the desk with its place and hours)
  pushed the letter keyboard off the screen: its last row 27 px below an 800x480 screen in English, 34-220 px below
  a 1080x1920 one in every language.
- The cancel's screen said "A-03 号柜门已重新打开" / "is open again" about a door the courier had never closed.

The walk runs at a Hong Kong site (繁體, English, 简体) so that each screen is measured in the three languages the
switch offers; it fails on any browser-side error (tests/browser/test_kiosk_flows.py Kiosk).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.screen_walk import MEASURE_JS
from tests.browser.tab import BrowserTab, unbroken
from tests.browser.test_hant40_zh_hk import hk_kiosk, hk_sim, simplified_left  # noqa: F401 - fixtures
from tests.browser.test_kiosk_flows import (
    LAYOUT_JS,
    PORTRAIT,
    SMALL,
    Kiosk,
    _factory,
    close_door,
    give_recipient,
    login,
    to_sizes,
    wait_door,
)
from tests.conftest import REPO, SimServer, sim_from_config

DESKTOP = {"width": 1366, "height": 768}

pytestmark = pytest.mark.browser


def problems_in_every_language(k: Kiosk) -> list[str]:
    """MEASURE_JS (nothing off screen, scrolling or overlapping) and LAYOUT_JS (touch size, contrast) of the screen
    shown, at 800x480 and 1080x1920, in each language of the switch (it cycles back to the first)."""
    page = k.page
    found: list[str] = []
    for vp in (SMALL, PORTRAIT):
        page.set_viewport_size(vp)
        first = page.evaluate("document.documentElement.lang")
        for _ in range(3):
            lang = page.evaluate("document.documentElement.lang")
            page.wait_for_timeout(100)
            bad = page.evaluate(MEASURE_JS)["bad"] + page.evaluate(LAYOUT_JS)
            found += [f"{lang} {vp['width']}x{vp['height']}: {b}" for b in bad]
            k.tid("lang-switch").click()
            if page.evaluate("document.documentElement.lang") == first:
                break
    page.set_viewport_size(SMALL)
    return found


def test_after_a_cancel_the_notice_and_the_whole_keyboard_fit_and_no_door_is_said_to_reopen(
        hk_kiosk: Any, hk_sim: SimServer) -> None:  # noqa: F811
    server = hk_sim
    k = hk_kiosk(SMALL)
    k.allow(422)  # "no pre-registration: give the recipient" is a 422 the screen turns into a question
    page = k.open()
    expect(page.locator("html")).to_have_attribute("lang", "zh-HK")
    login(k, "100002")
    to_sizes(k, "ZT4200000000042")
    k.tid("open-door").click()
    give_recipient(k, "6-601", "6601")
    expect(k.tid("door-state")).to_have_text("櫃門：開着")
    c = k.tid("compartment").inner_text()
    wait_door(server, c, "open")
    k.tid("cancel").click()
    # the door was open all along: the courier is told to take the parcel back from it, not that it opened again
    title = k.tid("deposit-title")
    expect(title).to_have_text(f"請從 {c} 號格口取回包裹")
    expect(page.locator("main")).to_contain_text("投遞已取消：取出包裹後請關好櫃門")
    k.tid("lang-switch").click()
    expect(title).to_have_text(f"Take the parcel back from compartment {c}")
    k.tid("lang-switch").click()
    expect(title).to_have_text(f"请从 {c} 号格口取回包裹")
    k.tid("lang-switch").click()
    close_door(server, c)
    expect(k.tid("message")).to_contain_text("已取消運單 ZT4200000000042 的投遞")
    expect(k.tid("message")).to_contain_text("包裹室前台")
    expect(page.locator("main")).to_have_attribute("data-screen", "waybill")
    # the notice and every key of the keyboard on the screen, nothing scrolling, in 繁體, English and 简体
    found = problems_in_every_language(k)
    assert not found, "\n".join(found)
    # the keyboard still types the next waybill
    page.keyboard.type("ZT4200000000043")
    page.keyboard.press("Enter")
    expect(k.tid("tracking")).to_contain_text("ZT4200000000043")


def test_help_says_where_the_desk_is_and_when_it_is_open(hk_kiosk: Any, hk_sim: SimServer) -> None:  # noqa: F811
    """The help overlay, where someone stuck at the locker looks, gave the property's phone number only; the desk's
    place and hours were on the failure screens but not here."""
    k = hk_kiosk(SMALL)
    page = k.open()
    page.get_by_role("button", name="幫助").click()
    line = k.tid("help-desk")
    expect(line).to_contain_text("取件或投遞遇到問題，請到包裹室前台（1號樓大堂，")
    expect(line).to_contain_text(unbroken("08:00-20:00"))
    expect(line).not_to_contain_text("010")  # the phone is the contact line's
    expect(k.tid("contact")).to_have_text(unbroken("010-5555-0100"))
    found = problems_in_every_language(k)
    assert not found, "\n".join(found)
    k.tid("lang-switch").click()
    expect(line).to_contain_text("A problem collecting or delivering? Go to the parcel-room desk (Building 1 lobby,")
    k.tid("lang-switch").click()
    expect(line).to_contain_text("取件或投递遇到问题，请到包裹室前台（1号楼大堂，")


@pytest.fixture(scope="module")
def phoenix_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    """A mainland site offering 繁體 whose name and desk use characters none of lockerd's own strings carry."""
    src = (REPO / "firmware-config" / "sim.toml").read_text(encoding="utf-8")
    src = src.replace('holiday_calendar = "CN"\n', 'holiday_calendar = "CN"\nlanguages = ["zh-CN", "en", "zh-HK"]\n', 1)
    src = src.replace('name = "Sunny Gardens"', 'name = "碧桂园凤凰城"\nname_en = "Phoenix City"', 1)
    src = src.replace('desk_place = "1号楼大堂"', 'desk_place = "凤凰城会所一楼"', 1)
    assert "碧桂园凤凰城" in src and "凤凰城会所一楼" in src and "languages" in src
    yield from sim_from_config(src, tmp_path_factory.mktemp("phoenix"))


def test_a_sites_own_name_is_converted_whole_on_zh_hk_screens(browser: Browser, phoenix_sim: SimServer,
                                                               request: pytest.FixtureRequest) -> None:
    """The zh-HK table held only the characters of lockerd's own strings, so a site's name came out half converted
    ("碧桂園凤凰城": 园 is in a string of ours, 凤 is not) or not at all ("枫林苑") on every zh-HK screen."""
    server = phoenix_sim
    made, make = _factory(browser, server, request)
    try:
        k = make(SMALL)
        page = k.open()
        k.tid("lang-switch").click()
        k.tid("lang-switch").click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-HK")
        expect(page.locator("#site-name")).to_have_text("碧桂園鳳凰城")
        page.get_by_role("button", name="幫助").click()
        expect(k.tid("help-desk")).to_contain_text("鳳凰城會所一樓")
        assert simplified_left(page) == []
        staff = BrowserTab(browser, server, DESKTOP)
        try:
            staff.goto("/login?lang=zh-HK")
            staff.fill_login("admin", "admin-demo-pass")
            for path in ("/", "/parcels", "/tasks/notice"):
                staff.goto(path + "?lang=zh-HK")
                expect(staff.page.locator("html")).to_have_attribute("lang", "zh-HK")
                expect(staff.page.locator("body")).to_contain_text("碧桂園鳳凰城")
                assert simplified_left(staff.page) == [], path
        finally:
            staff.close()
    finally:
        for kk in made:
            kk.finish()
