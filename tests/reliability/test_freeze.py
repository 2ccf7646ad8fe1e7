"""A frozen process (SIGSTOP/SIGCONT, a GC pause, swap): timers fire late, and must not decide.

The subprocess test freezes a real `lockerd simulate --hardware kerong-cu16` (Kerong driver on its pty
emulator) for 5 s right after a deposit's unlock: the door did open, so it must not be called jammed,
the deposit must not move, and no forced-open alarm may follow. The in-process tests freeze the
event loop with a blocking call.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from edge.errors import DomainError
from tests.conftest import launch_sim
from tests.reliability.faults import freeze_loop, start_site_at, stop_site, wait_until

pytestmark = pytest.mark.timeout(120)


def _login(sim) -> dict[str, str]:  # type: ignore[no-untyped-def]
    status, body = sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100001"})
    assert status == 200, body
    return {"Authorization": "Bearer " + body["token"]}


def test_sigstop_after_an_unlock_is_not_a_jam(tmp_path: Path) -> None:
    sim = launch_sim(tmp_path / "site", "--hardware", "kerong-cu16")
    try:
        auth = _login(sim)
        for i in range(3):
            status, dep = sim.api("POST", "/api/v1/kiosk/deposits",
                                  {"tracking_number": f"SF20000000{i:02d}", "unit": "1-101", "phone_tail": "1234"},
                                  headers=auth)
            assert status == 201, dep
            os.kill(sim.proc.pid, signal.SIGSTOP)
            time.sleep(5.0)  # longer than the 3 s confirm timeout
            os.kill(sim.proc.pid, signal.SIGCONT)
            time.sleep(1.5)
            status, st = sim.api("GET", f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=auth)
            assert status == 200
            assert st["state"] == "depositing", st
            assert st["compartment"] == dep["compartment"], "the deposit moved to a second door"
            doors = {d["compartment"]: d for d in sim.api("GET", "/api/v1/sim/doors")[1]}
            opened = [c for c, d in doors.items() if d["door"] == "open"]
            assert opened == [dep["compartment"]], f"doors open: {opened}"
            sim.api("POST", f"/api/v1/sim/doors/{dep['compartment']}/close")
            for _ in range(50):
                st = sim.api("GET", f"/api/v1/kiosk/deposits/{dep['deposit_id']}", headers=auth)[1]
                if st["state"] == "stored":
                    break
                time.sleep(0.1)
            assert st["state"] == "stored" and st["compartment"] == dep["compartment"]
        assert "forced open" not in sim.log()
        assert " jammed (" not in sim.log()
    finally:
        sim.stop()


async def test_a_stall_rechecks_the_board_instead_of_deciding(tmp_path: Path) -> None:
    """Stale status plus a stall: the late timer gives the door a fresh window, not a jam."""
    site, emus = await start_site_at(tmp_path / "site", hardware="kerong-cu16", confirm_timeout_s=0.5,
                                     doors__late_open_grace_s=0.2)
    try:
        svc = site.svc
        emu = emus[0]
        dep = await svc.deposits.start(site.courier, tracking_number="SF3000000001", unit="1-101", phone_tail="1234")
        emu.stale_status(on=True)  # the board keeps saying "closed" for now
        asyncio.get_running_loop().call_soon(freeze_loop, 1.5)
        await asyncio.sleep(0.6)
        emu.stale_status(on=False)  # the truth arrives within the fresh window
        await wait_until(lambda: svc.doors.door_state(dep["compartment"]) == "open", limit=5)
        st = await svc.deposits.status(dep["deposit_id"])
        assert st["state"] == "depositing" and st["compartment"] == dep["compartment"]
        assert not await site.events("door.jammed")
        assert svc.doors.watch.stalls, "the stall was not seen"
    finally:
        await stop_site(site, emus)


async def test_a_pickup_sent_during_a_freeze_is_not_acted_on(tmp_path: Path) -> None:
    site, emus = await start_site_at(tmp_path / "site", doors__request_deadline_s=1.0)
    try:
        svc = site.svc
        stored = await site.deposit("SF3000000002")
        code = await site.code_of(stored["parcel_id"])
        opens0 = sum(d["opens"] for b in site.daemon.banks for d in b.sim_doors())
        # the process stands still longer than the kiosk waits; the request is handled right after
        loop = asyncio.get_running_loop()
        loop.call_soon(freeze_loop, 1.5)
        await asyncio.sleep(0)
        with pytest.raises(DomainError) as err:
            await svc.pickups.submit(code, kiosk="k1")
        assert err.value.code == "request_expired"
        assert sum(d["opens"] for b in site.daemon.banks for d in b.sim_doors()) == opens0
        # the resident tries again: it works
        await asyncio.sleep(1.2)
        res = await svc.pickups.submit(code, kiosk="k1")
        assert res["parcels"]
    finally:
        await stop_site(site, emus)
