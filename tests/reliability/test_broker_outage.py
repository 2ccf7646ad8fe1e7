"""The broker down while 10,000 events accumulate, then restarted once more in the middle of the drain.

tests/cloud/test_delivery.py::test_every_event_survives_a_broker_outage covers the shape with 200
events; this is the DESIGN.md section 7 size: 10,000 parcel and door events written while Mosquitto
is down (in 20 transactions), the broker started, stopped again once HQ has a third of them, started
again. HQ (a persistent MQTT v5 session on a real Mosquitto with persistence) must end with every
event: 0 lost, seq gap-free after de-duplication by id, the outbox empty, and a new birth after each
reconnection. Reuses the cloud engineer's fixtures (real Mosquitto on a free loopback port).
"""

from __future__ import annotations

import asyncio
import json
import os
import time

import pytest

from tests.cloud.conftest import broker, daemon_factory, hq_factory  # noqa: F401 (pytest fixtures)
from tests.cloud.test_delivery import assert_gap_free, drained, outbox_depth, received

EVENTS = int(os.environ.get("LOCKERD_OUTAGE_EVENTS", "10000"))
TYPES = ["parcel.stored", "door.opened", "parcel.collected", "door.left_open"]


async def emit_batch(d, start: int, n: int) -> None:  # type: ignore[no-untyped-def]
    def fn(tx) -> None:  # type: ignore[no-untyped-def]
        for i in range(start, start + n):
            tx.emit(TYPES[i % len(TYPES)], {"compartment": f"A-{i % 24 + 1:02d}", "i": i})

    await d.store.write(fn)


@pytest.mark.broker
@pytest.mark.timeout(180)
async def test_10000_events_survive_an_outage_and_a_restart_mid_drain(broker, hq_factory, daemon_factory):  # noqa: F811
    hq = hq_factory(client_id="hq-outage-10k", persistent=True)
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    base = len(received(hq))  # boot-time events already published
    broker.stop()
    await asyncio.sleep(1.0)
    assert not d.cloud.status()["connected"]
    per = EVENTS // 20
    for k in range(20):
        await emit_batch(d, k * per, per)
    depth = await outbox_depth(d.store)
    assert depth >= EVENTS
    t0 = time.monotonic()
    broker.start()
    await hq.wait_for(lambda: len(received(hq)) >= base + EVENTS // 3, within=60)
    broker.stop()  # down again in the middle of the drain
    await asyncio.sleep(1.0)
    broker.start()
    await hq.wait_for(lambda: len(received(hq)) >= base + EVENTS, within=120)
    drain_s = time.monotonic() - t0
    await drained(d.store, within=30)
    ids = received(hq)
    total = sum(1 for _ in hq.on("/events"))
    ours = {i: s for i, s in ids.items()}
    assert len(ours) >= base + EVENTS
    assert_gap_free(ours)
    births = {b["bdseq"] for b in hq.on("/status") if b.get("online") and b["boot_id"] == d.boot_id}
    assert len(births) >= 2, births  # HQ, reconnecting itself, may see only the latest retained birth
    print("broker outage:", json.dumps({"events_during_outage": EVENTS, "outbox_depth_at_restart": depth,
                                        "received_unique": len(ours), "received_total": total,
                                        "duplicates": total - len(ours), "lost": 0,
                                        "births": len(births), "drain_with_restart_s": round(drain_s, 2)}))
