"""The kiosk on a 1080x1920 portrait touch screen (trial 2026-12-07c, point 8): every screen sat in the middle third
with the top and bottom quarters empty, a keypad and code boxes sized for a landscape 7-inch screen. The portrait
layout (one stylesheet, `@media (orientation: portrait)` in kiosk/kiosk.css) now uses the height: each main
screen's content spans at least 70% of the screen below the bar, nothing is off the screen or scrolls, and no two
elements overlap, in Chinese and in English. Fails on any browser-side error, as the other kiosk tests.

Pictures (docs/screenshots/fix39/, linked from docs/kiosk.md):
    LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:randomly tests/browser/test_fix39_portrait.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.sim_calls import locked_kiosk
from tests.browser.test_kiosk_flows import (
    PORTRAIT,
    Kiosk,
    close_door,
    courier_token,
    deposit_by_api,
    deposit_walk,
    pickup_code,
)
from tests.browser.test_pickup_fits import FITS_JS, _close_all, _ok, _open_all, _stored
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

SHOTS = screenshots_dir()
#: where the pictures go: docs/screenshots/fix39 when asked, else FIX39_SHOTS (a scratch dir) or nowhere
OUT: Path | None = (SHOTS / "fix39") if SHOTS is not None else (
    Path(os.environ["FIX39_SHOTS"]) if os.environ.get("FIX39_SHOTS") else None)
#: the share of the screen below the bar that a screen's content spans, at least
FILL = 0.70

MEASURE_JS = r"""() => {
  const main = document.querySelector("main");
  const m = main.getBoundingClientRect();
  const W = innerWidth, H = innerHeight;
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const sel = "button, h1, h2, p, .msg, .entry, .door-card, .door-id, .door-state, .lead, .hint, .courier-bar, .size, .field";
  const els = [...main.querySelectorAll(sel)].filter((el) => shown(el) && (el.textContent.trim() || el.matches(".entry")));
  const bad = [];
  let top = Infinity, bottom = -Infinity;
  const name = (el) => (el.dataset.testid || el.className || el.tagName) + " \"" + el.textContent.trim().slice(0, 16) + "\"";
  for (const el of els) {
    const r = el.getBoundingClientRect();
    top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
    if (r.left < -0.5 || r.top < m.top - 0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) bad.push(name(el) + " is off screen");
  }
  for (const el of [main, ...main.querySelectorAll("*")])  // nothing scrolls: not the screen, not a list in it
    if (el.scrollHeight > el.clientHeight + 1 && ["auto", "scroll"].includes(getComputedStyle(el).overflowY))
      bad.push(`${el.dataset.testid || el.className || el.tagName} scrolls: ${el.scrollHeight} > ${el.clientHeight}`);
  if (document.documentElement.scrollWidth > W + 1) bad.push("the page scrolls sideways");
  for (let i = 0; i < els.length; i++) {
    for (let j = i + 1; j < els.length; j++) {
      const a = els[i], b = els[j];
      if (a.contains(b) || b.contains(a)) continue;
      const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 1 && y > 1) bad.push(`${name(a)} overlaps ${name(b)} by ${Math.round(x)}x${Math.round(y)} px`);
    }
  }
  // the door's number on one line (English's font broke "B-11" after "B-" at first)
  for (const el of main.querySelectorAll(".door-id")) {
    if (!shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) bad.push(`door number "${el.textContent}" breaks over ${lines.size} lines`);
  }
  const key = document.querySelector("main .pad-digits [data-testid=key-1]");
  const box = document.querySelector("main [data-testid=code] .box");
  return {fill: (bottom - top) / m.height, top: Math.round(top - m.top), bottom: Math.round(m.bottom - bottom), bad,
          key: key && shown(key) ? Math.round(key.getBoundingClientRect().height) : null,
          box: box && shown(box) ? Math.round(box.getBoundingClientRect().width) : null};
}"""


class Walk:
    """Measures each screen it is shown in both languages and pictures it when asked."""

    def __init__(self, k: Kiosk) -> None:
        self.k = k
        self.found: dict[str, dict[str, Any]] = {}

    def check(self, name: str) -> None:
        page = self.k.page
        for lang in ("zh", "en"):
            page.wait_for_timeout(150)  # a transition or a poll settles
            got = page.evaluate(MEASURE_JS)
            self.found[f"{name}-{lang}"] = got
            if OUT is not None:
                OUT.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUT / f"kiosk-{name}-{lang}-1080x1920.png"))
            self.k.tid("lang-switch").click()
        self.k.layout()  # 48 px targets, contrast (the kiosk tests' own check)

    def verdict(self) -> list[str]:
        out = []
        for name, got in self.found.items():
            if got["fill"] < FILL:
                out.append(f"{name}: content spans {got['fill']:.0%} of the height (top {got['top']} px, "
                           f"bottom {got['bottom']} px empty)")
            out += [f"{name}: {b}" for b in got["bad"]]
        return out


def test_every_main_screen_uses_the_portrait_height(browser: Browser, sim_server_module: Any) -> None:
    server = sim_server_module
    token = courier_token(server)
    c1 = deposit_by_api(server, "SF3900000000001", "39-3901", "3901", token=token)
    c2 = deposit_by_api(server, "SF3900000000002", "39-3901", "3901", token=token)
    code = pickup_code(server, "SF3900000000001")

    k = Kiosk(browser, server, PORTRAIT, "fix39-portrait")
    k.allow(422)  # the waybill is not pre-registered: the deposit asks for the recipient (as the tour does)
    walk = Walk(k)
    page = k.open()
    walk.check("home")

    steps = {"waybill": "scan", "size": "sizes"}
    deposit_walk(k, server, "JT3900000001", lambda step: walk.check(steps.get(step, step)))

    k.tid("home").click()
    k.tid("go-pickup").click()
    page.keyboard.type("1234567")
    walk.check("pickup-code")
    page.keyboard.press("Backspace")
    for _ in range(7):
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

    # the lockout: the next person walks up to a kiosk locked by five wrong codes
    locked = Kiosk(browser, server, PORTRAIT, "fix39-locked")
    locked.token = locked_kiosk(server, "k-fix39-locked")
    locked.allow(429)
    lwalk = Walk(locked)
    page = locked.open()
    expect(locked.tid("home-locked")).to_be_visible()
    lwalk.check("lockout-home")
    locked.tid("go-pickup").click()
    expect(locked.tid("key-1")).to_be_disabled()
    expect(locked.tid("message")).to_contain_text("输错次数太多")
    lwalk.check("lockout")
    locked.finish()

    found = walk.found | lwalk.found
    print("\nFIX39_PORTRAIT " + " ".join(f"{n}={g['fill']:.2f}/key{g['key']}/box{g['box']}" for n, g in found.items()))
    problems = walk.verdict() + lwalk.verdict()
    assert not problems, "\n".join(problems)
    # sized for a 1080 px wide touch screen: the keypad's keys and the code's boxes
    assert all(g["key"] is None or g["key"] >= 130 for g in found.values()), found
    assert all(g["box"] is None or g["box"] >= 70 for g in found.values()), found


def test_four_doors_one_jammed_fit_the_portrait_screen(browser: Browser, empty_sim_module: Any) -> None:
    """Four doors, the last jammed, at 1080x1920: the jam's help and its retry button lengthen one card; every card
    stays whole above "完成 / Done" with nothing scrolling (the first portrait cards grew to the tallest one and the
    jammed card ran under "Done")."""
    fits_server = empty_sim_module
    doors: list[str] = []
    code = _stored(fits_server, "2-503", "5679", 4, "SF39300000", doors)
    _ok(fits_server, "POST", f"/api/v1/sim/doors/{doors[-1]}/jam")
    tab = _open_all(browser, fits_server, PORTRAIT, code, 4, "k-fix39-jam4", opened=3)
    try:
        expect(tab.page.get_by_test_id(f"door-{doors[-1]}")).to_have_attribute("data-door", "jammed", timeout=8000)
        found = {"zh": tab.page.evaluate(FITS_JS, False)}
        tab.page.get_by_test_id("lang-switch").click()
        expect(tab.page.get_by_test_id(f"retry-{doors[-1]}")).to_have_text("Door didn't open? Try again")
        found["en"] = tab.page.evaluate(FITS_JS, False)
        if OUT is not None:
            tab.page.screenshot(path=str(OUT / "kiosk-pickup-four-jam-en-1080x1920.png"))
        assert not found["zh"]["problems"] and not found["en"]["problems"], found
        assert found["en"]["columns"] == 2, found
    finally:
        _ok(fits_server, "POST", f"/api/v1/sim/doors/{doors[-1]}/unjam")
        _close_all(fits_server, tab)
        tab.close()
