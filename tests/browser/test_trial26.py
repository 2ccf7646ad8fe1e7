"""What the trial of 2026-12-07 (docs/trial-2026-12-07.md) found on the kiosk and the console, in Debian's Chromium.

A site with its own directory (one unit without locker consent) on a simulator of its own.
"""

from __future__ import annotations

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
def own_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    d = tmp_path_factory.mktemp("trial26")
    units = d / "units.csv"
    units.write_text("房号,手机尾号,同意入柜\n3-201,0001,是\n3-204,0004,否\n", encoding="utf-8")
    subprocess.run([*lockerd_cmd(), "unit", "import", str(units), "--data-dir", str(d / "sim")], check=True,
                   capture_output=True, cwd=str(REPO))
    server = launch_sim(d / "sim", "--confirm-timeout", "1")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def kiosk(browser: Browser, own_site: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    made: list[Kiosk] = []

    def make(viewport: dict[str, int] = SMALL) -> Kiosk:
        k = Kiosk(browser, own_site, viewport, f"t26-{request.node.name[5:20]}-{len(made)}")
        made.append(k)
        return k

    yield make
    for k in made:
        k.finish()


def deposit_for_unit_without_consent(k: Kiosk, lang: str, waybill: str) -> Kiosk:
    """A courier's deposit for 3-204 (no locker consent) up to the refusal, at kiosk ``k`` in ``lang``; the units
    offered as the courier types (3-201, 3-204) share the row with the message that follows."""
    k.allow(409, 422)  # the waybill is not pre-registered; the unit has not agreed to locker delivery
    page = k.open()
    if lang == "en":
        k.tid("lang-switch").click()
    login(k)
    page.keyboard.type(waybill)
    page.keyboard.press("Enter")
    k.tid("open-door").click()
    expect(k.tid("unit")).to_be_visible()
    page.keyboard.type("3-204")
    page.keyboard.press("Enter")
    page.keyboard.type("0004")
    k.tid("open-door").click()
    return k


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_without_locker_consent_is_sent_to_the_desk_with_its_place_hours_and_phone(kiosk: Any,
                                                                                           lang: str) -> None:
    """"该住户不同意快件入柜，请将包裹送到包裹室前台" named no place, hours or phone, where every other dead end of the
    courier's (the sizes, a full locker, a cancel, a fault) says where the desk is, when it is open and its number."""
    k = deposit_for_unit_without_consent(kiosk(SMALL), lang, f"JD00123456789{'01' if lang == 'zh' else '02'}")
    want = ("该住户不同意快件入柜，请将包裹送到包裹室前台（1号楼大堂，工作日 08:00-\u206020:00，010-\u20605555-\u20600100"
            if lang == "zh" else
            "please hand the parcel in at the parcel-room desk (Building 1 lobby, 08:00-\u206020:00 on working days, 010-\u20605555-")
    expect(k.tid("message")).to_contain_text(want)
    k.layout()


def test_a_door_that_did_not_open_at_pickup_says_what_to_do_in_readable_type(kiosk: Any, own_site: Any) -> None:
    """At 800x480 "A-04 号柜门打不开，已通知工作人员。请到包裹室前台领取包裹（…）" stood in 12 px type under the red door
    number: the door cards' help line is sized for four doors side by side."""
    from tests.browser.test_kiosk_flows import deposit_by_api, pickup_code

    c = deposit_by_api(own_site, "YT2600000000001", "3-201", "0001")
    code = pickup_code(own_site, "YT2600000000001")
    status, body = own_site.api("POST", f"/api/v1/sim/doors/{c}/jam", {})
    assert status == 200, body
    try:
        k = kiosk(SMALL)
        k.open()
        k.tid("go-pickup").click()
        for d in code:
            k.tid(f"key-{d}").click()
        k.tid("submit").click()
        help_line = k.page.locator(f"[data-testid='door-{c}'] .door-help")
        expect(help_line).to_contain_text("没有打开", timeout=15_000)
        size = float(help_line.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
        assert size >= 16, size
        k.layout()
    finally:
        own_site.api("POST", f"/api/v1/sim/doors/{c}/unjam", {})
