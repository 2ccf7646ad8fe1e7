"""A pickup of several doors fits the kiosk's screen: every door's card and "完成 / Done" are on it, no scrolling.

The trial of 2026-12-03b (docs/trial-2026-12-03b.md, "What remains") found that at 800x480 a pickup of four doors
put the fourth card and "完成" below the fold. Checked with every door open (the tallest cards: the refuse row is
shown at an open door), in Chinese and in English, at 800x480 and 1080x1920; six doors must still be laid out sanely.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.sim_calls import door as _door
from tests.browser.sim_calls import ok as _ok
from tests.browser.sim_calls import until as _until
from tests.browser.tab import BrowserTab

pytestmark = pytest.mark.browser

SMALL = {"width": 800, "height": 480}
TALL = {"width": 1080, "height": 1920}

#: the cards and the done button against the viewport, and whether anything scrolls
FITS_JS = r"""(scrollList) => {
  const vw = innerWidth, vh = innerHeight, out = [];
  const check = (el, name) => {
    const r = el.getBoundingClientRect();
    if (r.top < -0.5 || r.left < -0.5 || r.bottom > vh + 0.5 || r.right > vw + 0.5)
      out.push(`${name} at ${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.bottom)}`);
    return r;
  };
  // with scrollList, the list of doors may scroll (six doors): each card is checked once scrolled to
  const cards = [...document.querySelectorAll(".pickup-open .door-card")].map((c) => {
    if (scrollList) c.scrollIntoView({block: "nearest"});
    return [c.dataset.testid, check(c, c.dataset.testid)];
  });
  check(document.querySelector("[data-testid=done]"), "done");
  const list = document.querySelector(".pickup-open .doors");
  if (!scrollList && list.scrollHeight > list.clientHeight + 1) out.push(`the doors' list scrolls (${list.scrollHeight} > ${list.clientHeight})`);
  for (const el of document.querySelectorAll("main, .screen, body, html"))
    if (el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY !== "visible")
      out.push(`${el.tagName.toLowerCase()}${el.className ? "." + el.className.split(" ").join(".") : ""} scrolls (${el.scrollHeight} > ${el.clientHeight})`);
  // every card's buttons and its door number inside the card (nothing cut off)
  for (const card of document.querySelectorAll(".pickup-open .door-card")) {
    const cr = card.getBoundingClientRect();
    for (const el of card.querySelectorAll("button, .door-id, .door-state")) {
      if (!el.checkVisibility()) continue;
      const r = el.getBoundingClientRect();
      if (r.bottom > cr.bottom + 0.5 || r.right > cr.right + 0.5) out.push(`${card.dataset.testid}: "${el.textContent.trim()}" overflows its card`);
      if (el.tagName === "BUTTON" && (r.height < 43.5 || r.width < 43.5)) out.push(`${card.dataset.testid}: "${el.textContent.trim()}" is ${Math.round(r.width)}x${Math.round(r.height)} px`);
    }
  }
  const lefts = new Set(cards.map(([, r]) => Math.round(r.left)));
  return {problems: out, cards: cards.length, columns: lefts.size, widths: cards.map(([, r]) => Math.round(r.width))};
}"""


@pytest.fixture(scope="module")
def server(empty_sim_module: Any) -> Any:
    return empty_sim_module





def _stored(server: Any, unit: str, tail: str, n: int, prefix: str, doors: list[str] | None = None) -> str:
    """`n` parcels for `unit` stored in `n` doors (their compartments appended to `doors`); the unit's pickup code
    (one code opens them all)."""
    auth = {"Authorization": "Bearer " + _ok(server, "POST", "/api/v1/kiosk/courier/session",
                                             {"courier_code": "100001"})["token"]}
    last = ""
    for i in range(n):
        last = f"{prefix}{i:04d}"
        dep = _ok(server, "POST", "/api/v1/kiosk/deposits", {"tracking_number": last, "unit": unit, "phone_tail": tail},
                  headers=auth)
        c = dep["compartment"]
        if doors is not None:
            doors.append(c)
        _until(f"{c} open", lambda c=c: _door(server, c) == "open")
        _ok(server, "POST", f"/api/v1/sim/doors/{c}/close")
        _until(f"{last} stored", lambda d=dep: _ok(server, "GET", f"/api/v1/kiosk/deposits/{d['deposit_id']}",
                                                   headers=auth)["state"] == "stored")
    return next(str(m["pickup_code"]) for m in reversed(_ok(server, "GET", "/api/v1/sim/notifications"))
                if m["tracking_number"] == last and m["pickup_code"])


def _open_all(browser: Browser, server: Any, viewport: dict[str, int], code: str, n: int, name: str,
              opened: int | None = None) -> BrowserTab:
    tab = BrowserTab(browser, server, viewport)
    kid = _ok(server, "POST", "/api/v1/sim/kiosks", {"id": name})["token"]
    tab.goto(f"/kiosk?kiosk_token={kid}")
    tab.page.wait_for_selector("body[data-stream='up']")
    tab.page.keyboard.type(code)
    tab.page.keyboard.press("Enter")
    expect(tab.page.locator(".pickup-open .door-card")).to_have_count(n)
    expect(tab.page.locator(".pickup-open .door-card[data-door='open']")).to_have_count(
        n if opened is None else opened, timeout=8000)
    return tab


def _close_all(server: Any, tab: BrowserTab) -> None:
    for card in tab.page.locator(".pickup-open .door-card").all():
        c = str(card.get_attribute("data-testid"))[len("door-"):]
        _ok(server, "POST", f"/api/v1/sim/doors/{c}/close")


@pytest.mark.parametrize(("viewport", "unit", "tail", "prefix"),
                         [(SMALL, "1-101", "1234", "SF14100000"), (TALL, "2-502", "5678", "SF14200000")],
                         ids=["800x480", "1080x1920"])
def test_four_open_doors_and_done_fit_the_screen_in_both_languages(browser: Browser, server: Any,
                                                                    viewport: dict[str, int], unit: str, tail: str,
                                                                    prefix: str) -> None:
    code = _stored(server, unit, tail, 4, prefix)
    tab = _open_all(browser, server, viewport, code, 4, f"k-fits-{viewport['height']}")
    try:
        found = {}
        for lang in ("zh", "en"):
            if lang == "en":
                tab.page.get_by_test_id("lang-switch").click()
                expect(tab.page.get_by_test_id("done")).to_have_text("Done")
                # the list of doors is joined the English way after the switch (it kept "A-01、A-02" before)
                expect(tab.page.get_by_test_id("open-title")).to_have_text(
                    re.compile(r"^4 compartments are open: [A-Z]-\d\d(, [A-Z]-\d\d){3}$"))
            else:
                expect(tab.page.get_by_test_id("done")).to_have_text("完成")
                expect(tab.page.get_by_test_id("open-title")).to_have_text(
                    re.compile(r"^4 个柜门已打开：[A-Z]-\d\d(、[A-Z]-\d\d){3}$"))
            found[lang] = tab.page.evaluate(FITS_JS, False)
            if viewport is SMALL:
                tab.page.screenshot(path=str(Path(tab.server.data_dir) / f"pickup-4-{lang}.png"))
        assert not found["zh"]["problems"] and not found["en"]["problems"], found
        assert found["zh"]["cards"] == 4
    finally:
        _close_all(server, tab)
        tab.close()


def test_six_open_doors_are_laid_out_sanely_at_800x480(browser: Browser, server: Any) -> None:
    """Six doors: every card whole, its buttons touchable, in at most four columns of the same width; the list
    of doors may scroll (and only it: "完成" stays on the screen)."""
    code = _stored(server, "5-801", "8888", 6, "SF14300000")
    tab = _open_all(browser, server, SMALL, code, 6, "k-fits-six")
    try:
        found = tab.page.evaluate(FITS_JS, True)
        assert not found["problems"], found
        assert 2 <= found["columns"] <= 4 and max(found["widths"]) - min(found["widths"]) <= 2, found
    finally:
        _close_all(server, tab)
        tab.close()


def test_a_jammed_door_among_four_fits_too_with_its_help_and_retry(browser: Browser, server: Any) -> None:
    """The jammed door's card says what to do and offers the retry (the longest card, in English above all), and
    shows no refuse row: `hidden` lost to the row's own display at first, offering to refuse a parcel behind a shut
    door."""
    doors: list[str] = []
    code = _stored(server, "3-1201", "0420", 4, "SF14400000", doors)
    stuck = doors[-1]
    _ok(server, "POST", f"/api/v1/sim/doors/{stuck}/jam")
    tab = _open_all(browser, server, SMALL, code, 4, "k-fits-jam", opened=3)
    try:
        card = tab.page.get_by_test_id(f"door-{stuck}")
        expect(card).to_have_attribute("data-door", "jammed", timeout=8000)
        expect(tab.page.get_by_test_id(f"retry-{stuck}")).to_be_visible()
        expect(tab.page.get_by_test_id(f"refuse-{stuck}")).to_be_hidden()
        found = {"zh": tab.page.evaluate(FITS_JS, False)}
        tab.page.get_by_test_id("lang-switch").click()
        expect(tab.page.get_by_test_id(f"retry-{stuck}")).to_have_text("Door didn't open? Try again")
        found["en"] = tab.page.evaluate(FITS_JS, False)
        assert not found["zh"]["problems"] and not found["en"]["problems"], found
    finally:
        _ok(server, "POST", f"/api/v1/sim/doors/{stuck}/unjam")
        _close_all(server, tab)
        tab.close()
