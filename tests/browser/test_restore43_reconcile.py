"""Issue 18 in Chromium: the console's reconcile page after `lockerd restore` (brief restore43; ADR 0057).

A simulator deposits a parcel, is backed up (online), deposits another, and stops; the backup is restored into a
new data directory and a second simulator starts on it. Its doors the backup shows empty are unconfirmed: the
kiosk's /info counts them and gives none to a deposit. On /reconcile, in Chinese, the door filled after the backup
is recorded as holding a parcel (a found-parcel task for the desk) and another as empty; in English a whole bank is
confirmed empty after a walk. No door opens while doing so (the simulator's doors stay shut, no door command)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from edge.cli import backup as bk
from tests.browser.tab import BrowserTab
from tests.browser.test_kiosk_flows import _factory, login, to_sizes
from tests.browser.test_people import deposit, doors, ok
from tests.conftest import SimServer, launch_sim

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def restored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SimServer, str, str]]:
    root = tmp_path_factory.mktemp("restore43")
    old = launch_sim(root / "old-pi", "--confirm-timeout", "1")
    try:
        known = deposit(old, "ZT7400000000001", "1-101", "1234")
        backup = bk.backup_database(old.data_dir / bk.DB_NAME, root / "offpi")
        after = deposit(old, "ZT7400000000002", "1-102", "5678")
    finally:
        old.stop()
    bk.restore_database(backup, root / "new-pi" / bk.DB_NAME)
    new = launch_sim(root / "new-pi", "--confirm-timeout", "1")
    try:
        yield new, known, after
    finally:
        new.stop()


def _door_commands(server: SimServer) -> int:
    conn = sqlite3.connect(Path(server.data_dir) / bk.DB_NAME, timeout=10)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM door_commands").fetchone()[0])
    finally:
        conn.close()


def _signed_in(browser: Any, server: SimServer, lang: str) -> BrowserTab:
    tab = BrowserTab(browser, server, {"width": 1366, "height": 768}, "zh-CN" if lang == "zh" else "en-GB")
    tab.goto(f"/login?lang={lang}")
    tab.fill_login("admin", "admin-demo-pass")
    return tab


def test_the_kiosk_sends_the_parcel_to_the_desk_while_doors_are_checked(
        browser: Any, restored: tuple[SimServer, str, str], request: pytest.FixtureRequest) -> None:
    """Every door unchecked: the kiosk's sizes are all out, and it says why and where to take the parcel, in
    Chinese and English, instead of "full" or a dead end. No door opens."""
    server, _, _ = restored
    fired = _door_commands(server)
    made, make = _factory(browser, server, request)
    try:
        k = make()
        k.open()
        login(k)
        to_sizes(k, "ZT7400000000009")
        msg = k.tid("message")
        expect(msg).to_contain_text("部分柜门维护后正在检查，暂时没有可用的格口放这件包裹。请把包裹送到包裹室前台")
        expect(k.tid("open-door")).to_be_disabled()
        k.tid("lang-switch").click()
        expect(msg).to_contain_text("Some doors are being checked after maintenance and none is ready for this parcel."
                                    " Please take the parcel to the parcel-room desk")
    finally:
        for kk in made:
            kk.finish()
    assert _door_commands(server) == fired


def test_reconcile_page_in_chinese_then_english(browser: Any, restored: tuple[SimServer, str, str]) -> None:
    server, known, after = restored
    info = ok(server, "GET", "/api/v1/kiosk/info")
    unchecked = info["unchecked"]
    assert unchecked == len(doors(server)) - 1 and sum(info["free"].values()) == 0
    fired = _door_commands(server)

    tab = _signed_in(browser, server, "zh")
    try:
        page = tab.goto("/")
        expect(page.locator("#reconcile-banner")).to_contain_text(f"恢复备份后还有 {unchecked} 个格口待检查")
        page = tab.goto("/compartments")
        expect(page.locator("#reconcile-banner")).to_contain_text(f"恢复备份后还有 {unchecked} 个格口待检查")
        page.locator("#reconcile-banner a").click()
        expect(page.locator("h1")).to_have_text("恢复备份后待检查的格口")
        expect(page.locator("#reconcile-why")).to_contain_text("换下的设备在备份之后可能往里面放了包裹")
        expect(page.locator(f"#r-{known}")).to_have_count(0)  # the backup knows its parcel
        row = page.locator(f"#r-{after}")
        expect(row).to_contain_text("未检查")
        row.locator("input[name=waybill]").fill("ZT7400000000002")
        row.locator("input[name=unit]").fill("1-102")
        row.get_by_role("button", name="里面有包裹").click()
        expect(page.locator(".flash")).to_contain_text(f"{after} 里的包裹已记录，交前台处理；格口暂停使用")
        expect(page.locator(f"#r-{after}")).to_have_count(0)
        other = page.locator("tbody tr").first
        door = str(other.get_attribute("id"))[2:]
        other.get_by_role("button", name="是空的").click()
        expect(page.locator(".flash")).to_contain_text(f"{door} 是空的：可以再分配给投递")
        page = tab.goto("/tasks")
        expect(page.locator("main")).to_contain_text("恢复备份后在格口里发现的包裹")
        page = tab.goto("/compartments")
        expect(page.locator("main")).to_contain_text("恢复后发现的包裹：请送到前台，然后启用格口")
    finally:
        tab.close()
    assert ok(server, "GET", "/api/v1/kiosk/info")["unchecked"] == unchecked - 2

    tab = _signed_in(browser, server, "en")
    try:
        page = tab.goto("/reconcile")
        expect(page.locator("h1")).to_have_text("Doors to check after a restore")
        banks = page.locator("section.reconcile-bank")
        n = banks.count()
        for _ in range(n):
            section = page.locator("section.reconcile-bank").first
            section.get_by_role("button", name="I walked this bank: every door listed is empty").click()
            expect(page.locator(".flash")).to_contain_text("door(s) confirmed empty")
        expect(page.locator("main")).to_contain_text("Every door has been checked: deposits may use all free doors.")
        page = tab.goto("/audit")
        expect(page.locator("main")).to_contain_text("whole bank checked empty after a restore")
    finally:
        tab.close()
    assert _door_commands(server) == fired  # no door opened by the check
    assert all(d["door"] == "closed" for d in doors(server).values())
    info = ok(server, "GET", "/api/v1/kiosk/info")
    assert info["unchecked"] == 0 and sum(info["free"].values()) == len(doors(server)) - 2
    assert deposit(server, "ZT7400000000003", "1-101", "1234") not in (after,)
