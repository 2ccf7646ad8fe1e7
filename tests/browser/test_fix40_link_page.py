"""The page a resident opens from the pickup message's link (trial 2026-12-07d: it named neither the site nor the
doors): the site, the doors (or the desk) and until when, in the visitor's language (the phone's Accept-Language),
with nothing raw (no payload, no query, no code) on it; in Debian's Chromium at 390x844, failing on any browser-side
error. The doors and the deadline come from the link itself (the message composes it: edge/notify/dispatcher.py);
the page still reads nothing from the database.

Pictures (docs/screenshots/fix40/), only when asked:
    LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:randomly tests/browser/test_fix40_link_page.py
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from edge.notify import pickup_qr
from edge.notify.channels.base import Outgoing
from edge.notify.dispatcher import with_pickup_qr
from tests.browser.test_kiosk_flows import site_id
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

CODE = "4061234567"


def test_the_link_carries_the_doors_and_the_deadline() -> None:
    msg = Outgoing(id="m1", kind="stored", lang="en", text="Your 2 parcels are in lockers A-01 and A-05.", unit="1-101",
                   tracking_number=None, pickup_code=CODE, deadline="2026-12-09T12:00:00Z", tz="Asia/Hong_Kong",
                   parts=({"compartment": "A-01"}, {"compartment": "A-05"}, {"compartment": "A-01"}))
    got = with_pickup_qr(msg, "harbour", "https://x.cn")
    assert got.pickup_link == f"https://x.cn/p/LKP1:harbour:{CODE}?d=A-01.A-05&u=2612092000"
    desk = with_pickup_qr(Outgoing(**{**msg.__dict__, "parts": ({"shelf": ""},), "deadline": None}), "h", "https://x.cn")
    assert desk.pickup_link == f"https://x.cn/p/LKP1:h:{CODE}?k=1"
    assert pickup_qr.details("A-01.<b>.A-05", "", "2613092000") == pickup_qr.LinkDetails(("A-01", "A-05"), False, None)


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_the_link_page_names_the_site_doors_and_deadline(browser: Browser, sim_server_module: Any, locale: str) -> None:
    server = sim_server_module
    sid = site_id(server)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    shots = screenshots_dir()
    zh = locale.startswith("zh")
    try:
        url = pickup_qr.link(server.url, pickup_qr.payload(sid, CODE), doors=("A-01", "A-05"),
                             until="2026-12-09 20:00")
        page.goto(url)
        text = page.inner_text("body")
        if zh:
            for words in ("Sunny Gardens · 取件二维码", "柜门：A-01、A-05", "请在 2026年12月9日 20:00 前取件", "对准扫码口"):
                assert words in text, (words, text)
            assert "Locker" not in text and "hold this" not in text
        else:
            for words in ("Sunny Gardens · pickup QR code", "Lockers A-01 and A-05", "Collect by 9 Dec 2026 20:00",
                          "hold this QR code"):
                assert words in text, (words, text)
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        for raw in ("LKP1", CODE, sid, "d=", "u=", "2612092000"):
            assert raw not in text, raw
        assert page.locator(".qr svg").count() == 1
        if shots is not None:
            (shots / "fix40").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "fix40" / f"pickup-link-page-{locale[:2]}-390.png"), full_page=True)
        # a parcel at the desk: the desk and its place, and to show the code there
        page.goto(pickup_qr.link(server.url, pickup_qr.payload(sid, CODE), desk=True))
        text = page.inner_text("body")
        assert ("包裹室前台（1号楼大堂）" if zh else "The parcel-room desk (Building 1 lobby)") in text, text
        assert ("在前台出示" if zh else "at the desk") in text, text
        # another site's link names no site (this page does not know it) and nothing raw
        page.goto(server.url + f"/p/LKP1:not-{sid}:{CODE}")
        assert ("取件二维码" if zh else "Pickup QR code") == page.inner_text("h1")
        assert errors == [], errors
    finally:
        ctx.close()
