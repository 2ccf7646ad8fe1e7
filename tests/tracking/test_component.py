"""The tracking component inside a real in-process daemon on simulated hardware."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import Site


async def _until(pred: Any, limit_s: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + limit_s
    while not await pred():
        assert loop.time() < end, "condition not reached"
        await asyncio.sleep(0.02)


async def test_expected_parcel_is_followed_flagged_and_cleared_on_deposit(site: Site) -> None:
    comp = site.daemon.tracking
    svc = comp.service
    tn = "SF1234567890123"
    p = await site.svc.parcels.expect(tracking_number=tn, unit="1-101", phone_tail="1234", category="medicine",
                                      actor="resident", source="resident")

    async def followed() -> bool:
        return await site.daemon.store.read(
            lambda tx: tx.scalar("SELECT parcel_id FROM tracked WHERE tracking_number = ?", (tn,))) == p["id"]

    await _until(followed)
    now = site.clock.now().isoformat()
    await svc.ingest(tn, "SF Express", [{"time": now, "text": "顺丰速运 已收取快件"}], "mqtt")
    site.clock.advance(13 * 3600)  # medicine: stalled after 12 h; the component's tick follows the clock

    async def raised() -> bool:
        return any(a["kind"] == "stalled" for a in await svc.open_anomalies())

    await _until(raised)
    ev = (await site.events("parcel.anomaly_raised"))[0]["data"]
    assert ev["parcel_id"] == p["id"] and ev["tracking_number"] == tn and ev["kind"] == "stalled"

    await site.deposit(tn, unit="1-101")

    async def cleared() -> bool:
        return not await svc.open_anomalies()

    await _until(cleared)
    assert [e["data"]["kind"] for e in await site.events("parcel.anomaly_cleared")] == ["stalled"]
    assert comp.status()["failures"] == 0
    assert svc.telemetry()["anomalies_by_severity"] == {"yellow": 0, "red": 0}


async def test_events_committed_off_the_loop_reach_the_component(site: Site) -> None:
    tn = "YT1234567890123"
    data = {"tracking_number": tn, "parcel_id": None, "category": "fresh", "cross_border": True}
    await asyncio.to_thread(site.daemon.store.write_sync, lambda tx: tx.emit("parcel.expected", data))

    async def followed() -> bool:
        row = await site.daemon.store.read(
            lambda tx: tx.one("SELECT category, cross_border FROM tracked WHERE tracking_number = ?", (tn,)))
        return row == {"category": "fresh", "cross_border": 1}

    await _until(followed)


async def test_expected_parcels_registered_before_start_are_followed(tmp_path: Any) -> None:
    from tests.conftest import start_site

    site = await start_site(tmp_path / "s1")
    try:
        await site.svc.parcels.expect(tracking_number="SF1234567890999", unit="1-101", actor="desk", source="staff")
    finally:
        await site.daemon.stop()
    # a site whose tracking table lost the row (or an upgrade from before tracking): caught up at start
    import sqlite3

    con = sqlite3.connect(tmp_path / "s1" / "lockerd.db")
    con.execute("DELETE FROM tracked")
    con.commit()
    con.close()
    site = await start_site(tmp_path / "s1")
    try:
        async def followed() -> bool:
            return await site.daemon.store.read(lambda tx: tx.scalar(
                "SELECT COUNT(*) FROM tracked WHERE tracking_number = 'SF1234567890999'")) == 1

        await _until(followed)
    finally:
        await site.daemon.stop()
