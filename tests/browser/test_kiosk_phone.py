"""The kiosk's keyboards at 390 px wide (a phone-sized panel or a narrow portrait display): every key at
least 44x44 px, nothing cut off, no sideways scroll, in both languages (issue 18, user trial)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.tab import unbroken
from tests.browser.test_kiosk_flows import SHOTS, Kiosk

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FIT_JS = r"""() => {
  const bad = [];
  const W = innerWidth, H = innerHeight;
  for (const el of document.querySelectorAll("button, .box, input")) {
    const r = el.getBoundingClientRect();
    if (!el.checkVisibility() || r.width === 0) continue;
    const name = el.dataset.testid || el.textContent.trim().slice(0, 20) || el.className;
    if (el.tagName === "BUTTON" && (r.width < 43.5 || r.height < 43.5)) bad.push(`${name} is ${Math.round(r.width)}x${Math.round(r.height)} px`);
    if (r.left < -1 || r.right > W + 1) bad.push(`${name} is cut off (${Math.round(r.left)}..${Math.round(r.right)} of ${W})`);
    if (el.scrollWidth > el.clientWidth + 1 && el.tagName === "BUTTON") bad.push(`${name}: its label is cut off`);
  }
  if (document.documentElement.scrollWidth > W + 1) bad.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
  return bad;
}"""


def _check(k: Kiosk, name: str) -> list[str]:
    out = []
    lang = k.tid("lang-switch")
    for _ in range(2):
        screen = k.page.locator("main").get_attribute("data-screen")
        lang_now = k.page.evaluate("document.documentElement.lang")
        out += [f"{name} ({screen}, {lang_now}): {b}" for b in k.page.evaluate(FIT_JS)]
        if SHOTS is not None:
            k.page.wait_for_timeout(100)
            k.page.screenshot(path=str(SHOTS / f"kiosk-{name}-{lang_now[:2]}-390x844.png"))
        lang.click()
    return out


def test_the_keyboards_fit_a_390_px_screen(browser: Browser, sim_server_module: Any) -> None:
    k = Kiosk(browser, sim_server_module, PHONE, "phone-390")
    k.allow(404, 422)
    page = k.open()
    bad = _check(k, "home")
    k.tid("go-pickup").click()
    page.keyboard.type("12345")
    bad += _check(k, "pickup")
    k.tid("home").click()
    k.tid("go-courier").click()
    page.keyboard.type("100")
    bad += _check(k, "courier-login")
    page.keyboard.type("001")
    page.keyboard.press("Enter")
    expect(k.tid("waybill")).to_be_visible()
    page.keyboard.type("JT55667")
    bad += _check(k, "waybill")
    page.keyboard.type("78899")
    page.keyboard.press("Enter")
    expect(k.tid("size-S")).to_have_attribute("aria-pressed", "true")
    bad += _check(k, "size")
    # the desk's place follows the language too (English screens read "（1号楼大堂，…）")
    expect(k.tid("desk-hint")).to_contain_text(unbroken("（1号楼大堂，工作日 08:00-20:00"))
    k.tid("lang-switch").click()
    expect(k.tid("desk-hint")).to_contain_text(unbroken("(Building 1 lobby, 08:00-20:00 on working days"))
    expect(k.tid("desk-hint")).not_to_contain_text("（")
    k.tid("lang-switch").click()
    k.tid("open-door").click()
    expect(k.tid("unit")).to_be_visible()
    page.keyboard.type("3-12")
    bad += _check(k, "recipient")
    # the courier's company in the page's language, after a switch too (it stayed 顺丰速运 on English pages)
    expect(k.tid("courier-name")).to_contain_text("顺丰速运")
    k.tid("lang-switch").click()
    expect(k.tid("courier-name")).to_contain_text("SF Express")
    k.tid("lang-switch").click()
    k.finish()
    assert not bad, "\n".join(bad)
