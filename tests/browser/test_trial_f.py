"""Defects found walking every kiosk screen (800x480, 1080x1920, both languages) and every console page (zh, 390 px
and 1366x768) from `lockerd simulate`'s empty state (fix20, after docs/trial-2026-12-03b.md); each test failed
before its fix and fails on any browser-side error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_kiosk_flows import SMALL, close_door, give_recipient, kiosk, login, to_sizes

pytestmark = pytest.mark.browser

__all__ = ["kiosk"]  # the fixture, shared with test_kiosk_flows.py


def test_the_stored_screen_does_not_say_the_recipient_has_the_code(kiosk: Any) -> None:
    """The stored screen said "收件人已收到取件通知" (the recipient has received the notice) / "The recipient has been
    sent their pickup code" the moment the door closed: the message is only queued then (through HQ or a channel,
    which may be down or reach nobody), as the desk's intake now says too (docs/trial-2026-12-03b.md, 6)."""
    k = kiosk(SMALL)
    k.allow(422)  # not pre-registered: the page asks for the recipient
    k.open()
    login(k)
    to_sizes(k, "SF1650000000001")
    k.tid("open-door").click()
    give_recipient(k, "2-502", "5678")
    c = k.tid("compartment").inner_text()
    close_door(k.server, c)
    expect(k.tid("stored-title")).to_have_text(f"已存入 {c} 号格口")
    lead = k.page.locator(".screen p.lead")
    expect(lead).to_have_text("柜门已关好并锁上。取件码将发送给收件人")
    k.tid("lang-switch").click()
    expect(lead).to_have_text("The door is closed and locked. The pickup code will be sent to the recipient")
    k.finish()
