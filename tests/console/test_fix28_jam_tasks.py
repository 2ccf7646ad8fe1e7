"""A jam at pickup makes two tasks (trial of 2026-12-07, item 12; issue 18 "tasks deduplicated"): the lock check
(`door_jammed`, one per door) and the handover (`pickup_failed`, one per parcel). Entering the code again and
the retry add neither, and each closes when its cause is gone: the handover when the parcel reaches its
resident (here at the desk, after staff took it out with the key and shelved it), the lock check when the door's
fault is cleared."""

from __future__ import annotations

from tests.console.conftest import until


async def _open(console, kind: str, **where: str) -> int:
    col, val = next(iter(where.items()))
    return int(await console.daemon.store.read(lambda tx: tx.scalar(
        f"SELECT count(*) FROM tasks WHERE kind = ? AND state = 'open' AND {col} = ?", (kind, val))))


async def test_one_task_of_each_kind_and_each_closes_with_its_cause(console) -> None:
    site = console.site
    dep = await site.deposit("YT1818181818190")
    pid, door = str(dep["parcel_id"]), str(dep["compartment"])
    code = await site.code_of(pid)
    svc = console.daemon.services.pickups
    site.bank_of(door).sim_jam(door)
    await svc.submit(code, kiosk="k1")

    async def jammed() -> bool:
        return bool((await svc.door_status(pid))["door"] == "jammed")

    await until(site, jammed, "the door never jammed", tries=40, pause=0.1)
    await svc.submit(code, kiosk="k2")  # the same code again, at another kiosk
    await svc.retry(pid, kiosk="k1")
    await until(site, jammed, "the retry never jammed", tries=40, pause=0.1)
    await svc.retry(pid, kiosk="k1")
    assert await _open(console, "door_jammed", compartment_id=door) == 1
    assert await _open(console, "pickup_failed", parcel_id=pid) == 1
    total = await console.daemon.store.read(lambda tx: tx.scalar("SELECT count(*) FROM tasks WHERE state = 'open'"))
    assert total == 2

    # staff open the door with the key and shelve the parcel in the parcel room; the resident collects it there
    desk = console.daemon.services.desk
    await desk.intake(tracking_number="YT1818181818190", shelf_slot="R1", actor="staff:lin")
    assert await _open(console, "pickup_failed", parcel_id=pid) == 1  # still to be handed over
    await desk.handover_by_code(code, actor="staff:lin")
    # before: the handover task stayed open after the desk handed the parcel over
    assert await _open(console, "pickup_failed", parcel_id=pid) == 0
    assert await _open(console, "door_jammed", compartment_id=door) == 1  # the lock still needs its check
    await console.daemon.services.compartments.clear_fault(door, actor="staff:lin", reason="锁已修好")
    assert await _open(console, "door_jammed", compartment_id=door) == 0
