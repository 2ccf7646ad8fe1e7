"""Issue 18 (trial42): after `lockerd restore` onto a new Pi, no door the replaced unit filled after the backup is
given to a deposit. Every door the backup shows empty is unconfirmed until staff check it; pickups of the parcels
the backup knows work as before; nothing opens a door as a side effect of the check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from edge.cli import backup as bk
from edge.errors import Conflict, DomainError
from tests.conftest import Site, start_site


async def _door_commands(s: Site) -> int:
    return int(await s.daemon.store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM door_commands")))


async def _restored(tmp_path: Path) -> tuple[Site, dict[str, Any], set[str]]:
    """A site with one parcel at backup time, two more deposited on the old Pi after the backup, then restored
    onto a new Pi. Returns the new site, the parcel the backup knows, and the doors filled after the backup."""
    old = await start_site(tmp_path / "old-pi")
    try:
        known = await old.deposit("SF1000000000001")
        backup = bk.backup_database(old.daemon.store.path, tmp_path / "offpi")
        after = {(await old.deposit(tn))["compartment"] for tn in ("SF1000000000002", "SF1000000000003")}
        assert known["compartment"] not in after
    finally:
        await old.daemon.stop()
    old.clock.advance(600)
    bk.restore_database(backup, tmp_path / "new-pi" / bk.DB_NAME, now=old.clock.now())
    new = await start_site(tmp_path / "new-pi", clock=old.clock)
    return new, known, after


async def test_a_deposit_on_the_restored_pi_never_gets_a_door_filled_after_the_backup(tmp_path: Path) -> None:
    new, known, after = await _restored(tmp_path)
    try:
        svc = new.svc.restore_doors
        pending = {r["id"] for r in await svc.pending()}
        grid = {c["id"]: c for c in await new.svc.compartments.grid()}
        assert pending == {cid for cid, c in grid.items() if c["state"] != "occupied"}
        assert after <= pending and known["compartment"] not in pending
        assert sum((await new.svc.compartments.free_by_size()).values()) == 0
        fired = await _door_commands(new)
        # every door unchecked: the deposit is refused in words, nothing opens, and the refusal says why
        with pytest.raises(Conflict) as exc:
            await new.svc.deposits.start(new.courier, tracking_number="SF1000000000004", unit="1-101",
                                         phone_tail="1234")
        assert exc.value.code == "no_compartment" and exc.value.extra["unchecked"] == len(pending)
        assert await _door_commands(new) == fired
        # the parcel the backup knows is collected as before
        code = await new.code_of(known["parcel_id"])
        got = await new.svc.pickups.submit(code)
        assert [(p["compartment"], p["door"]) for p in got["parcels"]] == [(known["compartment"], "opening")]
        await new.settle()
        await new.close(known["compartment"])
        fired = await _door_commands(new)

        # staff check: one door empty, the doors filled after the backup hold parcels, then a deposit
        one_empty = sorted(pending - after)[0]
        await svc.confirm_empty(one_empty, actor="staff:alice")
        for cid in sorted(after):
            row = await svc.holds_parcel(cid, actor="staff:alice", waybill="sf1000000000002 ", unit="1-101")
            assert row["state"] == "disabled" and not row["unconfirmed"]
        assert await _door_commands(new) == fired  # no door opened by the check
        # only the door checked empty, and the one the pickup emptied (the backup knew its parcel), are given
        given = {(await new.deposit(f"SF200000000000{n}"))["compartment"] for n in range(2)}
        assert given == {one_empty, known["compartment"]}
        with pytest.raises(Conflict) as exc:
            await new.svc.deposits.start(new.courier, tracking_number="SF2000000000009", unit="1-101",
                                         phone_tail="1234")
        assert exc.value.extra["unchecked"] == len(pending) - 1 - len(after)
        tasks = await new.daemon.store.read(lambda tx: tx.all(
            "SELECT compartment_id, detail FROM tasks WHERE kind = 'found_parcel' ORDER BY compartment_id"))
        assert [t["compartment_id"] for t in tasks] == sorted(after)
        assert json.loads(tasks[0]["detail"]) == {"waybill": "SF1000000000002", "unit": "1-101"}
        audit = await new.daemon.store.read(lambda tx: tx.all(
            "SELECT action, target FROM audit WHERE action LIKE 'compartment.%' ORDER BY id"))
        assert ("compartment.confirm_empty", one_empty) in [(a["action"], a["target"]) for a in audit]
    finally:
        await new.daemon.stop()


async def test_a_deposit_uses_only_doors_confirmed_empty(tmp_path: Path) -> None:
    new, known, after = await _restored(tmp_path)
    try:
        svc = new.svc.restore_doors
        pending = await svc.pending()
        bank = pending[0]["bank"]
        done = await svc.confirm_bank_empty(bank, actor="staff:alice")
        assert done and all(r["bank"] == bank for r in pending if r["id"] in done)
        dep = await new.deposit("SF3000000000001")
        assert dep["compartment"] in done
        # a door already confirmed, a bank with nothing left: refused in words, nothing changes
        with pytest.raises(DomainError) as exc:
            await svc.confirm_empty(done[0], actor="staff:alice")
        assert exc.value.code == "compartment_confirmed"
        with pytest.raises(DomainError) as exc:
            await svc.confirm_bank_empty(bank, actor="staff:alice")
        assert exc.value.code == "bank_nothing_unconfirmed"
    finally:
        await new.daemon.stop()


async def test_a_site_never_restored_has_no_door_to_check(site: Site) -> None:
    assert await site.svc.restore_doors.count() == 0
    assert (await site.deposit("SF4000000000001"))["compartment"]
