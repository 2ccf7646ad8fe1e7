"""Telemetry, the retained compartment snapshot, tracking updates from HQ, the disk cap and retention."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cloudsync.publisher import prune_events
from cloudsync.telemetry import cpu_temperature_c
from tests.cloud.conftest import SITE, validate_published


async def test_telemetry_and_snapshot(broker, hq_factory, daemon_factory, tmp_path):
    hq = hq_factory()
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    cloud = d.cloud
    doc = await cloud.telemetry_now()
    assert doc["occupancy"]["S"]["total"] == 1 and doc["mqtt"]["connected"] is True
    has_anomalies = await d.store.read(lambda tx: tx.scalar(
        "SELECT count(*) FROM sqlite_master WHERE name = 'anomalies'"))
    if has_anomalies:  # the tracking part's table: open anomalies are counted by severity
        await d.store.write(lambda tx: tx.execute(
            "INSERT INTO anomalies (tracking_number, kind, severity, raised_at) VALUES ('T1', 'stalled', 'red', ?)",
            (tx.ts,)))
        doc = await cloud.telemetry_now()
        assert doc["anomalies"]["red"] == 1
    tele = await hq.wait_for(lambda: hq.on("/telemetry"))
    assert tele[0]["version"] == d.version
    snap = await hq.wait_for(lambda: hq.on("/state/compartments"))
    assert [c["id"] for c in snap[-1]["compartments"]] == ["A-01", "A-02", "A-03"]
    await d.services.compartments.disable("A-03", actor="staff:t", reason="test")
    snap = await hq.wait_for(lambda: [s for s in hq.on("/state/compartments")
                                      if any(c["state"] == "disabled" for c in s["compartments"])])
    retained = [r for t, p, r in hq.messages if t.endswith("/state/compartments")]
    assert retained  # a late subscriber gets the snapshot as a retained message
    late = hq_factory(client_id="hq-late")
    got = await late.wait_for(lambda: [(t, r) for t, p, r in late.messages if t.endswith("/state/compartments")])
    assert got[0][1] is True
    assert validate_published(hq) >= 4


def test_cpu_temperature(tmp_path):
    z = tmp_path / "thermal_zone0"
    z.mkdir()
    (z / "type").write_text("cpu-thermal\n")
    (z / "temp").write_text("48312\n")
    assert cpu_temperature_c(tmp_path) == 48.3
    assert cpu_temperature_c(tmp_path / "missing") is None


async def test_tracking_updates_kept_then_ingested(broker, hq_factory, daemon_factory):
    hq = hq_factory()
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    real, d.tracking = d.tracking, None  # first as if the site ran no tracking part
    topic = f"lockerd/v1/{SITE}/tracking"
    update = {"tracking_number": "SF1400000000001", "carrier": "sf",
              "events": [{"time": "2026-11-20T08:00:00Z", "text": "已揽收", "location": "深圳"},
                         {"time": "2026-11-20T20:00:00+08:00", "text": "到达 深圳转运中心", "code": 10}]}
    for junk in (b"", b"garbage", b"[]", json.dumps({"tracking_number": 5}).encode(),
                 json.dumps({"tracking_number": "X", "events": [{"time": "noon", "text": "x"}]}).encode(),
                 json.dumps({"tracking_number": "X", "events": "none"}).encode()):
        hq.publish(topic, junk)
    hq.publish(topic, json.dumps(update, ensure_ascii=False))
    hq.publish(topic, json.dumps(update, ensure_ascii=False))  # idempotent
    cloud = d.cloud
    await hq.wait_for(lambda: cloud.tracking.received >= 2 and cloud.tracking.invalid >= 6)
    rows = await d.store.read(lambda tx: tx.all("SELECT tracking_number, ingested_at FROM cloud_tracking_inbox"))
    assert rows == [{"tracking_number": "SF1400000000001", "ingested_at": None}]

    calls = []

    class FakeTracking:
        async def ingest(self, tracking_number, carrier, events, source):
            calls.append((tracking_number, carrier, len(events), source))

    d.tracking = type("C", (), {"service": FakeTracking()})()
    assert await cloud.tracking.replay_pending() == 1
    update["events"].append({"time": "2026-11-21T09:00:00Z", "text": "派件中"})
    assert await cloud.tracking.handle(json.dumps(update).encode()) == "ingested"
    assert calls == [("SF1400000000001", "sf", 2, "mqtt"), ("SF1400000000001", "sf", 3, "mqtt")]
    d.tracking = real  # the real tracking part takes the same path
    if real is not None:
        update["events"].append({"time": "2026-11-21T10:00:00Z", "text": "已签收"})
        assert await cloud.tracking.handle(json.dumps(update).encode()) == "ingested"


async def test_disk_cap_drops_droppable_only_and_says_so(broker, daemon_factory):
    d = await daemon_factory("mqtt://127.0.0.1:9")  # nothing listens there: the site stays offline
    pub = d.cloud.publisher
    pub.max_rows = 100  # CloudConfig.outbox_max_rows, scaled down for the test
    await d.store.write(lambda tx: [tx.emit("site.telemetry_sample", {"i": i}, droppable=True) for i in range(90)])
    await d.store.write(lambda tx: [tx.emit("parcel.stored", {"parcel_id": str(i), "tracking_number": "T",
                                                              "compartment": "A-01", "pickup_code": "1"})
                                    for i in range(30)])
    await pub.maintain()
    depth, kinds = await d.store.read(lambda tx: (
        tx.scalar("SELECT count(*) FROM outbox"),
        {r["type"]: r["n"] for r in tx.all("SELECT e.type, count(*) AS n FROM outbox o JOIN events e USING (seq) "
                                           "GROUP BY e.type")}))
    assert kinds["parcel.stored"] == 30
    assert depth <= 100 and pub.dropped == 20
    doc = await d.cloud.telemetry.gather()
    assert doc["outbox"]["dropped_telemetry"] == 20 and doc["mqtt"]["connected"] is False
    d.clock.advance(120)
    assert doc["outbox"]["depth"] == depth and d.cloud.status()["oldest_unsent_age_s"] >= 120
    # over the cap with parcel events only: kept, and flagged
    await d.store.write(lambda tx: [tx.emit("parcel.expected", {"tracking_number": str(i)}) for i in range(100)])
    await pub.maintain()
    assert pub.over_cap is True
    assert await d.store.read(lambda tx: tx.scalar(
        "SELECT count(*) FROM outbox o JOIN events e USING (seq) WHERE e.type LIKE 'parcel.%'")) == 130


async def test_retention_prunes_only_published_old_events(broker, daemon_factory):
    d = await daemon_factory("mqtt://127.0.0.1:9")
    await d.store.write(lambda tx: [tx.emit("door.opened", {"compartment": "A-01"}) for _ in range(10)])
    await d.store.write(lambda tx: tx.execute("DELETE FROM outbox WHERE seq IN (SELECT seq FROM events LIMIT 6)"))
    d.clock.advance(timedelta(days=31).total_seconds())
    await d.store.write(lambda tx: tx.emit("door.opened", {"compartment": "A-02"}))
    # the cloud component's own maintenance loop also wakes on the clock jump and may prune first
    assert await prune_events(d.store, d.clock, 30) in (0, 6)
    left = await d.store.read(lambda tx: tx.scalar("SELECT count(*) FROM events WHERE type = 'door.opened'"))
    assert left == 5


async def test_telemetry_reports_free_space(broker, hq_factory, daemon_factory):
    """Issue 20: the store's free space and write health go to HQ in telemetry, as in /healthz."""
    hq = hq_factory()
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    doc = await d.components["cloud"].telemetry_now()
    store = doc["store"]
    assert store["writable"] is True and store["low_space"] is False and store["free_mb"] > 0
    d.store.LOW_SPACE_BYTES = 2**62  # as if the card were nearly full
    await d.components["cloud"].telemetry_now()
    tele = await hq.wait_for(lambda: [t for t in hq.on("/telemetry") if t.get("store", {}).get("low_space")])
    assert tele[-1]["store"]["free_mb"] == pytest.approx(store["free_mb"], rel=0.1)
    assert validate_published(hq) >= 2
