"""Defects found in docs/trial-2026-12-07g.md (a year of maintenance on the Modbus relay profile), in Debian's
Chromium; each test failed before its fix and fails on any browser-side error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.canned import refused_pickup
from tests.browser.test_kiosk_flows import SMALL
from tests.browser.test_kiosk_flows import kiosk as kiosk  # the fixture, a kiosk on the module's simulator

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_parcel_in_a_retired_door_sends_the_resident_to_the_desk(kiosk: Any, lang: str) -> None:
    """A-16 was taken out of site.toml (a compartment retired) while a parcel was in it: the resident's code got
    404 compartment_unknown and the Chinese kiosk said, in English, "no lock bank drives A-16", with no next step."""
    k = kiosk(SMALL)
    said = {"zh": "您的包裹所在的格口已经停用，这里打不开。请到包裹室前台取件",
            "en": "The door your parcel is in has been taken out of service"}[lang]
    with refused_pickup(k, lang, "3639684405", 404, "compartment_unknown", "no lock bank drives A-16"):
        expect(k.page.locator("main")).to_contain_text(said)
        expect(k.page.locator("main")).not_to_contain_text("no lock bank")
    k.finish()
