"""Connection behaviour: first connection retried until the broker exists, jittered backoff."""

from __future__ import annotations

import asyncio

from cloudsync.link import backoff_delay
from cloudsync.topics import parse_broker_url


def test_backoff_is_jittered_and_capped():
    delays = [backoff_delay(a, 1.0, 60.0) for a in range(12) for _ in range(20)]
    assert min(delays) >= 0.5 and max(delays) <= 60.0
    assert len({round(d, 3) for d in delays[:20]}) > 5, "jitter: not the same delay each time"
    assert max(backoff_delay(10, 1.0, 60.0) for _ in range(200)) > 30


def test_broker_urls():
    assert parse_broker_url("mqtts://user:pw@broker.example.com").port == 8883
    u = parse_broker_url("mqtt://127.0.0.1:1884")
    assert (u.host, u.port, u.tls) == ("127.0.0.1", 1884, False)
    for bad in ("http://x", "mqtt://", "mqtt://h:notaport", "broker:1883"):
        try:
            parse_broker_url(bad)
        except ValueError as exc:
            assert bad in str(exc) or "port" in str(exc)
        else:
            raise AssertionError(bad)


async def test_first_connection_waits_for_the_broker(broker, hq_factory, daemon_factory):
    broker.stop()
    d = await daemon_factory(broker.url)  # starts fine without a broker
    cloud = d.cloud
    await d.store.write(lambda tx: tx.emit("door.opened", {"compartment": "A-01"}))
    for _ in range(100):
        if cloud.status()["last_error"]:
            break
        await asyncio.sleep(0.05)
    status = cloud.status()
    assert status["connected"] is False and "refused" in status["last_error"].lower()
    broker.start()
    hq = hq_factory()
    birth = await hq.online(d.boot_id)
    assert birth["bdseq"] >= 2  # one attempt failed, each attempt counts
    await hq.wait_for(lambda: [e for e in hq.on("/events") if e["type"] == "door.opened"])
    assert d.health()["components"]["cloud"]["connected"] is True


async def test_a_bad_command_key_file_keeps_events_flowing(broker, hq_factory, daemon_factory, tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    hq = hq_factory()
    d = await daemon_factory(broker.url, bad)
    cloud = d.cloud
    assert cloud.status()["command_keys"] == 0
    await hq.online(d.boot_id)
    await d.store.write(lambda tx: tx.emit("door.opened", {"compartment": "A-01"}))
    await hq.wait_for(lambda: [e for e in hq.on("/events") if e["type"] == "door.opened"])
