"""A full disk while doors are open: no door event is lost, health says so, errors are plain JSON.

Each test runs the daemon on a small tmpfs the test mounts (root), fills it, and gives the space back.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from edge.errors import DomainError
from edge.store.db import Store
from tests.reliability.faults import fill_disk, small_disk, start_site_at, stop_site, wait_until

pytestmark = pytest.mark.timeout(120)


async def _parcel_state(site, pid: str) -> str:  # type: ignore[no-untyped-def]
    return str(await site.daemon.store.read(lambda tx: tx.scalar("SELECT state FROM parcels WHERE id = ?", (pid,))))


async def test_door_events_during_a_full_disk_are_kept_and_land_in_order(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No reserve: the close of a pickup and of a deposit fail to write; they are retried until space
    returns, the doors show "record pending" meanwhile, and the same code does not open the door again."""
    monkeypatch.setattr(Store, "RESERVE_BYTES", 0, raising=False)
    with small_disk(tmp_path / "disk", 64) as disk:
        site, emus = await start_site_at(disk / "site")
        try:
            svc = site.svc
            stored = await site.deposit("SF1000000001")
            code = await site.code_of(stored["parcel_id"])
            # a resident opens a door, a courier opens another; then the disk fills
            res = await svc.pickups.submit(code, kiosk="k1")
            await site.settle()
            dep = await svc.deposits.start(site.courier, tracking_number="SF1000000002", unit="1-101", phone_tail="1234")
            await site.settle()
            opens0 = {d["compartment"]: d["opens"] for b in site.daemon.banks for d in b.sim_doors()}
            filler = fill_disk(disk)
            # both doors close while nothing can be written
            pick_c = res["parcels"][0]["compartment"]
            site.bank_of(pick_c).sim_close(pick_c)
            site.bank_of(dep["compartment"]).sim_close(dep["compartment"])
            await wait_until(lambda: svc.doors.record_pending(pick_c))
            assert site.daemon.health()["status"] != "ok"
            # the same code again: refused plainly (storage full), never a second opening
            with pytest.raises(DomainError) as err:
                await svc.pickups.submit(code, kiosk="k2")
            assert err.value.code in ("storage_full", "storage_unavailable")
            assert err.value.status == 503
            # space comes back: the pending records land, in order
            filler.unlink()
            await wait_until(lambda: not svc.doors.pending_records(), limit=15)
            await svc.doors.drain()
            assert await _parcel_state(site, stored["parcel_id"]) == "collected"
            assert await _parcel_state(site, dep["parcel_id"]) == "stored"
            state = await svc.deposits.status(dep["deposit_id"])
            assert state["state"] == "stored"
            # the collected parcel's code opens nothing any more
            with pytest.raises(DomainError):
                await svc.pickups.submit(code, kiosk="k2")
            opens = {d["compartment"]: d["opens"] for b in site.daemon.banks for d in b.sim_doors()}
            assert opens[pick_c] == opens0[pick_c]
            await wait_until(lambda: site.daemon.health()["store"]["writable"], limit=20)
        finally:
            await stop_site(site, emus)


async def test_reserve_lets_door_outcomes_land_on_a_full_disk(tmp_path: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """With the reserve: a door outcome still lands on a full disk; new deposits get one clear JSON
    error (no traceback); /healthz is 503 until the disk has room and the reserve is back."""
    monkeypatch.setattr(Store, "RESERVE_BYTES", 2 * 1024 * 1024)
    with small_disk(tmp_path / "disk", 64) as disk:
        site, emus = await start_site_at(disk / "site")
        try:
            svc = site.svc
            assert site.daemon.store.space()["reserve"] == "held"
            from httpx import ASGITransport, AsyncClient

            from edge.web.app import create_app

            app = create_app(site.daemon)
            async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
                tok = await http.post("/api/v1/kiosk/courier/session", json={"courier_code": "100001"})
                auth = {"Authorization": "Bearer " + tok.json()["token"]}
                dep = await svc.deposits.start(site.courier, tracking_number="SF1000000003", unit="1-101",
                                               phone_tail="1234")
                await site.settle()
                filler = fill_disk(disk)
                caplog.clear()
                with caplog.at_level(logging.INFO):
                    await site.close(dep["compartment"])
                    await svc.doors.drain()
                    # the close landed through the reserve: stored, with a code
                    assert (await svc.deposits.status(dep["deposit_id"]))["state"] == "stored"
                    assert site.daemon.store.space()["reserve"] == "released"
                    # new work is refused with one clear error while the reserve is spent
                    for _ in range(3):
                        r = await http.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000004",
                                            "unit": "1-101", "phone_tail": "1234"}, headers=auth)
                        assert r.status_code == 503
                        assert r.json()["error"] == "storage_full"
                        assert set(r.json()) >= {"error", "message"}
                    h = await http.get("/healthz")
                    assert h.status_code == 503
                    assert h.json()["store"]["writable"] is False
                assert "Traceback" not in caplog.text
                assert not [r for r in caplog.records if r.exc_info]
                # room again: the reserve comes back, health is ok, deposits are taken
                filler.unlink()
                await site.daemon.store.maintain_once()
                assert site.daemon.store.space()["reserve"] == "held"
                assert site.daemon.health()["store"]["writable"]
                h = await http.get("/healthz")
                assert h.status_code == 200
                r = await http.post("/api/v1/kiosk/deposits", json={"tracking_number": "SF1000000004",
                                    "unit": "1-101", "phone_tail": "1234"}, headers=auth)
                assert r.status_code == 201
        finally:
            await stop_site(site, emus)


async def test_free_space_is_reported_with_a_warning(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 64) as disk:
        site, emus = await start_site_at(disk / "site")
        try:
            space = site.daemon.health()["store"]
            assert 0 < space["free_mb"] <= 64
            assert space["low_space"] is True  # under the 64 MiB warning line on a 64 MiB disk
        finally:
            await stop_site(site, emus)
