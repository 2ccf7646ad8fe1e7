"""繁體中文 (zh-HK) at a Hong Kong site, in Debian's Chromium (docs/decisions/0050-zh-hk-by-conversion.md): the kiosk's
home, pickup code, pickup open and deposit screens and the console's dashboard and parcels, each failing on a
browser-side error and on any simplified-only character in the page's text. Screenshots: docs/screenshots/hant40/
(LOCKERD_SCREENSHOTS=1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_console import Staff
from tests.browser.test_kiosk_flows import (
    SMALL,
    _factory,
    close_door,
    deposit_by_api,
    login,
    pickup_code,
)
from tests.conftest import SimServer, sim_from_config
from tests.i18n.test_hant_table import SIMPLIFIED_ONLY
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
_shots = screenshots_dir()
SHOTS: Path | None = (_shots / "hant40") if _shots is not None else None
if SHOTS is not None:
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def hk_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    """The simulator's site as a Hong Kong property: 繁體中文 first, then English and 简体."""
    src = (REPO / "firmware-config" / "sim.toml").read_text(encoding="utf-8")
    site = ('timezone = "Asia/Hong_Kong"\nlocale = "zh-CN"\nholiday_calendar = "HK"\n'
            'languages = ["zh-HK", "en", "zh-CN"]\n')
    src = re.sub(r'timezone = "Asia/Shanghai"\nlocale = "zh-CN"\nholiday_calendar = "CN"\n', site, src, count=1)
    src = src.replace('name = "Sunny Gardens"', 'name = "阳光花园"\nname_en = "Sunny Gardens"', 1)
    assert "Asia/Hong_Kong" in src
    yield from sim_from_config(src, tmp_path_factory.mktemp("hk"))


#: names people typed (the demo's courier 王师傅), shown as typed, and the language switch's 简体 (each language
#: named in its own script): not lockerd's words in a zh-HK text
TYPED = ("王师傅", "简体")


def simplified_left(page: Any) -> list[str]:
    text = page.evaluate("() => document.body.innerText + ' ' + document.title")
    for name in TYPED:
        text = text.replace(name, "")
    return sorted({c for c in text if c in SIMPLIFIED_ONLY})


def shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        page.wait_for_timeout(150)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture
def hk_kiosk(browser: Browser, hk_sim: SimServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    made, make = _factory(browser, hk_sim, request)
    yield make
    for k in made:
        k.finish()


def test_the_kiosk_in_traditional_chinese_home_pickup_code_and_open(hk_kiosk: Any, hk_sim: SimServer) -> None:
    server = hk_sim
    c = deposit_by_api(server, "SF6660001112223", "6-601", "6601")
    code = pickup_code(server, "SF6660001112223")
    k = hk_kiosk(SMALL)
    page = k.open()
    expect(page.locator("html")).to_have_attribute("lang", "zh-HK")
    expect(page.locator("h1")).to_have_text("歡迎使用智能速遞櫃")
    expect(page.locator("#site-name")).to_have_text("陽光花園")
    expect(k.tid("lang-switch")).to_have_text("English")  # then 简体, then back to 繁體
    assert simplified_left(page) == []
    k.layout()
    shot(page, "kiosk-home-zh-HK-800x480")

    k.tid("go-pickup").click()
    expect(page.locator("h1")).to_have_text("請輸入取件碼")
    for digit in code:
        k.tid(f"key-{digit}").click()
    assert simplified_left(page) == []
    k.layout()
    shot(page, "kiosk-pickup-code-zh-HK-800x480")
    k.tid("submit").click()
    expect(k.tid("open-title")).to_have_text(f"{c} 號櫃門已打開")
    expect(k.tid(f"door-{c}")).to_contain_text("取件後請推緊櫃門")
    assert simplified_left(page) == []
    k.layout()
    shot(page, "kiosk-pickup-open-zh-HK-800x480")
    close_door(server, c)
    expect(k.tid("open-title")).to_have_text("櫃門已關好，取件完成")
    assert simplified_left(page) == []

    # the switch goes round the site's three languages and back
    k.tid("lang-switch").click()
    expect(k.tid("lang-switch")).to_have_text("简体")
    k.tid("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(k.tid("lang-switch")).to_have_text("繁體")
    k.tid("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-HK")


def test_a_courier_deposits_in_traditional_chinese(hk_kiosk: Any, hk_sim: SimServer) -> None:
    server = hk_sim
    k = hk_kiosk(SMALL)
    k.allow(422)  # not pre-registered: the page asks for the recipient
    page = k.open()
    login(k)
    expect(k.tid("courier-name")).to_contain_text("順豐速運")
    page.keyboard.type("SF6660000000009")
    page.keyboard.press("Enter")
    expect(k.tid("tracking")).to_have_text("運單號 SF6660000000009")
    assert simplified_left(page) == []
    shot(page, "kiosk-deposit-waybill-zh-HK-800x480")
    k.tid("open-door").click()
    expect(k.tid("unit")).to_be_visible()
    page.keyboard.type("1-101")
    page.keyboard.press("Enter")
    page.keyboard.type("1234")
    page.keyboard.press("Enter")
    title = k.tid("deposit-title")
    expect(title).to_have_text(re.compile(r"^[A-Z]-\d+ 號櫃門已打開$"))
    c = k.tid("compartment").inner_text()
    assert simplified_left(page) == []
    k.layout()
    shot(page, "kiosk-deposit-door-zh-HK-800x480")
    close_door(server, c)
    expect(k.tid("stored-title")).to_have_text(f"已存入 {c} 號格口")
    assert simplified_left(page) == []
    shot(page, "kiosk-deposit-stored-zh-HK-800x480")


@pytest.mark.parametrize("path", ["/", "/parcels"])
def test_the_console_in_traditional_chinese(browser: Browser, hk_sim: SimServer, path: str) -> None:
    tracking = "JD666000000000" + ("1" if path == "/" else "2")
    deposit_by_api(hk_sim, tracking, "2-502", "5678")
    tab = Staff(browser, hk_sim, {"width": 1366, "height": 768})
    try:
        tab.login()
        p = tab.goto(path + "?lang=zh-HK")
        expect(p.locator("html")).to_have_attribute("lang", "zh-HK")
        expect(p.locator("a.lang.on")).to_have_text("繁體")
        expect(p.locator("a.lang").nth(2)).to_have_text("简体")  # each language named in its own script
        if path == "/":
            expect(p.locator("#grid .cell").first).to_be_visible()
            p.wait_for_timeout(2500)  # the live grid redraws from the JSON the server converted
        else:
            expect(p.locator("table.data")).to_contain_text(tracking)
        assert simplified_left(p) == []
        shot(p, f"console-{'dashboard' if path == '/' else 'parcels'}-zh-HK")
        # the choice is remembered: the next page without ?lang is 繁體 too (the printed public notice as well);
        # 简体 switches back
        p = tab.goto("/tasks")
        expect(p.locator("html")).to_have_attribute("lang", "zh-HK")
        p = tab.goto("/tasks/notice")
        expect(p.locator("html")).to_have_attribute("lang", "zh-HK")
        assert simplified_left(p) == []
        if path == "/":
            shot(p, "console-notice-zh-HK")
        p = tab.goto("/tasks?lang=zh")
        expect(p.locator("html")).to_have_attribute("lang", "zh-CN")
        assert simplified_left(p) != []  # the check sees simplified text where there is some
    finally:
        tab.close()
