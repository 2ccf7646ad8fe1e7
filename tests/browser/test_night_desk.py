"""At night the desk is closed, and every message that sends someone to it says so ("closed now, opens at 08:00"). At
800x480 that longer English message pushed the recipient screen's last keyboard row (Z-M, Delete) 13 px off the
screen: test_trial26's consent test failed whenever the suite ran after 20:00 Beijing time. Here the site's clock is
moved to 22:30 first, so the night is always tested."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import test_trial26
from tests.browser.test_kiosk_flows import SMALL

pytestmark = pytest.mark.browser
#: test_trial26's fixtures: this module gets its own module-scoped copy of that site and its kiosk factory
own_site = test_trial26.own_site
kiosk = test_trial26.kiosk
TZ = ZoneInfo("Asia/Shanghai")  # the sim profile's site time zone


@pytest.fixture(scope="module", autouse=True)
def night(own_site: Any) -> None:
    """This module's own copy of test_trial26's site (units 3-201, and 3-204 without locker consent), its clock moved
    to the next 22:30 at the site before any test."""
    status, body = own_site.api("GET", "/api/v1/sim/clock")
    assert status == 200, body
    now = datetime.fromisoformat(body["now"].replace("Z", "+00:00")).astimezone(TZ)
    at = now.replace(hour=22, minute=30, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    status, body = own_site.api("POST", "/api/v1/sim/clock", {"advance_seconds": (at - now).total_seconds()})
    assert status == 200, body


@pytest.mark.parametrize(("lang", "closed"), [("zh", "现在未开放，08:00 开门"), ("en", "closed now, opens at 08:00")])
def test_the_closed_desk_message_leaves_the_keyboard_on_the_screen(kiosk: Any, lang: str, closed: str) -> None:
    k = test_trial26.deposit_for_unit_without_consent(kiosk(SMALL), lang, f"JD00123456789{'11' if lang == 'zh' else '12'}")
    expect(k.tid("message")).to_contain_text(closed)
    k.layout()  # every key 48 px or more and on the screen (k.finish() fails on what it found)
