"""The kiosk's home and pickup screens in 繁體中文 (zh-HK) on a 1080x1920 portrait screen (fix41 item 6): never looked at
before (hant40 pictured 800x480, fix39 the portrait in 简体 and English). Each screen: no simplified-only character,
the portrait measure of fix39 (content spans 70% of the height, nothing off screen, scrolling or overlapping), the
kiosk's 48 px targets and contrast, and no browser-side error.

Pictures (docs/screenshots/fix41/, linked from docs/kiosk.md):
    LOCKERD_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:randomly tests/browser/test_fix41_hk_portrait.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.screen_walk import FILL, MEASURE_JS
from tests.browser.test_hant40_zh_hk import hk_kiosk, hk_sim, simplified_left  # noqa: F401 - fixtures
from tests.browser.test_kiosk_flows import PORTRAIT, close_door, deposit_by_api, pickup_code
from tests.conftest import SimServer
from tests.screens import screenshots_dir

pytestmark = pytest.mark.browser

_shots = screenshots_dir()
OUT: Path | None = (_shots / "fix41") if _shots is not None else (
    Path(os.environ["FIX41_SHOTS"]) if os.environ.get("FIX41_SHOTS") else None)


#: the code's boxes and the open button against the keypad under them: their right edges, in px
EDGES_JS = r"""() => {
  const pad = document.querySelector("main .pad-digits").getBoundingClientRect();
  const boxes = [...document.querySelectorAll("main [data-testid=code] .box")].map((b) => b.getBoundingClientRect());
  const submit = document.querySelector("main [data-testid=submit]").getBoundingClientRect();
  return {pad: [pad.left, pad.right], boxes: [boxes[0].left, boxes[boxes.length - 1].right],
          submit: [submit.left, submit.right]};
}"""


def _look(k: Any, name: str, problems: list[str]) -> dict[str, Any]:
    page = k.page
    page.wait_for_timeout(200)
    got = page.evaluate(MEASURE_JS)
    if got["fill"] < FILL:
        problems.append(f"{name}: content spans {got['fill']:.0%} of the height")
    problems += [f"{name}: {b}" for b in got["bad"]]
    left = simplified_left(page)
    if left:
        problems.append(f"{name}: simplified characters {''.join(left)}")
    k.layout()
    if OUT is not None:
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"kiosk-{name}-zh-HK-1080x1920.png"))
    return dict(got)


def test_home_and_pickup_in_traditional_chinese_on_a_portrait_screen(hk_kiosk: Any, hk_sim: SimServer) -> None:  # noqa: F811
    server = hk_sim
    c1 = deposit_by_api(server, "SF4110000000001", "6-602", "6602")
    c2 = deposit_by_api(server, "SF4110000000002", "6-602", "6602")
    code = pickup_code(server, "SF4110000000001")
    k = hk_kiosk(PORTRAIT)
    page = k.open()
    expect(page.locator("html")).to_have_attribute("lang", "zh-HK")
    problems: list[str] = []
    found = {"home": _look(k, "home", problems)}
    k.tid("go-pickup").click()
    expect(page.locator("h1")).to_have_text("請輸入取件碼")
    found["pickup-empty"] = _look(k, "pickup-empty", problems)
    for digit in code:
        k.tid(f"key-{digit}").click()
    found["pickup-code"] = _look(k, "pickup-code", problems)
    # the boxes and the button span the keypad's width (they stopped at 88% and 40% of it, ragged on the right)
    edges = page.evaluate(EDGES_JS)
    for part in ("boxes", "submit"):
        if abs(edges[part][0] - edges["pad"][0]) > 2 or abs(edges[part][1] - edges["pad"][1]) > 2:
            problems.append(f"pickup-code: the {part} span {edges[part]}, the keypad {edges['pad']}")
    k.tid("submit").click()
    expect(k.tid(f"door-{c1}")).to_be_visible()
    expect(k.tid(f"door-{c2}")).to_be_visible()
    found["pickup-open"] = _look(k, "pickup-open", problems)
    close_door(server, c1)
    close_door(server, c2)
    expect(k.tid("open-title")).to_contain_text("取件完成")
    found["pickup-done"] = _look(k, "pickup-done", problems)
    print("\nFIX41_HK " + " ".join(f"{n}={g['fill']:.2f}/key{g['key']}/box{g['box']}" for n, g in found.items()))
    assert not problems, "\n".join(problems)
    assert all(g["key"] is None or g["key"] >= 130 for g in found.values()), found
    assert all(g["box"] is None or g["box"] >= 70 for g in found.values()), found
