"""The carrier report's chart on a 390 px phone (trial 2026-12-07c, point 8): drawn 520 units wide and shrunk to
the phone, its labels came out at about 9 px. It is drawn at a phone's width now and never scaled: every label,
value and legend entry is at least 12 CSS px at 390 px, none overlaps another or leaves the chart, and the page
does not scroll sideways; the same at 1280x800. Fails on any browser-side error (BrowserTab).

Pictures: LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:randomly tests/browser/test_fix39_carrier_chart.py
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser.tab import BrowserTab
from tests.browser.test_kiosk_flows import courier_token, deposit_by_api
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

SHOTS = screenshots_dir()

CHART_JS = r"""() => {
  const svg = document.querySelector(".chartbox svg.chart");
  if (!svg) return {bad: ["no chart"], smallest: 0, n: 0};
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll("text")];
  const bad = [];
  let smallest = Infinity;
  for (const t of texts) {
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    smallest = Math.min(smallest, px);
    if (px < 12) bad.push(`"${t.textContent}" is ${px.toFixed(1)} px`);
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
      bad.push(`"${t.textContent}" leaves the chart`);
  }
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++) {
      const p = texts[i].getBoundingClientRect(), q = texts[j].getBoundingClientRect();
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 0.5 && y > 0.5) bad.push(`"${texts[i].textContent}" overlaps "${texts[j].textContent}"`);
    }
  if (document.documentElement.scrollWidth > innerWidth + 1) bad.push("the page scrolls sideways");
  return {bad, smallest, n: texts.length, width: Math.round(box.width)};
}"""


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}],
                         ids=["390x844", "1280x800"])
def test_the_carrier_chart_reads_at_12_px_on_a_phone(browser: Browser, sim_server_module: Any,
                                                   viewport: dict[str, int]) -> None:
    server = sim_server_module
    token = courier_token(server)
    w = viewport["width"]
    for tn in (f"SF39{w:04d}0000001", f"JD39{w:04d}000000001", f"YT39{w:04d}0000001"):
        deposit_by_api(server, tn, "39-3902", "3902", token=token)
    tab = BrowserTab(browser, server, viewport)
    try:
        tab.goto("/login")
        tab.fill_login("admin", "admin-demo-pass")
        found = {}
        for lang in ("zh", "en"):
            tab.goto(f"/reports/carriers?days=30&lang={lang}")
            found[lang] = tab.page.evaluate(CHART_JS)
            if SHOTS is not None:
                (SHOTS / "fix39").mkdir(parents=True, exist_ok=True)
                tab.page.locator(".chartbox").screenshot(
                    path=str(SHOTS / "fix39" / f"console-carrier-chart-{lang}-{viewport['width']}x{viewport['height']}.png"))
        print(f"\nFIX39_CHART {viewport['width']} " + " ".join(
            f"{lang}: {g['n']} texts, smallest {g['smallest']:.1f} px, {g.get('width')} px wide" for lang, g in found.items()))
        assert not found["zh"]["bad"] and not found["en"]["bad"], found
        assert found["zh"]["n"] >= 6, found  # title, carriers, values, legend
    finally:
        tab.close()
