from __future__ import annotations


async def test_daemon_publishes_birth_and_events(broker, hq_factory, daemon_factory, signing_key):
    hq = hq_factory()
    d = await daemon_factory(broker.url, signing_key[1])
    cloud = d.cloud
    births = await hq.wait_for(lambda: [m for m in hq.on("/status") if m.get("online")])
    assert births[0]["boot_id"] == d.boot_id
    await d.services.compartments.disable("A-01", actor="staff:t", reason="test")
    ev = await hq.wait_for(lambda: [m for m in hq.on("/events") if m["type"] == "compartment.disabled"])
    assert ev[0]["site"] == "site-test-1"
    await hq.wait_for(lambda: cloud.publisher.acked >= 1)
    assert cloud.status()["connected"]
