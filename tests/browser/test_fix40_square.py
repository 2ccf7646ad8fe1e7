"""The kiosk on a 1280x1024 (5:4, a 17-inch square-ish) touch screen (trial 2026-12-07d, left): every screen sat in
the middle with the lower third empty, sized as for a wide landscape screen. The 5:4 layout (one more media query in
kiosk/static/kiosk.css, as fix39's portrait one) uses the height: each main screen's content spans at least 70% of the
screen below the bar, nothing is off the screen or scrolls, no two elements overlap, in Chinese and in English.
Fails on any browser-side error, as the other kiosk tests. Measured and walked as fix39's portrait test (tests/browser/screen_walk.py).

Pictures (docs/screenshots/fix40/, linked from docs/kiosk.md):
    LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:randomly tests/browser/test_fix40_square.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser.screen_walk import walk_main_screens
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


def test_every_main_screen_uses_the_square_screen(browser: Browser, sim_server_module: Any) -> None:
    found, problems = walk_main_screens(browser, sim_server_module, SQUARE, "fix40", 40, OUT, CLIPPED_JS)
    print("\nFIX40_SQUARE " + " ".join(f"{n}={g['fill']:.2f}/key{g['key']}/box{g['box']}" for n, g in found.items()))
    assert not problems, "\n".join(problems)
    # sized for a 17-inch screen: the keypad's keys and the code's boxes a hand and a finger wide
    assert all(g["key"] is None or g["key"] >= 90 for g in found.values()), found
    assert all(g["box"] is None or g["box"] >= 60 for g in found.values()), found
