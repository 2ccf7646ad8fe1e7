"""A site in its own process for the kill -9 tests:
`python -m tests.notify.child DATA_DIR WEBHOOK_URL [LATER_S] [PARCELS]`.

First run: stores PARCELS parcels (default 1) for one unit (each "stored" message is queued in the same commit)
and prints STORED with the message ids; every run prints READY and then runs until killed. With more than one
parcel the merge window is on (60 s, ADR 0043): the messages wait, and are folded into one when due."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path


async def main(data_dir: Path, url: str, later_s: float, parcels: int) -> None:
    from datetime import UTC, datetime, timedelta

    from edge.clock import SimClock
    from tests.conftest import start_site

    clock = SimClock(start=datetime.now(UTC) + timedelta(seconds=later_s))  # a restart comes later in time
    notify = {"channels": [{"kind": "webhook", "url": url, "timeout_s": 60}]}
    if parcels > 1:
        notify |= {"merge_window_s": 60, "quiet_hours": ""}
    site = await start_site(data_dir, clock, notify=notify)
    has = await site.daemon.store.read(lambda tx: tx.scalar("SELECT count(*) FROM parcels"))
    if not has:
        for i in range(parcels):
            await site.deposit(f"SF555000000{i + 1}")
        ids = await site.daemon.store.read(lambda tx: [r["id"] for r in tx.all("SELECT id FROM messages ORDER BY id")])
        print("STORED", *ids, flush=True)
    print("READY", flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0.0,
                     int(sys.argv[4]) if len(sys.argv) > 4 else 1))
