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

from tests.browser.screen_walk import walk_main_screens
from tests.browser.test_kiosk_flows import PORTRAIT
from tests.browser.test_pickup_fits import FITS_JS, _close_all, _ok, _open_all, _stored
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

SHOTS = screenshots_dir()
#: where the pictures go: docs/screenshots/fix39 when asked, else FIX39_SHOTS (a scratch dir) or nowhere
OUT: Path | None = (SHOTS / "fix39") if SHOTS is not None else (
    Path(os.environ["FIX39_SHOTS"]) if os.environ.get("FIX39_SHOTS") else None)


def test_every_main_screen_uses_the_portrait_height(browser: Browser, sim_server_module: Any) -> None:
    found, problems = walk_main_screens(browser, sim_server_module, PORTRAIT, "fix39", 39, OUT)
    print("\nFIX39_PORTRAIT " + " ".join(f"{n}={g['fill']:.2f}/key{g['key']}/box{g['box']}" for n, g in found.items()))
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
