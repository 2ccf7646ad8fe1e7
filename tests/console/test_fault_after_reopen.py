"""A jammed door faults its compartment (issue 18, leftover of the 2026-12-02 trials). What a later door that
works does to it, what the kiosk offers meanwhile and what the console says, in zh and en:
- a staff open that the sensor confirms, and the door closed again, keep the fault (docs/console.md: the lock
  failed once and may again; staff clear the fault after a look, which closes the door's task);
- the kiosk never offers the faulted door: not counted free, never given to a deposit;
- the console says what happened in words: the jam, and that the door has opened and closed since; no raw
  code (the dashboard cell's tooltip read title="door_jammed")."""

from __future__ import annotations

import re

from tests.console.conftest import HTML, Console, until

C = "B-04"


def _row(page: str, c: str = C) -> str:
    row = re.search(rf'<tr><td>{c}</td>.*?</tr>', page, re.S)
    assert row, page
    return re.sub(r"\s*(<[^>]+>\s*)+", " | ", row.group(0))


async def _state(console: Console) -> dict:
    return await console.daemon.store.read(lambda tx: tx.one("SELECT state, door FROM compartments WHERE id = ?", (C,)))


async def _is(console: Console, column: str, value: str) -> bool:
    return bool((await _state(console))[column] == value)


async def test_a_jammed_door_keeps_its_fault_after_it_works_and_the_kiosk_never_offers_it(console: Console) -> None:
    site = console.site
    size = (await console.daemon.store.read(lambda tx: tx.one("SELECT size FROM compartments WHERE id = ?", (C,))))["size"]
    free = (await site.svc.compartments.free_by_size())[size]
    bank = site.bank_of(C)
    bank.sim_jam(C)
    client, csrf = await console.as_user("staff")
    await client.post(f"/compartments/{C}/open", data={"_csrf": csrf, "reason": "检查", "confirm": C})
    await until(site, lambda: _is(console, "state", "fault"), "the jam raised no fault")
    assert await _state(console) == {"state": "fault", "door": "closed"}
    assert "柜门卡住未打开" in _row((await client.get("/compartments?lang=zh", headers=HTML)).text)
    assert "之后柜门已正常开关过" not in _row((await client.get("/compartments?lang=zh", headers=HTML)).text)

    # the lock is fixed; staff open it again: the sensor sees it open, then closed
    bank.sim_jam(C, False)
    await client.post(f"/compartments/{C}/open", data={"_csrf": csrf, "reason": "修好后试开", "confirm": C})
    await until(site, lambda: _is(console, "door", "open"), "the door was never seen open")
    assert await _state(console) == {"state": "fault", "door": "open"}
    await site.close(C)
    assert await _state(console) == {"state": "fault", "door": "closed"}  # kept until staff clear it

    zh = _row((await client.get("/compartments?lang=zh", headers=HTML)).text)
    assert re.search(r"故障 \| 关闭 \| 柜门卡住未打开；之后柜门已正常开关过（[^）]+）：检查门锁后清除故障 \| 清除故障", zh), zh
    en = _row((await client.get("/compartments?lang=en", headers=HTML)).text)
    assert "door jammed; the door has opened and closed normally since (" in en and "check the lock, then clear the fault" in en
    for lang in ("zh", "en"):
        dash = (await client.get(f"/?lang={lang}", headers=HTML)).text
        cell = re.search(rf'<a class="cell s-fault"[^>]*data-id="{C}"[^>]*>', dash)
        assert cell and 'title="door_jammed"' not in cell.group(0), cell
        assert ('title="柜门卡住未打开"' if lang == "zh" else 'title="door jammed"') in cell.group(0), cell.group(0)
    grid = (await client.get("/api/v1/console/grid?lang=zh")).json()
    assert grid["labels"]["note:door_jammed"] == "柜门卡住未打开"

    # the kiosk: one door fewer of that size, and every deposit of that size goes elsewhere
    assert (await site.svc.compartments.free_by_size())[size] == free - 1
    given = []
    for i in range(free - 1):
        dep = await site.svc.deposits.start(site.courier, tracking_number=f"SF30000000000{i:02d}", unit="1-101",
                                            phone_tail="1234", size=size)
        given.append(dep["compartment"])
        await site.settle()
        await site.close(dep["compartment"])
    assert C not in given and len(set(given)) == free - 1
    assert (await site.svc.compartments.free_by_size())[size] == 0

    # staff clear the fault after a look: the door is free again, its task done
    resp = await client.post(f"/compartments/{C}/clear-fault", data={"_csrf": csrf, "reason": "门锁已检查"})
    assert resp.status_code == 303
    assert await _state(console) == {"state": "free", "door": "closed"}
    open_tasks = await console.daemon.store.read(lambda tx: tx.scalar(
        "SELECT count(*) FROM tasks WHERE compartment_id = ? AND kind = 'door_jammed' AND state = 'open'", (C,)))
    assert open_tasks == 0
    assert (await site.svc.compartments.free_by_size())[size] == 1
