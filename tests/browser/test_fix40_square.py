"""The kiosk on a 1280x1024 (5:4, a 17-inch square-ish) touch screen (trial 2026-12-07d, left): every screen sat in
the middle with the lower third empty, sized as for a wide landscape screen. The 5:4 layout (one more media query in
kiosk/static/kiosk.css, as fix39's portrait one) uses the height: each main screen's content spans at least 70% of the
screen below the bar, nothing is off the screen or scrolls, no two elements overlap, in Chinese and in English.
Fails on any browser-side error, as the other kiosk tests. Measured with fix39's portrait check (MEASURE_JS).

Pictures (docs/screenshots/fix40/, linked from docs/kiosk.md):
    LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:randomly tests/browser/test_fix40_square.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.sim_calls import locked_kiosk
from tests.browser.test_fix39_portrait import FILL, MEASURE_JS
from tests.browser.test_kiosk_flows import (
    Kiosk,
    close_door,
    courier_token,
    deposit_by_api,
    deposit_walk,
    pickup_code,
)
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

SQUARE = {"width": 1280, "height": 1024}
SHOTS = screenshots_dir()
OUT: Path | None = (SHOTS / "fix40") if SHOTS is not None else (
    Path(os.environ["FIX40_SHOTS"]) if os.environ.get("FIX40_SHOTS") else None)


#: the code's boxes inside their entry, headings inside their column (the tenth box and "Compartment" were cut)
CLIPPED_JS = r"""() => {
  const bad = [];
  for (const entry of document.querySelectorAll("main .entry-code")) {
    const e = entry.getBoundingClientRect();
    for (const b of entry.querySelectorAll(".box"))
      if (b.getBoundingClientRect().right > e.right + 0.5) bad.push("a code box is cut off at the entry's right");
  }
  for (const el of document.querySelectorAll("main h1, main .lead"))
    if (el.checkVisibility() && el.scrollWidth > el.clientWidth + 1) bad.push(`"${el.textContent.slice(0, 20)}" is cut off`);
  return bad;
}"""


class Walk:
    """Measures each screen it is shown in both languages and pictures it when asked."""

    def __init__(self, k: Kiosk) -> None:
        self.k = k
        self.found: dict[str, dict[str, Any]] = {}

    def check(self, name: str) -> None:
        page = self.k.page
        for lang in ("zh", "en"):
            page.wait_for_timeout(150)
            got = page.evaluate(MEASURE_JS)
            got["bad"] += page.evaluate(CLIPPED_JS)
            self.found[f"{name}-{lang}"] = got
            if OUT is not None:
                OUT.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUT / f"kiosk-{name}-{lang}-1280x1024.png"))
            self.k.tid("lang-switch").click()
        self.k.layout()

    def verdict(self) -> list[str]:
        out = []
        for name, got in self.found.items():
            if got["fill"] < FILL:
                out.append(f"{name}: content spans {got['fill']:.0%} of the height (top {got['top']} px, "
                           f"bottom {got['bottom']} px empty)")
            out += [f"{name}: {b}" for b in got["bad"]]
        return out


def test_every_main_screen_uses_the_square_screen(browser: Browser, sim_server_module: Any) -> None:
    server = sim_server_module
    token = courier_token(server)
    c1 = deposit_by_api(server, "SF4000000000001", "40-4001", "4001", token=token)
    c2 = deposit_by_api(server, "SF4000000000002", "40-4001", "4001", token=token)
    code = pickup_code(server, "SF4000000000001")

    k = Kiosk(browser, server, SQUARE, "fix40-square")
    k.allow(422)
    walk = Walk(k)
    page = k.open()
    walk.check("home")

    steps = {"waybill": "scan", "size": "sizes"}
    deposit_walk(k, server, "JT4000000001", lambda step: walk.check(steps.get(step, step)))

    k.tid("home").click()
    k.tid("go-pickup").click()
    page.keyboard.type("1234567")
    walk.check("pickup-code")
    for _ in range(8):
        page.keyboard.press("Backspace")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(k.tid("open-title")).to_contain_text("2 个柜门已打开")
    expect(k.tid(f"door-{c1}")).to_have_attribute("data-door", "open")
    expect(k.tid(f"door-{c2}")).to_have_attribute("data-door", "open")
    walk.check("pickup-open")
    close_door(server, c1)
    close_door(server, c2)
    expect(k.tid("open-title")).to_have_text("柜门已关好，取件完成")
    k.finish()

    locked = Kiosk(browser, server, SQUARE, "fix40-locked")
    locked.token = locked_kiosk(server, "k-fix40-locked")
    locked.allow(429)
    lwalk = Walk(locked)
    page = locked.open()
    expect(locked.tid("home-locked")).to_be_visible()
    lwalk.check("lockout-home")
    locked.tid("go-pickup").click()
    expect(locked.tid("key-1")).to_be_disabled()
    lwalk.check("lockout")
    locked.finish()

    found = walk.found | lwalk.found
    print("\nFIX40_SQUARE " + " ".join(f"{n}={g['fill']:.2f}/key{g['key']}/box{g['box']}" for n, g in found.items()))
    problems = walk.verdict() + lwalk.verdict()
    assert not problems, "\n".join(problems)
    # sized for a 17-inch screen: the keypad's keys and the code's boxes a hand and a finger wide
    assert all(g["key"] is None or g["key"] >= 90 for g in found.values()), found
    assert all(g["box"] is None or g["box"] >= 60 for g in found.values()), found
