"""The walk of the kiosk's main screens at one screen size (fix39's portrait and fix40's 5:4 tests): home, the
courier's deposit, the pickup code, two doors open, the lockout, each measured in Chinese and English (MEASURE_JS:
the share of the height the content spans, nothing off screen, scrolling or overlapping) and pictured when asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.sim_calls import locked_kiosk
from tests.browser.test_kiosk_flows import (
    Kiosk,
    close_door,
    courier_token,
    deposit_by_api,
    deposit_walk,
    pickup_code,
)

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
    """Measures each screen it is shown in both languages (MEASURE_JS, and ``extra_js`` when given) and pictures it
    as ``kiosk-<screen>-<lang>-<size>.png`` in ``out`` when asked."""

    def __init__(self, k: Kiosk, out: Path | None, size: str, extra_js: str | None = None) -> None:
        self.k, self.out, self.size, self.extra_js = k, out, size, extra_js
        self.found: dict[str, dict[str, Any]] = {}

    def check(self, name: str) -> None:
        page = self.k.page
        for lang in ("zh", "en"):
            page.wait_for_timeout(150)  # a transition or a poll settles
            got = page.evaluate(MEASURE_JS)
            if self.extra_js is not None:
                got["bad"] += page.evaluate(self.extra_js)
            self.found[f"{name}-{lang}"] = got
            if self.out is not None:
                self.out.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(self.out / f"kiosk-{name}-{lang}-{self.size}.png"))
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


def walk_main_screens(browser: Browser, server: Any, viewport: dict[str, int], tag: str, n: int, out: Path | None,
                      extra_js: str | None = None) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Walks every main screen at ``viewport`` (two parcels for one resident, waybills numbered by ``n``; the kiosks
    named ``<tag>-…``), returns what was measured per screen and language, and the problems found."""
    size = f"{viewport['width']}x{viewport['height']}"
    token = courier_token(server)
    c1 = deposit_by_api(server, f"SF{n}00000000001", f"{n}-{n}01", f"{n}01", token=token)
    c2 = deposit_by_api(server, f"SF{n}00000000002", f"{n}-{n}01", f"{n}01", token=token)
    code = pickup_code(server, f"SF{n}00000000001")

    k = Kiosk(browser, server, viewport, f"{tag}-main")
    k.allow(422)  # the waybill is not pre-registered: the deposit asks for the recipient (as the tour does)
    walk = Walk(k, out, size, extra_js)
    page = k.open()
    walk.check("home")

    steps = {"waybill": "scan", "size": "sizes"}
    deposit_walk(k, server, f"JT{n}00000001", lambda step: walk.check(steps.get(step, step)))

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

    # the lockout: the next person walks up to a kiosk locked by five wrong codes
    locked = Kiosk(browser, server, viewport, f"{tag}-locked")
    locked.token = locked_kiosk(server, f"k-{tag}-locked")
    locked.allow(429)
    lwalk = Walk(locked, out, size, extra_js)
    page = locked.open()
    expect(locked.tid("home-locked")).to_be_visible()
    lwalk.check("lockout-home")
    locked.tid("go-pickup").click()
    expect(locked.tid("key-1")).to_be_disabled()
    expect(locked.tid("message")).to_contain_text("输错次数太多")
    lwalk.check("lockout")
    locked.finish()
    return walk.found | lwalk.found, walk.verdict() + lwalk.verdict()
