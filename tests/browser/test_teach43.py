"""Staff teach it in Chromium (ADR 0056), in zh and en at 1366x768 and 390 px, failing on any browser-side error:
"看不出 / Can't tell" on a queue row sets it aside and undo puts it back; "这条判断不对 / This reading is wrong"
on a parcel's timeline says what will change, is confirmed by a button, re-reads the parcel's event, and is
undone from the labels page. The new pages carry no raw code (zh) and fit a phone."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from edge.tracking.providers import kuaidi100
from tests.browser.test_people import (
    CONFIGURED,
    DESKTOP,
    LAYOUT_JS,
    PHONE,
    TEXT_JS,
    deposit,
    ok,
    raw_words,
    tabs,  # noqa: F401  (the fixture: one tab a test, closed failing on a browser-side error)
)
from tests.conftest import REPO, SimServer, sim_from_config

pytestmark = pytest.mark.browser
SALT = "salt-teach43"


@pytest.fixture(scope="module")
def teach_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    """The simulator's site with Kuaidi100 pushes on, so a carrier's texts reach a parcel's timeline."""
    src = (REPO / "firmware-config" / "sim.toml").read_text(encoding="utf-8")
    src += f'\n[tracking.providers.kuaidi100]\nenabled = true\nsalt = "{SALT}"\n'
    yield from sim_from_config(src, tmp_path_factory.mktemp("teach43"))


def push(server: SimServer, tn: str, texts: list[str]) -> None:
    """A signed Kuaidi100 push of `texts` for the waybill, times just before the sim's now (its local zone)."""
    now = datetime.fromisoformat(ok(server, "GET", "/api/v1/sim/clock")["now"].replace("Z", "+00:00"))
    data = [{"context": t, "areaName": "杭州", "time": (now - timedelta(minutes=30 - i)).astimezone(
        ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")} for i, t in enumerate(texts)]
    for d in data:
        d["ftime"] = d["time"]
    param = json.dumps({"status": "polling", "message": "", "lastResult": {
        "message": "ok", "state": "0", "status": "200", "ischeck": "0", "com": "zhongtong", "nu": tn, "data": data}},
        ensure_ascii=False)
    req = urllib.request.Request(server.url + "/api/v1/tracking/push/kuaidi100", method="POST",
                                 data=urlencode({"param": param, "sign": kuaidi100.sign(param, SALT)}).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200, resp.read()
    time.sleep(0.5)  # the push inbox hands the events to the tracking part


CASES = [("zh", DESKTOP, "兔兔星球", "ZT1843000000001"), ("en", DESKTOP, "喵喵星球", "ZT1843000000002"),
         ("zh", PHONE, "汪汪星球", "ZT1843000000003"), ("en", PHONE, "咕咕星球", "ZT1843000000004")]
W = {"zh": {"cannot": "看不出", "undo": "撤销", "wrong": "这条判断不对", "next": "下一步", "meaning": "异常",
            "will": "确认后，这种描述对中通快递的每件包裹都读作“异常”", "confirm": "确认修改", "done": "已改正",
            "aside": "已移出待标注列表", "back": "已放回待标注列表", "removed": "已撤销标注", "hub": "到达"},
     "en": {"cannot": "Can't tell", "undo": "Undo", "wrong": "This reading is wrong", "next": "Next",
            "meaning": "Problem", "will": "this wording will read as \u201cProblem\u201d for every parcel of ZTO",
            "confirm": "Confirm the change", "done": "Corrected", "aside": "Set aside", "back": "Back in the queue",
            "removed": "Label taken back", "hub": "rrived"}}


@pytest.mark.parametrize(("lang", "viewport", "planet", "tn"), CASES,
                         ids=["zh-1366", "en-1366", "zh-390", "en-390"])
def test_cannot_tell_and_this_reading_is_wrong(teach_sim: SimServer, tabs: Any, lang: str,  # noqa: F811
                                               viewport: dict[str, int], planet: str, tn: str) -> None:
    server = teach_sim
    w = W[lang]
    deposit(server, tn, "1-101", "1234")
    odd, hub = f"操作节点 已处理 {planet}", f"【杭州萧山】快件已到达 {planet} 中转场"
    push(server, tn, [odd, hub])
    s = tabs(server, viewport)
    s.login()
    site = ok(server, "GET", "/api/v1/kiosk/info")["site"]
    CONFIGURED[:] = [v for v in (site["name"], site["contact"], site.get("desk_place"), site.get("desk_hours")) if v]
    problems: list[str] = []

    def look(where: str) -> None:
        if lang == "zh":
            problems.extend(f"{where}: {p}" for p in raw_words(s.page.evaluate(TEXT_JS)))
        if viewport is PHONE:
            problems.extend(f"{where}: {b}" for b in s.page.evaluate(LAYOUT_JS, 44))

    # 1. "can't tell" on the queue row: off the queue, under "set aside" (still counted), undo puts it back
    page = s.goto(f"/tracking/labels?lang={lang}")
    row = page.locator("table.data tbody tr", has_text=planet).first
    expect(row).to_be_visible()
    look("labels")
    row.get_by_role("button", name=w["cannot"]).click()
    expect(page.locator(".flash")).to_contain_text(w["aside"])
    aside = page.locator("#set-aside tr", has_text=planet)
    expect(aside).to_have_count(1)
    look("labels, set aside")
    aside.get_by_role("button", name=w["undo"]).click()
    expect(page.locator(".flash")).to_contain_text(w["back"])
    expect(page.locator("#set-aside tr", has_text=planet)).to_have_count(0)

    # 2. "this reading is wrong" on the parcel's timeline: pick the meaning, read what will change, confirm
    page.goto(server.url + f"/parcels?q={tn}&lang={lang}")
    page.locator("table.data tbody a").first.click()
    item = page.locator("ol.timeline li", has_text=hub)
    expect(item).to_contain_text(w["hub"])  # its reading in words before
    item.locator("details.wrong-reading summary").click()
    look("parcel, form open")
    item.locator("select[name=milestone]").select_option(label=w["meaning"])
    item.get_by_role("button", name=w["next"]).click()
    expect(page.locator("main")).to_contain_text(w["will"])
    look("confirm page")
    page.locator("#confirm-reading").get_by_role("button", name=w["confirm"]).click()
    expect(page.locator(".flash")).to_contain_text(w["done"])
    item = page.locator("ol.timeline li", has_text=hub)
    expect(item.locator("b").first).to_have_text(re.compile("异常|exception|problem", re.I))

    # 3. undone from the labels page: the event reads by the rules again
    page.goto(server.url + f"/tracking/labels?lang={lang}")
    given = page.locator("#labels-given tr", has_text=planet)
    expect(given).to_have_count(1)
    look("labels, given")
    given.get_by_role("button", name=w["undo"]).click()
    expect(page.locator(".flash")).to_contain_text(w["removed"])
    expect(page.locator("#labels-given tr", has_text=planet)).to_have_count(0)
    assert not problems, "\n".join(problems)
