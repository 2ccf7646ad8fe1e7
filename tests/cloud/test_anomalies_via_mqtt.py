"""Each anomaly kind, fed through the real broker on the `.../tracking` topic, on the simulated clock:
raised at its threshold and not before, never twice, cleared when resolved, and seen by HQ."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from edge.clock import utc_iso
from tests.cloud.conftest import SITE, validate_published

TOPIC = f"lockerd/v1/{SITE}/tracking"


class Feed:
    def __init__(self, d: Any, hq: Any) -> None:
        self.d, self.hq = d, hq
        self.t0 = d.clock.now()
        self.svc = d.tracking.service
        self.cloud = d.cloud
        self.sent: set[str] = set()  # distinct payloads published

    def at(self, h: float) -> str:
        return utc_iso(self.t0 + timedelta(hours=h))

    async def send(self, tn: str, carrier: str, *events: tuple[Any, ...]) -> None:
        before = self.cloud.tracking.received
        evs = [{"time": self.at(e[0]), "text": e[1], **({"location": e[2]} if len(e) > 2 else {})} for e in events]
        payload = json.dumps({"tracking_number": tn, "carrier": carrier, "events": evs}, ensure_ascii=False)
        self.sent.add(payload)
        self.hq.publish(TOPIC, payload)
        await self.hq.wait_for(lambda: self.cloud.tracking.received > before)
        # received counts an update as it arrives; it is handled once its inbox row is ingested (a
        # repeated payload is a duplicate of a row already there): wait for that, not for a fixed time
        await self.hq.wait_for(lambda: self.ingested() >= len(self.sent))
        await self.settle()

    def ingested(self) -> int:
        return int(self.d.store.read_sync(lambda tx: tx.scalar(
            "SELECT COUNT(*) FROM cloud_tracking_inbox WHERE ingested_at IS NOT NULL")))

    async def settle(self) -> None:
        await self.hq.wait_for(lambda: not self.d.tracking._pending)  # follow-ups of stored events
        await self.svc.sweep()

    async def until(self, h: float) -> None:
        target = self.t0 + timedelta(hours=h)
        self.d.clock.advance(max(0.0, (target - self.d.clock.now()).total_seconds()))
        await self.svc.sweep()

    def open(self, tn: str) -> dict[str, str]:
        rows = self.d.store.read_sync(lambda tx: tx.all(
            "SELECT kind, severity FROM anomalies WHERE tracking_number = ? AND cleared_at IS NULL", (tn,)))
        return {r["kind"]: r["severity"] for r in rows}

    def count(self, type_: str, tn: str, kind: str) -> int:
        rows = self.d.store.read_sync(lambda tx: tx.all("SELECT data FROM events WHERE type = ?", (type_,)))
        return sum(1 for r in rows if (x := json.loads(r["data"]))["tracking_number"] == tn and x["kind"] == kind)


async def test_every_anomaly_kind_through_the_tracking_topic(broker, hq_factory, daemon_factory):
    hq = hq_factory()
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    f = Feed(d, hq)
    # pre-registered parcels (as HQ's parcel.expect would): an expected date, a cross-border one
    await d.services.parcels.expect(tracking_number="SF5000000000007", unit="1-101", expected_by=f.at(30),
                                    actor="hq:test", source="cloud")
    await d.services.parcels.expect(tracking_number="EE123456789CN", unit="1-101", cross_border=True,
                                    actor="hq:test", source="cloud")
    await f.settle()

    # time-driven kinds: raised at the threshold, not before
    await f.send("SF5000000000001", "SF", (0, "已下单，等待揽收"))          # no_first_scan at 24 h
    await f.send("SF5000000000002", "SF", (0, "顺丰速运 已收取快件"))        # stalled at 24 h
    await f.send("SF5000000000007", "SF", (0, "已揽收"), (0.5, "快件到达 【北京顺义集散中心】"))  # late after 30 h
    await f.send("EE123456789CN", "EMS", (0, "Departed from departure country/region"))  # cross_border_stale
    await f.until(23.9)
    assert "no_first_scan" not in f.open("SF5000000000001")
    assert "stalled" not in f.open("SF5000000000002")
    await f.until(24.05)
    assert f.open("SF5000000000001").get("no_first_scan") == "yellow"
    assert f.open("SF5000000000002").get("stalled") == "yellow"
    await f.until(29.9)
    assert "late" not in f.open("SF5000000000007")
    await f.until(30.1)
    assert "late" in f.open("SF5000000000007")

    # event-driven kinds: raised by the update itself
    await f.send("SF5000000000003", "SF", (1, "已揽收"), (20, "正在派送途中"), (22, "快件派送不成功(因电话无人接听)"))
    assert f.open("SF5000000000003") == {"delivery_failed": "yellow"}
    await f.send("DHL1234567890", "DHL", (1, "Shipment picked up"), (10, "Clearance delay - Import"))
    assert "customs_held" in f.open("DHL1234567890")
    await f.send("ZTO500000000004", "ZTO", (0, "收件"), (30, "退件"))
    assert f.open("ZTO500000000004") == {"returned": "red"}
    await f.send("SF5000000000005", "SF", (0, "已揽收"), (5, "快件外包装破损，正在处理"))
    assert "exception" in f.open("SF5000000000005")
    # stuck at one node for over 48 h while scans keep coming from it
    await f.send("SF5000000000006", "SF", (31, "已揽收", "深圳"), (32, "快件到达", "广州中转场"))
    for h in (44, 56, 68):
        await f.until(h)
        await f.send("SF5000000000006", "SF", (h, "在分拣中心进行分拣", "广州中转场"))
    await f.until(79.9)
    assert "stuck_at_node" not in f.open("SF5000000000006")
    await f.until(80.2)
    assert "stuck_at_node" in f.open("SF5000000000006")
    await f.until(24 * 22)
    assert "cross_border_stale" in f.open("EE123456789CN")

    # resolved: cleared once; the same update again changes nothing
    await f.send("SF5000000000003", "SF", (40, "快件已放入丰巢智能柜，请凭取件码取件"))
    assert "delivery_failed" not in f.open("SF5000000000003")
    await f.send("SF5000000000003", "SF", (40, "快件已放入丰巢智能柜，请凭取件码取件"))
    for tn, kind in (("SF5000000000001", "no_first_scan"), ("SF5000000000002", "stalled"),
                     ("SF5000000000003", "delivery_failed"), ("DHL1234567890", "customs_held"),
                     ("ZTO500000000004", "returned"), ("SF5000000000005", "exception"),
                     ("SF5000000000006", "stuck_at_node"), ("SF5000000000007", "late"),
                     ("EE123456789CN", "cross_border_stale")):
        assert f.count("parcel.anomaly_raised", tn, kind) == 1, (tn, kind)
    assert f.count("parcel.anomaly_cleared", "SF5000000000003", "delivery_failed") == 1
    # HQ receives the anomaly events, valid against the contract's schemas
    def raised() -> list[dict[str, Any]] | None:
        got = [e for e in hq.on("/events") if e["type"] == "parcel.anomaly_raised"]
        return got if len(got) >= 9 else None

    got = await hq.wait_for(raised, within=20)
    assert {e["data"]["kind"] for e in got} >= {"no_first_scan", "stalled", "late", "delivery_failed", "customs_held",
                                                "returned", "exception", "stuck_at_node", "cross_border_stale"}
    assert validate_published(hq) > 0
