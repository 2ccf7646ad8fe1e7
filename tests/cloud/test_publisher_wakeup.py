"""A commit that lands while the publisher is reading the outbox is not lost until the next event."""

from __future__ import annotations

from pathlib import Path

from cloudsync.publisher import OutboxPublisher
from edge.clock import SimClock
from edge.store.db import Store


async def test_commit_during_fetch_keeps_the_outbox_open(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.db", SimClock(), "site-1")
    store.open()
    try:
        pub = OutboxPublisher(store, store.clock, "site-1", lambda kind: f"lockerd/v1/site-1/{kind}")
        await store.write(lambda tx: tx.emit("door.opened", {"compartment": "A-01"}))
        real_read = store.read

        async def read_then_commit(fn):  # type: ignore[no-untyped-def]
            rows = await real_read(fn)  # the snapshot is taken...
            await store.write(lambda tx: tx.emit("door.opened", {"compartment": "A-02"}))
            pub.on_events([{"ts": "x"}])  # ...and a commit lands before the fetch finishes
            return rows

        store.read = read_then_commit  # type: ignore[method-assign]
        await pub._fetch()
        store.read = real_read  # type: ignore[method-assign]
        assert not pub._exhausted, "the row committed during the read would wait for the next event"
        await pub._fetch()
        assert [p.seq for p in pub._queue] == [1, 2]
        assert pub._exhausted
    finally:
        store.close()
