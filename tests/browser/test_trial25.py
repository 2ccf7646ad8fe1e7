"""What the trial of 2026-12-05 (docs/trial-2026-12-05.md) found on the kiosk and the console, in Debian's Chromium.

A site named in Chinese with an English name (`[site] name = "阳光花园"`, `name_en = "Sunny Gardens"`), as a
property writes it, on a simulator of its own.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_kiosk_flows import SMALL, Kiosk, login
from tests.conftest import launch_sim, lockerd_cmd

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def named_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    d = tmp_path_factory.mktemp("trial25")
    text = (REPO / "firmware-config" / "sim.toml").read_text()
    text = text.replace('name = "Sunny Gardens"', 'name = "阳光花园"\nname_en = "Sunny Gardens"', 1)
    assert 'name_en = "Sunny Gardens"' in text
    cfg = d / "site.toml"
    cfg.write_text(text)
    units = d / "units.csv"  # the property's own directory, so the kiosk offers units and refuses others
    units.write_text("房号,手机尾号\n1-101,1234\n1-102,1102\n5-801,8888\n", encoding="utf-8")
    subprocess.run([*lockerd_cmd(), "unit", "import", str(units), "--data-dir", str(d / "sim")], check=True,
                   capture_output=True, cwd=str(REPO))
    server = launch_sim(d / "sim", "--config", str(cfg), "--confirm-timeout", "1")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def kiosk(browser: Browser, named_site: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    made: list[Kiosk] = []

    def make(viewport: dict[str, int] = SMALL) -> Kiosk:
        k = Kiosk(browser, named_site, viewport, f"t25-{request.node.name[5:20]}-{len(made)}")
        made.append(k)
        return k

    yield make
    for k in made:
        k.finish()


def test_the_kiosk_names_the_site_in_its_language(kiosk: Any) -> None:
    """The English kiosk said 阳光花园 in its bar although the site has an English name."""
    k = kiosk(SMALL)
    page = k.open()
    bar = page.locator("#site-name")
    expect(bar).to_have_text("阳光花园")
    k.tid("lang-switch").click()
    expect(bar).to_have_text("Sunny Gardens")
    assert page.title() == "Sunny Gardens"
    k.tid("lang-switch").click()
    expect(bar).to_have_text("阳光花园")
    english = kiosk(SMALL).open("&lang=en")  # a kiosk set up in English
    expect(english.locator("#site-name")).to_have_text("Sunny Gardens")


def test_the_console_names_the_site_in_its_language(browser: Browser, named_site: Any) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    try:
        page.goto(f"{named_site.url}/login?lang=en")
        expect(page.locator("body")).to_contain_text("Sunny Gardens")
        expect(page.locator("body")).not_to_contain_text("阳光花园")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "admin-demo-pass")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/($|\?)"))
        expect(page.locator("header")).to_contain_text("Sunny Gardens")
        page.goto(f"{named_site.url}/?lang=zh")
        expect(page.locator("header")).to_contain_text("阳光花园")
        expect(page.locator("header")).not_to_contain_text("Sunny Gardens")
    finally:
        ctx.close()


KEYS_OFF_SCREEN = r"""() => [...document.querySelectorAll('[data-testid=keyboard] button, .pad-alnum button')]
  .filter((b) => { const r = b.getBoundingClientRect(); return r.width && (r.bottom > innerHeight + 0.5 || r.top < 0); })
  .map((b) => `${b.dataset.testid || b.textContent} ends at ${Math.round(b.getBoundingClientRect().bottom)} px`)"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_keyboard_stays_on_a_small_screen_while_units_are_offered(kiosk: Any, lang: str) -> None:
    """At 800x480 the units offered as the courier typed one pushed the keyboard's last row (Z-M and Delete)
    12 px below the screen, 51 px with the "not in the site's list" message."""
    k = kiosk(SMALL)
    k.allow(422)  # the waybill is not pre-registered; the unit is not in the directory
    page = k.open()
    if lang == "en":
        k.tid("lang-switch").click()
    login(k)
    page.keyboard.type("ZT2500000000001")
    page.keyboard.press("Enter")
    k.tid("open-door").click()
    expect(k.tid("unit")).to_be_visible()
    page.keyboard.type("1-10")
    expect(k.tid("unit-pick").first).to_have_text("1-101")
    assert page.evaluate(KEYS_OFF_SCREEN) == []
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    page.keyboard.type("1234")
    k.tid("open-door").click()
    expect(k.tid("message")).to_contain_text("tap one of the units beside this" if lang == "en" else "或点选旁边列出的房号")
    expect(k.tid("unit-pick").first).to_be_visible()
    assert page.evaluate(KEYS_OFF_SCREEN) == []
    k.layout()
    k.tid("unit-pick").first.click()
    expect(k.tid("unit")).to_have_text("1-101")


def _advance_to_site_hour(server: Any, hour: int) -> None:
    """Move the simulated clock forward to the next `hour`:00 at the site (Asia/Shanghai)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    status, body = server.api("GET", "/api/v1/sim/clock")
    assert status == 200, body
    now = datetime.fromisoformat(body["now"].replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Shanghai"))
    target = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    status, body = server.api("POST", "/api/v1/sim/clock", {"advance_seconds": (target - now).total_seconds()})
    assert status == 200, body


def test_the_kiosk_says_when_the_desk_it_sends_people_to_is_closed(browser: Browser, tmp_path: Path) -> None:
    """At 06:38 the kiosk sent a courier with an oversize parcel to the desk "（…，08:00-20:00，…）" without a word
    that the desk was closed; the same for every dead end that names the desk (cancel, jam, lockout, help)."""
    server = launch_sim(tmp_path / "sim", "--confirm-timeout", "1")
    try:
        made: list[Kiosk] = []
        for hour, zh, en in ((21, "；现在未开放，08:00 开门）", "; closed now, opens at 08:00)"), (9, "010-⁠5555-⁠0100）", "0100)")):
            _advance_to_site_hour(server, hour)
            k = Kiosk(browser, server, SMALL, f"t25-desk-{hour}")
            made.append(k)
            page = k.open()
            login(k)
            page.keyboard.type("SF2500000000001")
            page.keyboard.press("Enter")
            hint = k.tid("desk-hint")
            expect(hint).to_contain_text(zh)
            k.tid("lang-switch").click()
            expect(hint).to_contain_text(en)
            if hour == 9:
                expect(hint).not_to_contain_text("closed now")
                k.tid("lang-switch").click()
                expect(hint).not_to_contain_text("未开放")
        for k in made:
            k.finish()
    finally:
        server.stop()


def test_on_a_rest_day_the_kiosk_says_the_desk_is_closed_and_names_the_day_it_opens(browser: Browser,
                                                                                   tmp_path: Path) -> None:
    """fix27: on a Saturday at 10:00 the kiosk said the desk was open ("08:00-20:00" and no word more) while the
    deadlines took it as closed (ADR 0042). Now: "今天休息，12月14日（周一）08:00 开门" / "closed today, opens Monday 14
    Dec at 08:00", and the hours read "工作日 08:00-20:00" / "08:00-20:00 on working days"."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from edge.rules.calendar import WorkCalendar

    server = launch_sim(tmp_path / "sim", "--confirm-timeout", "1")
    try:
        status, body = server.api("GET", "/api/v1/sim/clock")
        assert status == 200, body
        now = datetime.fromisoformat(body["now"].replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Shanghai"))
        cal = WorkCalendar("Asia/Shanghai", "CN", "08:00-20:00")
        day = now.date() + timedelta(days=1)
        while cal.is_working_day(day):
            day += timedelta(days=1)
        target = datetime.combine(day, datetime.min.time(), now.tzinfo).replace(hour=10)
        status, body = server.api("POST", "/api/v1/sim/clock", {"advance_seconds": (target - now).total_seconds()})
        assert status == 200, body
        opens = day + timedelta(days=1)
        while not cal.is_working_day(opens):
            opens += timedelta(days=1)
        weekdays_zh = "一二三四五六日"
        zh = "工作日 08:00-20:00"
        zh_closed = f"；今天休息，{opens.month}月{opens.day}日（周{weekdays_zh[opens.weekday()]}）08:00 开门）"
        en_closed = f"; closed today, opens {opens:%A} {opens.day} {opens:%b} at 08:00)"
        k = Kiosk(browser, server, SMALL, "fix27-rest-day")
        page = k.open()
        login(k)
        page.keyboard.type("SF2500000000001")
        page.keyboard.press("Enter")
        hint = k.tid("desk-hint")
        expect(hint).to_contain_text(zh_closed)
        expect(hint).to_contain_text(zh.replace("-", "-\u2060"))
        k.tid("lang-switch").click()
        expect(hint).to_contain_text(en_closed)
        expect(hint).to_contain_text("08:00-\u206020:00 on working days")
        k.finish()
    finally:
        server.stop()


def test_the_pickup_boxes_take_no_more_digits_than_a_code_has(kiosk: Any) -> None:
    """Taps after the tenth digit were added as more boxes: 32 digits squeezed into the 10-digit row, unreadable."""
    k = kiosk(SMALL)
    page = k.open()
    k.tid("go-pickup").click()
    for d in "123456789012":
        k.tid(f"key-{d}").click()
    code = k.tid("code")
    expect(code).to_have_attribute("data-value", "1234567890")
    expect(code.locator(".box")).to_have_count(10)
    k.tid("key-Backspace").click()
    k.tid("key-7").click()
    expect(code).to_have_attribute("data-value", "1234567897")
    # a keyboard-wedge scanner's QR payload is longer than a code and still opens the doors' way (read whole)
    page.keyboard.type("LKP1:sim-site-001:0000000000")
    expect(code).to_have_attribute("data-value", "")
