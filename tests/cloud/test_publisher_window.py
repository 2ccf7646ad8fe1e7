"""The publisher never has more unacknowledged messages than its window, in seq order."""

from __future__ import annotations

import asyncio

import pytest

from cloudsync.publisher import OutboxPublisher
from edge.clock import SimClock
from edge.store.db import Store


class FakeSender:
    def __init__(self, receive_maximum: int | None) -> None:
        self.connected = True
        self.receive_maximum = receive_maximum
        self.sent: list[tuple[int, str]] = []
        self.pending: list[tuple[int, bool, str]] = []
        self.mid = 0

    def publish(self, topic, payload, qos=1, retain=False):
        self.mid += 1
        self.sent.append((self.mid, payload))
        return self.mid

    def take_acks(self):
        out, self.pending = self.pending, []
        return out

    def flush(self):
        pass


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "db.sqlite", SimClock(), "site-w")
    s.open()
    yield s
    s.close()


async def test_window_and_order(store):
    await store.write(lambda tx: [tx.emit("door.opened", {"i": i}) for i in range(100)])
    pub = OutboxPublisher(store, store.clock, "site-w", lambda t: "events", window=50)
    sender = FakeSender(receive_maximum=20)
    pub.sender = sender
    await pub.start()
    try:
        await asyncio.sleep(0.3)
        assert len(sender.sent) == 18, "Receive Maximum 20 less 2 slots for status and snapshot"
        # acknowledge 5, refuse 1: 6 more go out, the refused one is kept for a retry
        sender.pending = [(m, True, "") for m, _ in sender.sent[:5]] + [(sender.sent[5][0], False, "0x87")]
        pub.on_acks()
        await asyncio.sleep(0.3)
        assert len(sender.sent) == 24 and pub.inflight == 18 and pub.refused == 1
        seqs = [int(p.split('"seq":')[1].split(",")[0]) for _, p in sender.sent]
        assert seqs == list(range(1, 25))
    finally:
        await pub.stop()
    left = await store.read(lambda tx: tx.scalar("SELECT count(*) FROM outbox"))
    assert left == 95  # only the 5 successful PUBACKs deleted rows
