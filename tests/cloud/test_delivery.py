"""The outbox never loses an event: broker restarts, kill -9 of the draining process, PUBACKs that
refuse (ACL, 0x87) and connections that drop before the PUBACK. Real Mosquitto throughout."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from edge.clock import SimClock
from edge.store.db import Store
from tests.cloud.conftest import SITE, Broker, validate_published

CHILD = Path(__file__).with_name("site_child.py")


async def emit(d, n: int, type_: str = "door.opened") -> None:
    await d.store.write(lambda tx: [tx.emit(type_, {"compartment": "A-01", "i": i}) for i in range(n)])


def received(hq) -> dict[str, int]:
    return {e["id"]: e["seq"] for e in hq.on("/events")}


def count_received(hq) -> int:
    with hq.lock:
        return len(hq.parsed.get("events", []))


def assert_gap_free(ids: dict[str, int]) -> None:
    seqs = sorted(ids.values())
    assert len(seqs) == len(set(seqs)), "two ids share a seq"
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "seq has gaps"


async def outbox_depth(store) -> int:
    return await store.read(lambda tx: int(tx.scalar("SELECT count(*) FROM outbox")))


async def drained(store, within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while await outbox_depth(store):
        assert asyncio.get_running_loop().time() < deadline, "outbox not drained"
        await asyncio.sleep(0.05)


async def test_every_event_survives_a_broker_outage(broker, hq_factory, daemon_factory):
    hq = hq_factory(client_id="hq-outage", persistent=True)
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    await emit(d, 100)
    await hq.wait_for(lambda: len(received(hq)) >= 100)
    broker.stop()
    await emit(d, 200)  # while the broker is down
    await hq.wait_for(lambda: not d.cloud.status()["connected"], within=10)  # the site notices it is gone
    assert await outbox_depth(d.store) >= 200
    broker.start()
    await emit(d, 100)
    await hq.wait_for(lambda: len(received(hq)) >= 400, within=30)
    ids = received(hq)
    assert len(ids) == 400
    assert_gap_free(ids)
    await drained(d.store)
    births = [m for m in hq.on("/status") if m.get("online") and m["boot_id"] == d.boot_id]
    assert len({b["bdseq"] for b in births}) >= 2, "a new birth with a new bdseq after reconnecting"
    validate_published(hq)


def spawn(data_dir: Path, broker: Broker) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, str(CHILD), str(data_dir), broker.url], stdout=subprocess.PIPE,
                            text=True, cwd=str(CHILD.parents[2]))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("ready"), line
    return proc


async def test_kill_9_while_draining_loses_nothing_and_the_will_fires(broker, hq_factory, tmp_path):
    data_dir = tmp_path / "site"
    n = 5000
    store = Store(data_dir / "lockerd.db", SimClock(), SITE)
    store.open()
    ids_written = store.write_sync(lambda tx: [tx.emit("parcel.expected", {"tracking_number": f"T{i}"})
                                               for i in range(n)])
    store.close()
    assert len(ids_written) == n
    hq = hq_factory(client_id="hq-kill", persistent=True)

    first = spawn(data_dir, broker)
    killed = threading.Event()

    def kill_mid_drain() -> None:
        # on paho's thread, at the 300th event: a poll from the test's loop could come late enough on a
        # loaded machine for the whole outbox to have drained (the child runs ~500 events ahead of HQ)
        if not killed.is_set() and count_received(hq) >= 300:
            os.kill(first.pid, signal.SIGKILL)
            killed.set()

    hq.after_message = kill_mid_drain
    birth1 = await hq.online()
    await hq.wait_for(killed.is_set, within=20)
    hq.after_message = None
    first.wait()
    partial = len(received(hq))
    left = Store(data_dir / "lockerd.db", SimClock(), SITE)
    left.open()
    try:  # the kill really happened mid-drain
        assert left.read_sync(lambda tx: tx.scalar("SELECT count(*) FROM outbox")) > 0
    finally:
        left.close()
    will = await hq.wait_for(lambda: [m for m in hq.on("/status") if not m["online"]])
    assert will[0]["boot_id"] == birth1["boot_id"] and will[0]["bdseq"] == birth1["bdseq"]
    assert "ts" not in will[0], "this is the Last Will, not a clean-shutdown message"

    second = spawn(data_dir, broker)
    try:
        birth2 = await hq.wait_for(lambda: [m for m in hq.on("/status") if m.get("online")
                                            and m["boot_id"] != birth1["boot_id"]])
        assert birth2[0]["bdseq"] > birth1["bdseq"]
        await hq.wait_for(lambda: count_received(hq) >= n and len(received(hq)) >= n, within=60)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0
    ids = received(hq)
    assert len(ids) == n and partial < n
    assert_gap_free(ids)
    offline = await hq.wait_for(lambda: [m for m in hq.on("/status") if not m["online"]
                                         and m["boot_id"] == birth2[0]["boot_id"]])
    assert "ts" in offline[0]  # the clean-shutdown status
    # and no Will after it: the retained status a newcomer gets is still the clean one
    late = hq_factory(client_id="hq-late-status", subs=(f"lockerd/v1/{SITE}/status",))
    retained = await late.wait_for(lambda: late.on("/status"))
    assert retained[-1]["online"] is False and "ts" in retained[-1]
    assert retained[-1]["boot_id"] == birth2[0]["boot_id"]
    store = Store(data_dir / "lockerd.db", SimClock(), SITE)
    store.open()
    try:
        assert store.read_sync(lambda tx: tx.scalar("SELECT count(*) FROM outbox")) == 0
    finally:
        store.close()
    validate_published(hq)


async def test_refused_puback_keeps_the_row_until_accepted(tmp_path, hq_factory_acl, daemon_factory):
    broker, hq, acl = hq_factory_acl
    d = await daemon_factory(broker.url)
    pub = d.cloud.publisher
    pub.retry_min_s = 0.2
    await hq.online(d.boot_id)
    await emit(d, 5)
    await hq.wait_for(lambda: pub.refused >= 5)
    assert await outbox_depth(d.store) == 5, "a 0x87 PUBACK must not delete the row"
    assert "authorized" in pub.last_refusal.lower()
    acl.write_text("topic readwrite #\n")
    broker.proc.send_signal(signal.SIGHUP)  # reload the ACL
    await hq.wait_for(lambda: len(received(hq)) >= 5, within=20)
    await drained(d.store)


async def test_connection_dropped_before_puback(broker, hq_factory, daemon_factory):
    hq = hq_factory(client_id="hq-drop", persistent=True)
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    broker.proc.send_signal(signal.SIGUSR1)  # save the broker's sessions (HQ's subscription) now
    await asyncio.sleep(0.3)
    broker.proc.send_signal(signal.SIGSTOP)
    try:
        await emit(d, 50)
        await asyncio.sleep(0.5)  # the publishes go out; no PUBACK comes back
        assert await outbox_depth(d.store) == 50
    finally:
        broker.proc.send_signal(signal.SIGKILL)
        broker.proc.wait()
    broker.start()
    await hq.wait_for(lambda: len(received(hq)) >= 50, within=30)
    await drained(d.store)
    assert_gap_free(received(hq))


async def test_resync_republishes_from_the_events_log(broker, hq_factory, daemon_factory):
    hq = hq_factory(client_id="hq-resync")
    d = await daemon_factory(broker.url)
    await hq.online(d.boot_id)
    await emit(d, 10)
    await hq.wait_for(lambda: count_received(hq) >= 10)
    await drained(d.store)
    first = min(received(hq).values())
    n = (await d.cloud.publisher.resync(first + 5))["queued"]
    assert n >= 5
    await hq.wait_for(lambda: count_received(hq) >= 10 + n)
    ids = received(hq)
    assert count_received(hq) - len(ids) >= 5  # the republished copies, told apart by id
    assert_gap_free(ids)
    await drained(d.store)
