"""Requests that race the doors: cancel as the door shuts on a lock that does not release, and the
same pickup code at two kiosks at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.reliability.faults import emu_wait_door, emulator_of, start_site_at, stop_site, wait_until

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("hardware", ["sim", "kerong-cu16"])
async def test_cancel_needs_the_door_seen_open(tmp_path: Path, hardware: str) -> None:
    """Cancel pressed as the door shuts, and the lock does not release: the parcel stays recorded in
    its compartment (stored, with a code), staff get a task, and the deposit is never stuck."""
    site, emus = await start_site_at(tmp_path / "site", hardware=hardware, confirm_timeout_s=0.4)
    try:
        svc = site.svc
        dep = await svc.deposits.start(site.courier, tracking_number="SF5000000001", unit="1-101", phone_tail="1234")
        c = dep["compartment"]
        if hardware == "sim":
            await site.settle()
            doors = site.bank_of(c)
        else:
            await emu_wait_door(site, c, "open")
            doors = emulator_of(emus, c)
        # the door shuts and its lock sticks; the courier presses cancel in the same moment
        doors.sim_jam(c)
        doors.sim_close(c)
        await svc.deposits.cancel(dep["deposit_id"], site.courier)

        async def settled() -> bool:
            st = await svc.deposits.status(dep["deposit_id"])
            return st["state"] != "depositing" or not st["cancelling"]

        await wait_until(settled, limit=8)
        await svc.doors.drain()
        st = await svc.deposits.status(dep["deposit_id"])
        parcel = await site.parcel(st["parcel_id"])
        assert st["state"] == "stored", st
        assert parcel["state"] == "stored" and parcel["compartment_id"] == c
        tasks = await site.daemon.store.read(
            lambda tx: tx.all("SELECT kind FROM tasks WHERE compartment_id = ? AND state = 'open'", (c,)))
        assert "cancel_failed" in {t["kind"] for t in tasks}
        grid = {r["id"]: r for r in await svc.compartments.grid()}
        assert grid[c]["state"] != "free"
    finally:
        await stop_site(site, emus)


async def test_one_pickup_command_per_parcel(tmp_path: Path) -> None:
    site, emus = await start_site_at(tmp_path / "site")
    try:
        svc = site.svc
        stored = await site.deposit("SF5000000002")
        code = await site.code_of(stored["parcel_id"])
        c = stored["compartment"]
        before = next(d["opens"] for d in site.bank_of(c).sim_doors() if d["compartment"] == c)
        a, b = await asyncio.gather(svc.pickups.submit(code, kiosk="k1"), svc.pickups.submit(code, kiosk="k2"))
        await site.settle()
        after = next(d["opens"] for d in site.bank_of(c).sim_doors() if d["compartment"] == c)
        assert after - before == 1
        assert a["parcels"] and b["parcels"]  # both kiosks show where the parcel is
        cmds = await site.daemon.store.read(lambda tx: tx.scalar(
            "SELECT COUNT(*) FROM door_commands WHERE ref = ? AND purpose = 'pickup'", (stored["parcel_id"],)))
        assert cmds == 1
        await site.close(c)
        assert (await site.parcel(stored["parcel_id"]))["state"] == "collected"
    finally:
        await stop_site(site, emus)
