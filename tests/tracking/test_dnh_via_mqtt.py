"""delivered_not_here and source_conflict through the real broker on the `.../tracking` topic, on the
simulated clock; HQ sees the ETA and the place in the anomaly events."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.cloud.test_anomalies_via_mqtt import Feed


async def _deposit(d: Any, tn: str) -> None:
    from edge.demo import seed_logins

    await d.store.write(lambda tx: seed_logins(tx, d.services.couriers))
    login = await d.services.couriers.login("100001", kiosk="test")
    dep = await d.services.deposits.start(login["courier"], tracking_number=tn, unit="1-101", phone_tail="1234")
    await asyncio.sleep(0.08)
    await d.services.doors.drain()
    bank = next(b for b in d.banks if dep["compartment"] in b.compartments)
    bank.sim_close(dep["compartment"])
    await asyncio.sleep(0.08)
    await d.services.doors.drain()


async def test_delivered_not_here_and_source_conflict_through_the_tracking_topic(broker, hq_factory, daemon_factory):
    hq = hq_factory()
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    f = Feed(d, hq)
    tn = "SF1700000000001"
    await d.services.parcels.expect(tracking_number=tn, unit="1-101", actor="hq:test", source="cloud")
    await f.settle()
    await f.send(tn, "SF", (0, "顺丰速运 已收取快件"), (1, "快件已投递至【幸福里3号楼丰巢柜】，请凭取件码取件"))
    await f.until(2.9)
    assert "delivered_not_here" not in f.open(tn)
    await f.until(3.1)
    assert f.open(tn) == {"delivered_not_here": "red"}
    assert f.count("parcel.anomaly_raised", tn, "delivered_not_here") == 1

    def raised() -> list[dict[str, Any]] | None:
        got = [e for e in hq.on("/events") if e["type"] == "parcel.anomaly_raised"
               and e["data"]["kind"] == "delivered_not_here"]
        return got or None

    ev = (await hq.wait_for(raised))[0]
    assert ev["data"]["place"] == {"kind": "locker", "name": "幸福里3号楼丰巢柜"}
    assert "eta_confidence" in ev["data"]
    # the courier deposits it here after all: cleared, once
    await _deposit(d, tn)
    await f.settle()
    assert f.open(tn) == {}
    assert f.count("parcel.anomaly_cleared", tn, "delivered_not_here") == 1

    # two sources disagree: HQ's feed says it is at a locker, Kuaidi100 says the delivery failed after that
    tn2 = "SF1700000000002"
    await f.send(tn2, "SF", (0, "顺丰速运 已收取快件"), (5, "快件已放入丰巢智能柜，请凭取件码取件"))
    await d.tracking.service.ingest(tn2, "SF", [{"time": f.at(6), "text": "快件派送不成功(因电话无人接听)"}],
                                                  source="kuaidi100")
    await f.settle()
    assert f.open(tn2).get("source_conflict") == "yellow"
