"""The durable message queue: written with its cause, one stable id per message, retries with backoff and
jitter, expiry, the resident's language, every message kind, and the webhook contract (DESIGN.md s.3)."""

from __future__ import annotations

import json
import random

import jsonschema
import pytest

from edge.notify import queue as Q
from edge.services.directory import upsert_unit_tx
from edge.services.unit_rows import UnitIn
from tests.conftest import Site
from tests.notify.conftest import messages, wait_for
from tests.notify.receiver import Receiver

WEBHOOK_BODY = {
    "type": "object",
    "required": ["id", "kind", "lang", "text", "unit", "tracking_number"],
    "properties": {"id": {"type": "string"}, "kind": {"type": "string"}, "lang": {"type": "string"},
                   "text": {"type": "string"}, "unit": {"type": ["string", "null"]}, "phone": {"type": "string"},
                   "phone_tail": {"type": "string"}, "tracking_number": {"type": "string"},
                   "pickup_code": {"type": "string"}, "deadline": {"type": "string"}},
}


def test_backoff_doubles_caps_and_spreads() -> None:
    r = Q.RetryPolicy(first_s=30, max_s=900, jitter=0.2)
    rng = random.Random(1)
    for attempts, base in [(1, 30), (2, 60), (3, 120), (6, 900), (20, 900)]:
        waits = [r.delay(attempts, rng) for _ in range(200)]
        assert min(waits) >= base * 0.8 and max(waits) <= base * 1.2
        assert len({round(w, 3) for w in waits}) > 100  # jitter: retries of many messages do not line up


async def test_stored_and_collected_reach_the_webhook_with_one_id_each(webhook_site: Site, receiver: Receiver) -> None:
    site = webhook_site
    dep = await site.deposit("SF1234567890123", unit="1-101", tail="1234")
    await wait_for(lambda: len(receiver.bodies()) >= 1, what="stored message")
    stored = receiver.bodies()[0]
    jsonschema.validate(stored, WEBHOOK_BODY)
    assert stored["kind"] == "stored" and stored["unit"] == "1-101" and stored["phone_tail"] == "1234"
    code = await site.code_of(dep["parcel_id"])
    assert stored["pickup_code"] == code and code in stored["text"]
    # the stored message states the pickup deadline (72 h for a normal parcel), in text and as a field
    assert stored["deadline"] and "前取件" in stored["text"]
    r = await site.svc.pickups.submit(code, kiosk="t")
    await site.settle()
    await site.close(r["parcels"][0]["compartment"])
    await wait_for(lambda: len(receiver.bodies()) >= 2, what="collected message")
    collected = receiver.bodies()[1]
    assert collected["kind"] == "collected" and collected["id"] != stored["id"]
    rows = await messages(site)
    assert [(m["kind"], m["state"], m["channel"]) for m in rows] == [("stored", "sent", "webhook"),
                                                                    ("collected", "sent", "webhook")]


async def test_webhook_500_then_200_sends_the_same_id(webhook_site: Site, receiver: Receiver) -> None:
    site = webhook_site
    receiver.answers = [500]
    await site.deposit("SF1234567890124")
    await wait_for(lambda: len(receiver.requests) >= 1, what="first attempt")
    row = (await messages(site))[0]
    assert row["state"] == "pending" and row["attempts"] == 1 and "500" in row["last_error"]
    site.clock.advance(40)  # past the first retry (30 s +/- 20 %)
    await wait_for(lambda: len(receiver.requests) >= 2, what="retry")
    ids = [b["id"] for b in receiver.bodies()]
    assert ids[0] == ids[1] == row["id"]
    assert receiver.requests[1]["headers"]["idempotency-key"] == row["id"]
    await wait_for(lambda: _state(site, row["id"]), what="marked sent")
    row = (await messages(site))[0]
    assert row["state"] == "sent" and row["attempts"] == 2


async def test_receiver_down_for_an_hour_then_back(webhook_site: Site, receiver: Receiver) -> None:
    site = webhook_site
    port = receiver.port
    receiver.stop()
    await site.deposit("SF1234567890125")
    for _ in range(12):  # an hour of the simulated clock, five minutes at a time
        site.clock.advance(300)
        await _nothing_due(site)
    row = (await messages(site))[0]
    # backoff: 30 s, 60 s, ... capped at 15 min, so a few attempts in the hour, not hundreds
    assert row["state"] == "pending" and 4 <= row["attempts"] <= 12, row
    revived = _receiver_on(port)  # the receiver is back on the same address
    try:
        # past the longest possible wait: the 15 min cap stretched by +20 % jitter is 1,080 s (a 1,000 s step
        # missed it now and then: a flake in CI, not a fault of the queue)
        policy = Q.RetryPolicy()
        site.clock.advance(policy.max_s * (1 + policy.jitter) + 60)
        await wait_for(lambda: revived.bodies(), what="delivery after the outage")
        assert [b["id"] for b in revived.bodies()] == [row["id"]]
        await wait_for(lambda: _state(site, row["id"]), what="marked sent")
    finally:
        revived.stop()


def _receiver_on(port: int) -> Receiver:
    import socketserver
    from http.server import ThreadingHTTPServer

    r = Receiver()
    handler = r.server.RequestHandlerClass
    r.server.server_close()
    socketserver.TCPServer.allow_reuse_address = True
    r.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    r.port = port
    return r.start()


async def _nothing_due(site: Site) -> None:
    """Wait until the dispatcher has handled every message due on the simulated clock (sent, retried
    later or failed), instead of sleeping a fixed time after advancing it."""
    await wait_for(lambda: _none_due(site), what="the due messages handled")


async def _none_due(site: Site) -> bool:
    return not await site.daemon.store.read(lambda tx: Q.due(tx, 1))


async def _state(site: Site, mid: str) -> bool:
    return await site.daemon.store.read(lambda tx: tx.scalar("SELECT state FROM messages WHERE id = ?", (mid,))) == "sent"


async def test_a_message_expires_as_failed(tmp_path, receiver: Receiver) -> None:
    from tests.conftest import start_site

    site = await start_site(tmp_path / "s", notify={"channels": [{"kind": "webhook", "url": "http://127.0.0.1:9/x"}],
                                                    "expire_hours": 1})
    try:
        await site.deposit("SF1234567890126")
        for _ in range(8):
            site.clock.advance(900)
            await _nothing_due(site)
        row = (await messages(site))[0]
        assert row["state"] == "failed" and row["last_error"].startswith("expired")
        counts = await site.daemon.store.read(Q.counts)
        assert counts["failed"] == 1 and counts["pending"] == 0
    finally:
        await site.daemon.stop()


async def test_written_in_the_causes_transaction(webhook_site: Site) -> None:
    site = webhook_site
    p = {"id": "p1", "unit": "1-101", "tracking_number": "X1", "phone_tail": "1234"}

    def boom(tx):
        site.daemon.notifier.send(tx, "collected", p)
        raise RuntimeError("the cause failed")

    with pytest.raises(RuntimeError):
        await site.daemon.store.write(boom)
    assert await messages(site) == []
    assert not await site.daemon.store.read(lambda tx: tx.all("SELECT * FROM notifications WHERE parcel_id = 'p1'"))


async def test_message_in_the_residents_language(webhook_site: Site, receiver: Receiver) -> None:
    site = webhook_site
    await site.daemon.store.write(lambda tx: upsert_unit_tx(tx, UnitIn(unit="1-101", lang="en"), actor="t", source="t"))
    await site.deposit("SF1234567890127", unit="1-101")
    await wait_for(lambda: receiver.bodies(), what="stored")
    body = receiver.bodies()[0]
    assert body["lang"] == "en" and "Pickup code" in body["text"] and "collect it by" in body["text"]
    await site.deposit("SF1234567890128", unit="2-502", tail="5678")  # no language in the directory: the site's
    await wait_for(lambda: len(receiver.bodies()) >= 2, what="second")
    assert receiver.bodies()[1]["lang"] == "zh-CN"


async def test_every_kind_is_queued(webhook_site: Site, receiver: Receiver) -> None:
    """stored, reminder, overdue, notice, disposed, collected, code_reissued and anomaly all go through the queue."""
    site = webhook_site
    n = site.daemon.notifier
    p = {"id": "px", "unit": "1-101", "tracking_number": "T1", "phone_tail": "1234", "stored_at": "2026-03-02T01:00:00Z"}

    def fn(tx):
        n.send(tx, "stored", p, code="1234567890")
        n.send(tx, "code_reissued", p, code="1234567891")
        n.send(tx, "collected", p)
        for kind in ("reminder", "overdue", "notice", "disposal"):
            n.send(tx, kind, p, text=f"{kind} text")
        from edge.services.notifier import record

        record(tx, "anomaly", p, text="delayed", lang="zh-CN", subkind="stalled", record_kind="anomaly.stalled")

    await site.daemon.store.write(fn)
    await wait_for(lambda: len(receiver.bodies()) >= 8, what="eight messages")
    kinds = sorted(b["kind"] for b in receiver.bodies())
    assert kinds == sorted(["stored", "code_reissued", "collected", "reminder", "overdue", "notice", "disposed",
                            "anomaly"])
    assert len({b["id"] for b in receiver.bodies()}) == 8
    anomaly = next(b for b in receiver.bodies() if b["kind"] == "anomaly")
    assert anomaly["anomaly"] == "stalled"
    sim = await site.daemon.store.read(lambda tx: tx.all("SELECT kind FROM notifications WHERE parcel_id = 'px'"))
    assert len(sim) == 8  # the simulator's list keeps every message too
    assert json.dumps(receiver.bodies(), ensure_ascii=False)
