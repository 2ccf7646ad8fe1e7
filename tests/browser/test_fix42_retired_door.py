"""A retired door holding a parcel on the console's live grid (brief fix42 item 2; trial 2026-12-07g point 2, left).

A-16 was taken out of site.toml while a parcel was still in it: the daemon kept the door in its table as
`configured = 0` and the live grid, and the compartments page, left it out, so the dashboard counted 8 parcels
beside 7 occupied doors. It is shown now, marked retired, with its parcel and a plain next step (hand it over or
move it to the parcel room), in Chinese and English, at 1366x768 and on a 390 px phone, both as the server draws
the grid and as the live feed redraws it; the cell leads to the parcel, whose "move to the parcel room" records
the move without a door command (nothing drives the door). Debian's Chromium, failing on any browser-side error.
Pictures (docs/screenshots/fix42/) when asked: LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q
tests/browser/test_fix42_retired_door.py"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.tab import BrowserTab
from tests.browser.test_people import deposit, doors, ok
from tests.conftest import SimServer, launch_sim
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

TRACKING = "ZT7300000000003"
WORDS = {
    "zh": ("已拆除", "请交付或移至包裹室", "这个格口已从配置中拆除，里面还有包裹，系统打不开它"),
    "en": ("retired", "Hand over or move to the parcel room", "This door was taken out of the config with a parcel"),
}


@pytest.fixture(scope="module")
def retired(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SimServer, str]]:
    """A simulator with one parcel in a door then retired, as the daemon's start marks a door no longer in the
    config (edge/services/compartments.py sync_from_config: configured = 0, kept in the table)."""
    server = launch_sim(tmp_path_factory.mktemp("retired") / "sim", "--confirm-timeout", "1")
    try:
        door = deposit(server, TRACKING, "1-101", "1234")
        conn = sqlite3.connect(server.data_dir / "lockerd.db", timeout=10)
        with conn:
            conn.execute("UPDATE compartments SET configured = 0 WHERE id = ?", (door,))
        conn.close()
        yield server, door
    finally:
        server.stop()


def _signed_in(browser: Any, server: SimServer, size: tuple[int, int], lang: str) -> BrowserTab:
    tab = BrowserTab(browser, server, {"width": size[0], "height": size[1]}, "zh-CN" if lang == "zh" else "en-GB")
    tab.goto(f"/login?lang={lang}")
    tab.fill_login("admin", "admin-demo-pass")
    return tab


def _check_cell(tab: BrowserTab, door: str, lang: str) -> None:
    cell = tab.page.locator(f'#grid .cell[data-id="{door}"]')
    expect(cell).to_have_class("cell s-retired")
    state, step, title = WORDS[lang]
    expect(cell.locator(".st")).to_have_text(state)
    expect(cell.locator(".next")).to_have_text(step)
    expect(cell.locator(".g")).to_have_text("1-101")
    assert title in (cell.get_attribute("title") or "") and TRACKING in (cell.get_attribute("title") or "")
    assert (cell.get_attribute("href") or "").startswith("/parcels/")
    box = cell.bounding_box()
    assert box is not None and box["width"] >= 150, box  # two cells wide: the step is read, not cut
    wide = tab.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{wide} px sideways"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop-1366", "phone-390"])
def test_the_grid_shows_a_retired_door_with_its_parcel_and_next_step(browser: Any, retired: tuple[SimServer, str],
                                                                     lang: str, size: tuple[int, int]) -> None:
    server, door = retired
    tab = _signed_in(browser, server, size, lang)
    try:
        _check_cell(tab, door, lang)  # as the server drew it
        tab.page.wait_for_function("() => document.body.dataset.feed === 'live'")
        _check_cell(tab, door, lang)  # as the live feed's snapshot redrew it
        shots = screenshots_dir()
        if shots is not None:
            (shots / "fix42").mkdir(parents=True, exist_ok=True)
            tab.page.screenshot(path=str(shots / "fix42" / f"grid-retired-door-{lang}-{size[0]}.png"), full_page=True)
        tab.goto(f"/compartments?lang={lang}")
        row = tab.page.locator(f"#c-{door}")
        expect(row).to_contain_text(WORDS[lang][2])
        expect(tab.page.locator("table.data tbody tr", has_text=TRACKING)).to_contain_text(WORDS[lang][0])
        assert tab.page.locator(f'[data-testid="open-{door}"]').count() == 0  # no door command offered for it
    finally:
        tab.close()


def test_moving_its_parcel_needs_no_door(browser: Any, retired: tuple[SimServer, str]) -> None:
    server, door = retired
    opens = doors(server)[door]["opens"]
    tab = _signed_in(browser, server, (1366, 768), "zh")
    try:
        tab.page.locator(f'#grid .cell[data-id="{door}"]').click()
        tab.page.wait_for_url("**/parcels/*")
        tab.page.fill("form[action$='/move'] input[name=shelf_slot]", "R9")
        tab.page.locator("form[action$='/move'] button").click()
        expect(tab.page.locator("body")).to_contain_text("R9")
        tab.goto("/")  # the parcel is on its shelf: the retired, empty door leaves the grid
        expect(tab.page.locator("#grid .cell").first).to_be_visible()
        assert tab.page.locator(f'#grid .cell[data-id="{door}"]').count() == 0
        assert doors(server)[door]["opens"] == opens  # no open command went to it
        audit = ok(server, "GET", "/api/v1/sim/notifications")
        assert any(n["kind"] == "moved" and n["tracking_number"] == TRACKING for n in audit)
    finally:
        tab.close()
