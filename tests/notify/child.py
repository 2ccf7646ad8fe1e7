"""A site in its own process for the kill -9 tests: `python -m tests.notify.child DATA_DIR WEBHOOK_URL [LATER_S]`.

First run: stores one parcel (its "stored" message is queued in the same commit) and prints STORED with
the message id; every run prints READY and then runs until killed."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path


async def main(data_dir: Path, url: str, later_s: float) -> None:
    from datetime import UTC, datetime, timedelta

    from edge.clock import SimClock
    from tests.conftest import start_site

    clock = SimClock(start=datetime.now(UTC) + timedelta(seconds=later_s))  # a restart comes later in time
    site = await start_site(data_dir, clock, notify={"channels": [{"kind": "webhook", "url": url, "timeout_s": 60}]})
    has = await site.daemon.store.read(lambda tx: tx.scalar("SELECT count(*) FROM parcels"))
    if not has:
        await site.deposit("SF5550000001")
        mid = await site.daemon.store.read(lambda tx: tx.scalar("SELECT id FROM messages"))
        print("STORED", mid, flush=True)
    print("READY", flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0.0))
