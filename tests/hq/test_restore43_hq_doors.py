"""Issue 18 with HQ (brief restore43; ADR 0057): after `lockerd restore`, HQ's copy of the replaced unit's events
after the backup (real PostgreSQL, real Mosquitto, `lockerd hq serve`) tells which doors it filled; `lockerd
restore-doors --apply` records them as holding a parcel without opening any, and a deposit on the new Pi never gets
one. With HQ unreachable it says so in words and the walk is the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edge.cli import backup as bk
from edge.cli import restore_doors as rd
from edge.clock import SimClock
from edge.demo import seed_logins
from edge.errors import Conflict
from edge.store.db import Store
from tests.conftest import Site
from tests.hq.conftest import q, wait_for


async def _site(sites: Any, broker_url: str, data_dir: Path, clock: SimClock) -> Site:
    d = await sites("s43", broker_url, data_dir=data_dir, clock=clock)
    await d.store.write(lambda tx: seed_logins(tx, d.services.couriers))
    login = await d.services.couriers.login("100001", kiosk="test")
    return Site(d, clock, data_dir, login["courier"])


async def test_hq_tells_the_restored_pi_which_doors_hold_parcels(sites: Any, hq_broker: Any, hq_serve: Any,
                                                                 db_url: str, tmp_path: Path) -> None:
    hq = hq_serve().start()
    clock = SimClock()
    old = await _site(sites, hq_broker.url, tmp_path / "old-pi", clock)
    known = await old.deposit("SF1000000000001", size="S")
    backup = bk.backup_database(old.daemon.store.path, tmp_path / "offpi")
    after = await old.deposit("SF1000000000002", unit="1-102", tail="5678", size="M")
    assert after["compartment"] == "A-02"
    wait_for(lambda: q(db_url, "SELECT 1 FROM events WHERE site = 's43' AND type = 'parcel.stored'"
                              " AND data->>'tracking_number' = 'SF1000000000002'"), what="HQ has the later deposit")
    await old.daemon.stop()

    bk.restore_database(backup, tmp_path / "new-pi" / bk.DB_NAME, now=clock.now())
    store = Store(tmp_path / "new-pi" / bk.DB_NAME, clock, "s43")
    store.open()
    try:
        restored_cmds = await store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM door_commands"))
        said = await rd.run(store, hq.url(""), hq.token, "s43", apply=False)
        assert any("A-02 holds a parcel (waybill SF1000000000002, for unit 1-102)" in s for s in said), said
        assert "run again with --apply" in "\n".join(said)
        said = await rd.run(store, hq.url(""), hq.token, "s43", apply=True)
        assert "recorded for the desk" in "\n".join(said) and "no door was opened" in said[-1]
        rows = await store.read(lambda tx: tx.all("SELECT id, state, unconfirmed FROM compartments ORDER BY id"))
        assert [(r["id"], r["state"], r["unconfirmed"]) for r in rows] == [
            ("A-01", "occupied", 0), ("A-02", "disabled", 0), ("A-03", "free", 1)]
        assert await store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM door_commands")) == restored_cmds
        tasks = await store.read(lambda tx: tx.all("SELECT compartment_id, detail FROM tasks WHERE kind = 'found_parcel'"))
        assert [t["compartment_id"] for t in tasks] == ["A-02"] and "SF1000000000002" in tasks[0]["detail"]
        # HQ refusing (a wrong token) or away: said in words, nothing recorded
        with pytest.raises(rd.HqUnreachable, match="check the address and the token"):
            await rd.run(store, hq.url(""), "wrong", "s43", apply=True)
    finally:
        store.close()
    hq.stop()
    with pytest.raises(rd.HqUnreachable, match="could not be reached"):
        rd.fetch_events(hq.url(""), hq.token, "s43", "x", 0, timeout=2)

    new = await _site(sites, hq_broker.url, tmp_path / "new-pi", clock)
    fired = await new.daemon.store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM door_commands"))
    with pytest.raises(Conflict):  # A-02 holds the later parcel, A-03 is not checked yet
        await new.svc.deposits.start(new.courier, tracking_number="SF1000000000003", unit="1-101", phone_tail="1234")
    assert await new.daemon.store.read(lambda tx: tx.scalar("SELECT COUNT(*) FROM door_commands")) == fired
    await new.svc.restore_doors.confirm_empty("A-03", actor="staff:alice")
    dep = await new.deposit("SF1000000000004")
    assert dep["compartment"] == "A-03" and known["compartment"] == "A-01"
