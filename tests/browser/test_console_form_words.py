"""A Chinese console in an English browser: the form controls speak the console's language, not the browser's.

Chromium's own date picker, file button and validation bubbles follow the browser's locale: a Chinese console
opened in an English Chromium showed "mm/dd/yyyy", "12/05/2026", "Choose File / No file chosen" and "Please fill
out this field". Found in the trial of 2026-12-02 (docs/trial-2026-12-02b.md). Every test fails on a browser-side
error it did not provoke.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.tab import BrowserTab
from tests.browser.test_kiosk_flows import wait_door
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SHOTS = screenshots_dir()


@pytest.fixture
def english_browser(browser: Browser, sim_server_module: Any) -> Any:
    """A tab in an en-US Chromium, logged in to the console, which is in Chinese (the site's locale)."""
    tabs: list[BrowserTab] = []

    def make(viewport: dict[str, int] = DESKTOP) -> BrowserTab:
        tab = BrowserTab(browser, sim_server_module, viewport, locale="en-US")
        tab.goto("/login")
        tab.fill_login("admin", "admin-demo-pass")
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.close()


def _stored_parcel(server: Any, tracking: str) -> str:
    status, body = server.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100002"})
    assert status == 200, body
    token = body["token"]
    status, dep = server.api("POST", "/api/v1/kiosk/deposits",
                             {"tracking_number": tracking, "unit": "5-801", "phone_tail": "8888"},
                             headers={"authorization": f"Bearer {token}"})
    assert status == 201, dep
    wait_door(server, dep["compartment"], "open")
    server.api("POST", f"/api/v1/sim/doors/{dep['compartment']}/close")
    wait_door(server, dep["compartment"], "closed")
    return str(dep["parcel_id"])


def test_dates_are_typed_year_first_and_said_in_the_consoles_language(english_browser: Any,
                                                                      sim_server_module: Any) -> None:
    tab = english_browser()
    page = tab.goto(f"/parcels/{_stored_parcel(sim_server_module, 'ZT7300000000001')}")
    until = page.locator("input[name=until]")
    # never the browser's own picker: it said mm/dd/yyyy and 12/05/2026 on a Chinese page
    assert page.locator("input[type=date]").count() == 0
    expect(until).to_have_attribute("placeholder", "年-月-日")
    expect(until).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    says = until.locator("xpath=following-sibling::output")
    expect(says).to_have_text(re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日周.$"))  # the day it means, in Chinese

    until.fill("2026/12/9")
    expect(says).to_have_text("2026年12月9日周三")
    until.fill("12/05/2026")  # month or day first cannot be told apart: refused before it is sent
    expect(says).to_have_text("")
    assert until.evaluate("el => el.validationMessage") == "日期请按 年-月-日 填写，例如 2026-12-09"
    hold = page.locator("form[action$='/hold'] button")
    hold.click()
    expect(page).to_have_url(re.compile(r"/parcels/[^/]+$"))  # not submitted
    assert page.locator(".flash").count() == 0

    until.fill("２０２６年１２月９日")  # full-width digits, as a Chinese input method types them
    expect(says).to_have_text("2026年12月9日周三")
    hold.click()
    expect(page.locator(".flash")).to_have_text(re.compile(r"^包裹 ZT7300000000001 已保留至 2026-12-09 23:59$"))
    if SHOTS is not None:
        until.fill("2026-12-09")
        page.screenshot(path=str(SHOTS / "console-parcel-date-en-browser.png"), full_page=True)


def test_a_date_the_browser_did_not_check_is_refused_in_words(english_browser: Any, sim_server_module: Any) -> None:
    tab = english_browser()
    page = tab.goto(f"/parcels/{_stored_parcel(sim_server_module, 'ZT7300000000003')}")
    tab.allow(422)
    page.locator("input[name=until]").evaluate("el => { el.removeAttribute('data-date'); el.value = '05/12/2026'; }")
    page.evaluate("() => document.querySelectorAll('input').forEach((el) => el.setCustomValidity(''))")
    page.locator("form[action$='/hold'] button").click()
    expect(page.locator(".flash.f-error")).to_have_text("日期请按 年-月-日 填写，例如 2026-12-09（填写的是“05/12/2026”）")


def test_expected_by_file_field_and_required_fields_speak_chinese(english_browser: Any) -> None:
    tab = english_browser(PHONE)
    page = tab.goto("/expected")
    form = page.locator("form#expect")
    form.locator("button").click()  # nothing filled in
    assert form.locator("input[name=tracking_number]").evaluate("el => el.validationMessage") == "请填写此项"

    upload = page.locator("form[action='/expected/import']")
    expect(upload.locator(".file-pick")).to_have_text("选择文件")
    expect(upload.locator(".file-name")).to_have_text("没有选择文件")
    native = upload.locator("input[type=file]")
    assert native.evaluate("el => getComputedStyle(el).opacity") == "0"  # its English words never show
    upload.locator("button").click()
    assert native.evaluate("el => el.validationMessage") == "请选择文件"
    native.set_input_files({"name": "到货预登记.csv", "mimeType": "text/csv", "buffer": b"tracking_number,unit\n"})
    expect(upload.locator(".file-name")).to_have_text("到货预登记.csv")

    form.locator("input[name=tracking_number]").fill("SF7300000000002")
    form.locator("input[name=unit]").fill("3-1201")
    by = form.locator("input[name=expected_by]")
    by.fill("2026.12.20")
    expect(by.locator("xpath=following-sibling::output")).to_have_text("2026年12月20日周日")
    form.locator("button").click()
    expect(page.locator(".flash")).to_have_text("SF7300000000002: 已保存")
    expect(page.locator("table.data")).to_contain_text("2026-12-20")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    if SHOTS is not None:
        page.screenshot(path=str(SHOTS / "console-phone-expected-en-browser-390x844.png"), full_page=True)


def test_the_number_field_says_its_range_in_chinese(english_browser: Any) -> None:
    tab = english_browser()
    page = tab.goto("/reports/carriers")
    days = page.locator("input[name=days]")
    days.fill("0")
    page.locator("form.filters button").click()
    assert days.evaluate("el => el.validationMessage") == "不能小于 1"


def test_a_field_with_a_format_says_which_in_chinese(english_browser: Any) -> None:
    """The settings' reminder hours said "Please match the requested format." on a Chinese page."""
    tab = english_browser(PHONE)
    page = tab.goto("/settings")
    hours = page.locator("input[name=reminder_hours]")
    hours.fill("24, 48, 一百")
    page.locator("form.settings button").last.click()
    assert hours.evaluate("el => el.validationMessage") == "请填数字，用逗号分开，例如 24, 48"
    expect(page).to_have_url(re.compile(r"/settings$"))
    page = tab.goto("/desk")
    slot = page.locator("form#intake input[name=shelf_slot]")
    slot.fill("货架一")
    page.locator("form#intake input[name=tracking_number]").fill("SF7300000000009")
    page.locator("form#intake button").click()
    assert slot.evaluate("el => el.validationMessage") == "字母、数字和 -，例如 A-03"
