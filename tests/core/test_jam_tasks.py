"""A door that jams again and again is one open staff task (updated), closed when the fault is cleared."""

from __future__ import annotations

import asyncio
import json

from tests.conftest import Site


async def _jam_tasks(site: Site, c: str) -> list[dict]:
    return await site.daemon.store.read(lambda tx: tx.all(
        "SELECT id, state, detail, done_by FROM tasks WHERE kind = 'door_jammed' AND compartment_id = ? ORDER BY id",
        (c,)))


async def _jam_once(site: Site, c: str, n_before: int) -> None:
    await site.svc.doors.open(c, actor="staff:t", reason="check the lock")
    for _ in range(200):  # confirm timeout 0.3 s in tests; allow for a loaded machine
        await asyncio.sleep(0.05)
        await site.settle()
        jams = await site.events("door.jammed")
        if len(jams) > n_before:
            return
    raise AssertionError("the door never jammed")


async def test_repeated_jams_are_one_task_closed_by_clearing(site: Site) -> None:
    c = "B-03"
    site.bank_of(c).sim_jam(c)
    for i in range(3):
        await _jam_once(site, c, i)
    tasks = await _jam_tasks(site, c)
    assert len(tasks) == 1 and tasks[0]["state"] == "open"
    detail = json.loads(tasks[0]["detail"])
    assert detail["jams"] == 3 and detail["last_at"] >= detail["first_at"]

    site.bank_of(c).sim_jam(c, False)
    await site.svc.compartments.clear_fault(c, actor="staff:t", reason="lock replaced")
    tasks = await _jam_tasks(site, c)
    assert [t["state"] for t in tasks] == ["done"] and tasks[0]["done_by"] == "staff:t"

    # a jam after the clearing is news: a new task
    site.bank_of(c).sim_jam(c)
    await _jam_once(site, c, 3)
    tasks = await _jam_tasks(site, c)
    assert [t["state"] for t in tasks] == ["done", "open"]
    assert json.loads(tasks[1]["detail"])["jams"] == 1
    # another door's jam is its own task
    site.bank_of("B-04").sim_jam("B-04")
    await _jam_once(site, "B-04", 4)
    assert len(await _jam_tasks(site, "B-04")) == 1
