"""The rules component inside a real daemon on simulated hardware: the sweep follows the simulated
clock, the daemon reads the policy from it, and a disposal frees the compartment only once the door is
seen closed after the removal."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from edge.clock import SimClock
from edge.errors import DomainError
from tests.conftest import start_site


async def wait_for(pred: Any, limit_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + limit_s
    while not await pred():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.fixture
async def live(tmp_path: Path) -> Any:
    clock = SimClock(start=datetime(2026, 6, 1, 1, 0, tzinfo=UTC), frozen=True)
    s = await start_site(tmp_path / "site", clock=clock)
    try:
        yield s
    finally:
        await s.daemon.stop()


async def test_sweep_follows_the_simulated_clock_and_frees_on_close(live: Any) -> None:
    rules = live.daemon.rules
    dep = await live.deposit("SF1400000000001", unit="1-101")
    compartment = dep["compartment"]
    pid = (await live.events("parcel.stored"))[0]["data"]["parcel_id"]

    async def count(type_: str) -> int:
        return len(await live.events(type_))

    live.clock.advance(23 * 3600)
    await asyncio.sleep(0.2)
    assert await count("parcel.reminder") == 0
    live.clock.advance(3600)
    await wait_for(lambda: _ge(count("parcel.reminder"), 1))
    assert rules.status()["last_sweep"] is not None

    # through the overdue, the notice and its end: 15 + 3 working days and then some
    for _ in range(80):
        if await _stage_is(live, pid, "disposal_due"):
            break
        live.clock.advance(86400)
        await asyncio.sleep(0.05)
    await wait_for(lambda: _stage_is(live, pid, "disposal_due"))
    tasks = await live.daemon.store.read(lambda tx: tx.all("SELECT kind, state FROM tasks WHERE parcel_id = ?", (pid,)))
    assert {"kind": "dispose", "state": "open"} in tasks

    out = await rules.service.dispose(pid, "return_to_sender", actor="staff:amy", note="courier took it back")
    assert out["door"] == "opening" and out["state"] == "stored"  # recorded once the sensor sees the door open
    await live.settle()
    assert (await live.daemon.store.read(lambda tx: tx.one("SELECT state FROM parcels WHERE id = ?", (pid,))))[
        "state"] == "returned"

    async def comp_state() -> str:
        return str(await live.daemon.store.read(
            lambda tx: tx.scalar("SELECT state FROM compartments WHERE id = ?", (compartment,))))

    assert await comp_state() == "occupied"  # door open, not yet seen closed
    await live.close(compartment)
    await wait_for(lambda: _eq(comp_state(), "free"))
    cmds = await live.daemon.store.read(lambda tx: tx.all("SELECT purpose, actor FROM door_commands"))
    assert {"purpose": "removal", "actor": "staff:amy"} in cmds


async def test_daemon_reads_the_policy_from_the_rules(live: Any) -> None:
    rules = live.daemon.rules
    assert live.daemon.policy().version == 1
    doc = live.daemon.policy().model_dump(mode="json") | {"version": 2, "overdue_hours": 60}
    await rules.service.set_policy(doc, actor="staff:admin")
    assert live.daemon.policy().version == 2 and live.daemon.policy().overdue_hours == 60
    with pytest.raises(DomainError) as e:
        await rules.service.set_policy(doc, actor="hq")
    assert e.value.code == "policy_version_old"


async def _ge(c: Any, n: int) -> bool:
    return bool(await c >= n)


async def _eq(c: Any, v: Any) -> bool:
    return bool(await c == v)


async def _stage_is(live: Any, pid: str, stage: str) -> bool:
    row = await live.daemon.store.read(lambda tx: tx.scalar("SELECT stage FROM parcels WHERE id = ?", (pid,)))
    return bool(row == stage)


async def test_power_cut_for_a_week_catches_up_at_boot_once(tmp_path: Path) -> None:
    clock = SimClock(start=datetime(2026, 6, 1, 1, 0, tzinfo=UTC), frozen=True)
    s = await start_site(tmp_path / "site", clock=clock)
    try:
        await s.deposit("SF1400000000009", unit="1-101")
        await s.deposit("YT1400000000010", unit="2-502", category="fresh")
    finally:
        await s.daemon.stop()
    clock.advance(7 * 86400)  # no power for a week
    s = await start_site(tmp_path / "site", clock=clock)
    try:
        async def acted() -> bool:
            comp = s.daemon.rules
            return comp.last_result is not None and comp.last_result.total > 0

        await wait_for(acted)
        rows = await s.daemon.store.read(lambda tx: tx.all("SELECT parcel_id, action FROM rule_actions"))
        assert len(rows) == len(set((r["parcel_id"], r["action"]) for r in rows)) == 4 + 3
        kinds = [e["type"] for e in await s.events() if e["type"].startswith("parcel.") and e["type"] != "parcel.stored"]
        assert kinds.count("parcel.reminder") == 3 and kinds.count("parcel.overdue") == 2
        due = [e["data"]["due_at"] for e in await s.events() if e["type"] in ("parcel.reminder", "parcel.overdue")]
        assert due == sorted(due)
        await s.daemon.rules.sweep()
        again = await s.daemon.store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM rule_actions"))
        assert again == 7
    finally:
        await s.daemon.stop()
